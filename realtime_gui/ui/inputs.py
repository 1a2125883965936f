"""Input widgets the session form and the advanced tabs share: "server default" spins, combos."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ..core.fields import SessionField, Span

__all__ = [
    "SERVER_DEFAULT",
    "OptionalDoubleSpin",
    "OptionalSpin",
    "choice_items",
    "describe",
    "describe_field",
    "make_combo",
    "make_json_editor",
    "make_line",
    "make_tri_state",
    "parse_json",
    "select_data",
    "select_tri",
    "span_of",
    "to_json",
    "tri_value",
]

SERVER_DEFAULT = "Server default"

_W = TypeVar("_W", bound=QWidget)


class OptionalDoubleSpin(QDoubleSpinBox):
    """A number whose minimum (one hundredth below the real range) means "server default"."""

    def __init__(
        self, parent: QWidget | None, low: float, high: float, step: float, start: float
    ) -> None:
        super().__init__(parent)
        self._low, self._start = low, start
        self.setDecimals(2)
        # One display step below the range, so no typed value falls between None and valid.
        self.setRange(low - 0.01, high)
        self.setSingleStep(step)
        self.setSpecialValueText(SERVER_DEFAULT)
        self.setValue(self.minimum())

    def is_default(self) -> bool:
        return self.value() < self._low - 0.005

    def stepBy(self, steps: int) -> None:
        # Stepping up from "server default" lands on the server's own default, not 0.01 above.
        if self.is_default() and steps > 0:
            self.setValue(self._start + (steps - 1) * self.singleStep())
        elif not self.is_default() and self.value() + steps * self.singleStep() < self._low - 1e-9:
            self.setValue(self.minimum())
        else:
            super().stepBy(steps)

    def optional_value(self) -> float | None:
        return None if self.is_default() else round(self.value(), self.decimals())

    def set_optional(self, value: float | None) -> None:
        self.setValue(self.minimum() if value is None else value)


class OptionalSpin(QSpinBox):
    """A whole number whose minimum (one below the real range) means "server default"."""

    def __init__(self, parent: QWidget | None, low: int, high: int, step: int, start: int) -> None:
        super().__init__(parent)
        self._low, self._start = low, start
        self.setRange(low - 1, high)
        self.setSingleStep(step)
        self.setSpecialValueText(SERVER_DEFAULT)
        self.setValue(self.minimum())

    def is_default(self) -> bool:
        return self.value() < self._low

    def stepBy(self, steps: int) -> None:
        # As OptionalDoubleSpin: up from "server default" is the server's default value.
        if self.is_default() and steps > 0:
            self.setValue(self._start + (steps - 1) * self.singleStep())
        elif not self.is_default() and self.value() + steps * self.singleStep() < self._low:
            self.setValue(self.minimum())
        else:
            super().stepBy(steps)

    def optional_value(self) -> int | None:
        return None if self.is_default() else self.value()

    def set_optional(self, value: int | None) -> None:
        self.setValue(self.minimum() if value is None else value)


def describe(widget: _W, name: str, accessible: str, tip: str) -> _W:
    """``widget`` with its objectName, accessible name and tooltip set (the automation contract)."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setToolTip(tip)
    return widget


def describe_field(widget: _W, name: str, entry: SessionField) -> _W:
    """``widget`` named ``name``, with the table's label as accessible name and help as tooltip."""
    return describe(widget, name, entry.label, entry.help)


def span_of(entry: SessionField) -> Span:
    """The range of a field the window shows in a spin box (every such field declares one)."""
    if entry.span is None:
        raise LookupError(f"{entry.name} has no range in the fields table")
    return entry.span


def choice_items(
    entry: SessionField,
    labels: Mapping[str, str] | None = None,
    default: str | None = SERVER_DEFAULT,
) -> list[tuple[str, str | None]]:
    """Combo items for the field's choices, in the table's order, shown by ``labels`` if given.

    ``default`` is the text of a first "not set" item (data None); None: no such item.
    """
    shown = labels or {}
    items: list[tuple[str, str | None]] = [(default, None)] if default is not None else []
    return items + [(shown.get(choice, choice), choice) for choice in entry.choices]


def make_combo(
    parent: QWidget | None,
    name: str,
    accessible: str,
    tip: str,
    items: Iterable[str | tuple[str, Any]] = (),
    *,
    editable: bool = False,
) -> QComboBox:
    """A named combo box; ``items`` are texts or (text, data) pairs."""
    combo = QComboBox(parent)
    describe(combo, name, accessible, tip)
    combo.setEditable(editable)
    for item in items:
        if isinstance(item, str):
            combo.addItem(item)
        else:
            combo.addItem(item[0], item[1])
    if editable:
        # Typing a value must not grow the list: the items are the known choices only.
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = combo.lineEdit()
        if line is not None:
            line.setAccessibleName(accessible)
    return combo


def make_tri_state(parent: QWidget | None, name: str, accessible: str, tip: str) -> QComboBox:
    """A yes / no / "server default" combo; read it with ``tri_value``."""
    return make_combo(
        parent, name, accessible, tip, [(SERVER_DEFAULT, None), ("Yes", "yes"), ("No", "no")]
    )


def tri_value(combo: QComboBox) -> bool | None:
    """What a ``make_tri_state`` combo holds: True, False, or None for the server default."""
    data = combo.currentData()
    return None if data is None else data == "yes"


def select_tri(combo: QComboBox, value: bool | None) -> None:
    """Show ``value`` in a ``make_tri_state`` combo."""
    combo.setCurrentIndex(0 if value is None else 1 if value else 2)


def select_data(combo: QComboBox, value: str | None) -> None:
    """Select the item holding ``value`` (None: the first); an unknown one is added, not dropped."""
    index = combo.findData(value) if value is not None else 0
    if index < 0:
        combo.addItem(str(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def make_line(
    parent: QWidget | None, name: str, accessible: str, tip: str, placeholder: str
) -> QLineEdit:
    """A named one-line text input with a clear button."""
    line = QLineEdit(parent)
    describe(line, name, accessible, tip)
    line.setPlaceholderText(placeholder)
    line.setClearButtonEnabled(True)
    return line


def make_json_editor(
    parent: QWidget | None, name: str, accessible: str, tip: str, placeholder: str
) -> QPlainTextEdit:
    """A named monospace JSON editor where Tab moves focus on rather than indenting."""
    editor = QPlainTextEdit(parent)
    describe(editor, name, accessible, tip)
    editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    editor.setPlaceholderText(placeholder)
    editor.setTabChangesFocus(True)
    editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return editor


def parse_json(text: str, want: type) -> tuple[Any, str | None]:
    """(value, None), (None, None) for empty text, or (None, problem message)."""
    if not text.strip():
        return None, None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if not isinstance(value, want):
        return None, "must be a JSON array" if want is list else "must be a JSON object"
    return value, None


def to_json(value: Any) -> str:
    """``value`` as indented JSON for an editor; read-only mappings and tuples included."""

    def plain(obj: object) -> object:
        # Frozen configs may hold read-only mappings; json only knows dicts and lists.
        if isinstance(obj, Mapping):
            return dict(obj)
        if isinstance(obj, tuple):
            return list(obj)
        raise TypeError(f"{type(obj).__name__} is not JSON")

    return json.dumps(value, indent=2, ensure_ascii=False, default=plain)
