"""The window's life ending while the History tab reads or a preset dialog is open, per process.

``python -m tests.e2e.history_lifetime_scenarios NAME``: as tests/e2e/lifetime_scenarios.py
(whose helpers it uses), it prints ``BLOCKED_MS <n>`` and ``OK`` last when all went well.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.history import MintRecord, history_path
from realtime_gui.core.request import prepare
from realtime_gui.core.session import SessionConfig
from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.request_pane import HISTORY_TAB
from tests.conftest import TEST_API_KEY
from tests.e2e.lifetime_scenarios import (
    all_hosts_stopped,
    blocked_ms,
    drop,
    new_window,
    pump,
    quit_and_time,
    timed,
)
from tests.fake_api import FakeRealtimeApi

RECORDS = 5_400  # a full file: the cap (5,000) plus most of the margin


def fill_history() -> None:
    """A history file at its largest, every record with a body, written in one go."""
    body = dict(prepare(SessionConfig(instructions="Talk. " * 200), Connection()).body)
    line = MintRecord("2026-01-01T00:00:00+00:00", "default", "ga", "gpt-realtime", "sess_x",
                      1_800_000_000, "ok", "cli", body=body).to_json()  # fmt: skip
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((json.dumps(line) + "\n") * RECORDS, encoding="utf-8")


def open_history_tab(app: QApplication, window: MainWindow) -> None:
    assert pump(app, lambda: "OPENAI_API_KEY" in window.keyStatusLabel.text())
    window.detailTabs.setCurrentIndex(HISTORY_TAB)
    tab = window.requestPane.history_built
    assert tab is not None and tab.reading, "the read should still be running"


def close_while_history_loads(app: QApplication, api: FakeRealtimeApi) -> None:
    fill_history()
    window = new_window(api)
    open_history_tab(app, window)
    timed(window.close)
    assert all_hosts_stopped(app), "the history reader kept running after close"


def drop_while_history_loads(app: QApplication, api: FakeRealtimeApi) -> None:
    fill_history()
    holder = [new_window(api)]
    open_history_tab(app, holder[0])
    timed(lambda: drop(holder))
    assert all_hosts_stopped(app)


def history_loads_fully(app: QApplication, api: FakeRealtimeApi) -> None:
    """The control case: left alone, the same read finishes and fills the table."""
    fill_history()
    window = new_window(api)
    open_history_tab(app, window)
    tab = window.requestPane.history_built
    assert tab is not None
    assert pump(app, lambda: tab.model.rowCount() == RECORDS, timeout=30)
    print(f"ROWS {tab.model.rowCount()}", flush=True)
    timed(window.close)
    assert all_hosts_stopped(app)


def open_preset_dialog(app: QApplication, window: MainWindow, kind: str) -> None:
    bar = window.presetBar
    assert pump(app, lambda: bar.presetInput.count() > 1)
    if kind == "name":
        dialog: QInputDialog | QMessageBox | None = bar.ask_save_as()
    else:
        bar.write("doomed")
        dialog = bar.ask_delete()
    assert dialog is not None and dialog.isVisible()


def close_with_preset_dialog_open(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    open_preset_dialog(app, window, "name")
    timed(window.close)
    assert all_hosts_stopped(app)


def quit_with_delete_question_open(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    open_preset_dialog(app, window, "delete")
    quit_and_time(app)
    assert all_hosts_stopped(app)
    assert window.presetBar.store.path("doomed").is_file(), "quitting answered the question"


SCENARIOS: dict[str, Callable[[QApplication, FakeRealtimeApi], None]] = {
    "close-while-history-loads": close_while_history_loads,
    "drop-while-history-loads": drop_while_history_loads,
    "history-loads-fully": history_loads_fully,
    "close-with-preset-dialog-open": close_with_preset_dialog_open,
    "quit-with-delete-question-open": quit_with_delete_question_open,
}


def main(name: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="rtg-history-data-")
    app = QApplication(sys.argv[:1])
    api = FakeRealtimeApi(TEST_API_KEY).start()
    SCENARIOS[name](app, api)
    print(f"BLOCKED_MS {max(blocked_ms, default=0.0):.1f}", flush=True)
    print("OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
