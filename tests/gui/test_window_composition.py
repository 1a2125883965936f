"""The window as a composition: parts built on first use, problem routing, banner and palette."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from realtime_gui.core.errors import NoApiKey
from realtime_gui.core.session import SessionConfig, TurnDetection
from realtime_gui.ui.key_dialog import ApiKeyDialog
from realtime_gui.ui.style import ERROR_COLOURS
from tests.conftest import PYTHON, TEST_API_KEY
from tests.doubles import InMemoryKeyring
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret


def built(window: QObject, name: str) -> QObject | None:
    """The named child as Qt sees it, without the window's build-on-lookup."""
    return QObject.findChild(window, QObject, name)


def dark_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Window, QColor("#202124"))
        palette.setColor(group, QPalette.ColorRole.Base, QColor("#121212"))
        palette.setColor(group, QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    return palette


# -- defects ---------------------------------------------------------------------------------
def test_inline_error_uses_the_dark_palette_colour(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.setPalette(dark_palette())
    window.baseUrlInput.setText("http://example.com/v1")
    label = window.findChild(QLabel, "base_urlError")
    assert label is not None
    qtbot.waitUntil(label.isVisible)
    assert f"color: {ERROR_COLOURS[1]}" in label.styleSheet()
    assert f"color: {ERROR_COLOURS[1]}" in window.mintBlockedLabel.styleSheet()


def test_error_label_follows_a_palette_change_while_shown(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.baseUrlInput.setText("http://example.com/v1")
    label = window.findChild(QLabel, "base_urlError")
    assert label is not None
    qtbot.waitUntil(label.isVisible)
    assert f"color: {ERROR_COLOURS[0]}" in label.styleSheet()
    window.setPalette(dark_palette())
    qtbot.waitUntil(lambda: f"color: {ERROR_COLOURS[1]}" in label.styleSheet())


def test_transcription_language_problem_shows_under_the_language_input(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.sessionTypeInput.setCurrentIndex(window.sessionTypeInput.findData("transcription"))
    window.advancedToggle.setChecked(True)
    language = window.findChild(QLineEdit, "transcriptionLanguageInput")
    assert language is not None and language.isEnabled()
    language.setText("english")
    language_error = window.findChild(QLabel, "transcriptionLanguageInputError")
    model_error = window.findChild(QLabel, "modelError")
    assert language_error is not None and model_error is not None
    qtbot.waitUntil(language_error.isVisible)
    assert "ISO-639-1" in language_error.text()
    assert not model_error.isVisible() and model_error.text() == ""
    # The transcription model itself still belongs under Model in a transcription session.
    window.modelInput.setEditText("bad model name!")
    qtbot.waitUntil(model_error.isVisible)
    assert "ISO-639-1" not in model_error.text()


def test_no_key_banner_names_the_windows_own_action(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url})
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    assert isinstance(window.last_error, NoApiKey)
    assert "Set key… (Ctrl+K)" in window.statusBanner.hintLabel.text()
    assert "realtime-gui key" not in window.statusBanner.message


def test_saving_a_key_hides_the_no_key_banner(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=InMemoryKeyring())
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    assert "No API key" in window.statusBanner.message
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ApiKeyDialog, "apiKeyDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.apiKeyInput.setText(TEST_API_KEY)
    dialog.saveKeyButton.click()
    qtbot.waitUntil(lambda: window.keyStatusLabel.text().startswith("Key stored in"))
    assert not window.statusBanner.isVisible()


def test_a_key_status_without_a_key_keeps_the_banner(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=InMemoryKeyring())
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    window.open_key_dialog()  # asks for a fresh status: still no key
    qtbot.wait(300)
    assert window.statusBanner.isVisible()


# -- parts built on first use -----------------------------------------------------------------
def test_advanced_panel_and_granted_view_are_built_on_first_use(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    assert built(window, "advancedPanel") is None
    assert built(window, "grantedSessionView") is None
    assert built(window, "apiKeyDialog") is None
    assert built(window, "statusBanner") is None
    assert window.detailTabs.tabText(1) == "Granted session"
    window.advancedToggle.setChecked(True)
    panel = built(window, "advancedPanel")
    assert isinstance(panel, QWidget) and panel.isVisible()
    window.advancedToggle.setChecked(False)
    assert not panel.isVisible()
    window.mint()
    wait_for_secret(qtbot, window)
    assert built(window, "grantedSessionView") is None  # minted, but nobody looked yet
    window.detailTabs.setCurrentIndex(1)
    assert built(window, "grantedSessionView") is window.grantedSessionView
    assert window.detailTabs.widget(1) is window.grantedSessionView
    assert window.grantedSessionView.topLevelItemCount() > 0  # the session shown at once


def test_advanced_settings_restored_without_building_the_panel(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    speed = window.findChild(QDoubleSpinBox, "speedInput")
    assert speed is not None
    speed.setValue(1.2)
    qtbot.waitUntil(lambda: '"speed": 1.2' in window.requestPreview.toPlainText())
    window.close()

    again = make_window()
    assert built(again, "advancedPanel") is None
    assert again.session_config().speed == 1.2
    assert '"speed": 1.2' in again.requestPreview.toPlainText()
    again.mint()
    wait_for_secret(qtbot, again)
    assert fake_api.requests[-1].body["session"]["audio"]["output"]["speed"] == 1.2
    before = again.session_config()
    again.advancedToggle.setChecked(True)
    assert again.advancedPanel.speedInput.value() == 1.2
    assert again.session_config() == before  # the panel applies what was kept, unchanged


def test_a_panel_built_later_takes_the_restored_shape(make_window: WindowFactory) -> None:
    window = make_window()
    window.apiShapeInput.setCurrentIndex(window.apiShapeInput.findData("beta"))
    window.close()
    again = make_window()
    assert again.apiShapeInput.currentData() == "beta"
    again.advancedToggle.setChecked(True)
    temperature = again.findChild(QDoubleSpinBox, "temperatureInput")
    assert temperature is not None and temperature.isEnabled()  # Beta only


def test_load_config_builds_the_panel_only_for_advanced_values(make_window: WindowFactory) -> None:
    window = make_window()
    window.load_config(SessionConfig(model="gpt-realtime", voice="ash"))
    assert built(window, "advancedPanel") is None
    assert not window.advancedToggle.isChecked()
    assert window.voiceInput.currentText() == "ash"
    window.load_config(SessionConfig(turn_detection=TurnDetection("semantic_vad")))
    assert built(window, "advancedPanel") is not None
    assert window.advancedToggle.isChecked()
    assert window.session_config().turn_detection == TurnDetection("semantic_vad")


def test_focusing_an_advanced_field_opens_the_panel(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.focus_field("tools[0].name")
    assert window.advancedToggle.isChecked()
    tools = built(window, "toolsInput")
    assert tools is not None and tools is QApplication.focusWidget()


def test_nothing_hidden_is_loaded_before_the_first_paint(tmp_path: Path) -> None:
    # The advanced panel, the banner, the granted view and the dialogs load on first use.
    # PySide creates all ~95 Python enums of the Qt namespace when any one is first used
    # (about 12 ms); the first paint needs none, so none may be created before it.
    code = textwrap.dedent(
        f"""
        import enum, sys
        from pathlib import Path
        created = []
        create = enum.EnumType._create_
        def spy(cls, name, *args, **kwargs):
            created.append(name)
            return create(cls, name, *args, **kwargs)
        enum.EnumType._create_ = spy
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from realtime_gui.app import create_window
        window = create_window(env={{}}, settings_path=Path({str(tmp_path)!r}) / "s.ini")
        window.show()
        app.processEvents()
        print("\\n".join(sys.modules))
        print("enums:", *created)
        window.close()
        """
    )
    done = subprocess.run(
        [PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")},
            "QT_QPA_PLATFORM": "offscreen",
        },
    )
    assert done.returncode == 0, done.stderr
    modules = set(done.stdout.split())
    assert "realtime_gui.ui.main_window" in modules
    for lazy in (
        "realtime_gui.ui.advanced_panel",
        "realtime_gui.ui.banner",
        "realtime_gui.ui.granted_view",
        "realtime_gui.ui.body_dialogs",
        "realtime_gui.ui.key_dialog",
        "realtime_gui.core.session_diff",
        "realtime_gui.core.expiry",
        # The Serve panel and the token server load when the View menu first shows them.
        "realtime_gui.ui.serve_panel",
        "realtime_gui.ui.serve_runner",
        "realtime_gui.ui.serve_log",
        "realtime_gui.core.serve",
        "uvicorn",
        "starlette",
    ):
        assert lazy not in modules, lazy
    assert "realtime_gui.ui.serve_link" in modules  # the list names modules that exist
    enums = done.stdout.split("enums:", 1)[1].split()
    assert "Orientation" not in enums and "AlignmentFlag" not in enums, enums


def test_tab_goes_from_the_advanced_toggle_into_the_panel_then_to_mint(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    window.advancedToggle.setChecked(True)
    chain: list[str] = []
    widget = window.advancedToggle.nextInFocusChain()
    while widget is not window.advancedToggle and len(chain) < 400:
        chain.append(widget.objectName())
        widget = widget.nextInFocusChain()
    assert chain.index("advancedTabs") == 0
    assert chain.index("inputFormatInput") < chain.index("mintButton")
