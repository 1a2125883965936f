"""The Mint button with its progress bar, and the line saying why Mint is disabled."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ..core.errors import FieldProblem
from .style import error_colour

__all__ = ["MintBar"]

_TIP = "Mint a client secret (Ctrl+Enter)"


class MintBar(QWidget):
    """Shows whether Mint can be pressed; the window decides what a press does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mintBar")
        self.mintBlockedLabel = QLabel(self)
        self.mintBlockedLabel.setObjectName("mintBlockedLabel")
        self.mintBlockedLabel.setWordWrap(True)
        self.mintBlockedLabel.setAccessibleName("Why Mint is disabled")
        self.mintBlockedLabel.hide()
        self.mintButton = QPushButton("&Mint secret", self)
        self.mintButton.setObjectName("mintButton")
        self.mintButton.setToolTip(_TIP)
        self.mintButton.setAccessibleName("Mint secret")
        self.mintButton.setDefault(True)
        self.mintProgress = QProgressBar(self)
        self.mintProgress.setObjectName("mintProgress")
        self.mintProgress.setRange(0, 0)
        self.mintProgress.setMaximumWidth(120)
        self.mintProgress.setAccessibleName("Minting in progress")
        self.mintProgress.hide()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.mintProgress)
        row.addWidget(self.mintButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mintBlockedLabel)
        layout.addLayout(row)

    def show_state(self, problems: Sequence[FieldProblem], *, busy: bool, closed: bool) -> bool:
        """Enable Mint only with no problems, no mint in flight and the window open.

        Returns whether Mint is enabled (for the menu's Mint action).
        """
        blocked = problems[0].describe() if problems else ""
        self.mintBlockedLabel.setText(f"Mint is disabled: {blocked}" if blocked else "")
        self.mintBlockedLabel.setVisible(bool(blocked) and not busy)
        self._paint_error()
        enabled = not problems and not busy and not closed
        self.mintButton.setEnabled(enabled)
        self.mintButton.setText("Minting…" if busy else "&Mint secret")
        self.mintButton.setToolTip(f"Disabled: {blocked}" if blocked else _TIP)
        self.mintProgress.setVisible(busy)
        return enabled

    def _paint_error(self) -> None:
        # Judged on the bar: a label with a style sheet no longer follows palette changes.
        sheet = f"color: {error_colour(self)};"
        if self.mintBlockedLabel.styleSheet() != sheet:
            self.mintBlockedLabel.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_error()  # the palette may have turned dark or light
