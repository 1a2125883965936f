"""The preset bar: choose a named session, and save, delete, import or export presets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import QAction, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ..core.errors import InvalidInput
from ..core.presets import FOLDER, Preset, PresetStore, check_name, preset_body
from ..core.session import ApiShape, SessionConfig

__all__ = ["PRESET_SETTING", "PresetBar", "PresetCombo"]

PRESET_SETTING = "window/preset"
_NONE_TEXT = "Last used (no preset)"


def _delete_on_close(dialog: QWidget) -> None:
    # Imported here: touching ``Qt`` builds every Qt-namespace enum, which start-up avoids.
    from PySide6.QtCore import Qt

    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


class PresetCombo(QComboBox):
    """The preset combo; it re-reads the folder each time it opens (files change outside)."""

    aboutToShowPopup = Signal()

    def showPopup(self) -> None:
        self.aboutToShowPopup.emit()
        super().showPopup()


class PresetBar(QWidget):
    """Presets in the window: the combo, a "modified" marker and the Save preset menu.

    The folder is read after the first paint, never before. Each user action has a method
    that takes its values (``save_as(name)``, ``import_file(path, name)``, ``export_to(path)``)
    and a ``ask_…`` slot that opens a non-blocking dialog and then calls it.
    """

    chosen = Signal(object)  # SessionConfig: load it into the whole form
    message = Signal(str, int)  # status bar text and how long to show it (ms)
    failed = Signal(object)  # InvalidInput naming the file, for the banner

    def __init__(
        self,
        settings: QSettings,
        current_config: Callable[[], SessionConfig],
        refreshed: SignalInstance,
        parent: QWidget | None = None,
    ) -> None:
        """``refreshed`` fires after each form refresh: the "modified" marker follows it."""
        super().__init__(parent)
        self.setObjectName("presetBar")
        self._settings = settings
        self._current_config = current_config
        # Next to settings.ini: the same folder the CLI uses (core/presets.py).
        self.store = PresetStore(Path(settings.fileName()).parent / FOLDER)
        self._presets: dict[str, Preset] = {}
        self._chosen: str | None = None
        self._chosen_body: dict[str, Any] | None = None
        self.loaded = False
        remembered = settings.value(PRESET_SETTING)
        self._remembered = str(remembered) if remembered else None

        self.presetInput = PresetCombo(self)
        self.presetInput.setObjectName("presetInput")
        self.presetInput.setAccessibleName("Preset")
        self.presetInput.setToolTip(
            "A named session setup; choosing one loads it into the whole form"
        )
        self.presetInput.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.presetInput.setMinimumContentsLength(18)
        self.presetInput.addItem(_NONE_TEXT, None)
        if self._remembered:  # shown as remembered until the folder is read after first paint
            self.presetInput.addItem(self._remembered, self._remembered)
            self.presetInput.setCurrentIndex(1)
        self.presetInput.activated.connect(self._on_activated)
        self.presetInput.aboutToShowPopup.connect(self.reload)
        refreshed.connect(self.show_modified)

        self.modifiedLabel = QLabel("● modified", self)
        self.modifiedLabel.setObjectName("presetModifiedLabel")
        self.modifiedLabel.setAccessibleName("Preset modified")
        self.modifiedLabel.setVisible(False)

        self._build_menu()
        label = QLabel("&Preset:", self)
        label.setBuddy(self.presetInput)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.presetInput, 1)
        row.addWidget(self.modifiedLabel)
        row.addWidget(self.savePresetButton)

    def _action(self, text: str, tip: str, slot: Callable[[], object], key: str = "") -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if key:
            action.setShortcuts([QKeySequence(key)])
            self.addAction(action)  # so the shortcut works while the menu is closed
        action.triggered.connect(slot)
        return action

    def _build_menu(self) -> None:
        self.saveAction = self._action(
            "&Save", "Save the form over the chosen preset", self.save, "Ctrl+S"
        )
        self.saveAsAction = self._action(
            "Save &as…", "Save the form as a new preset", self.ask_save_as
        )
        self.deleteAction = self._action(
            "&Delete…", "Delete the chosen preset (built-ins cannot be)", self.ask_delete
        )
        self.importAction = self._action(
            "&Import…", "Add a preset from a JSON file (a GA request body)", self.ask_import
        )
        self.exportAction = self._action(
            "&Export…", "Write the form as a preset file to share", self.ask_export
        )
        menu = QMenu(self)
        menu.setObjectName("presetMenu")
        for action in (self.saveAction, self.saveAsAction, self.deleteAction):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.importAction)
        menu.addAction(self.exportAction)
        self.savePresetButton = QToolButton(self)
        self.savePresetButton.setObjectName("savePresetButton")
        self.savePresetButton.setText("Save preset")
        self.savePresetButton.setAccessibleName("Save preset")
        self.savePresetButton.setToolTip(
            "Save the form as the chosen preset (Ctrl+S); the arrow has Save as, Delete, "
            "Import and Export. A preset never holds a key or MCP credentials."
        )
        self.savePresetButton.setMenu(menu)
        self.savePresetButton.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.savePresetButton.clicked.connect(self.save)
        self._update_actions()

    def tab_order(self) -> list[QWidget]:
        return [self.presetInput, self.savePresetButton]

    # -- reading the folder --------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.loaded:
            self.loaded = True  # once: the folder is read right after the first paint
            QTimer.singleShot(0, self._first_load)

    @Slot()
    def _first_load(self) -> None:
        self.reload()
        remembered = self._remembered
        self._choose(remembered if remembered in self._presets else None)

    @property
    def preset_name(self) -> str | None:
        """The chosen preset's name (recorded with each mint), or None."""
        return self._chosen

    @property
    def presets(self) -> dict[str, Preset]:
        return dict(self._presets)

    @Slot()
    def reload(self) -> None:
        """Re-read the folder; a broken file is moved aside and its message shown."""
        self.loaded = True
        listing = self.store.list()
        self._presets = {preset.name: preset for preset in listing.presets}
        for problem in listing.problems:
            self._fail(problem)
        combo = self.presetInput
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(_NONE_TEXT, None)
            for name, preset in self._presets.items():
                combo.addItem(f"{name} (built-in)" if preset.built_in else name, name)
        finally:
            combo.blockSignals(False)
        if self._chosen is not None and self._chosen not in self._presets:
            self._choose(None)  # deleted or moved aside outside the window
        else:
            self._select(self._chosen)

    def _select(self, name: str | None) -> None:
        index = max(0, self.presetInput.findData(name)) if name is not None else 0
        self.presetInput.setCurrentIndex(index)

    def _choose(self, name: str | None) -> None:
        self._chosen = name
        preset = self._presets.get(name) if name is not None else None
        self._chosen_body = preset.body() if preset is not None else None
        self._select(name)
        if name is None:
            self._settings.remove(PRESET_SETTING)
        else:
            self._settings.setValue(PRESET_SETTING, name)
        self._update_actions()
        self.show_modified()

    # -- choosing ---------------------------------------------------------------------
    @Slot(int)
    def _on_activated(self, index: int) -> None:
        name = self.presetInput.itemData(index)
        self.choose(name if isinstance(name, str) else None)

    def choose(self, name: str | None) -> None:
        """Make ``name`` the chosen preset and load it into the form (None: keep the form)."""
        if name is None:
            self._choose(None)
            return
        try:
            preset = self.store.load(name)  # fresh from disk: it may have changed outside
        except InvalidInput as exc:
            self._fail(exc)
            self.reload()
            self._choose(None)
            return
        if self.presetInput.findData(name) < 0:  # saved outside the window since the last read
            self.reload()
        self._presets[name] = preset
        self._choose(name)
        self.chosen.emit(preset.config)
        self.show_modified()

    # -- the "modified" marker ----------------------------------------------------------
    def form_body(self) -> dict[str, Any] | None:
        """The body a preset would store for the form now; None while the form is invalid."""
        try:
            return preset_body(self._current_config())[0]
        except Exception:  # a half-typed value: not a body yet, so not the preset's
            return None

    @property
    def is_modified(self) -> bool:
        return self._chosen_body is not None and self.form_body() != self._chosen_body

    @Slot()
    def show_modified(self) -> None:
        """Show whether the form has diverged from the chosen preset (after each refresh)."""
        if self._chosen is None:
            self.modifiedLabel.setVisible(False)
            self.presetInput.setToolTip("No preset chosen: the form is as you last left it")
            return
        modified = self.is_modified
        self.modifiedLabel.setVisible(modified)
        state = "the form differs from it (Ctrl+S saves)" if modified else "the form matches it"
        self.modifiedLabel.setToolTip(f"The form differs from preset {self._chosen}")
        self.presetInput.setToolTip(f"Preset {self._chosen}: {state}")
        self.presetInput.setAccessibleDescription("modified" if modified else "")

    def _update_actions(self) -> None:
        preset = self._presets.get(self._chosen) if self._chosen is not None else None
        self.deleteAction.setEnabled(preset is not None and not preset.built_in)

    # -- saving -------------------------------------------------------------------------
    @Slot()
    def save(self) -> QInputDialog | None:
        """Save over the chosen user preset; on a built-in or no preset, Save as."""
        preset = self._presets.get(self._chosen) if self._chosen is not None else None
        if preset is None or preset.built_in:
            return self.ask_save_as()
        self.write(preset.name)
        return None

    @Slot()
    def ask_save_as(self) -> QInputDialog:
        dialog = self._name_dialog("Save preset as")
        dialog.setLabelText("Preset name (letters, digits, '-', '_' or '.'):")
        chosen = self._presets.get(self._chosen) if self._chosen is not None else None
        dialog.setTextValue(chosen.name if chosen and not chosen.built_in else "")
        dialog.textValueSelected.connect(lambda name: self.save_as(name.strip()))
        dialog.open()
        return dialog

    def save_as(self, name: str, config: SessionConfig | None = None) -> QMessageBox | None:
        """Save the form (or ``config``) as ``name``; an existing preset is replaced only
        after the user agrees (the question is returned, else None)."""
        try:
            check_name(name)
            if name in self._presets and self._presets[name].built_in:
                raise InvalidInput.single(
                    "name", f"{name!r} is a built-in preset; save under another name"
                )
        except InvalidInput as exc:
            self._fail(exc)
            return None
        if self.store.path(name).exists():
            return self._confirm(
                "Replace preset",
                f"A preset named {name!r} exists. Replace it with this one?",
                lambda: self.write(name, config),
            )
        self.write(name, config)
        return None

    def write(self, name: str, config: SessionConfig | None = None) -> bool:
        """Store the form (or ``config``) as ``name`` and choose it; False if it failed."""
        try:
            saved = self.store.save(name, config or self._current_config())
        except InvalidInput as exc:
            self._fail(exc)
            return False
        self.reload()
        self._choose(name)
        if config is not None:
            self.chosen.emit(self._presets[name].config)
        notes = " ".join(saved.notes)
        self.message.emit(f"Saved preset {name} in {saved.path}. {notes}".strip(), 8000)
        return True

    # -- deleting -----------------------------------------------------------------------
    @Slot()
    def ask_delete(self) -> QMessageBox | None:
        name = self._chosen
        preset = self._presets.get(name) if name is not None else None
        if name is None or preset is None or preset.built_in:
            return None
        return self._confirm(
            "Delete preset",
            f"Delete preset {name!r} ({preset.path})? This cannot be undone.",
            lambda: self.delete(name),
        )

    def delete(self, name: str) -> bool:
        try:
            path = self.store.delete(name)
        except InvalidInput as exc:
            self._fail(exc)
            return False
        self.reload()
        if self._chosen == name:
            self._choose(None)
        self.message.emit(f"Deleted preset {name} ({path}).", 6000)
        return True

    # -- import and export --------------------------------------------------------------
    def _file_dialog(self, title: str, *, save: bool, name: str = "") -> QFileDialog:
        dialog = QFileDialog(self.window(), title, name, "Preset JSON (*.json);;All files (*)")
        dialog.setObjectName("presetFileDialog")
        _delete_on_close(dialog)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("json")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        return dialog

    @Slot()
    def ask_import(self) -> QFileDialog:
        dialog = self._file_dialog("Import a preset", save=False)
        dialog.fileSelected.connect(lambda path: self._ask_import_name(Path(path)))
        dialog.open()
        return dialog

    def _ask_import_name(self, path: Path) -> QInputDialog:
        dialog = self._name_dialog("Import preset as")
        dialog.setLabelText(f"Name for the preset from {path.name}:")
        dialog.setTextValue(path.stem)
        dialog.textValueSelected.connect(lambda name: self.import_file(path, name.strip()))
        dialog.open()
        return dialog

    def import_file(self, path: Path, name: str) -> QMessageBox | None:
        """Add ``path`` as preset ``name`` and choose it: a GA body (unknown keys kept), a
        Beta body (converted) or a curl command, as ``realtime-gui preset import`` takes."""
        from ..core.body_reader import config_from_body
        from ..core.convert import import_text

        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            self._fail(InvalidInput.single("preset", f"Cannot import {path}: {reason}"))
            return None
        try:
            imported = import_text(text)
            config = config_from_body(ApiShape.GA, imported.body)
        except InvalidInput as exc:
            self._fail(
                InvalidInput.single("preset", f"Cannot import {path}: {exc.problems[0].message}")
            )
            return None
        if imported.notes:
            self.message.emit(f"Imported a {imported.source}: {' '.join(imported.notes)}", 10_000)
        return self.save_as(name, config)

    @Slot()
    def ask_export(self) -> QFileDialog:
        dialog = self._file_dialog(
            "Export the preset", save=True, name=f"{self._chosen or 'preset'}.json"
        )
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> bool:
        """Write the form as a preset file (the GA body, no credentials) to ``path``."""
        from ..core.request import encode_body

        try:
            body, notes = preset_body(self._current_config())
        except InvalidInput as exc:
            self._fail(exc)
            return False
        try:
            path.write_bytes(encode_body(body))
        except OSError as exc:
            self._fail(InvalidInput.single("preset", f"Cannot write {path}: {exc.strerror or exc}"))
            return False
        self.message.emit(f"Exported to {path}. {' '.join(notes)}".strip(), 8000)
        return True

    # -- helpers ------------------------------------------------------------------------
    def _name_dialog(self, title: str) -> QInputDialog:
        dialog = QInputDialog(self.window())
        dialog.setObjectName("presetNameDialog")
        dialog.setWindowTitle(title)
        _delete_on_close(dialog)  # one per question
        return dialog

    def _confirm(self, title: str, text: str, on_yes: Callable[[], object]) -> QMessageBox:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, self.window())
        box.setObjectName("presetConfirmDialog")
        _delete_on_close(box)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                on_yes()

        box.buttonClicked.connect(answered)
        box.open()
        return box

    def _fail(self, problem: InvalidInput | str) -> None:
        if isinstance(problem, str):
            problem = InvalidInput.single("preset", problem)
        self.failed.emit(problem)
