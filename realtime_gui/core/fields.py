"""The one table of session fields: wire paths per API shape, codec, limits, label and help."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from .codecs import (
    AudioFormat,
    Codec,
    CustomVoice,
    Listed,
    Modalities,
    PromptCodec,
    SessionTypeCodec,
    Tools,
    TracingCodec,
    TranscriptionCodec,
    TruncationCodec,
    TurnDetectionCodec,
    Wrapped,
)
from .session_config import ApiShape, SessionType

__all__ = [
    "AUDIO_FORMAT",
    "CUSTOM_VOICE_PREFIX",
    "FIELDS",
    "LOGPROBS_INCLUDE",
    "PLAIN",
    "TOP_LEVEL",
    "SessionField",
    "Span",
    "body_path",
    "field",
    "inapplicable_reason",
    "subfields",
    "subfields_for_type",
]

PLAIN = Codec()
# Canonical format name -> GA object / Beta string; the only place either spelling is written.
AUDIO_FORMAT = AudioFormat(
    ga={
        "pcm": {"type": "audio/pcm", "rate": 24000},
        "pcmu": {"type": "audio/pcmu"},
        "pcma": {"type": "audio/pcma"},
    },
    beta={"pcm": "pcm16", "pcmu": "g711_ulaw", "pcma": "g711_alaw"},
)
LOGPROBS_INCLUDE = "item.input_audio_transcription.logprobs"
CUSTOM_VOICE_PREFIX = "voice_"


@dataclass(frozen=True)
class Span:
    """A numeric range; ``whole`` for integers, ``word`` a string accepted besides numbers."""

    low: float
    high: float
    whole: bool = False
    unit: str = ""
    word: str | None = None

    def text(self, dash: str = "–") -> str:
        """The range as help text shows it: ``0.25–1.5``, ``0–10000 ms``, ``1–4096 or "inf"``."""
        out = f"{self.low:g}{dash}{self.high:g}" + (f" {self.unit}" if self.unit else "")
        return out + (f' or "{self.word}"' if self.word else "")

    def contains(self, value: object) -> bool:
        if self.word is not None and value == self.word:
            return True
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.whole and not isinstance(value, int):
            return False
        return math.isfinite(value) and self.low <= value <= self.high

    def problem(self, value: object) -> str:
        """What is wrong with a value outside the range, in the words validation uses."""
        low, high = f"{self.low:g}", f"{self.high:g}"
        if self.whole and self.unit == "ms":
            return f"must be whole milliseconds, {low}-{high}, got {value!r}"
        if self.whole and self.unit == "s":
            return f"must be a whole number of seconds from {low} to {high}, got {value!r}"
        whole = "a whole number" if self.whole else "a number"
        word = f' or "{self.word}"' if self.word else ""
        return f"must be {whole} from {low} to {high}{word}, got {value!r}"


@dataclass(frozen=True)
class SessionField:
    """One session field: where each API shape puts it, how it is spelled there, its limits.

    ``name`` is the SessionConfig attribute (``parent.attribute`` for a sub-field) and the
    ``FieldProblem.field``. Paths are dotted body paths to the value; None: the shape lacks it.
    """

    name: str
    label: str
    about: str  # help text; "{range}" and "{choices}" are filled in from the limits
    ga: str | None = None  # in a GA realtime session
    beta: str | None = None
    transcription: bool = False  # GA transcription sessions have it too, at the same path
    codec: Codec = PLAIN
    span: Span | None = None
    choices: tuple[str, ...] = ()
    # Why the field is missing from a shape, when the generic sentence would not say enough.
    ga_reason: str | None = None
    beta_reason: str | None = None
    transcription_reason: str | None = None
    # GA lacks the field, but a GA body carrying it here is read so validation refuses it.
    read_in_ga: str | None = None
    boolean: bool = False  # true or false only
    # A sub-field that only some values of its parent's "type" take (turn detection's
    # settings): those types. Empty: every type takes it.
    for_types: tuple[str, ...] = ()
    # The model value that means "not set, leave it out of the body".
    empty: Any = None

    @property
    def help(self) -> str:
        text = self.about.replace("{choices}", ", ".join(self.choices))
        return text.replace("{range}", self.span.text() if self.span else "")

    @property
    def parent(self) -> str | None:
        return self.name.rpartition(".")[0] or None

    @property
    def key(self) -> str:
        """The attribute of the parent's dataclass (or of SessionConfig) holding the value."""
        return self.name.rpartition(".")[2]

    def path(self, api: ApiShape, kind: SessionType) -> str | None:
        if api is ApiShape.BETA:
            return self.beta
        if kind is SessionType.TRANSCRIPTION and not self.transcription:
            return None
        return self.ga

    def wire_path(self, api: ApiShape, kind: SessionType) -> tuple[str, ...] | None:
        """Where the codec's wire value goes: the path, less the codec's wrapper levels."""
        path = self.path(api, kind)
        return None if path is None else _strip(path, self.codec.depth)

    def read_path(self, api: ApiShape) -> tuple[str, ...] | None:
        """Where a body is read for this field: GA reads the realtime path of either type."""
        path = self.beta if api is ApiShape.BETA else self.ga or self.read_in_ga
        return None if path is None else _strip(path, self.codec.depth)

    def inapplicable_reason(self, api: ApiShape, kind: SessionType) -> str | None:
        if self.path(api, kind) is not None:
            return None
        return _reason(api, kind, self)

    def is_set(self, value: Any) -> bool:
        """Whether ``value`` goes into the body: not None and not the field's empty value."""
        return value is not None and (self.empty is None or value != self.empty)

    def limit_problem(self, value: Any) -> str | None:
        """What is wrong with a set value by the field's range, choices or type, or None."""
        if self.span is not None and not self.span.contains(value):
            return self.span.problem(value)
        if self.choices and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}, got {value!r}"
        if self.boolean and not isinstance(value, bool):
            return f"must be true or false, got {value!r}"
        return None


def _strip(path: str, depth: int) -> tuple[str, ...]:
    parts = tuple(path.split("."))
    return parts[: len(parts) - depth]


def _reason(api: ApiShape, kind: SessionType, field: SessionField | None) -> str:
    if api is ApiShape.BETA:
        return (field and field.beta_reason) or "does not exist in the Beta API (GA only)"
    if kind is SessionType.TRANSCRIPTION:
        return (
            field and field.transcription_reason
        ) or "does not apply to GA transcription sessions"
    return (field and field.ga_reason) or "does not exist in the GA API"


def _parts(
    parent: SessionField, *children: SessionField, beta_lacks: tuple[str, ...] = ()
) -> tuple[SessionField, ...]:
    """A field with an object value and its sub-fields, whose paths continue the parent's."""
    out = [parent]
    for child in children:
        key = child.key
        out.append(
            replace(
                child,
                name=f"{parent.name}.{key}",
                ga=f"{parent.ga}.{key}" if parent.ga else None,
                beta=f"{parent.beta}.{key}" if parent.beta and key not in beta_lacks else None,
                transcription=parent.transcription,
            )
        )
    return tuple(out)


def _sub(key: str, label: str, about: str, **limits: Any) -> SessionField:
    return SessionField(key, label, about, **limits)


_VAD = ("server_vad",)
_ANY_VAD = ("server_vad", "semantic_vad")

# In the order a hand-written GA body lists them; bodies are built in this order.
FIELDS: tuple[SessionField, ...] = (
    SessionField(
        "ttl_seconds", "Lifetime",
        "How long the secret can start sessions: {range} (server default: GA 600 s, Beta 60 s)",
        ga="expires_after.seconds", beta="client_secret.expires_after.seconds",
        transcription=True, codec=Wrapped("seconds", {"anchor": "created_at"}),
        span=Span(10, 7200, whole=True, unit="s"),
    ),
    SessionField(
        "session_type", "Session type", "realtime: speech-to-speech; transcription only",
        ga="session.type", transcription=True, codec=SessionTypeCodec(),
        choices=tuple(t.value for t in SessionType),
        beta_reason="the Beta API has only realtime sessions on this endpoint",
    ),
    SessionField(
        "model", "Model",
        "The model; pick one or type any model name (Azure: the deployment name)",
        ga="session.model", beta="model",
        transcription_reason="a transcription session takes its model in the transcription "
        "settings",
    ),
    SessionField(
        "instructions", "Instructions", "System instructions for the model (optional)",
        ga="session.instructions", beta="instructions",
    ),
    SessionField(
        "modalities", "Output modality",
        "What the model answers with: {choices}; GA takes one, Beta text or text and audio",
        ga="session.output_modalities", beta="modalities",
        codec=Modalities(beta_order=("text", "audio")), choices=("audio", "text"), empty=(),
    ),
    SessionField(
        "input_audio_format", "Input format",
        "Format of the audio you send: PCM (16-bit, 24 kHz, mono) or G.711 telephony audio "
        "(8 kHz). Server default: PCM 24 kHz.",
        ga="session.audio.input.format", beta="input_audio_format", transcription=True,
        codec=AUDIO_FORMAT, choices=AUDIO_FORMAT.names,
    ),
    *_parts(
        SessionField(
            "transcription", "Transcription",
            "Also transcribe what the user says. Not set: no transcription.",
            ga="session.audio.input.transcription", beta="input_audio_transcription",
            transcription=True, codec=TranscriptionCodec(),
        ),
        _sub("model", "Transcription model",
             "Also transcribe what the user says, with this model. Empty: no transcription."),
        _sub("language", "Transcription language",
             "The language spoken, as an ISO-639-1 code such as en or de; improves accuracy "
             "and latency"),
        _sub("prompt", "Transcription prompt",
             "Text that guides the transcription: expected words, names or style"),
    ),
    SessionField(
        "noise_reduction", "Noise reduction",
        "Filter the input audio before turn detection and the model: near field for headsets, "
        "far field for laptop or conference-room microphones. Server default: off.",
        ga="session.audio.input.noise_reduction.type", beta="input_audio_noise_reduction.type",
        transcription=True, codec=Wrapped("type"), choices=("near_field", "far_field"),
    ),
    *_parts(
        SessionField(
            "turn_detection", "Turn detection",
            "How the end of the user's turn is found. None: the client commits the audio "
            "itself. Server VAD: by silence. Semantic VAD: by what was said. "
            "Server default: Server VAD.",
            ga="session.audio.input.turn_detection", beta="turn_detection",
            transcription=True, codec=TurnDetectionCodec(),
        ),
        _sub("type", "Turn detection", "How turns end: {choices}",
             choices=("none", "server_vad", "semantic_vad")),
        _sub("threshold", "Threshold",
             "Voice activity threshold {range} (server default 0.5); higher needs louder "
             "speech, which suits noisy rooms", span=Span(0, 1), for_types=_VAD),
        _sub("prefix_padding_ms", "Prefix padding",
             "Audio kept from before the detected start of speech, {range} (server default "
             "300)", span=Span(0, 10_000, whole=True, unit="ms"), for_types=_VAD),
        _sub("silence_duration_ms", "Silence duration",
             "Silence that ends the user's turn, {range} (server default 500); shorter "
             "answers sooner but may cut the user off",
             span=Span(0, 10_000, whole=True, unit="ms"), for_types=_VAD),
        _sub("idle_timeout_ms", "Idle timeout",
             "Prompt a response when the user stays silent this long, {range} (server "
             "default: no timeout)", span=Span(5_000, 30_000, whole=True, unit="ms"),
             for_types=_VAD),
        _sub("create_response", "Create response",
             "Whether the model answers by itself when the user's turn ends (server "
             "default: yes)", boolean=True, for_types=_ANY_VAD),
        _sub("interrupt_response", "Interrupt response",
             "Whether the user speaking interrupts a response in progress (server default: "
             "yes)", boolean=True, for_types=_ANY_VAD),
        _sub("eagerness", "Eagerness",
             "How soon semantic VAD ends the user's turn: low waits longer, high answers "
             "sooner, auto is medium", choices=("low", "medium", "high", "auto"),
             for_types=("semantic_vad",)),
        beta_lacks=("idle_timeout_ms",),
    ),
    SessionField(
        "output_audio_format", "Output format",
        "Format of the audio the model speaks. Server default: PCM 24 kHz.",
        ga="session.audio.output.format", beta="output_audio_format",
        codec=AUDIO_FORMAT, choices=AUDIO_FORMAT.names,
    ),
    SessionField(
        "voice", "Voice",
        "A built-in voice, or type a custom voice id (voice_…, GA only). "
        "Empty: the server default.",
        ga="session.audio.output.voice", beta="voice", codec=CustomVoice(CUSTOM_VOICE_PREFIX),
    ),
    SessionField(
        "speed", "Speed", "How fast the voice speaks, {range} (server default 1.0)",
        ga="session.audio.output.speed", beta="speed", span=Span(0.25, 1.5),
    ),
    SessionField(
        "temperature", "Temperature",
        "Sampling temperature {range} (server default 0.8). Beta API only: GA rejects it.",
        beta="temperature", span=Span(0.6, 1.2), read_in_ga="session.temperature",
        ga_reason="does not exist in the GA API (Beta only); GA rejects it",
    ),
    SessionField(
        "tools", "Tools",
        'A JSON array of tools: functions {"type": "function", "name", "description", '
        '"parameters"} and MCP servers {"type": "mcp", "server_label", "server_url", ...}. '
        "Empty: no tools.",
        ga="session.tools", beta="tools", codec=Tools(),
    ),
    SessionField(
        "tool_choice", "Tool choice",
        "Which tool the model may call: auto (it decides), none, required (it must call "
        "one), or one function or MCP server from the tools above. Server default: auto.",
        ga="session.tool_choice", beta="tool_choice",
    ),
    SessionField(
        "max_output_tokens", "Max output tokens",
        'Most tokens in one response: {range} (server default "inf", no limit)',
        ga="session.max_output_tokens", beta="max_response_output_tokens",
        span=Span(1, 4096, whole=True, word="inf"),
    ),
    *_parts(
        SessionField(
            "tracing", "Tracing",
            "Record traces in the Traces dashboard: auto uses a default workflow name; "
            "Workflow sets the name, group id and metadata below",
            ga="session.tracing", beta="tracing", codec=TracingCodec(),
        ),
        _sub("workflow_name", "Workflow name", "The workflow name the traces are filed under"),
        _sub("group_id", "Group id", "A group id to filter and group related traces"),
        _sub("metadata", "Metadata", "A JSON object of metadata attached to the traces"),
    ),
    *_parts(
        SessionField(
            "truncation", "Truncation",
            "What to drop when the conversation outgrows the context window: auto (old "
            "turns as needed), disabled (never truncate), or keep a retention ratio of the "
            "context. Server default: auto.",
            ga="session.truncation", codec=TruncationCodec(),
            choices=("auto", "disabled", "retention_ratio"),
        ),
        _sub("retention_ratio", "Retention ratio",
             "The fraction of the context to keep when truncating, {range}", span=Span(0, 1)),
    ),
    *_parts(
        SessionField(
            "prompt", "Prompt", "A stored prompt: its id, version and variables",
            ga="session.prompt", codec=PromptCodec(),
        ),
        _sub("id", "Prompt id",
             "A stored prompt to use, by id (pmpt_…); it supplies instructions and settings"),
        _sub("version", "Prompt version", "The prompt version to use; empty: its current version"),
        _sub("variables", "Variables", "A JSON object of values for the prompt's variables"),
    ),
    SessionField(
        "reasoning_effort", "Reasoning effort",
        "How much the model reasons before answering, for reasoning models (server default "
        "low); more effort is slower",
        ga="session.reasoning.effort", choices=("minimal", "low", "medium", "high", "xhigh"),
    ),
    SessionField(
        "include_logprobs", "Log probabilities",
        "Add the log probabilities of the input audio transcription to transcription events, "
        "to judge its confidence",
        ga="session.include", transcription=True, codec=Listed(LOGPROBS_INCLUDE), boolean=True,
        empty=False,
    ),
)  # fmt: skip

_BY_NAME = {f.name: f for f in FIELDS}
# The SessionConfig attributes; sub-fields travel inside their parent's value.
TOP_LEVEL: tuple[SessionField, ...] = tuple(f for f in FIELDS if f.parent is None)


def field(name: str) -> SessionField:
    """The table entry called ``name`` (KeyError for an unknown name)."""
    return _BY_NAME[name]


def subfields(name: str) -> tuple[SessionField, ...]:
    """The sub-fields of ``name`` (``turn_detection`` -> ``turn_detection.threshold``, ...)."""
    return tuple(f for f in FIELDS if f.parent == name)


def subfields_for_type(name: str, kind: str) -> tuple[str, ...]:
    """The keys of ``name``'s sub-fields that its type ``kind`` takes, besides ``type``.

    ``subfields_for_type("turn_detection", "semantic_vad")`` ->
    ``("create_response", "interrupt_response", "eagerness")``; "none" takes nothing.
    """
    return tuple(f.key for f in subfields(name) if kind in f.for_types)


def body_path(name: str, api: ApiShape, kind: SessionType) -> str | None:
    """The dotted body path of field ``name`` in this shape, or None if the shape lacks it."""
    entry = _BY_NAME.get(name)
    return None if entry is None else entry.path(api, kind)


def inapplicable_reason(name: str, api: ApiShape, kind: SessionType) -> str | None:
    """Why field ``name`` cannot be used with this shape and type (no field name), or None."""
    entry = _BY_NAME.get(name)
    if entry is None:
        return _reason(api, kind, None)
    return entry.inapplicable_reason(api, kind)
