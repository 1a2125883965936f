"""Dialogs for editing the request body as JSON and importing a Beta body or curl command."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import InvalidInput

if TYPE_CHECKING:
    from ..core.convert import Imported

__all__ = ["EditJsonDialog", "ImportDialog"]


def _editor(parent: QWidget, name: str, accessible: str) -> QPlainTextEdit:
    editor = QPlainTextEdit(parent)
    editor.setObjectName(name)
    editor.setAccessibleName(accessible)
    editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    editor.setTabChangesFocus(False)
    editor.setMinimumSize(560, 360)
    return editor


class _TextDialog(QDialog):
    """A text editor, an error line and OK/Cancel; subclasses decide what OK accepts."""

    def __init__(self, title: str, intro: str, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        self.editor = _editor(self, name, title)
        self.errorLabel = QLabel(self)
        self.errorLabel.setObjectName(f"{name}Error")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errorLabel.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.okButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor)
        layout.addWidget(self.errorLabel)
        layout.addWidget(buttons)

    def say(self, text: str) -> None:
        self.errorLabel.setText(text)
        self.errorLabel.setAccessibleDescription(text)
        self.errorLabel.setVisible(bool(text))

    @Slot()
    def _try_accept(self) -> None:
        raise NotImplementedError


class EditJsonDialog(_TextDialog):
    """Edit the body mint will send; keys the form does not know are kept and sent."""

    def __init__(self, body: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(
            "Edit request body as JSON",
            "This is the body Mint sends. Edit it freely: fields the form knows go back into "
            "the form; fields it does not know are kept and sent as written.",
            "jsonEditor",
            parent,
        )
        self.setObjectName("editJsonDialog")
        self.editor.setPlainText(json.dumps(body, indent=2, ensure_ascii=False))
        self.body: dict[str, Any] | None = None

    @Slot()
    def _try_accept(self) -> None:
        try:
            body = json.loads(self.editor.toPlainText())
        except ValueError as exc:
            self.say(f"Not valid JSON: {exc}")
            return
        if not isinstance(body, dict):
            self.say("The body must be a JSON object ({ … }).")
            return
        self.body = body
        self.accept()


class ImportDialog(_TextDialog):
    """Paste a Beta body, a GA body or a curl command; Beta is converted to GA."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Import a request",
            "Paste a Beta /realtime/sessions body, a GA body, or a curl command. Beta is "
            "converted to GA (voice, modalities, audio formats); what cannot be carried "
            "over is listed after the import. A key in a pasted curl command is ignored.",
            "importEditor",
            parent,
        )
        self.setObjectName("importDialog")
        self.editor.setPlaceholderText(
            'curl https://api.openai.com/v1/realtime/sessions -H "Authorization: Bearer $KEY" '
            '-d \'{"model": "gpt-4o-realtime-preview", "voice": "verse"}\''
        )
        self.imported: Imported | None = None

    @Slot()
    def _try_accept(self) -> None:
        from ..core.convert import import_text  # loaded when someone imports, not at start

        try:
            self.imported = import_text(self.editor.toPlainText())
        except InvalidInput as exc:
            self.say(exc.user_message)
            return
        self.accept()
