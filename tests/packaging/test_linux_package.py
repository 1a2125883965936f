"""The built Linux package: the packaged binary self-tests and mints; the .deb has its layout.

Run by ``make package-tests`` after ``make package`` (inside the throwaway keyring session,
so the packaged app must find the Secret Service backend on its own).
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

import realtime_gui
from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
VERSION = realtime_gui.__version__


def _only(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    if not found:
        pytest.fail(f"no {pattern} in dist/: run `make package` first")
    return found[-1]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .tar.gz, unpacked the way a user would: realtime-gui/realtime-gui."""
    target = tmp_path_factory.mktemp("tarball")
    with tarfile.open(_only(f"realtime-gui-{VERSION}-linux-*.tar.gz")) as archive:
        archive.extractall(target, filter="data")
    binary = target / "realtime-gui" / "realtime-gui"
    assert binary.is_file() and os.access(binary, os.X_OK)
    return binary


def packaged_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The packaged app must discover its keyring backend itself (entry points bundled).
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env.pop("OPENAI_API_KEY", None)
    env.update(QT_QPA_PLATFORM="offscreen", REALTIME_GUI_CONFIG_DIR=str(tmp_path / "config"))
    return env


def run(binary: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_packaged_self_test_passes(unpacked: Path, tmp_path: Path) -> None:
    done = run(unpacked, "--self-test", env=packaged_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(packaged (PyInstaller))" in done.stdout
    assert "[ok  ] Keyring        Secret Service" in done.stdout
    assert "platform plugin: offscreen" in done.stdout
    assert "CA certificates from" in done.stdout
    assert "[ok  ] Resources      8 icons in" in done.stdout  # the bundle carries its files


def test_packaged_cli_mints_in_both_shapes(
    unpacked: Path, tmp_path: Path, fake_api: FakeRealtimeApi
) -> None:
    env = {**packaged_env(tmp_path), "OPENAI_API_KEY": TEST_API_KEY}
    ga = run(unpacked, "mint", "--base-url", fake_api.base_url, "--json", env=env)
    assert ga.returncode == 0, ga.stderr
    assert json.loads(ga.stdout)["api"] == "ga"
    beta = run(
        unpacked, "mint", "--api", "beta", "--model", "gpt-4o-realtime-preview",
        "--base-url", fake_api.base_url, env=env,
    )  # fmt: skip
    assert beta.returncode == 0, beta.stderr
    assert beta.stdout.strip().startswith("ek_")
    assert [r.path for r in fake_api.requests] == [
        "/v1/realtime/client_secrets",
        "/v1/realtime/sessions",
    ]


def test_packaged_key_is_stored_in_the_secret_service(unpacked: Path, tmp_path: Path) -> None:
    env = packaged_env(tmp_path)
    stored = subprocess.run(
        [str(unpacked), "key", "set", "--profile", "packaged"],
        input=TEST_API_KEY, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert stored.returncode == 0, stored.stderr
    assert "Secret Service" in stored.stderr
    status = run(unpacked, "key", "status", "--profile", "packaged", env=env)
    assert "Stored key: yes" in status.stdout and TEST_API_KEY not in status.stdout
    assert run(unpacked, "key", "delete", "--profile", "packaged", env=env).returncode == 0


def test_packaged_window_opens_and_paints(unpacked: Path, tmp_path: Path) -> None:
    env = {**packaged_env(tmp_path), "REALTIME_GUI_QUIT_AFTER_FIRST_PAINT": "1"}
    done = run(unpacked, env=env)
    assert done.returncode == 0, done.stderr
    # Closing saves the form, which proves the window was built, shown and closed cleanly.
    assert (tmp_path / "config" / "settings.ini").is_file()


def test_deb_layout(tmp_path: Path) -> None:
    deb = _only(f"realtime-gui_{VERSION}_*.deb")
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    info = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Package: realtime-gui" in info and f"Version: {VERSION}" in info
    assert "libxcb-cursor0" in info

    binary = root / "usr" / "lib" / "realtime-gui" / "realtime-gui"
    assert binary.is_file() and os.access(binary, os.X_OK)
    assert (root / "usr" / "lib" / "realtime-gui" / "_internal").is_dir()
    assert not (root / "opt").exists()
    launcher = root / "usr" / "bin" / "realtime-gui"
    assert os.access(launcher, os.X_OK)
    assert "exec /usr/lib/realtime-gui/realtime-gui" in launcher.read_text()
    desktop = root / "usr" / "share" / "applications" / "realtime-gui.desktop"
    assert "Exec=realtime-gui" in desktop.read_text()
    assert (root / "usr/share/metainfo/io.github.realtime_gui.metainfo.xml").is_file()
    assert (root / "usr/share/icons/hicolor/scalable/apps/realtime-gui.svg").is_file()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (root / f"usr/share/icons/hicolor/{size}x{size}/apps/realtime-gui.png").is_file()
    # The extracted copy runs too (the app does not depend on its install prefix).
    done = run(binary, "--version", env=packaged_env(tmp_path))
    assert done.stdout.strip() == f"realtime-gui {VERSION}"
