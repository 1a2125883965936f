"""The key status line on its own: what it says, and the key dialog built on first use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from realtime_gui.core.credentials import KeyStatus
from realtime_gui.core.errors import KeyringUnavailable
from realtime_gui.ui.key_dialog import ApiKeyDialog
from realtime_gui.ui.key_status import KeyStatusLine


@pytest.fixture
def line(qtbot: QtBot) -> Iterator[KeyStatusLine]:
    window = QMainWindow()  # the dialog is parented to the window, as in the app
    qtbot.addWidget(window)
    widget = KeyStatusLine("work", window)
    window.setCentralWidget(widget)
    yield widget


@pytest.mark.parametrize(
    ("status", "text", "button"),
    [
        (KeyStatus("work", "Secret Service", None, True, False), "Key from OPENAI_API_KEY",
         "Change key…"),
        (KeyStatus("work", "Secret Service", True, False, False), "Key stored in Secret Service",
         "Change key…"),
        (KeyStatus("work", "Secret Service", False, False, False), "No key — Set key…",
         "Set key…"),
        (KeyStatus("work", "none", None, False, False, KeyringUnavailable("No usable keyring")),
         "No key — keyring unavailable (No usable keyring) — Set key…", "Set key…"),
    ],
    ids=["env", "stored", "none", "no-keyring"],
)  # fmt: skip
def test_status_line_says_where_the_key_comes_from(
    line: KeyStatusLine, status: KeyStatus, text: str, button: str
) -> None:
    line.show_status(status)
    assert line.keyStatusLabel.text() == text
    assert line.apiKeyButton.text() == button


def test_the_dialog_is_built_once_and_follows_the_status(qtbot: QtBot, line: KeyStatusLine) -> None:
    assert line.window().findChild(ApiKeyDialog) is None
    with qtbot.waitSignal(line.statusRequested) as asked:
        dialog = line.open_dialog()
    assert asked.args == ["work"]
    assert dialog.parent() is line.window() and dialog.isVisible()
    line.show_status(KeyStatus("work", "Secret Service", True, False, False))
    assert "a key is stored" in dialog.backendLabel.text()
    dialog.reject()
    assert line.open_dialog() is dialog
    dialog.reject()
