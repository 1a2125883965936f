"""The in-window error banner: what failed, the server's words, a hint, and the raw body."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import RealtimeGuiError
from .style import is_dark

__all__ = ["StatusBanner"]


class StatusBanner(QFrame):
    """A dismissable error panel inside the window; routine errors never open a dialog.

    ``hints`` replaces an error class's default hint (one that names a CLI command, say)
    with what to do in this window; a hint given for one particular error is kept.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        hints: Mapping[type[RealtimeGuiError], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._hints = dict(hints or {})
        # The error shown (or last shown, if dismissed since); None before the first.
        self.error: RealtimeGuiError | None = None
        self.setObjectName("statusBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Error")
        self.setAutoFillBackground(True)

        self.titleLabel = QLabel(self)
        self.titleLabel.setObjectName("bannerTitle")
        self.titleLabel.setWordWrap(True)
        self.titleLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.titleLabel.font()
        font.setBold(True)
        self.titleLabel.setFont(font)
        self.upstreamLabel = QLabel(self)
        self.upstreamLabel.setObjectName("bannerUpstream")
        self.upstreamLabel.setWordWrap(True)
        self.upstreamLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hintLabel = QLabel(self)
        self.hintLabel.setObjectName("bannerHint")
        self.hintLabel.setWordWrap(True)

        self.detailsButton = QToolButton(self)
        self.detailsButton.setObjectName("bannerDetailsButton")
        self.detailsButton.setText("Details")
        self.detailsButton.setCheckable(True)
        self.detailsButton.setArrowType(Qt.ArrowType.RightArrow)
        self.detailsButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.detailsButton.setToolTip("Show the raw response body the server sent")
        self.detailsButton.toggled.connect(self._toggle_details)
        self.closeButton = QToolButton(self)
        self.closeButton.setObjectName("bannerCloseButton")
        self.closeButton.setText("✕")
        self.closeButton.setToolTip("Dismiss this message")
        self.closeButton.setAccessibleName("Dismiss error")
        self.closeButton.clicked.connect(self.hide)

        self.detailsView = QPlainTextEdit(self)
        self.detailsView.setObjectName("bannerDetails")
        self.detailsView.setReadOnly(True)
        self.detailsView.setAccessibleName("Raw response body")
        self.detailsView.setMaximumHeight(140)
        self.detailsView.hide()

        head = QHBoxLayout()
        head.addWidget(self.titleLabel, 1)
        head.addWidget(self.closeButton, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.upstreamLabel)
        layout.addWidget(self.hintLabel)
        layout.addWidget(self.detailsButton, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.detailsView)
        self.hide()

    def show_error(self, error: RealtimeGuiError) -> None:
        """Show ``error``: message, upstream text and code verbatim, hint, raw body."""
        self.error = error
        self._tint()
        self.titleLabel.setText(error.user_message)
        upstream = error.upstream
        has_upstream = upstream is not None and bool(upstream.message or upstream.code)
        self.upstreamLabel.setText(
            f"Server said: {upstream.describe()}" if upstream and has_upstream else ""
        )
        self.upstreamLabel.setVisible(has_upstream)
        hint = self._hint(error)
        self.hintLabel.setText(hint)
        self.hintLabel.setVisible(bool(hint))
        self.detailsView.setPlainText(error.raw_body or "")
        self.detailsButton.setVisible(bool(error.raw_body))
        self.detailsButton.setChecked(False)
        self.setAccessibleDescription(str(error))
        self.show()

    def _hint(self, error: RealtimeGuiError) -> str:
        if error.hint == type(error).default_hint:
            for kind, hint in self._hints.items():
                if isinstance(error, kind):
                    return hint
        return error.hint or ""

    @property
    def message(self) -> str:
        """Everything the banner says, as plain text (for tests and screen readers)."""
        parts = [self.titleLabel.text(), self.upstreamLabel.text(), self.hintLabel.text()]
        return "\n".join(p for p in parts if p)

    @Slot(bool)
    def _toggle_details(self, shown: bool) -> None:
        self.detailsButton.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.detailsView.setVisible(shown)

    def _tint(self) -> None:
        # A red wash that stays readable in both light and dark palettes.
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Window)
        dark = is_dark(self)
        tint = base.lighter(130) if dark else base
        tint.setRed(min(255, tint.red() + (60 if dark else 20)))
        palette.setColor(QPalette.ColorRole.Window, tint)
        self.setPalette(palette)
