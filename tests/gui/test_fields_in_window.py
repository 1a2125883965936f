"""The window's inputs show the fields table: tooltips, labels, spin ranges and combo choices."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from realtime_gui.core.fields import FIELDS, SessionField, field
from realtime_gui.core.session import ApiShape, SessionType
from realtime_gui.ui.advanced import AdvancedTab
from realtime_gui.ui.advanced_panel import FIELD_INPUTS, AdvancedPanel
from realtime_gui.ui.inputs import OptionalDoubleSpin, OptionalSpin
from realtime_gui.ui.session_form import SessionForm

GA, BETA = ApiShape.GA, ApiShape.BETA
REALTIME = SessionType.REALTIME

# Every advanced input is enabled in at least one of these: (API shape, turn-detection type).
SETUPS = [(GA, "server_vad"), (GA, "semantic_vad"), (BETA, "server_vad")]
# The session form's inputs of table fields (the modality boxes are checked on their own).
FORM_INPUTS = {
    "session_type": "sessionTypeInput",
    "model": "modelInput",
    "voice": "voiceInput",
    "instructions": "instructionsInput",
    "ttl_seconds": "ttlInput",
}
# The form rows that have a keyboard mnemonic today.
MNEMONIC_ROWS = ("sessionTypeInput", "modelInput", "voiceInput", "ttlInput", "instructionsInput")


@pytest.fixture
def panel(qtbot: QtBot) -> AdvancedPanel:
    widget = AdvancedPanel()
    qtbot.addWidget(widget)
    widget.show()
    for tab in widget.findChildren(AdvancedTab):
        tab.ensure_laid_out()
    return widget


@pytest.fixture
def form(qtbot: QtBot, tmp_path: Path) -> SessionForm:
    widget = SessionForm({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    qtbot.addWidget(widget)
    widget.restore_settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    widget.start()
    return widget


def child(parent: QWidget, name: str) -> QWidget:
    found = parent.findChild(QWidget, name)
    assert found is not None, name
    return found


def select(combo: QWidget, value: str) -> None:
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


def enable_dependents(panel: AdvancedPanel, api: ApiShape, turn_type: str) -> None:
    """Set what other inputs depend on, so every input the shape allows is enabled."""
    panel.set_shape(api, REALTIME)
    select(panel.turnDetectionInput, turn_type)
    select(panel.tracingInput, "workflow")
    select(panel.truncationInput, "retention_ratio")
    panel.promptIdInput.setText("pmpt_123")
    panel.maxOutputTokensInfInput.setChecked(False)


def described_by(widget: QWidget) -> SessionField:
    """The table field whose label and help the input shows, among the fields it edits."""
    mine = [f for f in FIELDS if FIELD_INPUTS.get(f.name) == widget.objectName()]
    shown = (widget.accessibleName(), widget.toolTip())
    matching = [f for f in mine if (f.label, f.help) == shown]
    assert matching, f"{widget.objectName()} shows {shown}, not a label and help of {mine}"
    return matching[0]


def row_label(parent: QWidget, widget: QWidget) -> str:
    labels = [label for label in parent.findChildren(QLabel) if label.buddy() is widget]
    assert len(labels) == 1, widget.objectName()
    return labels[0].text()


def nested_row_label(layout: QFormLayout, widget: QWidget) -> str:
    """The label of the row whose field is a layout holding ``widget``."""
    for row in range(layout.rowCount()):
        item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
        inner = item.layout() if item is not None else None
        if inner is not None and inner.indexOf(widget) >= 0:
            label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            assert isinstance(label, QLabel)
            return label.text()
    raise AssertionError(f"no row holds {widget.objectName()}")


def test_every_advanced_input_shows_its_fields_label_and_help(panel: AdvancedPanel) -> None:
    checked: set[str] = set()
    for api, turn_type in SETUPS:
        enable_dependents(panel, api, turn_type)
        for name in dict.fromkeys(FIELD_INPUTS.values()):
            widget = child(panel, name)
            if not widget.isEnabled():
                continue  # its tooltip says why it is off instead
            entry = described_by(widget)
            # A JSON editor's row also says what to type.
            json = " (JSON)" if isinstance(widget, QPlainTextEdit) else ""
            assert row_label(panel, widget) == f"{entry.label}{json}:", name
            checked.add(name)
    assert checked == set(FIELD_INPUTS.values())


def test_every_advanced_spin_box_covers_its_fields_range(panel: AdvancedPanel) -> None:
    spanned = {f.name for f in FIELDS if f.span is not None}
    in_panel = spanned & FIELD_INPUTS.keys()
    assert spanned - in_panel == {"ttl_seconds"}  # in the session form, checked below
    for name in in_panel:
        span = field(name).span
        assert span is not None
        spin = child(panel, FIELD_INPUTS[name])
        # "Server default" is the minimum: one step below the range (a hundredth for decimals).
        if span.whole:
            assert isinstance(spin, OptionalSpin), name
            below: float = 1
        else:
            assert isinstance(spin, OptionalDoubleSpin), name
            below = 0.01
        assert spin.minimum() == pytest.approx(span.low - below), name
        assert spin.maximum() == pytest.approx(span.high), name
        assert spin.suffix() == (f" {span.unit}" if span.unit else ""), name


def test_every_advanced_choice_combo_lists_its_fields_choices(panel: AdvancedPanel) -> None:
    chosen = {f.name for f in FIELDS if f.choices}
    in_panel = chosen & FIELD_INPUTS.keys()
    assert chosen - in_panel == {"session_type", "modalities"}  # the session form's
    for name in in_panel:
        combo = child(panel, FIELD_INPUTS[name])
        assert isinstance(combo, QComboBox), name
        values = [combo.itemData(i) for i in range(combo.count())]
        assert values == [None, *field(name).choices], name  # None: the server default


@pytest.mark.parametrize("api", [GA, BETA])
def test_the_session_form_shows_the_table(form: SessionForm, api: ApiShape) -> None:
    select(form.apiShapeInput, api.value)
    layout = form.layout()
    assert isinstance(layout, QFormLayout)
    for name, input_name in FORM_INPUTS.items():
        entry, widget = field(name), child(form, input_name)
        assert widget.accessibleName() == entry.label, input_name
        if widget.isEnabled():
            assert widget.toolTip() == entry.help, input_name
        label = layout.labelForField(widget)
        assert isinstance(label, QLabel), input_name
        assert label.text().replace("&", "") == f"{entry.label}:", input_name
        assert ("&" in label.text()) == (input_name in MNEMONIC_ROWS), input_name
    modalities = field("modalities")
    boxes = [form.modalityAudio, form.modalityText]
    assert [b.accessibleName() for b in boxes] == [
        f"{modalities.label} {c}" for c in modalities.choices
    ]
    for box in boxes:
        assert box.toolTip() == modalities.help
    assert nested_row_label(layout, form.modalityAudio) == f"{modalities.label}:"


def test_the_session_forms_range_and_choices_are_the_tables(form: SessionForm) -> None:
    ttl = field("ttl_seconds").span
    assert ttl is not None
    spin = form.ttlInput
    assert isinstance(spin, QSpinBox) and not isinstance(spin, QDoubleSpinBox)
    assert (spin.minimum(), spin.maximum()) == (ttl.low, ttl.high)
    assert spin.suffix() == f" {ttl.unit}"
    combo = form.sessionTypeInput
    values = [combo.itemData(i) for i in range(combo.count())]
    assert values == list(field("session_type").choices)
