"""The window's mints, ok and failed, are recorded in the history by the worker thread."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from realtime_gui.core.history import HistoryFile, MintRecord, history_path
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret


def records_once(qtbot: QtBot, count: int) -> list[MintRecord]:
    history = HistoryFile(history_path())
    # The record is written on the worker thread just after the window is told.
    qtbot.waitUntil(lambda: len(history.read()) == count, timeout=10_000)
    return history.read()


def test_window_mints_are_recorded(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.mint()
    wait_for_secret(qtbot, window)
    (record,) = records_once(qtbot, 1)
    issued = fake_api.realtime.issued()[-1]
    assert (record.session_id, record.expires_at) == (issued.session["id"], issued.expires_at)
    assert (record.source, record.outcome, record.profile, record.origin) == (
        "window", "ok", "default", None,
    )  # fmt: skip

    fake_api.then_error(401, "Incorrect API key provided.", "invalid_api_key")
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    failed, ok = records_once(qtbot, 2)
    assert ok == record
    assert (failed.outcome, failed.source, failed.session_id) == ("invalid_api_key", "window", None)
    assert failed.api == record.api and failed.model == record.model
