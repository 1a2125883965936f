"""The session a user asks for, for either API shape, and its validation before sending."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .errors import FieldProblem, InvalidInput
from .fields import (
    CUSTOM_VOICE_PREFIX,
    LOGPROBS_INCLUDE,
    TOP_LEVEL,
    Span,
    subfields,
    subfields_for_type,
)
from .fields import body_path as _field_body_path
from .fields import field as table_field
from .fields import inapplicable_reason as _field_inapplicable_reason
from .session_config import (
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
)
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

# Choices and ranges are declared in the fields table; these names are what the UI imports.
MODALITIES = table_field("modalities").choices
AUDIO_FORMATS = table_field("input_audio_format").choices  # canonical names, not either wire form
NOISE_REDUCTION_TYPES = table_field("noise_reduction").choices
TURN_DETECTION_TYPES = table_field("turn_detection.type").choices
EAGERNESS = table_field("turn_detection.eagerness").choices
REASONING_EFFORTS = table_field("reasoning_effort").choices
TRUNCATION_TYPES = table_field("truncation").choices
TURN_DETECTION_FIELDS = tuple(sub.key for sub in subfields("turn_detection"))


def _span(name: str) -> Span:
    span = table_field(name).span
    if span is None:
        raise LookupError(f"{name} has no range in the fields table")
    return span


TTL_MIN, TTL_MAX = int(_span("ttl_seconds").low), int(_span("ttl_seconds").high)
SPEED_MIN, SPEED_MAX = _span("speed").low, _span("speed").high
TEMPERATURE_MIN, TEMPERATURE_MAX = _span("temperature").low, _span("temperature").high
MAX_TOKENS_MIN = int(_span("max_output_tokens").low)
MAX_TOKENS_MAX = int(_span("max_output_tokens").high)

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")
_VOICE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANGUAGE = re.compile(r"[a-z]{2}")


def body_path(field: str, api: ApiShape, session_type: SessionType) -> str | None:
    """The dotted path of ``field`` in the request body, or None if the shape lacks it."""
    return _field_body_path(field, api, session_type)


def inapplicable_reason(field: str, api: ApiShape, session_type: SessionType) -> str | None:
    """Why ``field`` cannot be used with this shape and type (no field name), or None."""
    return _field_inapplicable_reason(field, api, session_type)


def find_problems(config: SessionConfig) -> list[FieldProblem]:
    """Every invalid or inapplicable field of ``config``, each named with its body path."""
    problems: list[FieldProblem] = []
    api, kind = config.api, config.session_type

    def problem(field: str, message: str) -> None:
        problems.append(FieldProblem(field, message, body_path(field, api, kind)))

    if api is ApiShape.BETA and kind is not SessionType.REALTIME:
        problems.append(
            FieldProblem("session_type", inapplicable_reason("session_type", api, kind) or "")
        )

    # Checks that need more than the table's range, choices or type, by field name.
    checks: dict[str, Callable[[Any], None]] = {
        "model": lambda value: _check_name(problem, "model", value),
        "voice": lambda value: _check_voice(problem, value or "", api),
        "modalities": lambda value: _check_modalities(problem, value, api),
        "transcription": lambda value: _check_transcription(problem, value),
        "turn_detection": lambda value: _check_turn_detection(problem, value, api, kind),
        "tools": lambda value: problems.extend(
            FieldProblem(p.field, p.message, _tool_path(p.field, api)) for p in tool_problems(value)
        ),
        "tool_choice": lambda value: problems.extend(
            FieldProblem(p.field, p.message, body_path("tool_choice", api, kind))
            for p in tool_choice_problems(value, config.tools)
        ),
        "tracing": lambda value: _check_tracing(problem, value),
        "truncation": lambda value: _check_truncation(problem, value),
        "prompt": lambda value: _check_prompt(problem, value),
    }
    for entry in TOP_LEVEL:
        if entry.name == "session_type":
            continue  # the enum is always valid; Beta's lack of it is reported above
        value = getattr(config, entry.name)
        if not entry.is_set(value):
            if entry.name == "model" and api is ApiShape.BETA:
                problem("model", "is required by the Beta API")
            continue
        reason = entry.inapplicable_reason(api, kind)
        if reason is not None:
            problems.append(FieldProblem(entry.name, reason))
        elif entry.name in checks:
            checks[entry.name](value)
        elif (message := entry.limit_problem(value)) is not None:
            problem(entry.name, message)
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
    if not isinstance(voice, str):  # e.g. a GA {"id": ...} object with more keys, read raw
        problem("voice", f"must be a built-in voice or a voice_... id, got {voice!r}")
        return
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


# Which turn detection settings each type takes (besides its type).


def _check_turn_detection(
    problem: _Report, td: TurnDetection, api: ApiShape, kind: SessionType
) -> None:
    if td.type not in TURN_DETECTION_TYPES:
        problem(
            "turn_detection.type",
            f"must be one of {', '.join(TURN_DETECTION_TYPES)}, got {td.type!r}",
        )
        return
    allowed = subfields_for_type("turn_detection", td.type)
    for sub in subfields("turn_detection"):
        value = getattr(td, sub.key)
        if sub.key == "type" or value is None:
            continue
        if sub.key not in allowed:
            problem(sub.name, f"does not apply to turn detection {td.type}")
            continue
        reason = sub.inapplicable_reason(api, kind)
        message = reason if reason is not None else sub.limit_problem(value)
        if message is not None:
            problem(sub.name, message)


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
        ratio = table_field("truncation.retention_ratio")
        message = ratio.limit_problem(truncation.retention_ratio)
        if message is not None:
            problem(ratio.name, message)
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
