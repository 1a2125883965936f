"""Request bodies, field by field, against the API reference: only what the user set."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from realtime_gui.core.bodies import BETA_PATH, GA_PATH, build_body, endpoint_path
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.session import (
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
)

GA = SessionConfig(api=ApiShape.GA)
GA_TX = SessionConfig(api=ApiShape.GA, session_type=SessionType.TRANSCRIPTION)
BETA = SessionConfig(api=ApiShape.BETA, model="gpt-4o-realtime-preview")

GA_FULL = replace(
    GA,
    model="gpt-realtime",
    voice="marin",
    instructions="Answer in one sentence.",
    modalities=("audio",),
    ttl_seconds=1800,
    speed=1.25,
    max_output_tokens=2048,
    input_audio_format="pcm",
    output_audio_format="pcmu",
    transcription=TranscriptionSettings("gpt-4o-transcribe", "en", "Names: Ada, Grace"),
    noise_reduction="near_field",
)

BETA_FULL = replace(
    BETA,
    voice="verse",
    instructions="Answer in one sentence.",
    modalities=("audio", "text"),
    ttl_seconds=120,
    speed=0.75,
    temperature=0.9,
    max_output_tokens=512,
    input_audio_format="pcmu",
    output_audio_format="pcma",
    transcription=TranscriptionSettings("whisper-1", "de", "Fachbegriffe"),
    noise_reduction="far_field",
)


def all_keys(value: Any) -> set[str]:
    """Every key at any depth of a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


# -- GA realtime ----------------------------------------------------------------------


def test_ga_with_nothing_set_sends_no_defaults() -> None:
    assert build_body(GA) == {"session": {"type": "realtime"}}


def test_ga_full_body_field_by_field() -> None:
    body = build_body(GA_FULL)
    assert set(body) == {"expires_after", "session"}
    assert body["expires_after"] == {"anchor": "created_at", "seconds": 1800}
    session = body["session"]
    assert set(session) == {
        "type",
        "model",
        "instructions",
        "output_modalities",
        "max_output_tokens",
        "audio",
    }
    assert session["type"] == "realtime"
    assert session["model"] == "gpt-realtime"
    assert session["instructions"] == "Answer in one sentence."
    assert session["output_modalities"] == ["audio"]
    assert session["max_output_tokens"] == 2048
    assert set(session["audio"]) == {"input", "output"}
    audio_in = session["audio"]["input"]
    assert set(audio_in) == {"format", "transcription", "noise_reduction"}
    assert audio_in["format"] == {"type": "audio/pcm", "rate": 24000}
    assert audio_in["transcription"] == {
        "model": "gpt-4o-transcribe",
        "language": "en",
        "prompt": "Names: Ada, Grace",
    }
    assert audio_in["noise_reduction"] == {"type": "near_field"}
    audio_out = session["audio"]["output"]
    assert set(audio_out) == {"format", "voice", "speed"}
    assert audio_out["format"] == {"type": "audio/pcmu"}
    assert audio_out["voice"] == "marin"
    assert audio_out["speed"] == 1.25


def test_ga_body_is_json_serialisable_and_round_trips() -> None:
    body = build_body(GA_FULL)
    assert json.loads(json.dumps(body)) == body


@pytest.mark.parametrize(
    ("name", "wire"),
    [
        ("pcm", {"type": "audio/pcm", "rate": 24000}),
        ("pcmu", {"type": "audio/pcmu"}),
        ("pcma", {"type": "audio/pcma"}),
    ],
)
def test_ga_audio_formats_are_objects(name: str, wire: dict[str, Any]) -> None:
    body = build_body(replace(GA, input_audio_format=name, output_audio_format=name))
    assert body["session"]["audio"]["input"] == {"format": wire}
    assert body["session"]["audio"]["output"] == {"format": wire}


def test_ga_format_objects_are_not_shared_between_bodies() -> None:
    first = build_body(replace(GA, input_audio_format="pcm"))
    first["session"]["audio"]["input"]["format"]["rate"] = 8000
    second = build_body(replace(GA, input_audio_format="pcm"))
    assert second["session"]["audio"]["input"]["format"]["rate"] == 24000


def test_ga_custom_voice_is_an_object_with_id() -> None:
    body = build_body(replace(GA, voice="voice_abc"))
    assert body == {
        "session": {"type": "realtime", "audio": {"output": {"voice": {"id": "voice_abc"}}}}
    }


def test_ga_built_in_voice_is_a_string() -> None:
    body = build_body(replace(GA, voice="cedar"))
    assert body == {"session": {"type": "realtime", "audio": {"output": {"voice": "cedar"}}}}


@pytest.mark.parametrize("modality", ["audio", "text"])
def test_ga_output_modalities(modality: str) -> None:
    body = build_body(replace(GA, modalities=(modality,)))
    assert body == {"session": {"type": "realtime", "output_modalities": [modality]}}


def test_ga_max_output_tokens_inf_is_sent_as_string() -> None:
    body = build_body(replace(GA, max_output_tokens="inf"))
    assert body["session"]["max_output_tokens"] == "inf"


@pytest.mark.parametrize("ttl", [10, 7200])
def test_ga_expires_after(ttl: int) -> None:
    body = build_body(replace(GA, ttl_seconds=ttl))
    assert body == {
        "expires_after": {"anchor": "created_at", "seconds": ttl},
        "session": {"type": "realtime"},
    }


def test_ga_transcription_settings_leave_out_unset_parts() -> None:
    body = build_body(replace(GA, transcription=TranscriptionSettings(model="whisper-1")))
    assert body["session"]["audio"] == {"input": {"transcription": {"model": "whisper-1"}}}


def test_ga_speed_alone_goes_under_audio_output() -> None:
    body = build_body(replace(GA, speed=0.5))
    assert body == {"session": {"type": "realtime", "audio": {"output": {"speed": 0.5}}}}


@pytest.mark.parametrize("config", [GA, GA_FULL, GA_TX], ids=["empty", "full", "transcription"])
def test_ga_never_has_beta_only_fields(config: SessionConfig) -> None:
    body = build_body(config)
    assert "temperature" not in all_keys(body)
    assert "modalities" not in all_keys(body)
    for root in (body, body["session"]):
        assert "voice" not in root
        assert "modalities" not in root
        assert "temperature" not in root
    assert "client_secret" not in body
    assert "model" not in body


# -- GA transcription ------------------------------------------------------------------


def test_ga_transcription_with_nothing_set() -> None:
    assert build_body(GA_TX) == {"session": {"type": "transcription"}}


def test_ga_transcription_body() -> None:
    config = replace(
        GA_TX,
        ttl_seconds=300,
        input_audio_format="pcma",
        noise_reduction="far_field",
        transcription=TranscriptionSettings("gpt-4o-transcribe", "fr", "Vocabulaire"),
    )
    assert build_body(config) == {
        "expires_after": {"anchor": "created_at", "seconds": 300},
        "session": {
            "type": "transcription",
            "audio": {
                "input": {
                    "format": {"type": "audio/pcma"},
                    "transcription": {
                        "model": "gpt-4o-transcribe",
                        "language": "fr",
                        "prompt": "Vocabulaire",
                    },
                    "noise_reduction": {"type": "far_field"},
                }
            },
        },
    }


# -- Beta -------------------------------------------------------------------------------


def test_beta_minimal_body_is_just_the_model() -> None:
    assert build_body(BETA) == {"model": "gpt-4o-realtime-preview"}


def test_beta_full_body_field_by_field() -> None:
    body = build_body(BETA_FULL)
    assert set(body) == {
        "model",
        "modalities",
        "instructions",
        "voice",
        "input_audio_format",
        "output_audio_format",
        "input_audio_transcription",
        "input_audio_noise_reduction",
        "temperature",
        "max_response_output_tokens",
        "speed",
        "client_secret",
    }
    assert body["model"] == "gpt-4o-realtime-preview"
    assert body["modalities"] == ["text", "audio"]
    assert body["instructions"] == "Answer in one sentence."
    assert body["voice"] == "verse"
    assert body["input_audio_format"] == "g711_ulaw"
    assert body["output_audio_format"] == "g711_alaw"
    assert body["input_audio_transcription"] == {
        "model": "whisper-1",
        "language": "de",
        "prompt": "Fachbegriffe",
    }
    assert body["input_audio_noise_reduction"] == {"type": "far_field"}
    assert body["temperature"] == 0.9
    assert body["max_response_output_tokens"] == 512
    assert body["speed"] == 0.75
    assert body["client_secret"] == {"expires_after": {"anchor": "created_at", "seconds": 120}}


@pytest.mark.parametrize(
    ("name", "wire"), [("pcm", "pcm16"), ("pcmu", "g711_ulaw"), ("pcma", "g711_alaw")]
)
def test_beta_audio_formats_are_strings(name: str, wire: str) -> None:
    body = build_body(replace(BETA, input_audio_format=name, output_audio_format=name))
    assert body["input_audio_format"] == wire
    assert body["output_audio_format"] == wire


@pytest.mark.parametrize(
    ("modalities", "wire"),
    [
        (("text",), ["text"]),
        (("text", "audio"), ["text", "audio"]),
        (("audio", "text"), ["text", "audio"]),
    ],
)
def test_beta_modalities_text_first(modalities: tuple[str, ...], wire: list[str]) -> None:
    assert build_body(replace(BETA, modalities=modalities))["modalities"] == wire


def test_beta_max_tokens_inf() -> None:
    assert build_body(replace(BETA, max_output_tokens="inf"))["max_response_output_tokens"] == "inf"


@pytest.mark.parametrize("config", [BETA, BETA_FULL], ids=["minimal", "full"])
def test_beta_never_has_ga_fields(config: SessionConfig) -> None:
    body = build_body(config)
    keys = all_keys(body)
    assert "session" not in keys
    assert "output_modalities" not in keys
    assert "expires_after" not in body  # only under client_secret
    assert "audio" not in keys
    assert "max_output_tokens" not in keys
    assert "type" not in body


# -- invalid configs and endpoints -----------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        replace(GA, modalities=("audio", "text")),
        replace(GA, temperature=0.8),
        replace(GA, ttl_seconds=9),
        replace(GA_TX, voice="marin"),
        replace(BETA, model=None),
        replace(BETA, voice="voice_abc"),
        replace(BETA, modalities=("audio",)),
    ],
    ids=[
        "ga-both-modalities",
        "ga-temperature",
        "ttl-9",
        "ga-tx-voice",
        "beta-no-model",
        "beta-custom-voice",
        "beta-audio-alone",
    ],
)
def test_build_body_raises_invalid_input(config: SessionConfig) -> None:
    with pytest.raises(InvalidInput):
        build_body(config)


def test_endpoint_path() -> None:
    assert endpoint_path(ApiShape.GA) == GA_PATH == "/realtime/client_secrets"
    assert endpoint_path(ApiShape.BETA) == BETA_PATH == "/realtime/sessions"
