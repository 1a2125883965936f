"""The Advanced settings toggle and its panel, built on first use; its values kept until then."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from ..core.errors import FieldProblem
from ..core.session import ApiShape, SessionConfig, SessionType
from .advanced_config import apply_advanced, has_advanced

if TYPE_CHECKING:
    from .advanced_panel import AdvancedPanel

__all__ = ["AdvancedSection"]


class AdvancedSection(QWidget):
    """Most people never open the advanced settings, so the panel (the largest part of the
    window) is built only when it is opened or needed; until then the values restored from
    the settings or loaded from a body are kept as a SessionConfig and applied the same way.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advancedSection")
        self._panel: AdvancedPanel | None = None
        self._kept = SessionConfig()
        self._api, self._kind = ApiShape.GA, SessionType.REALTIME

        self.advancedToggle = QToolButton(self)
        self.advancedToggle.setObjectName("advancedToggle")
        self.advancedToggle.setText("Advanced settings")
        self.advancedToggle.setCheckable(True)
        # Enum properties set by key name through the meta-object: the first use of any enum
        # of PySide's Qt namespace creates all ~95 of them (12 ms, a fifth of the start-up).
        self.advancedToggle.setProperty("arrowType", "RightArrow")
        self.advancedToggle.setProperty("toolButtonStyle", "ToolButtonTextBesideIcon")
        self.advancedToggle.setToolTip(
            "Audio formats, turn detection, tools, tracing and every other session field"
        )
        self.advancedToggle.setAccessibleName("Show advanced settings")
        self.advancedToggle.toggled.connect(self._toggle)
        toggle_row = QHBoxLayout()  # left-aligned by a stretch, not by a Qt.AlignmentFlag
        toggle_row.addWidget(self.advancedToggle)
        toggle_row.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(toggle_row)

    @property
    def built(self) -> AdvancedPanel | None:
        """The panel if it has been built, else None (nothing is built)."""
        return self._panel

    @property
    def panel(self) -> AdvancedPanel:
        """The panel, built on first use with the values kept until then."""
        if self._panel is None:
            from .advanced_panel import AdvancedPanel

            panel = AdvancedPanel(self)
            panel.setVisible(self.advancedToggle.isChecked())
            panel.set_shape(self._api, self._kind)
            panel.load(self._kept)
            panel.changed.connect(self.changed)
            self._layout.addWidget(panel)
            # Keyboard order: its tabs and inputs right after the toggle, then on to Mint.
            QWidget.setTabOrder(self.advancedToggle, panel.advancedTabs)
            self._panel = panel
            self.changed.emit()  # its local problems and error lines count from now on
        return self._panel

    @Slot(bool)
    def _toggle(self, shown: bool) -> None:
        if shown or self._panel is not None:
            self.panel.setVisible(shown)
        self.advancedToggle.setProperty("arrowType", "DownArrow" if shown else "RightArrow")

    def set_shape(self, api: ApiShape, kind: SessionType) -> None:
        """Enable what applies to this API shape and session type."""
        self._api, self._kind = api, kind
        if self._panel is not None:
            self._panel.set_shape(api, kind)

    def apply(self, basic: SessionConfig) -> SessionConfig:
        """``basic`` with the advanced settings; what its shape lacks left out."""
        if self._panel is not None:
            return self._panel.apply(basic)
        return apply_advanced(basic, self._kept)

    def keep(self, config: SessionConfig) -> None:
        """Take the advanced settings of ``config`` without building the panel (if not built)."""
        if self._panel is not None:
            self._panel.load(config)
        else:
            self._kept = config

    def load(self, config: SessionConfig) -> None:
        """Show the advanced settings of ``config``; opened if it sets any."""
        if has_advanced(config):
            self.panel.load(config)
            self.advancedToggle.setChecked(True)
        else:
            self.keep(config)

    def local_problems(self) -> list[FieldProblem]:
        """Text in the panel's JSON editors that cannot be read (none before it is built)."""
        return self._panel.local_problems() if self._panel is not None else []

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show each problem under its input (the panel shows them once it is built)."""
        if self._panel is not None:
            self._panel.show_problems(problems)

    def focus_field(self, field: str) -> bool:
        """Open the panel at the input that edits ``field``; False if there is none."""
        widget = self.panel.input_for(field)
        if widget is None:
            return False
        self.advancedToggle.setChecked(True)
        widget.setFocus()
        return True
