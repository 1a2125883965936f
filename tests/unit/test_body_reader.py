"""Reading bodies back into SessionConfig: round trips, unknown keys, --set assignments."""

from __future__ import annotations

from typing import Any

import pytest

from realtime_gui.core.bodies import build_body
from realtime_gui.core.body_reader import config_from_body, extra_paths, parse_assignment, set_path
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.session import (
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
)

GA_FULL = SessionConfig(
    model="gpt-realtime",
    voice="voice_abc123",
    instructions="Be brief.",
    modalities=("text",),
    ttl_seconds=300,
    speed=1.1,
    max_output_tokens="inf",
    input_audio_format="pcmu",
    output_audio_format="pcm",
    transcription=TranscriptionSettings("whisper-1", "en", "names"),
    noise_reduction="far_field",
    turn_detection=TurnDetection(
        "server_vad",
        threshold=0.6,
        prefix_padding_ms=200,
        silence_duration_ms=400,
        idle_timeout_ms=6000,
        create_response=False,
        interrupt_response=True,
    ),
    tools=({"type": "function", "name": "get_time", "parameters": {"type": "object"}},),
    tool_choice={"type": "function", "name": "get_time"},
    tracing=Tracing(workflow_name="demo", group_id="g1", metadata={"team": "voice"}),
    truncation=Truncation("retention_ratio", 0.5),
    prompt=PromptReference("pmpt_1", "2", {"city": "Oslo"}),
    include_logprobs=True,
    reasoning_effort="low",
)
GA_TRANSCRIPTION = SessionConfig(
    session_type=SessionType.TRANSCRIPTION,
    input_audio_format="pcma",
    transcription=TranscriptionSettings("gpt-4o-transcribe", "de"),
    turn_detection=TurnDetection("none"),
    include_logprobs=True,
)
BETA_FULL = SessionConfig(
    api=ApiShape.BETA,
    model="gpt-4o-realtime-preview",
    voice="verse",
    modalities=("text", "audio"),
    ttl_seconds=60,
    temperature=0.9,
    max_output_tokens=512,
    input_audio_format="pcm",
    output_audio_format="pcmu",
    turn_detection=TurnDetection("semantic_vad", eagerness="low"),
    tracing=Tracing(auto=True),
    tool_choice="required",
    tools=({"type": "function", "name": "f"},),
)


@pytest.mark.parametrize("config", [GA_FULL, GA_TRANSCRIPTION, BETA_FULL], ids=["ga", "tx", "beta"])
def test_every_field_round_trips(config: SessionConfig) -> None:
    body = build_body(config)
    again = config_from_body(config.api, body)
    assert again == config
    assert build_body(again) == body


def test_unknown_keys_are_kept_and_sent_at_their_place() -> None:
    body = {
        "future_top": {"a": 1},
        "session": {
            "type": "realtime",
            "model": "gpt-realtime",
            "new_feature": True,
            "audio": {"input": {"turn_detection": {"type": "semantic_vad", "knob": 3}}},
            "truncation": {
                "type": "retention_ratio",
                "retention_ratio": 0.4,
                "token_limits": {"x": 1},
            },
        },
    }
    config = config_from_body(ApiShape.GA, body)
    assert config.model == "gpt-realtime"
    assert config.turn_detection == TurnDetection("semantic_vad")
    assert sorted(extra_paths(config.extra)) == [
        "future_top.a",
        "session.audio.input.turn_detection.knob",
        "session.new_feature",
        "session.truncation.token_limits.x",
    ]
    assert build_body(config) == body


def test_invalid_values_are_read_then_refused_with_the_field_named() -> None:
    config = config_from_body(
        ApiShape.GA,
        {
            "session": {
                "type": "realtime",
                "temperature": 0.8,
                "audio": {"input": {"format": "pcm16"}},
            }
        },
    )
    with pytest.raises(InvalidInput) as caught:
        build_body(config)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"temperature", "input_audio_format"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({"expires_after": {"seconds": 60}}, "session"),
        ({"session": {"type": "video"}}, "session.type"),
        ({"session": {"type": "realtime", "audio": "loud"}}, "session.audio"),
        ({"session": {"type": "realtime", "tools": {"type": "function"}}}, "session.tools"),
        ({"session": {"type": "realtime"}, "expires_after": {"anchor": "now", "seconds": 60}},
         "expires_after.anchor"),
    ],
)  # fmt: skip
def test_structural_problems_name_the_path(body: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        config_from_body(ApiShape.GA, body)
    assert caught.value.problems[0].field == field


def test_parse_assignment_parses_json_values_or_keeps_strings() -> None:
    assert parse_assignment("session.audio.output.speed=1.2") == ("session.audio.output.speed", 1.2)
    assert parse_assignment("session.tools=[]") == ("session.tools", [])
    assert parse_assignment("session.model=gpt-realtime") == ("session.model", "gpt-realtime")
    assert parse_assignment("a.b=x=y") == ("a.b", "x=y")
    for bad in ("no-equals", "=1", "a..b=1"):
        with pytest.raises(InvalidInput):
            parse_assignment(bad)


def test_set_path_creates_objects_and_never_mutates() -> None:
    body = {"session": {"type": "realtime"}}
    out = set_path(body, "session.audio.input.turn_detection.type", "semantic_vad")
    assert out["session"]["audio"]["input"]["turn_detection"] == {"type": "semantic_vad"}
    assert body == {"session": {"type": "realtime"}}
    with pytest.raises(InvalidInput):
        set_path(body, "session.type.x", 1)
