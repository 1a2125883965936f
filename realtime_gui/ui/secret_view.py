"""The minted secret: masked field, Reveal, Copy, Copy as…, and a countdown from its deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .copy_as import fill_copy_as_menu, make_copy_as_button
from .style import ERROR_COLOURS, WARNING_COLOURS, pick

if TYPE_CHECKING:
    from ..core.endpoint import Connection
    from ..core.expiry import Deadline
    from ..core.responses import MintedSecret

__all__ = ["TICK_MS", "SecretView"]

TICK_MS = 200
# Colour pairs (light, dark) per expiry level; the normal level keeps the palette's text.
_LEVEL_COLOURS = {
    "warning": WARNING_COLOURS,
    "critical": ERROR_COLOURS,
    "expired": ERROR_COLOURS,
}


class SecretView(QGroupBox):
    """The "Client secret" box; the secret is masked until revealed, cleared from the clipboard
    when it expires, and can be copied only while it is still valid."""

    copied = Signal()
    copyableChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Client secret", parent)
        self.setObjectName("secretView")
        self._secret: MintedSecret | None = None
        self._connection: Connection | None = None  # where the shown secret was minted
        self._deadline: Deadline | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)

        self.secretField = QLineEdit(self)
        self.secretField.setObjectName("secretField")
        self.secretField.setReadOnly(True)
        self.secretField.setEchoMode(QLineEdit.EchoMode.Password)
        self.secretField.setAccessibleName("Client secret")
        self.secretField.setToolTip("The client secret (masked; Reveal shows it)")
        self.secretField.setPlaceholderText("No secret yet — press Mint (Ctrl+Enter)")
        self.revealButton = QPushButton("&Reveal", self)
        self.revealButton.setObjectName("revealButton")
        self.revealButton.setCheckable(True)
        self.revealButton.setToolTip("Show or hide the secret")
        self.revealButton.setAccessibleName("Reveal secret")
        self.revealButton.toggled.connect(self._toggle_reveal)
        self.copyButton = QPushButton("&Copy", self)
        self.copyButton.setObjectName("copyButton")
        self.copyButton.setToolTip("Copy the secret to the clipboard (Ctrl+Shift+C)")
        self.copyButton.setAccessibleName("Copy secret")
        self.copyButton.clicked.connect(self.copy_secret)
        # Its menu is filled on the first secret: the snippet code is not needed before.
        self.copyAsButton = make_copy_as_button(
            self,
            text="Copy a&s…",
            name="copyAsButton",
            accessible="Copy secret as",
            tip="Copy the secret as a snippet: JSON, a shell export, a .env line, or "
            "JavaScript (WebRTC, WebSocket) or Python code that connects with it",
        )
        self.countdownLabel = QLabel("--:--", self)
        self.countdownLabel.setObjectName("countdownLabel")
        self.countdownLabel.setAccessibleName("Time left")
        self.countdownLabel.setToolTip("Time left until the secret can no longer start sessions")
        font = self.countdownLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.countdownLabel.setFont(font)
        self.expiresAtLabel = QLabel("", self)
        self.expiresAtLabel.setObjectName("expiresAtLabel")
        self.expiresAtLabel.setAccessibleName("Expires at")
        self.sessionInfoLabel = QLabel("", self)
        self.sessionInfoLabel.setObjectName("sessionInfoLabel")
        self.sessionInfoLabel.setAccessibleName("Session")
        self.sessionInfoLabel.setWordWrap(True)
        # By key names: the first Qt-namespace enum PySide creates costs 12 ms of start-up.
        self.sessionInfoLabel.setProperty(
            "textInteractionFlags", "LinksAccessibleByMouse|TextSelectableByMouse"
        )
        self.revealButton.setEnabled(False)
        self.copyButton.setEnabled(False)

        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secretField, 1)
        secret_row.addWidget(self.revealButton)
        secret_row.addWidget(self.copyButton)
        secret_row.addWidget(self.copyAsButton)
        timing = QHBoxLayout()
        timing.addWidget(self.countdownLabel)
        timing.addSpacing(12)
        timing.addWidget(self.expiresAtLabel, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(secret_row)
        layout.addLayout(timing)
        layout.addWidget(self.sessionInfoLabel)

    def tab_order(self) -> list[QWidget]:
        return [self.secretField, self.revealButton, self.copyButton, self.copyAsButton]

    @property
    def copyable(self) -> bool:
        """True while there is a secret that has not expired."""
        return self._deadline is not None and self._deadline.remaining() > 0

    def show_secret(self, secret: MintedSecret, connection: Connection | None = None) -> None:
        """Show ``secret`` and count down to its expiry.

        ``connection`` is where it was minted, for the snippets; by default it is read back
        from the request the secret carries (the form may have changed since).
        """
        from ..core.endpoint import Connection
        from ..core.expiry import Deadline, format_local_time
        from ..core.snippets import connection_of

        if connection is None:
            connection = connection_of(secret.request) if secret.request else Connection()
        self._secret = secret
        self._connection = connection
        self._fill_copy_as_menu(secret, connection)
        self._deadline = Deadline.from_expiry(secret.expires_at)
        self.secretField.setText(secret.value)
        self.revealButton.setEnabled(True)
        self.expiresAtLabel.setText(f"Expires {format_local_time(secret.expires_at)}")
        parts = [f"Session {secret.session_id or '(no id)'}"]
        parts.append(f"model {secret.model or '(not reported)'}")
        parts.append(f"{secret.api.label} API")
        self.sessionInfoLabel.setText(" · ".join(parts))
        self._tick()
        self._ticker.start()

    def stop(self) -> None:
        """Stop counting (the window is closing)."""
        self._ticker.stop()

    @Slot()
    def _tick(self) -> None:
        # Recomputed from the deadline every tick: a late or skipped tick never drifts.
        from ..core.expiry import ExpiryLevel, expiry_level, format_remaining

        if self._deadline is None:
            return
        remaining = self._deadline.remaining()
        level = expiry_level(remaining)
        expired = level is ExpiryLevel.EXPIRED
        self.countdownLabel.setText("Expired" if expired else format_remaining(remaining))
        self.countdownLabel.setProperty("level", level.value)
        self._paint_level()
        self.copyButton.setEnabled(not expired)
        self.copyAsButton.setEnabled(not expired)
        self.copyableChanged.emit(not expired)
        if expired:
            self._ticker.stop()
            self._clear_clipboard_if_secret()

    def _paint_level(self) -> None:
        # Judged on the view: a label with a style sheet no longer follows palette changes.
        colours = _LEVEL_COLOURS.get(str(self.countdownLabel.property("level")))
        self.countdownLabel.setStyleSheet(
            "" if colours is None else f"color: {pick(self, colours)};"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_level()  # also after expiry, when no tick repaints it any more

    def _clear_clipboard_if_secret(self) -> None:
        # Also a snippet copied with Copy as…: anything on the clipboard that holds the secret.
        clipboard = QGuiApplication.clipboard()
        if self._secret is not None and self._secret.value in clipboard.text():
            clipboard.clear()

    def _fill_copy_as_menu(self, secret: MintedSecret, connection: Connection) -> None:
        """One action per snippet kind; a kind this connection cannot have says why."""
        from ..core.errors import InvalidInput
        from ..core.snippets import KINDS, check_available

        menu = self.copyAsButton.menu()
        if menu is None:
            menu = fill_copy_as_menu(self.copyAsButton, KINDS)
            menu.triggered.connect(self._on_copy_as)
        for action, kind in zip(menu.actions(), KINDS, strict=True):
            try:
                check_available(kind.name, connection, secret.api)
            except InvalidInput as exc:
                action.setEnabled(False)
                action.setToolTip(exc.problems[0].message)
            else:
                action.setEnabled(True)
                action.setToolTip(kind.description)

    @Slot(QAction)
    def _on_copy_as(self, action: QAction) -> None:
        self.copy_as(str(action.data()))

    def copy_as(self, kind: str) -> None:
        """Copy the secret as the snippet ``kind`` while it is valid (never once expired)."""
        from ..core.snippets import render

        if self._secret is None or self._connection is None or not self.copyable:
            return
        QGuiApplication.clipboard().setText(render(kind, self._secret, self._connection))
        self.copied.emit()

    @Slot()
    def copy_secret(self) -> None:
        """Copy the secret while it is valid; an expired one is never put on the clipboard."""
        if self._secret is None or not self.copyable:
            return
        QGuiApplication.clipboard().setText(self._secret.value)
        self.copyButton.setText("Copied ✓")
        QTimer.singleShot(1500, self.copyButton, lambda: self.copyButton.setText("&Copy"))
        self.copied.emit()

    @Slot(bool)
    def _toggle_reveal(self, shown: bool) -> None:
        self.secretField.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.revealButton.setText("&Hide" if shown else "&Reveal")
