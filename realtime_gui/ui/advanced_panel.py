"""The advanced session settings: audio, turns, tools, response and context, on tabs."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import FieldProblem
from ..core.session import (
    AUDIO_FORMATS,
    EAGERNESS,
    NOISE_REDUCTION_TYPES,
    REASONING_EFFORTS,
    TRANSCRIPTION_MODELS,
    TRUNCATION_TYPES,
    TURN_DETECTION_TYPES,
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
    body_path,
    inapplicable_reason,
)
from ..core.tools import TOOL_CHOICE_MODES, tool_choice_options

__all__ = ["FIELD_INPUTS", "AdvancedPanel"]

SERVER_DEFAULT = "Server default"

# Field name (as in SessionConfig and FieldProblem.field) -> objectName of its input.
FIELD_INPUTS: dict[str, str] = {
    "input_audio_format": "inputFormatInput",
    "output_audio_format": "outputFormatInput",
    "speed": "speedInput",
    "noise_reduction": "noiseReductionInput",
    "transcription": "transcriptionModelInput",
    "transcription.model": "transcriptionModelInput",
    "transcription.language": "transcriptionLanguageInput",
    "transcription.prompt": "transcriptionPromptInput",
    "turn_detection": "turnDetectionInput",
    "turn_detection.type": "turnDetectionInput",
    "turn_detection.threshold": "vadThresholdInput",
    "turn_detection.prefix_padding_ms": "prefixPaddingInput",
    "turn_detection.silence_duration_ms": "silenceDurationInput",
    "turn_detection.idle_timeout_ms": "idleTimeoutInput",
    "turn_detection.create_response": "createResponseInput",
    "turn_detection.interrupt_response": "interruptResponseInput",
    "turn_detection.eagerness": "eagernessInput",
    "tools": "toolsInput",
    "tool_choice": "toolChoiceInput",
    "max_output_tokens": "maxOutputTokensInput",
    "reasoning_effort": "reasoningEffortInput",
    "include_logprobs": "includeLogprobsInput",
    "temperature": "temperatureInput",
    "tracing": "tracingInput",
    "tracing.workflow_name": "tracingWorkflowInput",
    "tracing.group_id": "tracingGroupInput",
    "tracing.metadata": "tracingMetadataInput",
    "truncation": "truncationInput",
    "truncation.type": "truncationInput",
    "truncation.retention_ratio": "retentionRatioInput",
    "prompt": "promptIdInput",
    "prompt.id": "promptIdInput",
    "prompt.version": "promptVersionInput",
    "prompt.variables": "promptVariablesInput",
}

# Which turn-detection settings each type takes (the same table validation uses).
_TURN_FIELDS: dict[str, tuple[str, ...]] = {
    "server_vad": (
        "threshold",
        "prefix_padding_ms",
        "silence_duration_ms",
        "idle_timeout_ms",
        "create_response",
        "interrupt_response",
    ),
    "semantic_vad": ("eagerness", "create_response", "interrupt_response"),
}
_TURN_LABELS = {
    "none": "None (manual turns)",
    "server_vad": "Server VAD",
    "semantic_vad": "Semantic VAD",
}
_FORMAT_LABELS = {"pcm": "PCM 24 kHz", "pcmu": "G.711 µ-law", "pcma": "G.711 A-law"}
_NOISE_LABELS = {"near_field": "Near field", "far_field": "Far field"}
_TRUNCATION_LABELS = {"auto": "auto", "disabled": "disabled", "retention_ratio": "Retention ratio"}
_ERROR_COLOURS = ("#c62828", "#ff6e6e")  # (light palette, dark palette), as the window uses
_TRANSCRIPTION_MODEL_ELSEWHERE = "the transcription model is the Model field above"


class _OptionalDoubleSpin(QDoubleSpinBox):
    """A number whose minimum (one hundredth below the real range) means "server default"."""

    def __init__(self, parent: QWidget, low: float, high: float, step: float, start: float) -> None:
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


class _OptionalSpin(QSpinBox):
    """A whole number whose minimum (one below the real range) means "server default"."""

    def __init__(self, parent: QWidget, low: int, high: int, step: int, start: int) -> None:
        super().__init__(parent)
        self._low, self._start = low, start
        self.setRange(low - 1, high)
        self.setSingleStep(step)
        self.setSpecialValueText(SERVER_DEFAULT)
        self.setValue(self.minimum())

    def is_default(self) -> bool:
        return self.value() < self._low

    def stepBy(self, steps: int) -> None:
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


def _parse_json(text: str, want: type) -> tuple[Any, str | None]:
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


def _to_json(value: Any) -> str:
    def plain(obj: object) -> object:
        # Frozen configs may hold read-only mappings; json only knows dicts and lists.
        if isinstance(obj, Mapping):
            return dict(obj)
        if isinstance(obj, tuple):
            return list(obj)
        raise TypeError(f"{type(obj).__name__} is not JSON")

    return json.dumps(value, indent=2, ensure_ascii=False, default=plain)


def _choice_key(choice: str | Mapping[str, Any]) -> str:
    """A tool_choice as combo item data: the mode itself, or canonical JSON for a tool."""
    if isinstance(choice, str):
        return choice
    return json.dumps(dict(choice), sort_keys=True)


def _choice_from_key(key: str) -> str | dict[str, Any]:
    if key in TOOL_CHOICE_MODES:
        return key
    value = json.loads(key)
    return value if isinstance(value, dict) else key


def _choice_label(choice: str | Mapping[str, Any]) -> str:
    if isinstance(choice, str):
        return choice
    if choice.get("type") == "function":
        return f"function: {choice.get('name')}"
    if choice.get("type") == "mcp":
        name = choice.get("name")
        return f"MCP: {choice.get('server_label')}" + (f" / {name}" if name else "")
    return _choice_key(choice)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class AdvancedPanel(QWidget):
    """Every advanced session field, each with a "server default" state and an error line."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advancedPanel")
        self.setAccessibleName("Advanced session settings")
        self._api = ApiShape.GA
        self._kind = SessionType.REALTIME
        self._inputs: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._tips: dict[str, str] = {}
        self._tab_inputs: list[list[QWidget]] = []

        self.advancedTabs = QTabWidget(self)
        self.advancedTabs.setObjectName("advancedTabs")
        self.advancedTabs.setAccessibleName("Advanced settings tabs")
        self._build_audio()
        self._build_turns()
        self._build_tools()
        self._build_response()
        self._build_context()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.advancedTabs)

        self._connect_changes()
        self._update_tools_status()
        self.set_shape(ApiShape.GA, SessionType.REALTIME)

    # -- construction -----------------------------------------------------------------
    def _register(self, widget: QWidget, name: str, accessible: str, tip: str) -> None:
        widget.setObjectName(name)
        widget.setAccessibleName(accessible)
        widget.setToolTip(tip)
        self._inputs[name] = widget
        self._tips[name] = tip
        error = QLabel(self)
        error.setObjectName(f"{name}Error")
        error.setAccessibleName(f"{accessible} error")
        error.setWordWrap(True)
        error.hide()
        self._errors[name] = error

    def _combo(
        self,
        name: str,
        accessible: str,
        tip: str,
        items: Sequence[tuple[str, str | None]],
        *,
        editable: bool = False,
    ) -> QComboBox:
        combo = QComboBox(self)
        combo.setEditable(editable)
        for text, data in items:
            combo.addItem(text, data)
        if editable:
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = combo.lineEdit()
            if line is not None:
                line.setAccessibleName(accessible)
        self._register(combo, name, accessible, tip)
        return combo

    def _tri_state(self, name: str, accessible: str, tip: str) -> QComboBox:
        return self._combo(
            name, accessible, tip, [(SERVER_DEFAULT, None), ("Yes", "yes"), ("No", "no")]
        )

    def _line(self, name: str, accessible: str, tip: str, placeholder: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setPlaceholderText(placeholder)
        line.setClearButtonEnabled(True)
        self._register(line, name, accessible, tip)
        return line

    def _json_editor(
        self, name: str, accessible: str, tip: str, placeholder: str
    ) -> QPlainTextEdit:
        editor = QPlainTextEdit(self)
        editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        editor.setPlaceholderText(placeholder)
        editor.setTabChangesFocus(True)
        editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._register(editor, name, accessible, tip)
        return editor

    def _double(
        self,
        name: str,
        accessible: str,
        tip: str,
        span: tuple[float, float],
        *,
        step: float,
        start: float,
    ) -> _OptionalDoubleSpin:
        spin = _OptionalDoubleSpin(self, span[0], span[1], step, start)
        self._register(spin, name, accessible, tip)
        return spin

    def _whole(
        self,
        name: str,
        accessible: str,
        tip: str,
        span: tuple[int, int],
        *,
        step: int,
        start: int,
        suffix: str = "",
    ) -> _OptionalSpin:
        spin = _OptionalSpin(self, span[0], span[1], step, start)
        spin.setSuffix(suffix)
        self._register(spin, name, accessible, tip)
        return spin

    def _tab(
        self,
        title: str,
        rows: Sequence[tuple[str, QWidget, QWidget | None]],
        *,
        notes: Mapping[str, QWidget] | None = None,
    ) -> None:
        """A scrollable form; each row: a label, an input (plus one beside it), a note, errors."""
        form = QFormLayout()
        inputs: list[QWidget] = []
        for text, widget, beside in rows:
            field = QVBoxLayout()
            field.setSpacing(2)
            if beside is None:
                field.addWidget(widget)
            else:
                line = QHBoxLayout()
                line.addWidget(widget, 1)
                line.addWidget(beside)
                field.addLayout(line)
            note = (notes or {}).get(widget.objectName())
            if note is not None:
                field.addWidget(note)
            field.addWidget(self._errors[widget.objectName()])
            inputs.append(widget)
            if beside is not None:
                field.addWidget(self._errors[beside.objectName()])
                inputs.append(beside)
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, field)
        page = QWidget(self)
        page.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setObjectName(f"advanced{title}Tab")
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.advancedTabs.addTab(scroll, title)
        self._tab_inputs.append(inputs)

    def _build_audio(self) -> None:
        formats = [(SERVER_DEFAULT, None), *((f"{_FORMAT_LABELS[f]}", f) for f in AUDIO_FORMATS)]
        self.inputFormatInput = self._combo(
            "inputFormatInput",
            "Input audio format",
            "Format of the audio you send: PCM (16-bit, 24 kHz, mono) or G.711 telephony "
            "audio (8 kHz). Server default: PCM 24 kHz.",
            formats,
        )
        self.outputFormatInput = self._combo(
            "outputFormatInput",
            "Output audio format",
            "Format of the audio the model speaks. Server default: PCM 24 kHz.",
            formats,
        )
        self.speedInput = self._double(
            "speedInput",
            "Speech speed",
            "How fast the voice speaks, 0.25–1.5 (server default 1.0)",
            (0.25, 1.5),
            step=0.05,
            start=1.0,
        )
        self.noiseReductionInput = self._combo(
            "noiseReductionInput",
            "Noise reduction",
            "Filter the input audio before turn detection and the model: near field for "
            "headsets, far field for laptop or conference-room microphones. Server default: off.",
            [
                ("Server default (off)", None),
                *((_NOISE_LABELS[t], t) for t in NOISE_REDUCTION_TYPES),
            ],
        )
        self.transcriptionModelInput = self._combo(
            "transcriptionModelInput",
            "Transcription model",
            "Also transcribe what the user says, with this model. Empty: no transcription.",
            [("", None), *((m, m) for m in TRANSCRIPTION_MODELS)],
            editable=True,
        )
        line = self.transcriptionModelInput.lineEdit()
        if line is not None:
            line.setPlaceholderText("Not set")
        self.transcriptionLanguageInput = self._line(
            "transcriptionLanguageInput",
            "Transcription language",
            "The language spoken, as an ISO-639-1 code such as en or de; "
            "improves accuracy and latency",
            "e.g. en",
        )
        self.transcriptionPromptInput = self._line(
            "transcriptionPromptInput",
            "Transcription prompt",
            "Text that guides the transcription: expected words, names or style",
            "Optional",
        )
        self._tab(
            "Audio",
            [
                ("Input format:", self.inputFormatInput, None),
                ("Output format:", self.outputFormatInput, None),
                ("Speed:", self.speedInput, None),
                ("Noise reduction:", self.noiseReductionInput, None),
                ("Transcription model:", self.transcriptionModelInput, None),
                ("Transcription language:", self.transcriptionLanguageInput, None),
                ("Transcription prompt:", self.transcriptionPromptInput, None),
            ],
        )

    def _build_turns(self) -> None:
        self.turnDetectionInput = self._combo(
            "turnDetectionInput",
            "Turn detection",
            "How the end of the user's turn is found. None: the client commits the audio "
            "itself. Server VAD: by silence. Semantic VAD: by what was said. "
            "Server default: Server VAD.",
            [(SERVER_DEFAULT, None), *((_TURN_LABELS[t], t) for t in TURN_DETECTION_TYPES)],
        )
        self.vadThresholdInput = self._double(
            "vadThresholdInput",
            "Voice activity threshold",
            "Voice activity threshold 0–1 (server default 0.5); higher needs louder speech, "
            "which suits noisy rooms",
            (0.0, 1.0),
            step=0.05,
            start=0.5,
        )
        self.prefixPaddingInput = self._whole(
            "prefixPaddingInput",
            "Prefix padding in milliseconds",
            "Audio kept from before the detected start of speech, 0–10000 ms (server default 300)",
            (0, 10_000),
            step=100,
            start=300,
            suffix=" ms",
        )
        self.silenceDurationInput = self._whole(
            "silenceDurationInput",
            "Silence duration in milliseconds",
            "Silence that ends the user's turn, 0–10000 ms (server default 500); shorter "
            "answers sooner but may cut the user off",
            (0, 10_000),
            step=100,
            start=500,
            suffix=" ms",
        )
        self.idleTimeoutInput = self._whole(
            "idleTimeoutInput",
            "Idle timeout in milliseconds",
            "Prompt a response when the user stays silent this long, 5000–30000 ms "
            "(server default: no timeout)",
            (5_000, 30_000),
            step=1_000,
            start=5_000,
            suffix=" ms",
        )
        self.createResponseInput = self._tri_state(
            "createResponseInput",
            "Create response",
            "Whether the model answers by itself when the user's turn ends (server default: yes)",
        )
        self.interruptResponseInput = self._tri_state(
            "interruptResponseInput",
            "Interrupt response",
            "Whether the user speaking interrupts a response in progress (server default: yes)",
        )
        self.eagernessInput = self._combo(
            "eagernessInput",
            "Eagerness",
            "How soon semantic VAD ends the user's turn: low waits longer, high answers "
            "sooner, auto is medium",
            [(SERVER_DEFAULT, None), *((e, e) for e in EAGERNESS)],
        )
        self._tab(
            "Turns",
            [
                ("Turn detection:", self.turnDetectionInput, None),
                ("Threshold:", self.vadThresholdInput, None),
                ("Prefix padding:", self.prefixPaddingInput, None),
                ("Silence duration:", self.silenceDurationInput, None),
                ("Idle timeout:", self.idleTimeoutInput, None),
                ("Create response:", self.createResponseInput, None),
                ("Interrupt response:", self.interruptResponseInput, None),
                ("Eagerness:", self.eagernessInput, None),
            ],
        )

    def _build_tools(self) -> None:
        self.toolsInput = self._json_editor(
            "toolsInput",
            "Tools",
            'A JSON array of tools: functions {"type": "function", "name", "description", '
            '"parameters"} and MCP servers {"type": "mcp", "server_label", "server_url", ...}. '
            "Empty: no tools.",
            '[\n  {"type": "function", "name": "get_time", "parameters": {"type": "object"}}\n]',
        )
        self.toolsStatusLabel = QLabel(self)
        self.toolsStatusLabel.setObjectName("toolsStatusLabel")
        self.toolsStatusLabel.setAccessibleName("Tools status")
        self.toolsStatusLabel.setWordWrap(True)
        self.toolChoiceInput = self._combo(
            "toolChoiceInput",
            "Tool choice",
            "Which tool the model may call: auto (it decides), none, required (it must call "
            "one), or one function or MCP server from the tools above. Server default: auto.",
            [(SERVER_DEFAULT, None), *((m, m) for m in TOOL_CHOICE_MODES)],
        )
        self._tab(
            "Tools",
            [
                ("Tools (JSON):", self.toolsInput, None),
                ("Tool choice:", self.toolChoiceInput, None),
            ],
            notes={"toolsInput": self.toolsStatusLabel},
        )

    def _build_response(self) -> None:
        self.maxOutputTokensInput = self._whole(
            "maxOutputTokensInput",
            "Maximum output tokens",
            'Most tokens in one response, 1–4096 (server default "inf": no limit)',
            (1, 4096),
            step=1,
            start=4096,
        )
        self.maxOutputTokensInfInput = QCheckBox("inf", self)
        self._register(
            self.maxOutputTokensInfInput,
            "maxOutputTokensInfInput",
            "Unlimited output tokens",
            'Send "inf": no limit on the length of a response',
        )
        self.reasoningEffortInput = self._combo(
            "reasoningEffortInput",
            "Reasoning effort",
            "How much the model reasons before answering, for reasoning models "
            "(server default low); more effort is slower",
            [(SERVER_DEFAULT, None), *((r, r) for r in REASONING_EFFORTS)],
        )
        self.includeLogprobsInput = QCheckBox("Include transcription log probabilities", self)
        self._register(
            self.includeLogprobsInput,
            "includeLogprobsInput",
            "Include transcription log probabilities",
            "Add the log probabilities of the input audio transcription to transcription "
            "events, to judge its confidence",
        )
        self.temperatureInput = self._double(
            "temperatureInput",
            "Temperature",
            "Sampling temperature 0.6–1.2 (server default 0.8). Beta API only: GA rejects it.",
            (0.6, 1.2),
            step=0.05,
            start=0.8,
        )
        self._tab(
            "Response",
            [
                ("Max output tokens:", self.maxOutputTokensInput, self.maxOutputTokensInfInput),
                ("Reasoning effort:", self.reasoningEffortInput, None),
                ("Log probabilities:", self.includeLogprobsInput, None),
                ("Temperature:", self.temperatureInput, None),
            ],
        )

    def _build_context(self) -> None:
        self.tracingInput = self._combo(
            "tracingInput",
            "Tracing",
            "Record traces in the Traces dashboard: auto uses a default workflow name; "
            "Workflow sets the name, group id and metadata below",
            [("Off (server default)", None), ("auto", "auto"), ("Workflow", "workflow")],
        )
        self.tracingWorkflowInput = self._line(
            "tracingWorkflowInput",
            "Tracing workflow name",
            "The workflow name the traces are filed under",
            "e.g. support-bot",
        )
        self.tracingGroupInput = self._line(
            "tracingGroupInput",
            "Tracing group id",
            "A group id to filter and group related traces",
            "Optional",
        )
        self.tracingMetadataInput = self._json_editor(
            "tracingMetadataInput",
            "Tracing metadata",
            "A JSON object of metadata attached to the traces",
            '{"team": "demo"}',
        )
        self.tracingMetadataInput.setFixedHeight(70)
        self.truncationInput = self._combo(
            "truncationInput",
            "Truncation",
            "What to drop when the conversation outgrows the context window: auto (old turns "
            "as needed), disabled (never truncate), or keep a retention ratio of the context. "
            "Server default: auto.",
            [(SERVER_DEFAULT, None), *((_TRUNCATION_LABELS[t], t) for t in TRUNCATION_TYPES)],
        )
        self.retentionRatioInput = self._double(
            "retentionRatioInput",
            "Retention ratio",
            "The fraction of the context to keep when truncating, 0–1",
            (0.0, 1.0),
            step=0.05,
            start=0.5,  # no documented default; start mid-range rather than keeping nothing
        )
        self.promptIdInput = self._line(
            "promptIdInput",
            "Prompt id",
            "A stored prompt to use, by id (pmpt_…); it supplies instructions and settings",
            "e.g. pmpt_123",
        )
        self.promptVersionInput = self._line(
            "promptVersionInput",
            "Prompt version",
            "The prompt version to use; empty: its current version",
            "Current version",
        )
        self.promptVariablesInput = self._json_editor(
            "promptVariablesInput",
            "Prompt variables",
            "A JSON object of values for the prompt's variables",
            '{"city": "Paris"}',
        )
        self.promptVariablesInput.setFixedHeight(70)
        self._tab(
            "Context",
            [
                ("Tracing:", self.tracingInput, None),
                ("Workflow name:", self.tracingWorkflowInput, None),
                ("Group id:", self.tracingGroupInput, None),
                ("Metadata (JSON):", self.tracingMetadataInput, None),
                ("Truncation:", self.truncationInput, None),
                ("Retention ratio:", self.retentionRatioInput, None),
                ("Prompt id:", self.promptIdInput, None),
                ("Prompt version:", self.promptVersionInput, None),
                ("Variables (JSON):", self.promptVariablesInput, None),
            ],
        )

    def _connect_changes(self) -> None:
        # Before _on_edit, so the tool choice list is current when `changed` fires.
        self.toolsInput.textChanged.connect(self._update_tools_status)
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

    # -- reacting to edits ------------------------------------------------------------
    @Slot()
    def _on_edit(self) -> None:
        # Dependent inputs first, so a listener reading apply() sees a consistent panel.
        self._update_enabled()
        self.changed.emit()

    @Slot()
    def _update_tools_status(self) -> None:
        tools, error = _parse_json(self.toolsInput.toPlainText(), list)
        if error is not None:
            message = error.removeprefix("is ")
            self.toolsStatusLabel.setText(message[0].upper() + message[1:])
            self._paint_error(self.toolsStatusLabel)
            return
        self.toolsStatusLabel.setStyleSheet("")
        if tools is None:
            self.toolsStatusLabel.setText("No tools")
        else:
            kinds = [t.get("type") if isinstance(t, dict) else None for t in tools]
            parts = []
            if kinds.count("function"):
                parts.append(_plural(kinds.count("function"), "function"))
            if kinds.count("mcp"):
                parts.append(_plural(kinds.count("mcp"), "MCP server"))
            other = len(kinds) - kinds.count("function") - kinds.count("mcp")
            if other:
                parts.append(f"{other} of unknown type")
            summary = _plural(len(tools), "tool")
            self.toolsStatusLabel.setText(f"{summary}: {', '.join(parts)}" if parts else summary)
        self._rebuild_tool_choices(tools)

    def _rebuild_tool_choices(self, tools: list[Any] | None) -> None:
        """List the modes and each tool; keep the current choice, marked if it is gone."""
        combo = self.toolChoiceInput
        current = combo.currentData()
        current_text = combo.currentText()
        options = tool_choice_options(tools)
        was = combo.blockSignals(True)
        combo.clear()
        combo.addItem(SERVER_DEFAULT, None)
        for option in options:
            combo.addItem(_choice_label(option), _choice_key(option))
        if current is not None and combo.findData(current) < 0:
            # Dropping it would silently change what is sent; validation names it instead.
            suffix = " (not in tools)"
            text = current_text if current_text.endswith(suffix) else current_text + suffix
            combo.addItem(text, current)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        combo.blockSignals(was)

    # -- shape and applicability --------------------------------------------------------
    def set_shape(self, api: ApiShape, kind: SessionType) -> None:
        """Enable what applies to this API shape and session type; say why the rest does not."""
        self._api, self._kind = api, kind
        self._update_enabled()

    def _reason(self, field: str) -> str | None:
        return inapplicable_reason(field, self._api, self._kind)

    def _applies(self, field: str) -> bool:
        return self._reason(field) is None

    def _shape_reasons(self) -> dict[str, str | None]:
        """Why each input does not apply to the shape (before any dependency on other inputs)."""
        reasons: dict[str, str | None] = {}
        for field, name in FIELD_INPUTS.items():
            top = field.split(".")[0]
            # Only turn detection has settings that one shape lacks (Beta: idle_timeout_ms).
            sub = self._reason(field) if top == "turn_detection" and field != top else None
            reasons[name] = self._reason(top) or sub
        reasons["maxOutputTokensInfInput"] = self._reason("max_output_tokens")
        if self._api is ApiShape.GA and self._kind is SessionType.TRANSCRIPTION:
            reasons["transcriptionModelInput"] = _TRANSCRIPTION_MODEL_ELSEWHERE
        return reasons

    def _dependency_reasons(self) -> dict[str, str]:
        """Why an input is off because of another input's value."""
        reasons: dict[str, str] = {}
        turn = self.turnDetectionInput.currentData()
        allowed = _TURN_FIELDS.get(turn, ())
        for sub, name in (
            ("threshold", "vadThresholdInput"),
            ("prefix_padding_ms", "prefixPaddingInput"),
            ("silence_duration_ms", "silenceDurationInput"),
            ("idle_timeout_ms", "idleTimeoutInput"),
            ("create_response", "createResponseInput"),
            ("interrupt_response", "interruptResponseInput"),
            ("eagerness", "eagernessInput"),
        ):
            if sub not in allowed:
                takers = [_TURN_LABELS[t] for t, subs in _TURN_FIELDS.items() if sub in subs]
                reasons[name] = f"choose {' or '.join(takers)} turn detection first"
        if self.tracingInput.currentData() != "workflow":
            for name in ("tracingWorkflowInput", "tracingGroupInput", "tracingMetadataInput"):
                reasons[name] = "choose Workflow tracing first"
        if self.truncationInput.currentData() != "retention_ratio":
            reasons["retentionRatioInput"] = "choose Retention ratio truncation first"
        if not self.promptIdInput.text().strip():
            for name in ("promptVersionInput", "promptVariablesInput"):
                reasons[name] = "set a prompt id first"
        if self.maxOutputTokensInfInput.isChecked():
            reasons["maxOutputTokensInput"] = 'no limit ("inf") is checked'
        return reasons

    def _update_enabled(self) -> None:
        shape = self._shape_reasons()
        dependent = self._dependency_reasons()
        for name, widget in self._inputs.items():
            reason = shape.get(name) or dependent.get(name)
            widget.setEnabled(reason is None)
            widget.setToolTip(f"Not available: {reason}." if reason else self._tips[name])
        for index, inputs in enumerate(self._tab_inputs):
            reasons = {shape.get(w.objectName()) for w in inputs}
            if None in reasons:
                self.advancedTabs.setTabToolTip(index, "")
            else:
                why = "; ".join(sorted(r for r in reasons if r))
                self.advancedTabs.setTabToolTip(index, f"Nothing here applies: {why}.")

    # -- reading and writing the inputs -------------------------------------------------
    def _tri(self, combo: QComboBox) -> bool | None:
        data = combo.currentData()
        return None if data is None else data == "yes"

    @staticmethod
    def _text(line: QLineEdit) -> str | None:
        return line.text().strip() or None

    def apply(self, config: SessionConfig) -> SessionConfig:
        """``config`` with every advanced field from the panel; inapplicable ones left out."""
        api, kind = config.api, config.session_type

        def ok(field: str) -> bool:
            return inapplicable_reason(field, api, kind) is None

        tokens: int | Literal["inf"] | None = (
            "inf"
            if self.maxOutputTokensInfInput.isChecked()
            else self.maxOutputTokensInput.optional_value()
        )
        tools, _ = _parse_json(self.toolsInput.toPlainText(), list)
        choice = self.toolChoiceInput.currentData()
        return dataclasses.replace(
            config,
            speed=self.speedInput.optional_value() if ok("speed") else None,
            temperature=self.temperatureInput.optional_value() if ok("temperature") else None,
            max_output_tokens=tokens if ok("max_output_tokens") else None,
            input_audio_format=(
                self.inputFormatInput.currentData() if ok("input_audio_format") else None
            ),
            output_audio_format=(
                self.outputFormatInput.currentData() if ok("output_audio_format") else None
            ),
            noise_reduction=(
                self.noiseReductionInput.currentData() if ok("noise_reduction") else None
            ),
            transcription=self._transcription(config) if ok("transcription") else None,
            turn_detection=self._turn_detection(ok) if ok("turn_detection") else None,
            tools=tuple(tools) if tools is not None and ok("tools") else None,
            tool_choice=(
                _choice_from_key(choice) if choice is not None and ok("tool_choice") else None
            ),
            tracing=self._tracing() if ok("tracing") else None,
            truncation=self._truncation() if ok("truncation") else None,
            prompt=self._prompt() if ok("prompt") else None,
            include_logprobs=self.includeLogprobsInput.isChecked() and ok("include_logprobs"),
            reasoning_effort=(
                self.reasoningEffortInput.currentData() if ok("reasoning_effort") else None
            ),
        )

    def _transcription(self, config: SessionConfig) -> TranscriptionSettings | None:
        base = config.transcription
        model = self.transcriptionModelInput.currentText().strip() or None
        language = self._text(self.transcriptionLanguageInput)
        prompt = self._text(self.transcriptionPromptInput)
        if model is None and language is None and prompt is None:
            return base
        if base is None:
            return TranscriptionSettings(model=model, language=language, prompt=prompt)
        # The main form's model wins; it is the one the user sees for transcription sessions.
        return dataclasses.replace(
            base,
            model=base.model or model,
            language=language or base.language,
            prompt=prompt or base.prompt,
        )

    def _turn_detection(self, ok: Callable[[str], bool]) -> TurnDetection | None:
        kind = self.turnDetectionInput.currentData()
        if kind is None:
            return None
        allowed = _TURN_FIELDS.get(kind, ())
        values: dict[str, Any] = {
            "threshold": self.vadThresholdInput.optional_value(),
            "prefix_padding_ms": self.prefixPaddingInput.optional_value(),
            "silence_duration_ms": self.silenceDurationInput.optional_value(),
            "idle_timeout_ms": self.idleTimeoutInput.optional_value(),
            "create_response": self._tri(self.createResponseInput),
            "interrupt_response": self._tri(self.interruptResponseInput),
            "eagerness": self.eagernessInput.currentData(),
        }
        return TurnDetection(
            type=kind,
            **{
                name: value
                for name, value in values.items()
                if name in allowed and ok(f"turn_detection.{name}")
            },
        )

    def _tracing(self) -> Tracing | None:
        mode = self.tracingInput.currentData()
        if mode is None:
            return None
        if mode == "auto":
            return Tracing(auto=True)
        metadata, _ = _parse_json(self.tracingMetadataInput.toPlainText(), dict)
        return Tracing(
            workflow_name=self._text(self.tracingWorkflowInput),
            group_id=self._text(self.tracingGroupInput),
            metadata=metadata,
        )

    def _truncation(self) -> Truncation | None:
        kind = self.truncationInput.currentData()
        if kind is None:
            return None
        if kind == "retention_ratio":
            return Truncation(kind, self.retentionRatioInput.optional_value())
        return Truncation(kind)

    def _prompt(self) -> PromptReference | None:
        prompt_id = self._text(self.promptIdInput)
        if prompt_id is None:
            return None
        variables, _ = _parse_json(self.promptVariablesInput.toPlainText(), dict)
        return PromptReference(prompt_id, self._text(self.promptVersionInput), variables)

    @staticmethod
    def _select(combo: QComboBox, value: str | None) -> None:
        """Select the item holding ``value``; an unknown value is added, never dropped."""
        index = combo.findData(value) if value is not None else 0
        if index < 0:
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    @staticmethod
    def _select_tri(combo: QComboBox, value: bool | None) -> None:
        combo.setCurrentIndex(0 if value is None else 1 if value else 2)

    def load(self, config: SessionConfig) -> None:
        """Show ``config`` in the inputs; ``changed`` fires once, at the end."""
        # Only the panel's own signal is blocked: the inputs still update what depends on them.
        was = self.blockSignals(True)
        try:
            self._load(config)
        finally:
            self.blockSignals(was)
        self._update_enabled()
        self.changed.emit()

    def _load(self, config: SessionConfig) -> None:
        self._select(self.inputFormatInput, config.input_audio_format)
        self._select(self.outputFormatInput, config.output_audio_format)
        self.speedInput.set_optional(config.speed)
        self._select(self.noiseReductionInput, config.noise_reduction)
        transcription = config.transcription or TranscriptionSettings()
        self.transcriptionModelInput.setEditText(transcription.model or "")
        self.transcriptionLanguageInput.setText(transcription.language or "")
        self.transcriptionPromptInput.setText(transcription.prompt or "")

        td = config.turn_detection
        self._select(self.turnDetectionInput, td.type if td is not None else None)
        td = td or TurnDetection()
        self.vadThresholdInput.set_optional(td.threshold)
        self.prefixPaddingInput.set_optional(td.prefix_padding_ms)
        self.silenceDurationInput.set_optional(td.silence_duration_ms)
        self.idleTimeoutInput.set_optional(td.idle_timeout_ms)
        self._select_tri(self.createResponseInput, td.create_response)
        self._select_tri(self.interruptResponseInput, td.interrupt_response)
        self._select(self.eagernessInput, td.eagerness)

        self.toolsInput.setPlainText("" if config.tools is None else _to_json(config.tools))
        choice = config.tool_choice
        if choice is None:
            self.toolChoiceInput.setCurrentIndex(0)
        else:
            key = _choice_key(choice)
            if self.toolChoiceInput.findData(key) < 0:
                self.toolChoiceInput.addItem(f"{_choice_label(choice)} (not in tools)", key)
            self.toolChoiceInput.setCurrentIndex(self.toolChoiceInput.findData(key))

        tokens = config.max_output_tokens
        self.maxOutputTokensInfInput.setChecked(tokens == "inf")
        self.maxOutputTokensInput.set_optional(tokens if isinstance(tokens, int) else None)
        self._select(self.reasoningEffortInput, config.reasoning_effort)
        self.includeLogprobsInput.setChecked(config.include_logprobs)
        self.temperatureInput.set_optional(config.temperature)

        tracing = config.tracing
        mode = None if tracing is None else "auto" if tracing.auto else "workflow"
        self._select(self.tracingInput, mode)
        tracing = tracing or Tracing()
        self.tracingWorkflowInput.setText(tracing.workflow_name or "")
        self.tracingGroupInput.setText(tracing.group_id or "")
        metadata = tracing.metadata
        self.tracingMetadataInput.setPlainText("" if metadata is None else _to_json(metadata))
        truncation = config.truncation
        self._select(self.truncationInput, truncation.type if truncation is not None else None)
        self.retentionRatioInput.set_optional(
            truncation.retention_ratio if truncation is not None else None
        )
        prompt = config.prompt
        self.promptIdInput.setText(prompt.id if prompt is not None else "")
        self.promptVersionInput.setText(prompt.version or "" if prompt is not None else "")
        variables = prompt.variables if prompt is not None else None
        self.promptVariablesInput.setPlainText("" if variables is None else _to_json(variables))

    # -- problems -----------------------------------------------------------------------
    def local_problems(self) -> list[FieldProblem]:
        """JSON the panel cannot read, in the editors whose text would be sent."""
        problems: list[FieldProblem] = []
        editors = (
            ("tools", self.toolsInput, list, self._applies("tools")),
            (
                "tracing.metadata",
                self.tracingMetadataInput,
                dict,
                self._applies("tracing") and self.tracingInput.currentData() == "workflow",
            ),
            (
                "prompt.variables",
                self.promptVariablesInput,
                dict,
                self._applies("prompt") and bool(self.promptIdInput.text().strip()),
            ),
        )
        for field, editor, want, counts in editors:
            # Text in a disabled editor is never sent, so it cannot block a mint.
            if not counts:
                continue
            _, error = _parse_json(editor.toPlainText(), want)
            if error is not None:
                top, _, rest = field.partition(".")
                path = body_path(top, self._api, self._kind)
                problems.append(
                    FieldProblem(field, error, f"{path}.{rest}" if path and rest else path)
                )
        return problems

    def input_for(self, field: str) -> QWidget | None:
        """The input that edits ``field`` (``tools[2].name`` -> toolsInput), or None."""
        name = field
        while name:
            if name in FIELD_INPUTS:
                return self._inputs[FIELD_INPUTS[name]]
            cut = max(name.rfind("."), name.rfind("["))
            name = name[:cut] if cut > 0 else ""
        return None

    def _paint_error(self, label: QLabel) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        label.setStyleSheet(f"color: {_ERROR_COLOURS[1] if dark else _ERROR_COLOURS[0]};")

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show each problem under its input; clear every other error line."""
        messages: dict[str, list[str]] = {}
        for problem in problems:
            widget = self.input_for(problem.field)
            if widget is None:
                continue
            # A sub-path (tools[1].name) needs its name; the input already names its own field.
            exact = FIELD_INPUTS.get(problem.field) == widget.objectName()
            text = problem.message if exact else f"{problem.field}: {problem.message}"
            messages.setdefault(widget.objectName(), []).append(text)
        for name, label in self._errors.items():
            lines = messages.get(name, [])
            label.setText("\n".join(lines))
            if lines:
                self._paint_error(label)
            label.setVisible(bool(lines))
