"""The window prepares each request once per refresh and sends that one, never a stale one."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from realtime_gui.core import request as core_request
from realtime_gui.ui import main_window
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret


def test_one_refresh_builds_the_config_once_and_prepares_once(
    make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    calls = {"config": 0, "prepare": 0}
    session_config = window.session_config

    def counting_config() -> object:
        calls["config"] += 1
        return session_config()

    def counting_prepare(*args: object) -> object:
        calls["prepare"] += 1
        return core_request.prepare(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(window, "session_config", counting_config)
    monkeypatch.setattr(main_window, "prepare", counting_prepare)
    window._refresh()
    assert calls == {"config": 1, "prepare": 1}
    assert window._prepared is not None
    assert window.requestPreview.toPlainText() == window._prepared.as_text()


def test_mint_right_after_an_edit_sends_the_edit(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.voiceInput.setEditText("cedar")
    window.mint()  # before the coalesced refresh has run
    wait_for_secret(qtbot, window)
    assert fake_api.requests[0].body["session"]["audio"]["output"]["voice"] == "cedar"
    assert "cedar" in window.requestPreview.toPlainText()


def test_mint_with_problems_names_them_and_sends_nothing(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.baseUrlInput.setText("http://example.com/v1")
    window.mint()
    assert window.statusBanner.isVisible()
    assert window._prepared is None and not window.is_minting
    assert fake_api.requests == []
