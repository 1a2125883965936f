"""Request bodies for the GA and Beta endpoints, holding only what the user set."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .session import (
    CUSTOM_VOICE_PREFIX,
    LOGPROBS_INCLUDE,
    TURN_DETECTION_FIELDS,
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
    validate,
)

__all__ = ["BETA_PATH", "GA_PATH", "build_body", "deep_merge", "endpoint_path", "render_body"]

GA_PATH = "/realtime/client_secrets"
BETA_PATH = "/realtime/sessions"

# Canonical format name -> GA object / Beta string.
_GA_FORMATS: dict[str, dict[str, Any]] = {
    "pcm": {"type": "audio/pcm", "rate": 24000},
    "pcmu": {"type": "audio/pcmu"},
    "pcma": {"type": "audio/pcma"},
}
_BETA_FORMATS = {"pcm": "pcm16", "pcmu": "g711_ulaw", "pcma": "g711_alaw"}

JsonObject = dict[str, Any]


def endpoint_path(api: ApiShape) -> str:
    """The path below the base URL that mints a secret in this shape."""
    return GA_PATH if api is ApiShape.GA else BETA_PATH


def build_body(config: SessionConfig) -> JsonObject:
    """The JSON body for ``config``; raises InvalidInput first if any field is invalid."""
    return render_body(validate(config))


def render_body(config: SessionConfig) -> JsonObject:
    """The JSON body for ``config`` without validating it (only for a valid or draft config)."""
    body = _beta_body(config) if config.api is ApiShape.BETA else _ga_body(config)
    return deep_merge(body, config.extra)


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> JsonObject:
    """``base`` with ``overlay`` laid over it; objects merge key by key, anything else wins."""
    merged: JsonObject = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _turn_detection(td: TurnDetection | None) -> JsonObject | None:
    if td is None or td.type == "none":
        return None
    out: JsonObject = {"type": td.type}
    for name in TURN_DETECTION_FIELDS[1:]:
        _put(out, name, getattr(td, name))
    return out


def _tracing(tracing: Tracing) -> str | JsonObject:
    if tracing.auto:
        return "auto"
    out: JsonObject = {}
    _put(out, "workflow_name", tracing.workflow_name)
    _put(out, "group_id", tracing.group_id)
    if tracing.metadata is not None:
        out["metadata"] = dict(tracing.metadata)
    return out


def _truncation(truncation: Truncation) -> str | JsonObject:
    if truncation.type != "retention_ratio":
        return truncation.type
    return {"type": "retention_ratio", "retention_ratio": truncation.retention_ratio}


def _prompt(prompt: PromptReference) -> JsonObject:
    out: JsonObject = {"id": prompt.id}
    _put(out, "version", prompt.version)
    if prompt.variables is not None:
        out["variables"] = dict(prompt.variables)
    return out


def _tools(config: SessionConfig) -> list[JsonObject] | None:
    return None if config.tools is None else [dict(tool) for tool in config.tools]


def _tool_choice(config: SessionConfig) -> str | JsonObject | None:
    choice = config.tool_choice
    return dict(choice) if isinstance(choice, Mapping) else choice


def _put(target: JsonObject, key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def _transcription(settings: TranscriptionSettings | None) -> JsonObject | None:
    if settings is None:
        return None
    out: JsonObject = {}
    _put(out, "model", settings.model)
    _put(out, "language", settings.language)
    _put(out, "prompt", settings.prompt)
    return out


def _ga_body(config: SessionConfig) -> JsonObject:
    body: JsonObject = {}
    if config.ttl_seconds is not None:
        body["expires_after"] = {"anchor": "created_at", "seconds": config.ttl_seconds}
    session: JsonObject = {"type": config.session_type.value}
    body["session"] = session

    audio_input: JsonObject = {}
    if config.input_audio_format is not None:
        audio_input["format"] = dict(_GA_FORMATS[config.input_audio_format])
    _put(audio_input, "transcription", _transcription(config.transcription))
    if config.noise_reduction is not None:
        audio_input["noise_reduction"] = {"type": config.noise_reduction}
    if config.turn_detection is not None:
        audio_input["turn_detection"] = _turn_detection(config.turn_detection)

    audio_output: JsonObject = {}
    if config.session_type is SessionType.REALTIME:
        _put(session, "model", config.model)
        _put(session, "instructions", config.instructions)
        if config.modalities:
            session["output_modalities"] = list(config.modalities)
        _put(session, "max_output_tokens", config.max_output_tokens)
        _put(session, "tools", _tools(config))
        _put(session, "tool_choice", _tool_choice(config))
        if config.tracing is not None:
            session["tracing"] = _tracing(config.tracing)
        if config.truncation is not None:
            session["truncation"] = _truncation(config.truncation)
        if config.prompt is not None:
            session["prompt"] = _prompt(config.prompt)
        if config.reasoning_effort is not None:
            session["reasoning"] = {"effort": config.reasoning_effort}
        if config.output_audio_format is not None:
            audio_output["format"] = dict(_GA_FORMATS[config.output_audio_format])
        if config.voice is not None:
            custom = config.voice.startswith(CUSTOM_VOICE_PREFIX)
            audio_output["voice"] = {"id": config.voice} if custom else config.voice
        _put(audio_output, "speed", config.speed)

    audio: JsonObject = {}
    _put(audio, "input", audio_input or None)
    _put(audio, "output", audio_output or None)
    _put(session, "audio", audio or None)
    if config.include_logprobs:
        session["include"] = [LOGPROBS_INCLUDE]
    return body


def _beta_body(config: SessionConfig) -> JsonObject:
    body: JsonObject = {}
    _put(body, "model", config.model)
    if config.modalities:
        # The Beta API lists text first; keep that canonical order.
        body["modalities"] = [m for m in ("text", "audio") if m in config.modalities]
    _put(body, "instructions", config.instructions)
    _put(body, "voice", config.voice)
    if config.input_audio_format is not None:
        body["input_audio_format"] = _BETA_FORMATS[config.input_audio_format]
    if config.output_audio_format is not None:
        body["output_audio_format"] = _BETA_FORMATS[config.output_audio_format]
    _put(body, "input_audio_transcription", _transcription(config.transcription))
    if config.noise_reduction is not None:
        body["input_audio_noise_reduction"] = {"type": config.noise_reduction}
    if config.turn_detection is not None:
        body["turn_detection"] = _turn_detection(config.turn_detection)
    _put(body, "tools", _tools(config))
    _put(body, "tool_choice", _tool_choice(config))
    if config.tracing is not None:
        body["tracing"] = _tracing(config.tracing)
    _put(body, "temperature", config.temperature)
    _put(body, "max_response_output_tokens", config.max_output_tokens)
    _put(body, "speed", config.speed)
    if config.ttl_seconds is not None:
        body["client_secret"] = {
            "expires_after": {"anchor": "created_at", "seconds": config.ttl_seconds}
        }
    return body
