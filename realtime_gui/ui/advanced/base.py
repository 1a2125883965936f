"""What every advanced-settings tab shares: inputs with error lines, enabling, the lazy form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar, TypeVar

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import FieldProblem
from ...core.fields import field as table_field
from ...core.session import ApiShape, SessionConfig, SessionType, body_path, inapplicable_reason
from ..inputs import (
    OptionalDoubleSpin,
    OptionalSpin,
    describe_field,
    make_combo,
    make_json_editor,
    make_line,
    make_tri_state,
    parse_json,
    span_of,
)
from ..style import paint_error

__all__ = ["AdvancedTab", "Applies", "input_name_for"]

_W = TypeVar("_W", bound=QWidget)
# Whether a field applies to the shape being applied (a SessionConfig's api and session type).
Applies = Callable[[str], bool]


def input_name_for(field: str, fields: dict[str, str]) -> str | None:
    """The input name for ``field`` or its nearest parent (``tools[2].name`` -> toolsInput)."""
    name = field
    while name:
        if name in fields:
            return fields[name]
        cut = max(name.rfind("."), name.rfind("["))
        name = name[:cut] if cut > 0 else ""
    return None


class AdvancedTab(QWidget):
    """One tab page: its inputs, each with an error line; the form is laid out when first shown.

    Subclasses declare ``TITLE`` and ``FIELDS`` (field -> input objectName), create their inputs
    with the ``_combo``/``_line``/... helpers in ``_build`` and list them with ``_row``; the
    helpers take the label, tooltip and range from the fields table (core/fields.py).
    """

    changed = Signal()

    TITLE: ClassVar[str]
    FIELDS: ClassVar[dict[str, str]]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._api = ApiShape.GA
        self._kind = SessionType.REALTIME
        self._inputs: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._tips: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._rows: list[tuple[str, QWidget, QWidget | None]] = []
        self._notes: dict[str, QWidget] = {}
        self._laid_out = False
        self._build()
        self._connect_changes()
        self._update_enabled()

    # -- for subclasses -----------------------------------------------------------------
    def _build(self) -> None:
        """Create the inputs (in tab order) and list them with ``_row``."""
        raise NotImplementedError

    def _load(self, config: SessionConfig) -> None:
        """Show ``config``'s fields of this tab in its inputs."""
        raise NotImplementedError

    def apply(self, config: SessionConfig) -> SessionConfig:
        """``config`` with this tab's fields from its inputs; inapplicable ones left out."""
        raise NotImplementedError

    def _dependency_reasons(self) -> dict[str, str]:
        """Why an input is off because of another input's value."""
        return {}

    def _shape_reasons(self) -> dict[str, str | None]:
        """Why each input does not apply to the shape (before any dependency on other inputs)."""
        reasons: dict[str, str | None] = {}
        for field, name in self.FIELDS.items():
            top = field.split(".")[0]
            # Only turn detection has settings that one shape lacks (Beta: idle_timeout_ms).
            sub = self._reason(field) if top == "turn_detection" and field != top else None
            reasons[name] = self._reason(top) or sub
        return reasons

    # -- building -----------------------------------------------------------------------
    # Each helper takes the table field the input edits: its label names the input and its
    # form row, its help is the tooltip and its span the spin box range.
    def _register(self, widget: _W, label: str | None = None) -> _W:
        """Track an input made by an ``inputs`` factory and give it a hidden error line.

        ``label`` is its form row's text (without the colon); None for an input beside another.
        """
        name = widget.objectName()
        self._inputs[name] = widget
        self._tips[name] = widget.toolTip()
        if label is not None:
            self._labels[name] = label
        error = QLabel(self)
        error.setObjectName(f"{name}Error")
        error.setAccessibleName(f"{widget.accessibleName()} error")
        error.setWordWrap(True)
        error.hide()
        self._errors[name] = error
        return widget

    def _field_input(self, widget: _W, name: str, field: str) -> _W:
        entry = table_field(field)
        return self._register(describe_field(widget, name, entry), entry.label)

    def _combo(
        self,
        name: str,
        field: str,
        items: Iterable[tuple[str, str | None]],
        *,
        editable: bool = False,
    ) -> QComboBox:
        entry = table_field(field)
        combo = make_combo(self, name, entry.label, entry.help, items, editable=editable)
        return self._register(combo, entry.label)

    def _tri_state(self, name: str, field: str) -> QComboBox:
        entry = table_field(field)
        return self._register(make_tri_state(self, name, entry.label, entry.help), entry.label)

    def _line(self, name: str, field: str, placeholder: str) -> QLineEdit:
        entry = table_field(field)
        line = make_line(self, name, entry.label, entry.help, placeholder)
        return self._register(line, entry.label)

    def _json_editor(self, name: str, field: str, placeholder: str) -> QPlainTextEdit:
        entry = table_field(field)
        editor = make_json_editor(self, name, entry.label, entry.help, placeholder)
        # The row says what to type; the table's label names the field, not its notation.
        return self._register(editor, f"{entry.label} (JSON)")

    def _check(self, text: str, name: str, field: str) -> QCheckBox:
        return self._field_input(QCheckBox(text, self), name, field)

    def _double(self, name: str, field: str, *, step: float, start: float) -> OptionalDoubleSpin:
        span = span_of(table_field(field))
        return self._field_input(
            OptionalDoubleSpin(self, span.low, span.high, step, start), name, field
        )

    def _whole(self, name: str, field: str, *, step: int, start: int | None = None) -> OptionalSpin:
        """A whole-number spin over the field's range; up from "server default" goes to ``start``.

        ``start`` defaults to the low end of the range; the suffix is the range's unit.
        """
        span = span_of(table_field(field))
        low, high = int(span.low), int(span.high)
        spin = OptionalSpin(self, low, high, step, low if start is None else start)
        spin.setSuffix(f" {span.unit}" if span.unit else "")
        return self._field_input(spin, name, field)

    def _row(
        self, widget: QWidget, beside: QWidget | None = None, *, note: QWidget | None = None
    ) -> None:
        """A form row: the input's label, the input (plus one beside it), a note, error lines."""
        self._rows.append((f"{self._labels[widget.objectName()]}:", widget, beside))
        if note is not None:
            self._notes[widget.objectName()] = note

    def ensure_laid_out(self) -> None:
        """Lay the form out, once; construction skips it so a hidden panel starts fast."""
        if self._laid_out:
            return
        self._laid_out = True
        form = QFormLayout()
        for text, widget, beside in self._rows:
            field = QVBoxLayout()
            field.setSpacing(2)
            if beside is None:
                field.addWidget(widget)
            else:
                line = QHBoxLayout()
                line.addWidget(widget, 1)
                line.addWidget(beside)
                field.addLayout(line)
            note = self._notes.get(widget.objectName())
            if note is not None:
                field.addWidget(note)
            field.addWidget(self._errors[widget.objectName()])
            if beside is not None:
                field.addWidget(self._errors[beside.objectName()])
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, field)
        self.setLayout(form)

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_laid_out()
        super().showEvent(event)

    def _connect_changes(self) -> None:
        for widget in self._inputs.values():
            if isinstance(widget, QComboBox):
                if widget.isEditable():
                    widget.editTextChanged.connect(self._on_edit)
                else:
                    widget.currentIndexChanged.connect(self._on_edit)
            elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                widget.valueChanged.connect(self._on_edit)
            elif isinstance(widget, (QLineEdit, QPlainTextEdit)):
                widget.textChanged.connect(self._on_edit)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self._on_edit)

    # -- reacting to edits and the shape ------------------------------------------------
    @Slot()
    def _on_edit(self) -> None:
        # Dependent inputs first, so a listener reading apply() sees a consistent tab.
        self._update_enabled()
        self.changed.emit()

    def set_shape(self, api: ApiShape, kind: SessionType) -> None:
        """Enable what applies to this API shape and session type; say why the rest does not."""
        self._api, self._kind = api, kind
        self._update_enabled()

    def _reason(self, field: str) -> str | None:
        return inapplicable_reason(field, self._api, self._kind)

    def _applies(self, field: str) -> bool:
        return self._reason(field) is None

    @staticmethod
    def _applies_to(config: SessionConfig) -> Applies:
        """Whether a field applies to ``config``'s API shape and session type."""
        api, kind = config.api, config.session_type
        return lambda field: inapplicable_reason(field, api, kind) is None

    def _update_enabled(self) -> None:
        shape = self._shape_reasons()
        dependent = self._dependency_reasons()
        for name, widget in self._inputs.items():
            reason = shape.get(name) or dependent.get(name)
            widget.setEnabled(reason is None)
            widget.setToolTip(f"Not available: {reason}." if reason else self._tips[name])

    def unavailable_tip(self) -> str:
        """The tab's tooltip: empty while anything here applies, else why nothing does."""
        shape = self._shape_reasons()
        reasons = {shape.get(name) for name in self._inputs}
        if None in reasons:
            return ""
        return f"Nothing here applies: {'; '.join(sorted(r for r in reasons if r))}."

    # -- loading ------------------------------------------------------------------------
    def load(self, config: SessionConfig) -> None:
        """Show ``config`` in the inputs; ``changed`` fires once, at the end."""
        # Only the tab's own signal is blocked: the inputs still update what depends on them.
        was = self.blockSignals(True)
        try:
            self._load(config)
        finally:
            self.blockSignals(was)
        self._update_enabled()
        self.changed.emit()

    # -- problems -----------------------------------------------------------------------
    def local_problems(self) -> list[FieldProblem]:
        """JSON this tab cannot read, in the editors whose text would be sent."""
        return []

    def _json_problem(self, field: str, editor: QPlainTextEdit, want: type) -> FieldProblem | None:
        _, error = parse_json(editor.toPlainText(), want)
        if error is None:
            return None
        top, _, rest = field.partition(".")
        path = body_path(top, self._api, self._kind)
        return FieldProblem(field, error, f"{path}.{rest}" if path and rest else path)

    def input_for(self, field: str) -> QWidget | None:
        """The input of this tab that edits ``field`` (or its nearest parent), or None."""
        name = input_name_for(field, self.FIELDS)
        return None if name is None else self._inputs[name]

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show each of this tab's problems under its input; clear every other error line."""
        messages: dict[str, list[str]] = {}
        for problem in problems:
            widget = self.input_for(problem.field)
            if widget is None:
                continue
            # A sub-path (tools[1].name) needs its name; the input already names its own field.
            exact = self.FIELDS.get(problem.field) == widget.objectName()
            text = problem.message if exact else f"{problem.field}: {problem.message}"
            messages.setdefault(widget.objectName(), []).append(text)
        for name, label in self._errors.items():
            lines = messages.get(name, [])
            label.setText("\n".join(lines))
            if lines:
                paint_error(label)
            label.setVisible(bool(lines))
