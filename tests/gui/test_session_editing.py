"""Live preview, inline validation, JSON editing, import and the granted-session view."""

from __future__ import annotations

import json
import time

from PySide6.QtWidgets import QComboBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_API_KEY
from tests.fake_api import Canned, FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret


def preview_body(window: object) -> dict[str, object]:
    text = window.requestPreview.toPlainText()  # type: ignore[attr-defined]
    return json.loads(text.split("\n\n", 1)[1])


def test_preview_follows_the_form_and_redacts_the_key(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.modelInput.setEditText("gpt-realtime-mini")
    window.voiceInput.setEditText("cedar")
    qtbot.waitUntil(lambda: "cedar" in window.requestPreview.toPlainText())
    text = window.requestPreview.toPlainText()
    assert text.startswith(f"POST {fake_api.base_url}/realtime/client_secrets\n")
    assert "Authorization: Bearer [redacted]" in text and TEST_API_KEY not in text
    assert preview_body(window) == {
        "session": {
            "type": "realtime",
            "model": "gpt-realtime-mini",
            "output_modalities": ["audio"],
            "audio": {"output": {"voice": "cedar"}},
        }
    }
    # What the preview shows is what Mint sends.
    window.mint()
    wait_for_secret(qtbot, window)
    assert fake_api.requests[0].body == preview_body(window)


def test_invalid_input_disables_mint_with_the_reason_next_to_the_field(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.baseUrlInput.setText("http://example.com/v1")
    qtbot.waitUntil(lambda: not window.mintButton.isEnabled())
    label = window.findChild(object, "base_urlError")
    assert label is not None and label.isVisible() and "loopback" in label.text()
    assert "base_url" in window.mintBlockedLabel.text()
    assert window.requestPreview.toPlainText().startswith("# Not sendable yet")
    window.baseUrlInput.clear()
    qtbot.waitUntil(window.mintButton.isEnabled)
    assert not label.isVisible() and not window.mintBlockedLabel.isVisible()


def test_broken_tools_json_blocks_mint_and_is_named(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.advancedToggle.setChecked(True)
    tools = window.findChild(QPlainTextEdit, "toolsInput")
    assert tools is not None and tools.isEnabled()
    tools.setPlainText('[{"type": "function", "name": "get_time",}]')
    qtbot.waitUntil(lambda: not window.mintButton.isEnabled())
    assert "tools" in window.mintBlockedLabel.text()
    tools.setPlainText('[{"type": "function", "name": "get_time"}]')
    qtbot.waitUntil(window.mintButton.isEnabled)
    assert preview_body(window)["session"]["tools"] == [  # type: ignore[index]
        {"type": "function", "name": "get_time"}
    ]
    choice = window.findChild(QComboBox, "toolChoiceInput")
    assert choice is not None
    assert any("get_time" in choice.itemText(i) for i in range(choice.count()))


def test_edit_as_json_round_trips_and_keeps_unknown_keys(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    dialog = window.edit_json()
    assert json.loads(dialog.editor.toPlainText())["session"]["type"] == "realtime"
    body = {
        "expires_after": {"anchor": "created_at", "seconds": 900},
        "session": {
            "type": "realtime",
            "model": "gpt-realtime-2",
            "instructions": "From JSON",
            "audio": {
                "input": {"turn_detection": {"type": "semantic_vad", "eagerness": "low"}},
                "output": {"voice": "ash", "speed": 1.1},
            },
            "future_flag": True,
        },
    }
    dialog.editor.setPlainText(json.dumps(body))
    dialog.okButton.click()
    qtbot.waitUntil(lambda: window.modelInput.currentText() == "gpt-realtime-2")
    assert window.instructionsInput.toPlainText() == "From JSON"
    assert window.voiceInput.currentText() == "ash" and window.ttlInput.value() == 900
    assert window.advancedToggle.isChecked()  # the loaded body set advanced fields
    assert window.extraNote.isVisible() and "session.future_flag" in window.extraNote.text()
    qtbot.waitUntil(lambda: "future_flag" in window.requestPreview.toPlainText())
    assert preview_body(window) == {
        "expires_after": {"anchor": "created_at", "seconds": 900},
        "session": {
            "type": "realtime",
            "model": "gpt-realtime-2",
            "instructions": "From JSON",
            "output_modalities": ["audio"],
            "audio": {
                "input": {"turn_detection": {"type": "semantic_vad", "eagerness": "low"}},
                "output": {"voice": "ash", "speed": 1.1},
            },
            "future_flag": True,
        },
    }
    window.mint()
    qtbot.waitUntil(lambda: len(fake_api.requests) == 1)
    assert fake_api.requests[0].body["session"]["future_flag"] is True  # sent, not dropped


def test_edit_as_json_refuses_broken_json_and_keeps_the_dialog_open(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    dialog = window.edit_json()
    dialog.editor.setPlainText("{oops")
    dialog.okButton.click()
    assert dialog.isVisible() and "Not valid JSON" in dialog.errorLabel.text()
    dialog.editor.setPlainText("[1, 2]")
    dialog.okButton.click()
    assert dialog.isVisible() and "JSON object" in dialog.errorLabel.text()
    dialog.reject()


def test_import_a_beta_body_converts_it_to_ga(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.apiShapeInput.setCurrentIndex(window.apiShapeInput.findData("beta"))
    dialog = window.import_request()
    dialog.editor.setPlainText(
        json.dumps({
            "model": "gpt-realtime", "voice": "sage", "modalities": ["text"],
            "temperature": 0.7, "input_audio_format": "g711_ulaw",
        })
    )  # fmt: skip
    dialog.okButton.click()
    qtbot.waitUntil(lambda: window.apiShapeInput.currentData() == "ga")
    assert window.voiceInput.currentText() == "sage"
    assert window.modalityText.isChecked() and not window.modalityAudio.isChecked()
    assert any("temperature" in note for note in window.importNotes)
    assert "temperature" in window.extraNote.text()
    qtbot.waitUntil(window.mintButton.isEnabled)
    session = preview_body(window)["session"]
    assert session["audio"]["input"]["format"] == {"type": "audio/pcmu"}  # type: ignore[index]
    assert "temperature" not in session  # type: ignore[operator]


def test_import_refuses_text_that_is_neither_json_nor_curl(make_window: WindowFactory) -> None:
    window = make_window()
    dialog = window.import_request()
    dialog.editor.setPlainText("hello there")
    dialog.okButton.click()
    assert dialog.isVisible() and dialog.errorLabel.text()
    dialog.reject()


def test_granted_session_view_marks_what_differs(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.modelInput.setEditText("gpt-realtime")
    window.voiceInput.setEditText("marin")
    granted = {
        "value": "ek_granted_view",
        "expires_at": int(time.time()) + 600,
        "session": {
            "type": "realtime",
            "id": "sess_granted",
            "model": "gpt-realtime-2025-08-28",
            "audio": {"output": {"voice": "marin", "speed": 1.0}},
        },
    }
    fake_api.then(Canned(200, json.dumps(granted).encode()))
    window.mint()
    wait_for_secret(qtbot, window)
    view = window.grantedSessionView
    assert view.topLevelItemCount() >= 4
    assert "model" in view.differing_paths()
    assert "audio.output.voice" not in view.differing_paths()
    assert window.detailTabs.tabText(1) == "Granted session (2 differ)"  # model; modalities


def test_advanced_settings_are_remembered_without_mcp_credentials(
    qtbot: QtBot, make_window: WindowFactory, settings_path: object
) -> None:
    window = make_window()
    tools = window.findChild(QPlainTextEdit, "toolsInput")
    assert tools is not None
    mcp = {
        "type": "mcp", "server_label": "docs", "server_url": "https://mcp.example/sse",
        "authorization": "mcp-token-do-not-store", "headers": {"X-Key": "mcp-header-secret"},
    }  # fmt: skip
    tools.setPlainText(json.dumps([mcp]))
    qtbot.waitUntil(lambda: "mcp-token-do-not-store" in window.requestPreview.toPlainText())
    window.close()
    text = settings_path.read_text()  # type: ignore[attr-defined]
    assert "mcp.example" in text  # the tool itself is remembered
    assert "mcp-token-do-not-store" not in text and "mcp-header-secret" not in text
    again = make_window()
    again_tools = again.findChild(QPlainTextEdit, "toolsInput")
    assert again_tools is not None and "docs" in again_tools.toPlainText()
