"""A window dropped after Copy as… was used (secret view and Serve panel) still lets go of its worker."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

from tests.conftest import PYTHON

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = textwrap.dedent(
    """
    from PySide6.QtWidgets import QApplication
    from tests.conftest import TEST_API_KEY
    from tests.e2e.lifetime_scenarios import all_hosts_stopped, drop, new_window, pump
    from tests.e2e.lifetime_scenarios import start_serving
    from tests.fake_api import FakeRealtimeApi

    app = QApplication([])
    api = FakeRealtimeApi(TEST_API_KEY).start()
    holder = [new_window(api)]
    window = holder[0]
    window.mint()
    assert pump(app, lambda: window.secretField.text().startswith("ek_")), "no secret"
    for action in window.secretView.copyAsButton.menu().actions():
        action.trigger()
    start_serving(app, window)
    for action in window.serveLink.panel.serveCopyAsButton.menu().actions():
        action.trigger()
    del window
    drop(holder)
    assert all_hosts_stopped(app), "the worker thread of a dropped window kept running"
    print("OK")
    """
)


def test_a_dropped_window_lets_go_after_copy_as() -> None:
    # In its own process: a window that is never freed would leave its thread running.
    done = subprocess.run(
        [PYTHON, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("OK"), done.stderr[-2000:]
