"""The tray icon under a real tray host (Xvfb + trayer), each scenario in its own process.

The scenarios (tests/e2e/tray_scenarios.py) build the real window against the local fake
API; the process quits on the path under test, so a quit that does not happen, or a worker
that outlives it, fails one test rather than hanging the run.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.e2e.tray_scenarios import SCENARIOS
from tests.gui.conftest import WindowFactory
from tests.tray_host import tray_env, tray_host

ROOT = Path(__file__).resolve().parents[2]
QT_WARNINGS = ("QXcb", "qt.qpa", "QSystemTrayIcon", "Warning:", "QObject::")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with tray_host() as display:
        yield display


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_tray_scenario(display: str, name: str) -> None:
    env = tray_env(display)
    env["PYTHONPATH"] = str(ROOT)
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REALTIME_GUI_CONFIG_DIR"):
        env.pop(variable, None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.tray_scenarios", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, report
    assert done.stdout.splitlines()[-1:] == ["OK"], report
    # A Qt warning is a failure here as in the in-process GUI tests.
    assert not any(marker in done.stderr for marker in QT_WARNINGS), report
    assert "ek_" not in done.stdout + done.stderr, "a secret reached the output"


def test_no_tray_without_a_tray_host(qtbot: QtBot, make_window: WindowFactory) -> None:
    """Offscreen there is no tray: no icon, and Keep running stays off and disabled."""
    window = make_window()
    # The tray is looked for right after the first paint, just before the warm-up is
    # asked for (both are zero timers, run in the order they were started).
    qtbot.waitUntil(lambda: window._warmed_up)
    assert window.tray is None
    assert not window.menus.keepInTrayAction.isEnabled()
