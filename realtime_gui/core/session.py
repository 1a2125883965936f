"""The session a user asks for, for either API shape, and its validation before sending."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import Enum
from typing import Any, Literal

from .errors import FieldProblem, InvalidInput
from .tools import tool_choice_problems, tool_problems

__all__ = [
    "AUDIO_FORMATS",
    "BETA_MODELS",
    "BETA_VOICES",
    "EAGERNESS",
    "GA_MODELS",
    "GA_VOICES",
    "LOGPROBS_INCLUDE",
    "MODALITIES",
    "NOISE_REDUCTION_TYPES",
    "REASONING_EFFORTS",
    "TRANSCRIPTION_MODELS",
    "TRUNCATION_TYPES",
    "TURN_DETECTION_FIELDS",
    "TURN_DETECTION_TYPES",
    "ApiShape",
    "PromptReference",
    "SessionConfig",
    "SessionType",
    "Tracing",
    "TranscriptionSettings",
    "Truncation",
    "TurnDetection",
    "body_path",
    "find_problems",
    "inapplicable_reason",
    "validate",
]


class ApiShape(str, Enum):
    """Which generation of the API the request is for."""

    GA = "ga"
    BETA = "beta"

    @property
    def label(self) -> str:
        return "GA" if self is ApiShape.GA else "Beta"


class SessionType(str, Enum):
    """GA session type; the Beta shape has only realtime sessions on this endpoint."""

    REALTIME = "realtime"
    TRANSCRIPTION = "transcription"


# Known at the time of writing; the API accepts other strings, so these are suggestions.
GA_MODELS = (
    "gpt-realtime",
    "gpt-realtime-2",
    "gpt-realtime-2.1",
    "gpt-realtime-2.1-mini",
    "gpt-realtime-1.5",
    "gpt-realtime-mini",
    "gpt-realtime-2025-08-28",
    "gpt-realtime-mini-2025-10-06",
    "gpt-realtime-mini-2025-12-15",
    "gpt-audio-1.5",
    "gpt-audio-mini",
)
BETA_MODELS = (
    "gpt-4o-realtime-preview",
    "gpt-4o-mini-realtime-preview",
    "gpt-4o-realtime-preview-2024-12-17",
    "gpt-4o-mini-realtime-preview-2024-12-17",
    "gpt-realtime",
    "gpt-realtime-mini",
)
TRANSCRIPTION_MODELS = (
    "gpt-4o-transcribe",
    "gpt-4o-mini-transcribe",
    "gpt-4o-transcribe-diarize",
    "whisper-1",
)
BETA_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse")
GA_VOICES = (*BETA_VOICES, "marin", "cedar")
MODALITIES = ("audio", "text")
# Canonical audio format names; bodies.py maps them to each shape's wire form.
AUDIO_FORMATS = ("pcm", "pcmu", "pcma")
NOISE_REDUCTION_TYPES = ("near_field", "far_field")

TTL_MIN, TTL_MAX = 10, 7200
SPEED_MIN, SPEED_MAX = 0.25, 1.5
TEMPERATURE_MIN, TEMPERATURE_MAX = 0.6, 1.2
MAX_TOKENS_MIN, MAX_TOKENS_MAX = 1, 4096
CUSTOM_VOICE_PREFIX = "voice_"

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")
_VOICE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANGUAGE = re.compile(r"[a-z]{2}")


@dataclass(frozen=True)
class TranscriptionSettings:
    """Input audio transcription: model, ISO-639-1 language and a prompt."""

    model: str | None = None
    language: str | None = None
    prompt: str | None = None


TURN_DETECTION_TYPES = ("none", "server_vad", "semantic_vad")
EAGERNESS = ("low", "medium", "high", "auto")
REASONING_EFFORTS = ("minimal", "low", "medium", "high", "xhigh")
TRUNCATION_TYPES = ("auto", "disabled", "retention_ratio")
LOGPROBS_INCLUDE = "item.input_audio_transcription.logprobs"


@dataclass(frozen=True)
class TurnDetection:
    """How turns end: ``none`` (manual, sent as null), server VAD, or semantic VAD."""

    type: str = "server_vad"
    threshold: float | None = None
    prefix_padding_ms: int | None = None
    silence_duration_ms: int | None = None
    idle_timeout_ms: int | None = None
    create_response: bool | None = None
    interrupt_response: bool | None = None
    eagerness: str | None = None


@dataclass(frozen=True)
class Tracing:
    """``auto``, or a named workflow with group id and metadata (leave unset for off)."""

    workflow_name: str | None = None
    group_id: str | None = None
    metadata: Mapping[str, Any] | None = None
    auto: bool = False


@dataclass(frozen=True)
class Truncation:
    """``auto``, ``disabled``, or keep a ``retention_ratio`` (0-1) of the context."""

    type: str = "auto"
    retention_ratio: float | None = None


@dataclass(frozen=True)
class PromptReference:
    """A stored prompt: its id, optional version, and variables to fill in."""

    id: str
    version: str | None = None
    variables: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class SessionConfig:
    """Everything the user chose for one mint; ``None`` means "not set, leave it out"."""

    api: ApiShape = ApiShape.GA
    session_type: SessionType = SessionType.REALTIME
    model: str | None = None
    voice: str | None = None
    instructions: str | None = None
    modalities: tuple[str, ...] = ()
    ttl_seconds: int | None = None
    speed: float | None = None
    temperature: float | None = None
    max_output_tokens: int | Literal["inf"] | None = None
    input_audio_format: str | None = None
    output_audio_format: str | None = None
    transcription: TranscriptionSettings | None = None
    noise_reduction: str | None = None
    turn_detection: TurnDetection | None = None
    tools: tuple[Mapping[str, Any], ...] | None = None
    tool_choice: str | Mapping[str, Any] | None = None
    tracing: Tracing | None = None
    truncation: Truncation | None = None
    prompt: PromptReference | None = None
    include_logprobs: bool = False
    reasoning_effort: str | None = None
    # Body keys the typed fields do not cover, kept and sent as given (deep-merged).
    extra: Mapping[str, Any] = dataclass_field(default_factory=dict)

    @property
    def is_transcription(self) -> bool:
        return self.api is ApiShape.GA and self.session_type is SessionType.TRANSCRIPTION


TURN_DETECTION_FIELDS = (
    "type",
    "threshold",
    "prefix_padding_ms",
    "silence_duration_ms",
    "idle_timeout_ms",
    "create_response",
    "interrupt_response",
    "eagerness",
)

# Where each field lands in the body, per shape; None means the shape has no such field.
_GA_REALTIME_PATHS: dict[str, str | None] = {
    "model": "session.model",
    "voice": "session.audio.output.voice",
    "instructions": "session.instructions",
    "modalities": "session.output_modalities",
    "ttl_seconds": "expires_after.seconds",
    "speed": "session.audio.output.speed",
    "temperature": None,
    "max_output_tokens": "session.max_output_tokens",
    "input_audio_format": "session.audio.input.format",
    "output_audio_format": "session.audio.output.format",
    "transcription": "session.audio.input.transcription",
    "transcription.model": "session.audio.input.transcription.model",
    "transcription.language": "session.audio.input.transcription.language",
    "transcription.prompt": "session.audio.input.transcription.prompt",
    "noise_reduction": "session.audio.input.noise_reduction.type",
    "session_type": "session.type",
    **{
        f"turn_detection{sub}": f"session.audio.input.turn_detection{sub}"
        for sub in ("", *(f".{name}" for name in TURN_DETECTION_FIELDS))
    },
    "tools": "session.tools",
    "tool_choice": "session.tool_choice",
    "tracing": "session.tracing",
    "truncation": "session.truncation",
    "prompt": "session.prompt",
    "include_logprobs": "session.include",
    "reasoning_effort": "session.reasoning.effort",
}
_GA_TRANSCRIPTION_PATHS: dict[str, str | None] = {
    **{name: None for name in _GA_REALTIME_PATHS},
    **{
        name: _GA_REALTIME_PATHS[name]
        for name in (
            "ttl_seconds",
            "input_audio_format",
            "transcription",
            "transcription.model",
            "transcription.language",
            "transcription.prompt",
            "noise_reduction",
            "session_type",
            "include_logprobs",
            *(name for name in _GA_REALTIME_PATHS if name.startswith("turn_detection")),
        )
    },
}
_BETA_PATHS: dict[str, str | None] = {
    "model": "model",
    "voice": "voice",
    "instructions": "instructions",
    "modalities": "modalities",
    "ttl_seconds": "client_secret.expires_after.seconds",
    "speed": "speed",
    "temperature": "temperature",
    "max_output_tokens": "max_response_output_tokens",
    "input_audio_format": "input_audio_format",
    "output_audio_format": "output_audio_format",
    "transcription": "input_audio_transcription",
    "transcription.model": "input_audio_transcription.model",
    "transcription.language": "input_audio_transcription.language",
    "transcription.prompt": "input_audio_transcription.prompt",
    "noise_reduction": "input_audio_noise_reduction.type",
    "session_type": None,
    **{
        f"turn_detection{sub}": f"turn_detection{sub}"
        for sub in ("", *(f".{name}" for name in TURN_DETECTION_FIELDS))
        if sub != ".idle_timeout_ms"
    },
    "turn_detection.idle_timeout_ms": None,
    "tools": "tools",
    "tool_choice": "tool_choice",
    "tracing": "tracing",
    "truncation": None,
    "prompt": None,
    "include_logprobs": None,
    "reasoning_effort": None,
}


def _paths(api: ApiShape, session_type: SessionType) -> dict[str, str | None]:
    if api is ApiShape.BETA:
        return _BETA_PATHS
    if session_type is SessionType.TRANSCRIPTION:
        return _GA_TRANSCRIPTION_PATHS
    return _GA_REALTIME_PATHS


def body_path(field: str, api: ApiShape, session_type: SessionType) -> str | None:
    """The dotted path of ``field`` in the request body, or None if the shape lacks it."""
    return _paths(api, session_type).get(field)


def inapplicable_reason(field: str, api: ApiShape, session_type: SessionType) -> str | None:
    """Why ``field`` cannot be used with this shape and type (no field name), or None."""
    if body_path(field, api, session_type) is not None:
        return None
    if api is ApiShape.BETA:
        if field == "session_type":
            return "the Beta API has only realtime sessions on this endpoint"
        return "does not exist in the Beta API (GA only)"
    if session_type is SessionType.TRANSCRIPTION:
        if field == "model":
            return "a transcription session takes its model in the transcription settings"
        return "does not apply to GA transcription sessions"
    if field == "temperature":
        return "does not exist in the GA API (Beta only); GA rejects it"
    return "does not exist in the GA API"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def find_problems(config: SessionConfig) -> list[FieldProblem]:
    """Every invalid or inapplicable field of ``config``, each named with its body path."""
    problems: list[FieldProblem] = []
    api, kind = config.api, config.session_type

    def problem(field: str, message: str) -> None:
        problems.append(FieldProblem(field, message, body_path(field, api, kind)))

    def check_applies(field: str, is_set: bool) -> bool:
        reason = inapplicable_reason(field, api, kind)
        if is_set and reason is not None:
            problems.append(FieldProblem(field, reason))
            return False
        return is_set

    def check_range(field: str, value: float | None, low: float, high: float) -> None:
        if not check_applies(field, value is not None):
            return
        if not _is_number(value) or not (low <= value <= high):  # type: ignore[operator]
            problem(field, f"must be a number from {low:g} to {high:g}, got {value!r}")

    if api is ApiShape.BETA and kind is not SessionType.REALTIME:
        problems.append(
            FieldProblem("session_type", "the Beta API has only realtime sessions on this endpoint")
        )

    if check_applies("model", config.model is not None):
        _check_name(problem, "model", config.model)
    elif api is ApiShape.BETA:
        problem("model", "is required by the Beta API")

    if check_applies("voice", config.voice is not None):
        _check_voice(problem, config.voice or "", api)

    check_applies("instructions", config.instructions is not None)

    if check_applies("modalities", bool(config.modalities)):
        _check_modalities(problem, config.modalities, api)

    if config.ttl_seconds is not None and not _is_whole(config.ttl_seconds, TTL_MIN, TTL_MAX):
        problem(
            "ttl_seconds",
            f"lifetime must be a whole number of seconds from {TTL_MIN} to {TTL_MAX}, "
            f"got {config.ttl_seconds!r}",
        )

    check_range("speed", config.speed, SPEED_MIN, SPEED_MAX)
    check_range("temperature", config.temperature, TEMPERATURE_MIN, TEMPERATURE_MAX)

    tokens = config.max_output_tokens
    if (
        check_applies("max_output_tokens", tokens is not None)
        and tokens != "inf"
        and not _is_whole(tokens, MAX_TOKENS_MIN, MAX_TOKENS_MAX)
    ):
        problem(
            "max_output_tokens",
            f'must be a whole number from {MAX_TOKENS_MIN} to {MAX_TOKENS_MAX} or "inf", '
            f"got {tokens!r}",
        )

    for field in ("input_audio_format", "output_audio_format"):
        value = getattr(config, field)
        if check_applies(field, value is not None) and value not in AUDIO_FORMATS:
            problem(field, f"must be one of {', '.join(AUDIO_FORMATS)}, got {value!r}")

    if check_applies("noise_reduction", config.noise_reduction is not None) and (
        config.noise_reduction not in NOISE_REDUCTION_TYPES
    ):
        problem(
            "noise_reduction",
            f"must be one of {', '.join(NOISE_REDUCTION_TYPES)}, got {config.noise_reduction!r}",
        )

    if check_applies("transcription", config.transcription is not None):
        _check_transcription(problem, config.transcription or TranscriptionSettings())

    if check_applies("turn_detection", config.turn_detection is not None):
        _check_turn_detection(problem, config.turn_detection or TurnDetection(), api, kind)

    if check_applies("tools", config.tools is not None):
        problems += [
            FieldProblem(p.field, p.message, _tool_path(p.field, api))
            for p in tool_problems(config.tools or ())
        ]
    if check_applies("tool_choice", config.tool_choice is not None):
        problems += [
            FieldProblem(p.field, p.message, body_path("tool_choice", api, kind))
            for p in tool_choice_problems(config.tool_choice, config.tools)
        ]
    if check_applies("tracing", config.tracing is not None):
        _check_tracing(problem, config.tracing or Tracing())
    if check_applies("truncation", config.truncation is not None):
        _check_truncation(problem, config.truncation or Truncation())
    if check_applies("prompt", config.prompt is not None) and config.prompt is not None:
        _check_prompt(problem, config.prompt)
    check_applies("include_logprobs", config.include_logprobs)
    if check_applies("reasoning_effort", config.reasoning_effort is not None) and (
        config.reasoning_effort not in REASONING_EFFORTS
    ):
        problem(
            "reasoning_effort",
            f"must be one of {', '.join(REASONING_EFFORTS)}, got {config.reasoning_effort!r}",
        )
    if not isinstance(config.extra, Mapping):
        problems.append(FieldProblem("extra", "must be a JSON object"))
    return problems


def validate(config: SessionConfig) -> SessionConfig:
    """Return ``config`` unchanged, or raise InvalidInput naming every bad field."""
    problems = find_problems(config)
    if problems:
        raise InvalidInput(problems)
    return config


_Report = Callable[[str, str], None]


def _check_name(problem: _Report, field: str, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not _IDENTIFIER.fullmatch(value)):
        problem(field, f"must be a name without spaces, got {value!r}")


def _check_voice(problem: _Report, voice: str, api: ApiShape) -> None:
    if voice.startswith(CUSTOM_VOICE_PREFIX):
        if api is ApiShape.BETA:
            problem("voice", "custom voices (voice_...) need the GA API")
        elif not re.fullmatch(r"voice_[A-Za-z0-9_-]+", voice):
            problem("voice", f"a custom voice id looks like voice_abc123, got {voice!r}")
        return
    if not _VOICE.fullmatch(voice):
        known = ", ".join(GA_VOICES if api is ApiShape.GA else BETA_VOICES)
        problem("voice", f"must be a built-in voice ({known}) or a voice_... id, got {voice!r}")


def _check_modalities(problem: _Report, modalities: tuple[str, ...], api: ApiShape) -> None:
    unknown = [m for m in modalities if m not in MODALITIES]
    if unknown:
        problem("modalities", f"must be audio or text, got {', '.join(map(repr, unknown))}")
        return
    chosen = set(modalities)
    if len(chosen) != len(modalities):
        problem("modalities", "lists the same modality twice")
    elif api is ApiShape.GA and len(chosen) != 1:
        problem("modalities", "GA takes exactly one output modality: audio or text, not both")
    elif api is ApiShape.BETA and chosen == {"audio"}:
        problem("modalities", 'the Beta API accepts ["text"] or ["text", "audio"], not audio alone')


def _tool_path(field: str, api: ApiShape) -> str:
    return ("session." if api is ApiShape.GA else "") + field


def _check_turn_detection(
    problem: _Report, td: TurnDetection, api: ApiShape, kind: SessionType
) -> None:
    if td.type not in TURN_DETECTION_TYPES:
        problem(
            "turn_detection.type",
            f"must be one of {', '.join(TURN_DETECTION_TYPES)}, got {td.type!r}",
        )
        return
    vad_only = ("threshold", "prefix_padding_ms", "silence_duration_ms", "idle_timeout_ms")
    flags = ("create_response", "interrupt_response")
    allowed = {
        "none": (),
        "server_vad": (*vad_only, *flags),
        "semantic_vad": ("eagerness", *flags),
    }[td.type]
    for name in (*vad_only, *flags, "eagerness"):
        value = getattr(td, name)
        if value is None:
            continue
        if name not in allowed:
            problem(f"turn_detection.{name}", f"does not apply to turn detection {td.type}")
            continue
        reason = inapplicable_reason(f"turn_detection.{name}", api, kind)
        if reason is not None:
            problem(f"turn_detection.{name}", reason)
        elif name == "threshold" and (not _is_number(value) or not 0 <= value <= 1):
            problem("turn_detection.threshold", f"must be a number from 0 to 1, got {value!r}")
        elif name in ("prefix_padding_ms", "silence_duration_ms") and not _is_whole(
            value, 0, 10_000
        ):
            problem(f"turn_detection.{name}", f"must be whole milliseconds, 0-10000, got {value!r}")
        elif name == "idle_timeout_ms" and not _is_whole(value, 5_000, 30_000):
            problem(
                "turn_detection.idle_timeout_ms",
                f"must be whole milliseconds, 5000-30000, got {value!r}",
            )
        elif name in flags and not isinstance(value, bool):
            problem(f"turn_detection.{name}", f"must be true or false, got {value!r}")
        elif name == "eagerness" and value not in EAGERNESS:
            problem(
                "turn_detection.eagerness",
                f"must be one of {', '.join(EAGERNESS)}, got {value!r}",
            )


def _is_json_object(value: object) -> bool:
    return isinstance(value, Mapping) and all(isinstance(k, str) for k in value)


def _check_tracing(problem: _Report, tracing: Tracing) -> None:
    custom = (tracing.workflow_name, tracing.group_id, tracing.metadata)
    if tracing.auto and any(v is not None for v in custom):
        problem("tracing", '"auto" takes no workflow name, group id or metadata')
    if not tracing.auto and all(v is None for v in custom):
        problem("tracing", "needs a workflow name, group id or metadata (or auto)")
    for name in ("workflow_name", "group_id"):
        value = getattr(tracing, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problem(f"tracing.{name}", f"must be a non-empty string, got {value!r}")
    if tracing.metadata is not None and not _is_json_object(tracing.metadata):
        problem("tracing.metadata", "must be a JSON object")


def _check_truncation(problem: _Report, truncation: Truncation) -> None:
    if truncation.type not in TRUNCATION_TYPES:
        problem(
            "truncation", f"must be one of {', '.join(TRUNCATION_TYPES)}, got {truncation.type!r}"
        )
    elif truncation.type == "retention_ratio":
        ratio = truncation.retention_ratio
        if not _is_number(ratio) or not 0 <= ratio <= 1:  # type: ignore[operator]
            problem("truncation.retention_ratio", f"must be a number from 0 to 1, got {ratio!r}")
    elif truncation.retention_ratio is not None:
        problem("truncation.retention_ratio", 'only applies to type "retention_ratio"')


def _check_prompt(problem: _Report, prompt: PromptReference) -> None:
    if (
        not isinstance(prompt.id, str)
        or not prompt.id.strip()
        or any(c.isspace() for c in prompt.id)
    ):
        problem("prompt.id", f"must be a prompt id such as pmpt_123, got {prompt.id!r}")
    if prompt.version is not None and (not isinstance(prompt.version, str) or not prompt.version):
        problem("prompt.version", f"must be a non-empty string, got {prompt.version!r}")
    if prompt.variables is not None and not _is_json_object(prompt.variables):
        problem("prompt.variables", "must be a JSON object")


def _check_transcription(problem: _Report, settings: TranscriptionSettings) -> None:
    _check_name(problem, "transcription.model", settings.model)
    if settings.language is not None and not _LANGUAGE.fullmatch(settings.language):
        problem(
            "transcription.language",
            f"must be an ISO-639-1 code such as en or de, got {settings.language!r}",
        )
