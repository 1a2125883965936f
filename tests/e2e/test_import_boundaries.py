"""The core and the CLI never import Qt; proven in fresh interpreters."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import tempfile

import realtime_gui.core
from realtime_gui.app import CONFIG_DIR_ENV, QUIT_AFTER_PAINT_ENV
from tests.conftest import PYTHON, TEST_API_KEY
from tests.e2e.cli_runner import modules_after
from tests.fake_api import FakeRealtimeApi

# Every module of the core package, found rather than listed, so a new one is covered too.
CORE_MODULES = sorted(
    info.name for info in pkgutil.iter_modules(realtime_gui.core.__path__, "realtime_gui.core.")
)


def test_the_core_package_is_enumerated() -> None:
    # Guards the enumeration itself: an empty or partial list would prove nothing.
    assert len(CORE_MODULES) >= 13
    assert {"realtime_gui.core.fields", "realtime_gui.core.session"} <= set(CORE_MODULES)


def test_core_and_cli_do_not_import_pyside6() -> None:
    modules = modules_after(
        "import importlib\nimport realtime_gui.cli\n"
        + "".join(f"importlib.import_module({name!r})\n" for name in CORE_MODULES)
    )
    assert set(CORE_MODULES) <= modules  # every import really happened
    assert not {m for m in modules if m.split(".")[0] in ("PySide6", "shiboken6")}


def test_mint_help_does_not_import_pyside6() -> None:
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "realtime_gui", "mint", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "--instructions-file" in done.stdout
    imported = done.stderr  # -X importtime writes one line per imported module
    assert "realtime_gui.cli" in imported
    assert "PySide6" not in imported


def test_session_model_imports_without_httpx_or_keyring() -> None:
    # The window's first paint needs only the session model; the network stack comes later.
    modules = modules_after("import realtime_gui.core.session")
    assert "realtime_gui.core.session" in modules
    assert "httpx" not in modules and "keyring" not in modules


def test_window_modules_do_not_load_the_network_stack_before_first_paint() -> None:
    # create_window() must not wait on httpx or keyring; the worker loads them later.
    modules = modules_after("import realtime_gui.app")
    assert "realtime_gui.ui.main_window" in modules and "PySide6.QtWidgets" in modules
    assert "httpx" not in modules and "keyring" not in modules


def test_opening_the_window_does_not_import_the_command_line() -> None:
    # `realtime-gui` with no arguments goes straight to the window: the CLI module and what
    # only it imports cost start-up time and memory the window never uses. (argparse itself
    # is loaded by PySide6's own start-up, so it is no witness.)
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "realtime_gui"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", QUIT_AFTER_PAINT_ENV: "1",
             CONFIG_DIR_ENV: tempfile.mkdtemp(), "OPENAI_API_KEY": "sk-test-boundary"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "realtime_gui.ui.main_window" in imported  # the window really opened
    assert "realtime_gui.cli" not in imported and "getpass" not in imported
    # The mint history is loaded by the worker at the first mint, not at start-up.
    assert "realtime_gui.core.history" not in imported
    # The single instance listened (the window ran as the instance) on a Unix socket:
    # QtNetwork, 2.9 MiB resident, is for Windows' named pipes only.
    assert "realtime_gui.ui.single_instance" in imported
    if os.name == "posix":
        assert "PySide6.QtNetwork" not in imported


def test_the_http_client_does_not_load_httpx_command_line_helpers() -> None:
    # click (a dependency of uvicorn) and pygments are installed here, and `import httpx`
    # would load both for its own command line; the app never runs it.
    modules = modules_after("import realtime_gui.core.client")
    assert "httpx" in modules and "realtime_gui.core.client" in modules
    assert "click" not in modules and "pygments" not in modules


def test_the_window_and_the_cli_modules_do_not_load_websockets() -> None:
    # The WebSocket stack is for the connection test only, loaded when a test runs.
    modules = modules_after(
        "import realtime_gui.app\nimport realtime_gui.ui.connection_check\n"
        "import realtime_gui.cli\nimport realtime_gui.cli_connection\n"
        "import realtime_gui.core.client\nimport realtime_gui.core.errors"
    )
    assert {"realtime_gui.ui.connection_check", "realtime_gui.cli_connection"} <= modules
    assert "websockets" not in modules
    assert "realtime_gui.core.connection_test" not in modules
    assert "realtime_gui.core.realtime_socket" not in modules
    assert "realtime_gui.ui.connection_worker" not in modules  # made on the first test


def _imported_by_cli(env: dict[str, str], *args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "realtime_gui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    return done.returncode, imported


def test_mint_does_not_load_websockets_and_test_does(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": fake_api.base_url}
    code, imported = _imported_by_cli(env, "mint")
    assert code == 0 and "realtime_gui.core.client" in imported  # it really minted
    assert "websockets" not in imported
    code, imported = _imported_by_cli(env, "test", "--help")
    assert code == 0 and "websockets" not in imported
    code, imported = _imported_by_cli(env, "test")
    assert code == 0 and "websockets" in imported  # the witness: a test does load it


_WINDOW_MINT_THEN_TEST = """
import sys, time
from PySide6.QtWidgets import QApplication
from realtime_gui.app import create_window
app = QApplication([])
window = create_window()
window.show()

def pump(until):
    deadline = time.monotonic() + 20
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    assert until()

window.mint()
pump(lambda: window.secretField.text().startswith("ek_"))
print("after mint:", "websockets" in sys.modules)
button = window.connectionCheck.testConnectionButton
pump(button.isEnabled)
button.click()
pump(lambda: window.connectionCheck.last_result is not None)
print("after test:", "websockets" in sys.modules)
window.close()
"""


def test_the_window_loads_websockets_only_for_a_connection_test(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": fake_api.base_url,
           "QT_QPA_PLATFORM": "offscreen", CONFIG_DIR_ENV: tempfile.mkdtemp()}  # fmt: skip
    done = subprocess.run(
        [PYTHON, "-c", _WINDOW_MINT_THEN_TEST],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["after mint: False", "after test: True"], done.stdout
