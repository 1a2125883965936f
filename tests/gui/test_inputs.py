"""The shared input helpers: "server default" spins, the combo, line and JSON-editor factories."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from realtime_gui.ui.inputs import (
    SERVER_DEFAULT,
    OptionalDoubleSpin,
    OptionalSpin,
    make_combo,
    make_json_editor,
    make_line,
    make_tri_state,
    parse_json,
    select_data,
    select_tri,
    to_json,
    tri_value,
)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


# -- the "server default" spin boxes ---------------------------------------------------------
def test_optional_spin_starts_at_server_default(parent: QWidget) -> None:
    spin = OptionalSpin(parent, 0, 10_000, 100, 300)
    assert spin.is_default() and spin.optional_value() is None
    assert spin.text() == SERVER_DEFAULT
    assert (spin.minimum(), spin.maximum()) == (-1, 10_000)


def test_optional_spin_steps_up_from_server_default_to_the_servers_own_default(
    parent: QWidget,
) -> None:
    spin = OptionalSpin(parent, 0, 10_000, 100, 300)
    spin.stepBy(1)
    assert spin.optional_value() == 300
    spin.set_optional(None)
    spin.stepBy(2)
    assert spin.optional_value() == 400


def test_optional_spin_steps_down_past_the_range_back_to_server_default(
    parent: QWidget,
) -> None:
    spin = OptionalSpin(parent, 5_000, 30_000, 1_000, 5_000)
    spin.set_optional(5_500)
    spin.stepBy(-1)
    assert spin.is_default() and spin.optional_value() is None
    spin.stepBy(-1)  # already at the bottom: stays there
    assert spin.is_default()


def test_optional_spin_round_trips_values(parent: QWidget) -> None:
    spin = OptionalSpin(parent, 1, 4096, 1, 4096)
    spin.set_optional(17)
    assert spin.optional_value() == 17 and not spin.is_default()
    spin.set_optional(None)
    assert spin.optional_value() is None


def test_optional_double_spin_steps_from_server_default_to_the_servers_own_default(
    parent: QWidget,
) -> None:
    spin = OptionalDoubleSpin(parent, 0.25, 1.5, 0.05, 1.0)
    assert spin.optional_value() is None and spin.text() == SERVER_DEFAULT
    spin.stepBy(1)
    assert spin.optional_value() == 1.0
    spin.set_optional(None)
    spin.stepBy(3)
    assert spin.optional_value() == 1.1


def test_optional_double_spin_lowest_value_is_not_server_default(parent: QWidget) -> None:
    spin = OptionalDoubleSpin(parent, 0.0, 1.0, 0.05, 0.5)
    spin.set_optional(0.0)
    assert spin.optional_value() == 0.0 and not spin.is_default()
    spin.stepBy(-1)
    assert spin.optional_value() is None


def test_optional_double_spin_rounds_to_its_decimals(parent: QWidget) -> None:
    spin = OptionalDoubleSpin(parent, 0.6, 1.2, 0.05, 0.8)
    spin.set_optional(0.8)
    spin.stepBy(1)
    assert spin.optional_value() == 0.85  # not 0.8500000000000001


# -- the factories ---------------------------------------------------------------------------
def test_make_combo_names_describes_and_fills(parent: QWidget) -> None:
    combo = make_combo(
        parent, "fooInput", "Foo", "What foo is", [(SERVER_DEFAULT, None), ("Bar", "bar"), "baz"]
    )
    assert combo.parent() is parent
    assert (combo.objectName(), combo.accessibleName(), combo.toolTip()) == (
        "fooInput",
        "Foo",
        "What foo is",
    )
    assert not combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == [SERVER_DEFAULT, "Bar", "baz"]
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "bar", None]


def test_make_combo_editable_names_its_line_edit_and_never_inserts(
    parent: QWidget, qtbot: QtBot
) -> None:
    combo = make_combo(parent, "modelInput", "Model", "Which model", editable=True)
    line = combo.lineEdit()
    assert line is not None and line.accessibleName() == "Model"
    assert combo.insertPolicy() is QComboBox.InsertPolicy.NoInsert
    parent.show()
    qtbot.keyClicks(line, "typed-model")
    qtbot.keyClick(line, "\r")
    assert combo.count() == 0 and combo.currentText() == "typed-model"


def test_tri_state_reads_and_shows_yes_no_and_server_default(parent: QWidget) -> None:
    combo = make_tri_state(parent, "createInput", "Create", "Whether to create")
    assert combo.objectName() == "createInput"
    assert tri_value(combo) is None and combo.currentText() == SERVER_DEFAULT
    for value in (True, False, None):
        select_tri(combo, value)
        assert tri_value(combo) is value


def test_select_data_adds_an_unknown_value_instead_of_dropping_it(parent: QWidget) -> None:
    combo = make_combo(parent, "fmtInput", "Format", "", [(SERVER_DEFAULT, None), ("PCM", "pcm")])
    select_data(combo, "pcm")
    assert combo.currentIndex() == 1
    select_data(combo, "g729")
    assert combo.currentData() == "g729" and combo.count() == 3
    select_data(combo, None)
    assert combo.currentIndex() == 0


def test_make_line_and_json_editor(parent: QWidget) -> None:
    line = make_line(parent, "langInput", "Language", "Spoken language", "e.g. en")
    assert (line.objectName(), line.accessibleName(), line.toolTip()) == (
        "langInput",
        "Language",
        "Spoken language",
    )
    assert line.placeholderText() == "e.g. en" and line.isClearButtonEnabled()
    editor = make_json_editor(parent, "toolsInput", "Tools", "A JSON array", "[]")
    assert (editor.objectName(), editor.accessibleName(), editor.toolTip()) == (
        "toolsInput",
        "Tools",
        "A JSON array",
    )
    assert editor.placeholderText() == "[]"
    # Tab must leave the editor, or keyboard users are stuck in it.
    assert editor.tabChangesFocus()
    assert editor.lineWrapMode() is QPlainTextEdit.LineWrapMode.NoWrap


# -- JSON in the editors ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "want", "expected"),
    [
        ("", list, (None, None)),
        ("  \n", dict, (None, None)),
        ('[{"a": 1}]', list, ([{"a": 1}], None)),
        ('{"a": 1}', dict, ({"a": 1}, None)),
        ('{"a": 1}', list, (None, "must be a JSON array")),
        ("[1]", dict, (None, "must be a JSON object")),
    ],
)
def test_parse_json(text: str, want: type, expected: tuple[object, str | None]) -> None:
    assert parse_json(text, want) == expected


def test_parse_json_says_where_the_syntax_error_is() -> None:
    value, error = parse_json('[\n  {"a": 1,}\n]', list)
    assert value is None
    assert error is not None and error.startswith("is not valid JSON") and "line 2" in error


def test_to_json_writes_read_only_mappings_and_tuples() -> None:
    value = (MappingProxyType({"name": "ü", "args": (1, 2)}),)
    assert (
        to_json(value)
        == '[\n  {\n    "name": "ü",\n    "args": [\n      1,\n      2\n    ]\n  }\n]'
    )
