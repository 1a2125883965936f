"""Request bodies for the GA and Beta endpoints, holding only what the user set."""

from __future__ import annotations

from typing import Any

from .session import (
    CUSTOM_VOICE_PREFIX,
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
    validate,
)

__all__ = ["BETA_PATH", "GA_PATH", "build_body", "endpoint_path"]

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
    validate(config)
    if config.api is ApiShape.BETA:
        return _beta_body(config)
    return _ga_body(config)


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

    audio_output: JsonObject = {}
    if config.session_type is SessionType.REALTIME:
        _put(session, "model", config.model)
        _put(session, "instructions", config.instructions)
        if config.modalities:
            session["output_modalities"] = list(config.modalities)
        _put(session, "max_output_tokens", config.max_output_tokens)
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
    _put(body, "temperature", config.temperature)
    _put(body, "max_response_output_tokens", config.max_output_tokens)
    _put(body, "speed", config.speed)
    if config.ttl_seconds is not None:
        body["client_secret"] = {
            "expires_after": {"anchor": "created_at", "seconds": config.ttl_seconds}
        }
    return body
