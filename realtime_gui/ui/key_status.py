"""The key status line and Set key…, which opens the API key dialog (built on first use)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from ..core.credentials import KeyStatus
    from .key_dialog import ApiKeyDialog
    from .worker import KeyActionResult

__all__ = ["KeyStatusLine"]


class KeyStatusLine(QWidget):
    """Says where the key comes from; the keyring work itself happens on the worker.

    ``statusRequested`` asks for a fresh status (shown with ``show_status``);
    ``actionRequested`` carries the dialog's KeyAction, answered with ``show_result``.
    """

    statusRequested = Signal(str)  # profile
    actionRequested = Signal(object)  # KeyAction

    def __init__(self, profile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyStatusLine")
        self._profile = profile
        self._dialog: ApiKeyDialog | None = None
        self.keyStatusLabel = QLabel("Checking the keyring…", self)
        self.keyStatusLabel.setObjectName("keyStatusLabel")
        self.keyStatusLabel.setAccessibleName("API key status")
        self.apiKeyButton = QPushButton("Set key…", self)
        self.apiKeyButton.setObjectName("apiKeyButton")
        self.apiKeyButton.setToolTip("Enter, replace or delete the API key (Ctrl+K)")
        self.apiKeyButton.setAccessibleName("Set API key")
        self.apiKeyButton.clicked.connect(self.open_dialog)
        self._row = layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.keyStatusLabel, 1)
        layout.addWidget(self.apiKeyButton)

    def add_leading(self, widget: QWidget) -> None:
        """Put ``widget`` (the profile switcher) at the start of the row."""
        self._row.insertWidget(0, widget)

    def set_profile(self, profile: str) -> None:
        """Show and change the key of ``profile`` from now on; asks for its status."""
        self._profile = profile
        self.keyStatusLabel.setText("Checking the keyring…")
        if self._dialog is not None:
            self._dialog.set_profile(profile)
        self.statusRequested.emit(profile)

    @Slot(object)
    def show_status(self, status: KeyStatus) -> None:
        """Show where the key comes from, or that there is none and why."""
        if status.profile != self._profile:  # an answer about the profile before a switch
            return
        if status.has_key:
            text = status.describe()
        elif status.problem is not None:
            text = f"No key — keyring unavailable ({status.problem.user_message}) — Set key…"
        else:
            text = "No key — Set key…"
        self.keyStatusLabel.setText(text)
        self.keyStatusLabel.setToolTip(status.problem.hint or "" if status.problem else "")
        self.apiKeyButton.setText("Change key…" if status.has_key else "Set key…")
        if self._dialog is not None:
            self._dialog.show_status(status)

    @Slot(object)
    def show_result(self, result: KeyActionResult) -> None:
        """Pass the worker's answer to a key action on to the dialog that asked."""
        if self._dialog is not None:
            self._dialog.show_result(result)

    @Slot()
    def open_dialog(self) -> ApiKeyDialog:
        """Open the key dialog (built the first time) and refresh the status it shows."""
        if self._dialog is None:
            from .key_dialog import ApiKeyDialog

            # Parented to the window: a dialog centred on it, found by objectName from it.
            dialog = ApiKeyDialog(self._profile, self.window())
            dialog.actionRequested.connect(self.actionRequested)
            self._dialog = dialog
        self.statusRequested.emit(self._profile)
        self._dialog.open()
        return self._dialog
