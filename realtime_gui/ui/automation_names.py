"""The parts' widgets under the names tests, benchmarks and automation use (the README contract)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QProgressBar,
        QPushButton,
        QSpinBox,
        QTableView,
        QToolButton,
    )

    from .main_window import MainWindow
    from .request_pane import RequestPane

__all__ = ["AutomationNames", "find_building", "forward_names"]

_T = TypeVar("_T")


class AutomationNames:
    """The names as typed attributes; ``MainWindow`` inherits them, ``forward_names`` sets them."""

    apiShapeInput: QComboBox
    sessionTypeInput: QComboBox
    providerInput: QComboBox
    baseUrlInput: QLineEdit
    timeoutInput: QSpinBox
    modelInput: QComboBox
    voiceInput: QComboBox
    instructionsInput: QPlainTextEdit
    modalityAudio: QCheckBox
    modalityText: QCheckBox
    ttlInput: QSpinBox
    secretField: QLineEdit
    revealButton: QPushButton
    copyButton: QPushButton
    countdownLabel: QLabel
    expiresAtLabel: QLabel
    sessionInfoLabel: QLabel
    detailTabs: RequestPane
    requestPreview: QPlainTextEdit
    copyPreviewButton: QPushButton
    editJsonButton: QPushButton
    importButton: QPushButton
    advancedToggle: QToolButton
    mintButton: QPushButton
    mintProgress: QProgressBar
    mintBlockedLabel: QLabel
    keyStatusLabel: QLabel
    apiKeyButton: QPushButton
    profileInput: QComboBox
    profilesButton: QPushButton
    presetInput: QComboBox
    savePresetButton: QToolButton

    @property
    def historyView(self) -> QTableView:
        """The History tab's table, built (and read) on first use."""
        return self.detailTabs.historyView


def forward_names(window: MainWindow) -> None:
    """Give ``window`` an attribute per widget the README's automation contract names."""
    form = window.sessionForm
    window.apiShapeInput = form.apiShapeInput
    window.sessionTypeInput = form.sessionTypeInput
    window.providerInput = form.providerInput
    window.baseUrlInput = form.baseUrlInput
    window.timeoutInput = form.timeoutInput
    window.modelInput = form.modelInput
    window.voiceInput = form.voiceInput
    window.instructionsInput = form.instructionsInput
    window.modalityAudio, window.modalityText = form.modalityAudio, form.modalityText
    window.ttlInput = form.ttlInput
    window.secretField = window.secretView.secretField
    window.revealButton = window.secretView.revealButton
    window.copyButton = window.secretView.copyButton
    window.countdownLabel = window.secretView.countdownLabel
    window.expiresAtLabel = window.secretView.expiresAtLabel
    window.sessionInfoLabel = window.secretView.sessionInfoLabel
    window.detailTabs = pane = window.requestPane
    window.requestPreview = pane.requestPreview
    window.copyPreviewButton = pane.copyPreviewButton
    window.editJsonButton = pane.editJsonButton
    window.importButton = pane.importButton
    window.advancedToggle = window.advancedSection.advancedToggle
    window.mintButton = window.mintBar.mintButton
    window.mintProgress = window.mintBar.mintProgress
    window.mintBlockedLabel = window.mintBar.mintBlockedLabel
    window.keyStatusLabel = window.keyStatus.keyStatusLabel
    window.apiKeyButton = window.keyStatus.apiKeyButton
    window.profileInput = window.profileSwitcher.profileInput
    window.profilesButton = window.profileSwitcher.profilesButton
    window.presetInput = window.presetBar.presetInput
    window.savePresetButton = window.presetBar.savePresetButton


def find_building(
    window: MainWindow, find: Callable[..., Any], kind: type[_T], name: str, *args: Any
) -> _T | None:
    """``find(kind, name)``; a named lookup that fails builds the parts built on first use.

    Automation finds widgets by objectName (README); the advanced inputs, the banner and the
    granted view exist only once built, so looking for a missing one builds them and retries.
    """
    found: _T | None = find(kind, name, *args)
    if found is None and name:
        window.build_all_parts()
        _ = window.requestPane.history  # the History tab's widgets are built on first use
        found = find(kind, name, *args)
    return found
