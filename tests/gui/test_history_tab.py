"""The History tab: the recorded mints, filtering, copying a session id, loading a config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from realtime_gui.core.history import HistoryFile, MintRecord, history_path
from realtime_gui.core.request import prepare
from realtime_gui.ui.history_tab import COLUMNS, SESSION_COLUMN, HistoryReader, HistoryTab
from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.request_pane import HISTORY_TAB
from realtime_gui.ui.worker_host import WorkerHost
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret, wait_until_idle


def open_history(qtbot: QtBot, window: MainWindow, rows: int) -> HistoryTab:
    window.detailTabs.setCurrentIndex(HISTORY_TAB)
    tab = window.requestPane.history_built
    assert tab is not None and window.detailTabs.currentWidget() is tab
    wait_rows(qtbot, tab, rows)
    return tab


def wait_rows(qtbot: QtBot, tab: HistoryTab, rows: int) -> None:
    qtbot.waitUntil(lambda: not tab.reading and tab.model.rowCount() == rows, timeout=10_000)


def cell(tab: HistoryTab, row: int, column: str) -> Any:
    return tab.proxy.index(row, COLUMNS.index(column)).data()


def old_record(*, profile: str, source: str, session_id: str, preset: str | None = None) -> Any:
    """A record as the CLI or an older version wrote it: no body."""
    return MintRecord(
        time="2026-01-02T03:04:05+00:00",
        profile=profile,
        api="ga",
        model="gpt-realtime",
        session_id=session_id,
        expires_at=1767323645,
        outcome="ok",
        source=source,
        preset=preset,
    )


def mint_ok(qtbot: QtBot, window: MainWindow) -> str:
    window.secretField.clear()
    window.mint()
    wait_for_secret(qtbot, window)
    wait_until_idle(qtbot, window)
    return window.secretField.text()


def test_the_tab_is_not_built_or_read_before_it_is_shown(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    mint_ok(qtbot, window)
    assert window.requestPane.history_built is None
    assert window.detailTabs.tabText(HISTORY_TAB) == "History"


def test_window_mints_show_newest_first_with_failed_ones_and_their_code(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    mint_ok(qtbot, window)
    fake_api.then_error(401, "Incorrect API key provided.", "invalid_api_key")
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    tab = open_history(qtbot, window, 2)
    assert [cell(tab, r, "Outcome") for r in (0, 1)] == ["invalid_api_key", "ok"]
    assert [cell(tab, r, "Source") for r in (0, 1)] == ["window", "window"]
    issued = fake_api.realtime.issued()[-1]
    assert cell(tab, 1, "Session id") == issued.session["id"]
    assert cell(tab, 0, "Session id") == "" and cell(tab, 1, "Model") == "gpt-realtime"
    assert tab.statusLabel.text() == "2 mints"

    # A new mint from the window appears without pressing Refresh.
    mint_ok(qtbot, window)
    wait_rows(qtbot, tab, 3)
    assert cell(tab, 0, "Session id") == fake_api.realtime.issued()[-1].session["id"]


def test_mints_made_elsewhere_appear_by_themselves_and_on_refresh(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    tab = open_history(qtbot, window, 0)
    assert tab.statusLabel.text() == "No mints recorded yet."
    HistoryFile(history_path()).append(
        old_record(profile="work", source="cli", preset="voice-agent", session_id="sess_cli")
    )
    # Seen by the file watcher: no Refresh needed.
    wait_rows(qtbot, tab, 1)
    assert (cell(tab, 0, "Profile"), cell(tab, 0, "Preset"), cell(tab, 0, "Source")) == (
        "work", "voice-agent", "cli",
    )  # fmt: skip


def test_refresh_reads_the_file_again(qtbot: QtBot, tmp_path: Path) -> None:
    history = HistoryFile(tmp_path / "history.jsonl")
    tab = HistoryTab(path=history.path)  # not watching: only Refresh reads
    qtbot.addWidget(tab)
    try:
        tab.reload()
        wait_rows(qtbot, tab, 0)
        history.append(old_record(profile="p", source="serve", session_id="sess_1"))
        tab.refreshHistoryButton.click()
        wait_rows(qtbot, tab, 1)
        assert cell(tab, 0, "Session id") == "sess_1"
    finally:
        tab.shutdown()
        readers = [h for h in WorkerHost.live_hosts() if isinstance(h.worker, HistoryReader)]
        qtbot.waitUntil(lambda: all(host.stopped for host in readers))


def test_the_filter_matches_any_column_ignoring_case(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    mint_ok(qtbot, window)
    fake_api.then_error(429, "Slow down.", "rate_limit_exceeded")
    window.mint()
    wait_until_idle(qtbot, window)
    tab = open_history(qtbot, window, 2)
    qtbot.keyClicks(tab.historyFilterInput, "RATE_limit")
    assert tab.proxy.rowCount() == 1 and cell(tab, 0, "Outcome") == "rate_limit_exceeded"
    tab.historyFilterInput.setText(fake_api.realtime.issued()[-1].session["id"].upper())
    assert tab.proxy.rowCount() == 1 and cell(tab, 0, "Outcome") == "ok"
    tab.historyFilterInput.setText("no such mint")
    assert tab.proxy.rowCount() == 0
    tab.historyFilterInput.clear()
    assert tab.proxy.rowCount() == 2


def test_copy_session_id_puts_exactly_the_id_on_the_clipboard(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    secret = mint_ok(qtbot, window)
    fake_api.then_error(500, "Boom.", "server_error")
    window.mint()
    wait_until_idle(qtbot, window)
    tab = open_history(qtbot, window, 2)
    session_id = fake_api.realtime.issued()[-1].session["id"]
    clipboard = QGuiApplication.clipboard()

    tab.select_row(0)  # the failed mint has no session id: nothing to copy
    assert not tab.copySessionIdButton.isEnabled()
    tab.select_row(1)
    assert tab.copySessionIdButton.isEnabled()
    clipboard.setText("before")
    tab.copySessionIdButton.click()
    assert clipboard.text() == session_id and secret not in clipboard.text()

    clipboard.setText("before")
    tab.copySessionIdAction.trigger()  # the context menu's action
    assert clipboard.text() == session_id
    clipboard.setText("before")
    tab.historyView.setFocus()
    qtbot.keyClick(tab.historyView, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == session_id
    assert tab.historyView.model().index(0, SESSION_COLUMN).data() == ""


def test_load_this_configuration_restores_the_mint_settings(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.voiceInput.setEditText("cedar")
    window.instructionsInput.setPlainText("The configuration to come back to.")
    window.ttlInput.setValue(432)
    mint_ok(qtbot, window)
    sent = fake_api.requests[-1].body

    window.voiceInput.setEditText("ash")
    window.instructionsInput.setPlainText("Something else entirely.")
    window.apiShapeInput.setCurrentIndex(window.apiShapeInput.findData("beta"))
    tab = open_history(qtbot, window, 1)
    tab.select_row(0)
    assert tab.loadConfigButton.isEnabled()
    tab.loadConfigButton.click()
    assert window.api.value == "ga"
    assert dict(prepare(window.session_config(), window.connection()).body) == sent

    # A Beta mint comes back as Beta; a double-click loads too.
    window.apiShapeInput.setCurrentIndex(window.apiShapeInput.findData("beta"))
    window.modelInput.setEditText("gpt-realtime")
    mint_ok(qtbot, window)
    beta_sent = fake_api.requests[-1].body
    wait_rows(qtbot, tab, 2)
    window.instructionsInput.setPlainText("Changed again.")
    tab.select_row(1)
    tab.loadConfigButton.click()
    assert window.api.value == "ga"
    tab.select_row(0)
    index = tab.historyView.selectionModel().selectedRows()[0]
    rect = tab.historyView.visualRect(index)
    viewport = tab.historyView.viewport()
    # As a user does it: the view acts on a double-click only on the row the press hit.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.api.value == "beta"
    assert dict(prepare(window.session_config(), window.connection()).body) == beta_sent


def test_an_old_record_without_a_body_cannot_be_loaded_and_says_why(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    history = HistoryFile(history_path())
    history.append(old_record(profile="default", source="window", session_id="sess_old"))
    window = make_window()
    window.instructionsInput.setPlainText("Untouched.")
    tab = open_history(qtbot, window, 1)
    tab.select_row(0)
    assert tab.copySessionIdButton.isEnabled()
    assert not tab.loadConfigButton.isEnabled() and not tab.loadConfigAction.isEnabled()
    assert "recorded before configurations were kept" in tab.loadConfigButton.toolTip()
    tab.load_selected()
    assert window.instructionsInput.toPlainText() == "Untouched."


def test_the_history_widgets_have_names_tips_and_accessible_names(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    view = window.findChild(object, "historyView")  # type: ignore[arg-type]
    assert view is not None and view is window.historyView
    tab = window.requestPane.history_built
    assert tab is not None
    for widget in (view, tab.historyFilterInput, tab.copySessionIdButton,
                   tab.loadConfigButton, tab.refreshHistoryButton):  # fmt: skip
        assert widget.toolTip() and widget.accessibleName(), widget.objectName()
    wait_rows(qtbot, tab, 0)
    headers = [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))]
    assert headers == list(COLUMNS)


def test_the_history_is_not_imported_or_read_at_start_up(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    code = f"""if True:
        import sys
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from realtime_gui.app import create_window
        window = create_window(env={{}}, settings_path=Path({str(tmp_path)!r}) / "s.ini")
        window.show()
        app.processEvents()
        print("\\n".join(sys.modules))
        window.close()
        """
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(data))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    modules = set(done.stdout.split())
    assert "realtime_gui.ui.preset_bar" in modules  # the list names modules that exist
    for lazy in ("realtime_gui.ui.history_tab", "realtime_gui.core.history"):
        assert lazy not in modules, lazy
