"""The wheel installs with pipx the way a user's does, and the installed app self-tests and mints.

Run by ``make wheel-tests`` after ``make wheel``, inside the throwaway Secret Service session:
pipx puts the wheel into its own virtual environment under a temporary PIPX_HOME, so only what
the wheel carries (code, icons, the playground page, entry points) is there to be found.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import realtime_gui
from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
VERSION = realtime_gui.__version__
WHEEL = DIST / f"realtime_gui-{VERSION}-py3-none-any.whl"
SDIST = DIST / f"realtime_gui-{VERSION}.tar.gz"


def _pipx() -> str:
    found = shutil.which("pipx", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("pipx is not installed: it is in the dev extra (make venv)")
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pipx install dist/realtime_gui-*.whl`` into a throwaway PIPX_HOME; the app's command."""
    if not WHEEL.is_file():
        pytest.fail(f"no {WHEEL.name} in dist/: run `make wheel` first")
    home = tmp_path_factory.mktemp("pipx")
    env = {
        **os.environ,
        "PIPX_HOME": str(home / "pipx"),
        "PIPX_BIN_DIR": str(home / "bin"),
        "PIPX_MAN_DIR": str(home / "man"),
    }
    done = subprocess.run(
        [_pipx(), "install", "--python", sys.executable, str(WHEEL)],
        capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    command = home / "bin" / "realtime-gui"
    assert command.is_file(), done.stdout
    return command


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # The installed app must discover its keyring backend itself, and see no source tree.
    for name in ("PYTHON_KEYRING_BACKEND", "OPENAI_API_KEY", "PYTHONPATH"):
        env.pop(name, None)
    env.update(QT_QPA_PLATFORM="offscreen", REALTIME_GUI_CONFIG_DIR=str(tmp_path / "config"))
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    return {**env, **extra}


def _run(command: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # From a folder outside the repository, so `import realtime_gui` cannot find the source.
    return subprocess.run(
        [str(command), *args], capture_output=True, text=True, env=env, timeout=120,
        cwd=env["REALTIME_GUI_CONFIG_DIR"].rsplit("/", 1)[0],
    )  # fmt: skip


def test_wheel_carries_the_package_data_and_the_entry_point() -> None:
    with zipfile.ZipFile(WHEEL) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(f"realtime_gui-{VERSION}.dist-info/entry_points.txt").decode()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert f"realtime_gui/resources/icons/realtime-gui-{size}.png" in names
    for page in ("index.html", "playground.js", "playground.css"):
        assert f"realtime_gui/core/serve/playground/{page}" in names
    assert "realtime_gui/py.typed" in names
    assert "realtime-gui = realtime_gui.launch:entry_point" in entry_points
    assert not any(name.startswith(("tests/", "benchmarks/", "packaging/")) for name in names)


def test_sdist_builds_the_same_package() -> None:
    with tarfile.open(SDIST) as sdist:
        names = set(sdist.getnames())
    prefix = f"realtime_gui-{VERSION}"
    assert f"{prefix}/pyproject.toml" in names
    assert f"{prefix}/realtime_gui/resources/icons/realtime-gui-512.png" in names
    assert f"{prefix}/realtime_gui/core/serve/playground/index.html" in names


def test_pipx_installed_app_self_tests_from_its_own_files(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    done = _run(installed, "--self-test", env=_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(source)" in done.stdout  # a wheel install, not the PyInstaller bundle
    assert "[ok  ] Keyring        Secret Service" in done.stdout
    resources = next(line for line in done.stdout.splitlines() if "Resources" in line)
    assert resources.startswith("[ok  ]") and "8 icons in" in resources
    # The icons it found are the installed copies, not the source tree's.
    assert str(ROOT) not in resources and "pipx" in resources


def test_pipx_installed_app_mints_against_the_local_api(
    installed: Path, tmp_path: Path, fake_api: FakeRealtimeApi
) -> None:
    (tmp_path / "config").mkdir()
    env = _env(tmp_path, OPENAI_API_KEY=TEST_API_KEY)
    done = _run(installed, "mint", "--base-url", fake_api.base_url, "--json", env=env)
    assert done.returncode == 0, done.stderr
    minted = json.loads(done.stdout)
    assert minted["api"] == "ga" and minted["value"].startswith("ek_")
    assert [r.path for r in fake_api.requests] == ["/v1/realtime/client_secrets"]
    assert fake_api.requests[0].headers["authorization"] == f"Bearer {TEST_API_KEY}"
    version = _run(installed, "--version", env=env)
    assert version.stdout.strip().endswith(VERSION)


def test_pipx_installed_window_opens_and_paints(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    env = _env(tmp_path, REALTIME_GUI_QUIT_AFTER_FIRST_PAINT="1")
    done = _run(installed, env=env)
    assert done.returncode == 0, done.stderr
