"""The API key dialog: save to the OS keyring, replace, delete, or use for this session only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.credentials import ENV_VAR, KeyStatus
from ..core.errors import CredentialError, InvalidInput
from .worker import KeyAction, KeyActionKind, KeyActionResult

__all__ = ["ApiKeyDialog"]


class ApiKeyDialog(QDialog):
    """Asks for the key; the worker does the keyring work and reports back."""

    actionRequested = Signal(object)  # KeyAction

    def __init__(self, profile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("apiKeyDialog")
        self.setWindowTitle(f"OpenAI API key — profile {profile}")
        self.setModal(True)
        self._profile = profile
        self._busy = False
        self._stored = False

        intro = QLabel(
            "The key stays on this computer in the operating system's keyring and is "
            "only sent to the API base URL you mint against.",
            self,
        )
        intro.setWordWrap(True)
        self.backendLabel = QLabel("Keyring: checking…", self)
        self.backendLabel.setObjectName("keyBackendLabel")
        self.backendLabel.setWordWrap(True)

        self.apiKeyInput = QLineEdit(self)
        self.apiKeyInput.setObjectName("apiKeyInput")
        self.apiKeyInput.setEchoMode(QLineEdit.EchoMode.Password)
        self.apiKeyInput.setPlaceholderText("sk-…")
        self.apiKeyInput.setAccessibleName("API key")
        self.apiKeyInput.setToolTip("Paste your OpenAI (or Azure OpenAI) API key; it is masked")
        self.apiKeyInput.setClearButtonEnabled(True)
        self.apiKeyInput.textChanged.connect(self._update_buttons)

        self.saveKeyButton = QPushButton("&Save to keyring", self)
        self.saveKeyButton.setObjectName("saveKeyButton")
        self.saveKeyButton.setToolTip("Store the key in the OS keyring (replaces a stored key)")
        self.saveKeyButton.setDefault(True)
        self.saveKeyButton.clicked.connect(self._save)
        self.sessionOnlyButton = QPushButton("Use for this session &only", self)
        self.sessionOnlyButton.setObjectName("sessionOnlyButton")
        self.sessionOnlyButton.setToolTip(
            "Keep the key in memory until the app quits; nothing is saved"
        )
        self.sessionOnlyButton.clicked.connect(self._session_only)
        self.deleteKeyButton = QPushButton("&Delete stored key", self)
        self.deleteKeyButton.setObjectName("deleteKeyButton")
        self.deleteKeyButton.setToolTip("Remove the stored key from the OS keyring")
        self.deleteKeyButton.clicked.connect(self._delete)

        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("keyMessageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.messageLabel.hide()

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&API key:", self.apiKeyInput)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saveKeyButton)
        buttons.addWidget(self.sessionOnlyButton)
        buttons.addStretch(1)
        buttons.addWidget(self.deleteKeyButton)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.backendLabel)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.messageLabel)
        layout.addWidget(close)
        self.setMinimumWidth(520)
        self._update_buttons()

    def set_profile(self, profile: str) -> None:
        """The key of ``profile`` is shown and changed from now on."""
        self._profile = profile
        self.setWindowTitle(f"OpenAI API key — profile {profile}")
        self.backendLabel.setText("Keyring: checking…")

    @Slot(object)
    def show_status(self, status: KeyStatus) -> None:
        """Show where the key lives, or why the keyring cannot be used."""
        if status.problem is not None:
            text = f"Keyring: unavailable. {status.problem.user_message}"
            if status.problem.hint:
                text += f"\n{status.problem.hint}"
        else:
            stored = "a key is stored" if status.stored else "no key stored yet"
            text = f"Keyring: {status.backend} ({stored} for profile '{status.profile}')."
        if status.environment_override:
            text += f"\n{ENV_VAR} is set and is used instead of the stored key."
        self.backendLabel.setText(text)
        self._stored = bool(status.stored)
        self._update_buttons()

    @Slot(object)
    def show_result(self, result: KeyActionResult) -> None:
        self._busy = False
        if result.ok:
            self.apiKeyInput.clear()
            self._say(result.message, error=False)
            if result.action is not KeyActionKind.DELETE:
                self.accept()
        else:
            error = result.error
            text = result.message
            if error is not None and error.hint:
                text += f"\n{error.hint}"
            if isinstance(error, CredentialError):
                text += "\nYou can still use the key for this session only."
            self._say(text, error=True)
        self._update_buttons()

    def _say(self, text: str, *, error: bool) -> None:
        self.messageLabel.setText(text)
        self.messageLabel.setProperty("error", error)
        self.messageLabel.setAccessibleDescription(text)
        self.messageLabel.show()

    def _request(self, kind: KeyActionKind, value: str = "") -> None:
        if self._busy:
            return
        if kind is not KeyActionKind.DELETE:
            from ..core.credentials import check_key

            try:
                value = check_key(value)
            except InvalidInput as exc:
                self._say(exc.problems[0].describe().replace("api_key", "API key"), error=True)
                return
        self._busy = True
        self._say("Working…", error=False)
        self._update_buttons()
        self.actionRequested.emit(KeyAction(kind, self._profile, value))

    @Slot()
    def _save(self) -> None:
        self._request(KeyActionKind.STORE, self.apiKeyInput.text())

    @Slot()
    def _session_only(self) -> None:
        self._request(KeyActionKind.SESSION_ONLY, self.apiKeyInput.text())

    @Slot()
    def _delete(self) -> None:
        self._request(KeyActionKind.DELETE)

    @Slot()
    def _update_buttons(self) -> None:
        has_text = bool(self.apiKeyInput.text().strip())
        self.saveKeyButton.setEnabled(has_text and not self._busy)
        self.sessionOnlyButton.setEnabled(has_text and not self._busy)
        self.deleteKeyButton.setEnabled(self._stored and not self._busy)
