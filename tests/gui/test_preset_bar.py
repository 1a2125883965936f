"""Presets in the window: choose, save, delete, import, export, and what a preset mints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from realtime_gui.core.history import HistoryFile, history_path
from realtime_gui.core.presets import BUILT_IN
from realtime_gui.core.request import prepare
from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.preset_bar import PRESET_SETTING, PresetBar
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret, wait_until_idle


def ready(qtbot: QtBot, window: MainWindow) -> PresetBar:
    """The window's preset bar once it has read the folder (right after the first paint)."""
    bar = window.presetBar
    qtbot.waitUntil(lambda: bar.presetInput.findData("voice-agent") >= 0, timeout=5_000)
    return bar


def pick(bar: PresetBar, name: str | None) -> None:
    """Choose ``name`` in the combo as a user does (activated, not just the current index)."""
    index = bar.presetInput.findData(name) if name is not None else 0
    assert index >= 0, f"{name} is not listed"
    bar.presetInput.setCurrentIndex(index)
    bar.presetInput.activated.emit(index)


def answer(qtbot: QtBot, box: QMessageBox | None, yes: bool) -> None:
    assert box is not None and box.isVisible()
    button = QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)


def mint_body(qtbot: QtBot, window: MainWindow, fake_api: FakeRealtimeApi) -> Any:
    before = len(fake_api.requests)
    window.mint()
    wait_until_idle(qtbot, window)
    assert len(fake_api.requests) == before + 1
    return fake_api.requests[-1].body


def presets_folder(settings_path: Path) -> Path:
    return settings_path.parent / "presets"


def fill_form(window: MainWindow) -> None:
    window.modelInput.setEditText("gpt-realtime")
    window.voiceInput.setEditText("cedar")
    window.instructionsInput.setPlainText("Answer like a pirate; never say the key.")
    window.ttlInput.setValue(321)


def test_a_preset_round_trip_mints_the_same_body(
    qtbot: QtBot,
    make_window: WindowFactory,
    fake_api: FakeRealtimeApi,
    settings_path: Path,
    tmp_path: Path,
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    fill_form(window)
    original = mint_body(qtbot, window, fake_api)
    assert original["session"]["instructions"].startswith("Answer like a pirate")

    # Save as through the name dialog (non-blocking: the test answers it).
    dialog = bar.ask_save_as()
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    dialog.setTextValue("pirate")
    dialog.accept()
    saved = presets_folder(settings_path) / "pirate.json"
    assert saved.is_file() and bar.preset_name == "pirate"
    assert bar.presetInput.currentData() == "pirate" and not bar.is_modified

    exported = tmp_path / "shared" / "pirate-export.json"
    exported.parent.mkdir()
    assert bar.export_to(exported)
    assert json.loads(exported.read_text(encoding="utf-8")) == original
    assert bar.import_file(exported, "imported") is None  # a new name: nothing to confirm
    assert (presets_folder(settings_path) / "imported.json").read_bytes() == saved.read_bytes()

    # Away to a built-in, then back to the imported preset: the form is the original again.
    pick(bar, "voice-agent")
    assert window.instructionsInput.toPlainText() == ""
    pick(bar, "imported")
    assert bar.preset_name == "imported" and not bar.is_modified
    assert mint_body(qtbot, window, fake_api) == original
    # The window's mint names its preset in the history.
    qtbot.waitUntil(lambda: len(HistoryFile(history_path()).read()) == 2, timeout=10_000)
    newest, first = HistoryFile(history_path()).read()
    assert (newest.preset, first.preset) == ("imported", None)


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_each_built_in_preset_loads_and_mints_what_it_holds(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi, name: str
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    assert bar.presetInput.itemText(bar.presetInput.findData(name)) == f"{name} (built-in)"
    pick(bar, name)
    assert window.problems() == []
    body = mint_body(qtbot, window, fake_api)
    wait_for_secret(qtbot, window)  # the fake accepted the body and issued a secret
    assert body == bar.presets[name].body()
    assert not bar.is_modified


def test_delete_asks_first_and_built_ins_cannot_be_deleted(
    qtbot: QtBot, make_window: WindowFactory, settings_path: Path
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    pick(bar, "text-chat")
    assert not bar.deleteAction.isEnabled()
    assert bar.ask_delete() is None
    assert not bar.delete("text-chat")
    assert "built-in" in window.statusBanner.message
    assert bar.presetInput.findData("text-chat") >= 0

    window.instructionsInput.setPlainText("Keep it short.")
    bar.write("short")
    path = presets_folder(settings_path) / "short.json"
    assert bar.deleteAction.isEnabled() and path.is_file()
    answer(qtbot, bar.ask_delete(), yes=False)
    assert path.is_file() and bar.preset_name == "short"
    answer(qtbot, bar.ask_delete(), yes=True)
    assert not path.exists()
    assert bar.preset_name is None and bar.presetInput.findData("short") == -1
    assert bar.presetInput.currentIndex() == 0


def test_save_over_an_existing_name_asks_and_ctrl_s_saves_the_chosen_preset(
    qtbot: QtBot, make_window: WindowFactory, settings_path: Path
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    window.instructionsInput.setPlainText("First version.")
    bar.write("mine")
    path = presets_folder(settings_path) / "mine.json"
    first = path.read_bytes()

    window.instructionsInput.setPlainText("Second version.")
    qtbot.waitUntil(lambda: bar.modifiedLabel.isVisibleTo(window))
    answer(qtbot, bar.save_as("mine"), yes=False)
    assert path.read_bytes() == first
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save
    assert b"Second version." in path.read_bytes()
    assert not bar.modifiedLabel.isVisibleTo(window)

    # Save on a built-in is Save as: it asks for a name instead of writing over it.
    pick(bar, "voice-agent")
    dialog = bar.save()
    assert isinstance(dialog, QInputDialog) and dialog.textValue() == ""
    dialog.setTextValue("bad name!")
    dialog.accept()
    assert "a preset name is 1-64 letters" in window.statusBanner.message
    assert not (presets_folder(settings_path) / "bad name!.json").exists()


def test_the_marker_shows_when_the_form_diverges_from_the_preset(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    pick(bar, "voice-agent")
    assert not bar.modifiedLabel.isVisibleTo(window)
    window.voiceInput.setEditText("ash")
    qtbot.waitUntil(lambda: bar.modifiedLabel.isVisibleTo(window))
    assert "differs" in bar.presetInput.toolTip()
    window.voiceInput.setEditText("marin")
    qtbot.waitUntil(lambda: not bar.modifiedLabel.isVisibleTo(window))
    pick(bar, None)  # "Last used": no preset, no marker, the form is kept
    assert bar.preset_name is None and window.voiceInput.currentText() == "marin"


# A popup on the offscreen platform: it cannot raise or grab the keyboard, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_a_preset_file_broken_while_the_window_runs_is_moved_aside(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi, settings_path: Path
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    window.instructionsInput.setPlainText("Soon broken.")
    bar.write("fragile")
    bar.write("other")
    folder = presets_folder(settings_path)
    (folder / "fragile.json").write_text("{not json", encoding="utf-8")
    pick(bar, "fragile")
    message = window.statusBanner.message
    assert str(folder / "fragile.json") in message and "moved it aside" in message
    assert not (folder / "fragile.json").exists()
    assert len(list(folder.glob("fragile.json.corrupt-*"))) == 1
    assert bar.preset_name is None and bar.presetInput.findData("fragile") == -1

    # Broken outside while the combo is closed: opening it re-reads the folder.
    (folder / "other.json").write_bytes(b"\xff\xfe")
    bar.presetInput.showPopup()
    bar.presetInput.hidePopup()
    assert "other.json" in window.statusBanner.message
    assert bar.presetInput.findData("other") == -1
    # The window carries on.
    assert mint_body(qtbot, window, fake_api)["session"]["instructions"] == "Soon broken."


def test_import_keeps_unknown_keys_and_names_a_file_it_cannot_read(
    qtbot: QtBot, make_window: WindowFactory, settings_path: Path, tmp_path: Path
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    shared = tmp_path / "shared.json"
    body = {"session": {"type": "realtime", "model": "gpt-realtime", "future_knob": {"a": 1}}}
    shared.write_text(json.dumps(body), encoding="utf-8")
    bar.import_file(shared, "future")
    stored = json.loads((presets_folder(settings_path) / "future.json").read_text("utf-8"))
    assert stored["session"]["future_knob"] == {"a": 1}
    assert bar.preset_name == "future"
    assert window.extraNote.extra == {"session": {"future_knob": {"a": 1}}}
    connection = window.connection()
    assert prepare(window.session_config(), connection).body["session"]["future_knob"] == {"a": 1}

    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2", encoding="utf-8")
    assert bar.import_file(broken, "broken") is None
    assert f"Cannot import {broken}" in window.statusBanner.message
    listed = tmp_path / "listed.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    bar.import_file(listed, "listed")
    assert f"Cannot import {listed}: the JSON is an array" in window.statusBanner.message
    assert not (presets_folder(settings_path) / "broken.json").exists()
    assert not (presets_folder(settings_path) / "listed.json").exists()

    # A Beta body is converted to GA, as `realtime-gui preset import` does.
    beta = tmp_path / "beta.json"
    beta.write_text('{"model": "gpt-realtime", "voice": "ash"}', encoding="utf-8")
    bar.import_file(beta, "from-beta")
    stored = json.loads((presets_folder(settings_path) / "from-beta.json").read_text("utf-8"))
    assert stored["session"]["model"] == "gpt-realtime"
    assert stored["session"]["audio"]["output"]["voice"] == "ash"
    assert window.api.value == "ga" and window.voiceInput.currentText() == "ash"


def test_the_chosen_preset_is_remembered_in_the_settings(
    qtbot: QtBot, make_window: WindowFactory, settings_path: Path
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    pick(bar, "low-latency")
    window.close()
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value(PRESET_SETTING) == (
        "low-latency"
    )
    again = make_window()
    bar = ready(qtbot, again)
    qtbot.waitUntil(lambda: bar.preset_name == "low-latency")
    assert bar.presetInput.currentData() == "low-latency" and not bar.is_modified
    assert again.modelInput.currentText() == "gpt-realtime-mini"


def test_the_preset_widgets_have_names_tips_and_accessible_names(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    ready(qtbot, window)
    for name in ("presetInput", "savePresetButton"):
        widget = window.findChild(object, name)  # type: ignore[arg-type]
        assert widget is not None and widget is getattr(window, name)
        assert widget.toolTip() and widget.accessibleName()
    actions = [a.text() for a in window.savePresetButton.menu().actions() if a.text()]
    assert actions == ["&Save", "Save &as…", "&Delete…", "&Import…", "&Export…"]


def test_import_and_export_through_their_file_dialogs(
    qtbot: QtBot, make_window: WindowFactory, settings_path: Path, tmp_path: Path
) -> None:
    window = make_window()
    bar = ready(qtbot, window)
    window.instructionsInput.setPlainText("Through the dialogs.")
    target = tmp_path / "out.json"
    dialog = bar.ask_export()
    assert dialog.isVisible() and dialog.objectName() == "presetFileDialog"
    dialog.selectFile(str(target))
    dialog.accept()
    assert json.loads(target.read_text("utf-8"))["session"]["instructions"] == (
        "Through the dialogs."
    )

    window.instructionsInput.setPlainText("Elsewhere.")
    dialog = bar.ask_import()
    dialog.selectFile(str(target))
    dialog.accept()
    names = window.findChildren(QInputDialog, "presetNameDialog")
    (name_dialog,) = [d for d in names if d.isVisible()]
    assert name_dialog.textValue() == "out"  # the file's name, offered as the preset's
    name_dialog.setTextValue("from-file")
    name_dialog.accept()
    assert (presets_folder(settings_path) / "from-file.json").is_file()
    assert bar.preset_name == "from-file"
    assert window.instructionsInput.toPlainText() == "Through the dialogs."
