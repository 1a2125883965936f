"""The advanced session settings: audio, turns, tools, response and context, on tabs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import FieldProblem
from ..core.session import ApiShape, SessionConfig, SessionType
from .advanced import AdvancedTab, AudioTab, ContextTab, ResponseTab, ToolsTab, TurnsTab
from .inputs import OptionalDoubleSpin, OptionalSpin

__all__ = ["FIELD_INPUTS", "AdvancedPanel"]

_TABS: tuple[type[AdvancedTab], ...] = (AudioTab, TurnsTab, ToolsTab, ResponseTab, ContextTab)

# Field name (as in SessionConfig and FieldProblem.field) -> objectName of its input.
FIELD_INPUTS: dict[str, str] = {field: name for tab in _TABS for field, name in tab.FIELDS.items()}


class AdvancedPanel(QWidget):
    """Every advanced session field, each with a "server default" state and an error line.

    The tabs own their inputs; the panel puts them on ``advancedTabs``, forwards each input as
    an attribute (``panel.speedInput``) and fans ``apply``/``load``/``set_shape``/... out.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advancedPanel")
        self.setAccessibleName("Advanced session settings")

        self.advancedTabs = QTabWidget(self)
        self.advancedTabs.setObjectName("advancedTabs")
        self.advancedTabs.setAccessibleName("Advanced settings tabs")
        self.audioTab = AudioTab(self)
        self.turnsTab = TurnsTab(self)
        self.toolsTab = ToolsTab(self)
        self.responseTab = ResponseTab(self)
        self.contextTab = ContextTab(self)
        self._tabs: tuple[AdvancedTab, ...] = (
            self.audioTab,
            self.turnsTab,
            self.toolsTab,
            self.responseTab,
            self.contextTab,
        )
        # The scroll areas come after every input, so the focus chain (tab order) is as it was
        # when the panel built everything itself; a page moves into its area when first shown.
        self._scrolls: list[QScrollArea] = []
        self._pages_placed = False
        for tab in self._tabs:
            tab.hide()
            tab.changed.connect(self.changed)
            scroll = QScrollArea(self)
            scroll.setObjectName(f"advanced{tab.TITLE}Tab")
            scroll.setWidgetResizable(True)
            self.advancedTabs.addTab(scroll, tab.TITLE)
            self._scrolls.append(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.advancedTabs)
        self._forward_inputs()
        self.set_shape(ApiShape.GA, SessionType.REALTIME)

    def _forward_inputs(self) -> None:
        # Callers (the window's tests, automation) reach inputs as attributes of the panel.
        audio, turns, tools, response, context = (
            self.audioTab,
            self.turnsTab,
            self.toolsTab,
            self.responseTab,
            self.contextTab,
        )
        self.inputFormatInput: QComboBox = audio.inputFormatInput
        self.outputFormatInput: QComboBox = audio.outputFormatInput
        self.speedInput: OptionalDoubleSpin = audio.speedInput
        self.noiseReductionInput: QComboBox = audio.noiseReductionInput
        self.transcriptionModelInput: QComboBox = audio.transcriptionModelInput
        self.transcriptionLanguageInput: QLineEdit = audio.transcriptionLanguageInput
        self.transcriptionPromptInput: QLineEdit = audio.transcriptionPromptInput
        self.turnDetectionInput: QComboBox = turns.turnDetectionInput
        self.vadThresholdInput: OptionalDoubleSpin = turns.vadThresholdInput
        self.prefixPaddingInput: OptionalSpin = turns.prefixPaddingInput
        self.silenceDurationInput: OptionalSpin = turns.silenceDurationInput
        self.idleTimeoutInput: OptionalSpin = turns.idleTimeoutInput
        self.createResponseInput: QComboBox = turns.createResponseInput
        self.interruptResponseInput: QComboBox = turns.interruptResponseInput
        self.eagernessInput: QComboBox = turns.eagernessInput
        self.toolsInput: QPlainTextEdit = tools.toolsInput
        self.toolsStatusLabel: QLabel = tools.toolsStatusLabel
        self.toolChoiceInput: QComboBox = tools.toolChoiceInput
        self.maxOutputTokensInput: OptionalSpin = response.maxOutputTokensInput
        self.maxOutputTokensInfInput: QCheckBox = response.maxOutputTokensInfInput
        self.reasoningEffortInput: QComboBox = response.reasoningEffortInput
        self.includeLogprobsInput: QCheckBox = response.includeLogprobsInput
        self.temperatureInput: OptionalDoubleSpin = response.temperatureInput
        self.tracingInput: QComboBox = context.tracingInput
        self.tracingWorkflowInput: QLineEdit = context.tracingWorkflowInput
        self.tracingGroupInput: QLineEdit = context.tracingGroupInput
        self.tracingMetadataInput: QPlainTextEdit = context.tracingMetadataInput
        self.truncationInput: QComboBox = context.truncationInput
        self.retentionRatioInput: OptionalDoubleSpin = context.retentionRatioInput
        self.promptIdInput: QLineEdit = context.promptIdInput
        self.promptVersionInput: QLineEdit = context.promptVersionInput
        self.promptVariablesInput: QPlainTextEdit = context.promptVariablesInput

    # The pages are placed before the panel is first shown or measured (a window shown with
    # the panel in it measures it first), so every size comes out as if they were always there;
    # a hidden panel is never measured, so it starts fast. All pages at once, not tab by tab:
    # the tab widget sizes itself to its largest page.
    def setVisible(self, visible: bool) -> None:
        if visible:
            self._place_pages()
        super().setVisible(visible)

    def showEvent(self, event: QShowEvent) -> None:
        if self._place_pages():
            # Shown through a parent without being measured first: sizes were cached without pages.
            self.advancedTabs.updateGeometry()
        super().showEvent(event)

    def sizeHint(self) -> QSize:
        self._place_pages()
        return super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        self._place_pages()
        return super().minimumSizeHint()

    def _place_pages(self) -> bool:
        """Lay out each page and put it in its scroll area, once; True if this call did it."""
        if self._pages_placed:
            return False
        self._pages_placed = True
        for tab, scroll in zip(self._tabs, self._scrolls, strict=True):
            tab.ensure_laid_out()
            scroll.setWidget(tab)
            tab.show()
        return True

    # -- the interface the window uses --------------------------------------------------
    def set_shape(self, api: ApiShape, kind: SessionType) -> None:
        """Enable what applies to this API shape and session type; say why the rest does not."""
        for index, tab in enumerate(self._tabs):
            tab.set_shape(api, kind)
            self.advancedTabs.setTabToolTip(index, tab.unavailable_tip())

    def apply(self, config: SessionConfig) -> SessionConfig:
        """``config`` with every advanced field from the panel; inapplicable ones left out."""
        for tab in self._tabs:
            config = tab.apply(config)
        return config

    def load(self, config: SessionConfig) -> None:
        """Show ``config`` in the inputs; ``changed`` fires once, at the end."""
        # The tabs' own `changed` reach the panel's, which stays quiet until all are loaded.
        was = self.blockSignals(True)
        try:
            for tab in self._tabs:
                tab.load(config)
        finally:
            self.blockSignals(was)
        self.changed.emit()

    def local_problems(self) -> list[FieldProblem]:
        """JSON the panel cannot read, in the editors whose text would be sent."""
        return [problem for tab in self._tabs for problem in tab.local_problems()]

    def input_for(self, field: str) -> QWidget | None:
        """The input that edits ``field`` (``tools[2].name`` -> toolsInput), or None."""
        return next((w for tab in self._tabs if (w := tab.input_for(field)) is not None), None)

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show each problem under its input; clear every other error line."""
        for tab in self._tabs:
            tab.show_problems(problems)
