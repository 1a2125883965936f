"""The error banner: the window's own hints in place of core's defaults, and the shown error."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from realtime_gui.core.errors import KeyringLocked, NoApiKey, ServerError
from realtime_gui.ui.banner import StatusBanner

HINT = "Use Set key… (Ctrl+K)."


@pytest.fixture
def banner(qtbot: QtBot) -> StatusBanner:
    widget = StatusBanner(hints={NoApiKey: HINT})
    qtbot.addWidget(widget)
    return widget


def test_a_default_hint_is_replaced_by_the_windows(banner: StatusBanner) -> None:
    error = NoApiKey("No API key for profile 'default'.")
    banner.show_error(error)
    assert banner.hintLabel.text() == HINT and banner.error is error
    assert "realtime-gui key" not in banner.message


def test_a_hint_given_for_one_error_is_kept(banner: StatusBanner) -> None:
    banner.show_error(NoApiKey("No API key.", hint="Ask your admin for one."))
    assert banner.hintLabel.text() == "Ask your admin for one."


def test_errors_without_a_window_hint_keep_theirs(banner: StatusBanner) -> None:
    banner.show_error(ServerError("The server failed (500).", status=500))
    assert banner.hintLabel.text() == ServerError.default_hint
    banner.show_error(KeyringLocked("The keyring is locked."))
    assert not banner.hintLabel.isVisibleTo(banner) and banner.hintLabel.text() == ""
