"""The request pane on its own: preview, JSON edit, import and the granted-session tab."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.errors import FieldProblem
from realtime_gui.core.request import prepare
from realtime_gui.core.session import ApiShape, SessionConfig
from realtime_gui.ui.granted_view import GrantedSessionView
from realtime_gui.ui.request_pane import ImportedConfig, RequestPane

CONFIG = SessionConfig(model="gpt-realtime", voice="marin", modalities=("audio",))
CONNECTION = Connection.from_env({}, base_url="http://127.0.0.1:9/v1")


@pytest.fixture
def pane(qtbot: QtBot) -> RequestPane:
    widget = RequestPane(lambda: CONFIG)
    qtbot.addWidget(widget)
    return widget


def test_preview_of_a_sendable_request(pane: RequestPane) -> None:
    pane.show_request(prepare(CONFIG, CONNECTION), CONFIG, [])
    text = pane.requestPreview.toPlainText()
    assert text.startswith("POST http://127.0.0.1:9/v1/realtime/client_secrets\n")
    body = json.loads(text.split("\n\n", 1)[1])
    assert body["session"]["audio"] == {"output": {"voice": "marin"}}


def test_preview_of_a_request_that_cannot_be_sent_yet(pane: RequestPane) -> None:
    pane.show_request(None, CONFIG, [FieldProblem("voice", "is not a voice")])
    text = pane.requestPreview.toPlainText()
    assert text.startswith("# Not sendable yet")
    assert "voice" in text.splitlines()[1]


def test_copy_request(qtbot: QtBot, pane: RequestPane) -> None:
    pane.show_request(prepare(CONFIG, CONNECTION), CONFIG, [])
    with qtbot.waitSignal(pane.message) as signal:
        pane.copyPreviewButton.click()
    assert QGuiApplication.clipboard().text() == pane.requestPreview.toPlainText()
    assert "redacted" in signal.args[0]


def test_granted_tab_is_a_placeholder_until_it_is_looked_at(pane: RequestPane) -> None:
    assert isinstance(pane.widget(1), QLabel) and pane.granted_built is None
    pane.setCurrentIndex(0)
    pane.show_granted(
        {"type": "realtime", "model": "gpt-realtime"},
        {"type": "realtime", "model": "gpt-realtime-2025-08-28"},
    )
    # The tab counts the differences at once; the table waits until someone looks.
    assert pane.tabText(1) == "Granted session (1 differ)"
    assert pane.granted_built is None and isinstance(pane.widget(1), QLabel)
    pane.setCurrentIndex(1)
    view = pane.widget(1)
    assert isinstance(view, GrantedSessionView) and view is pane.grantedSessionView
    assert view.differing_paths() == ["model"]
    assert pane.currentIndex() == 1


def test_the_granted_table_asked_for_by_name_shows_the_last_session(pane: RequestPane) -> None:
    pane.show_granted({"model": "a"}, {"model": "a", "voice": "alloy"})
    pane.show_granted({"model": "a"}, {"model": "b"})
    view = pane.grantedSessionView  # built now, with the latest session
    assert view.differing_paths() == ["model"]
    assert pane.currentIndex() == 0  # building it did not switch tabs


def test_edit_as_json_reports_the_edited_config(qtbot: QtBot, pane: RequestPane) -> None:
    dialog = pane.edit_json()
    assert json.loads(dialog.editor.toPlainText())["session"]["model"] == "gpt-realtime"
    body = {"session": {"type": "realtime", "audio": {"output": {"voice": "ash"}}}}
    dialog.editor.setPlainText(json.dumps(body))
    with qtbot.waitSignal(pane.configEdited) as signal:
        dialog.okButton.click()
    config = signal.args[0]
    assert isinstance(config, SessionConfig) and config.voice == "ash"


def test_import_reports_a_ga_config_with_notes(qtbot: QtBot, pane: RequestPane) -> None:
    dialog = pane.import_request()
    dialog.editor.setPlainText(json.dumps({"model": "gpt-realtime", "temperature": 0.7}))
    with qtbot.waitSignal(pane.requestImported) as signal:
        dialog.okButton.click()
    imported = signal.args[0]
    assert isinstance(imported, ImportedConfig)
    assert imported.config.api is ApiShape.GA and imported.config.model == "gpt-realtime"
    assert any("temperature" in note for note in imported.notes)
