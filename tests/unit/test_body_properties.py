"""Property: every valid configuration serializes to a body the documented shape accepts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realtime_gui.core.bodies import build_body
from realtime_gui.core.body_reader import config_from_body
from realtime_gui.core.session import (
    AUDIO_FORMATS,
    BETA_MODELS,
    BETA_VOICES,
    EAGERNESS,
    GA_MODELS,
    GA_VOICES,
    NOISE_REDUCTION_TYPES,
    REASONING_EFFORTS,
    TRANSCRIPTION_MODELS,
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
    find_problems,
)
from tests.fake_api import ApiRejection, FakeRealtimeApi


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
JSON_OBJECTS = st.dictionaries(
    NAMES, st.integers() | st.text(max_size=8) | st.booleans(), max_size=3
)


@st.composite
def turn_detections(draw: st.DrawFn, *, ga: bool) -> TurnDetection | None:
    kind = draw(st.sampled_from(["unset", "none", "server_vad", "semantic_vad"]))
    if kind == "unset":
        return None
    if kind == "none":
        return TurnDetection("none")
    flags = {
        "create_response": draw(maybe(st.booleans())),
        "interrupt_response": draw(maybe(st.booleans())),
    }
    if kind == "semantic_vad":
        if not ga:
            flags = {}
        return TurnDetection(
            "semantic_vad", eagerness=draw(maybe(st.sampled_from(EAGERNESS))), **flags
        )
    return TurnDetection(
        "server_vad",
        threshold=draw(maybe(st.floats(0, 1))),
        prefix_padding_ms=draw(maybe(st.integers(0, 10_000))),
        silence_duration_ms=draw(maybe(st.integers(0, 10_000))),
        idle_timeout_ms=draw(maybe(st.integers(5_000, 30_000))) if ga else None,
        **flags,
    )


@st.composite
def tools_and_choice(draw: st.DrawFn) -> tuple[Any, Any]:
    names = draw(st.lists(NAMES, max_size=3, unique=True))
    tools: list[dict[str, Any]] = [
        {"type": "function", "name": name, "description": "d", "parameters": {"type": "object"}}
        for name in names
    ]
    if draw(st.booleans()):
        tools.append(
            {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example/sse"}
        )
    choices: list[Any] = [
        "auto",
        "none",
        "required",
        *({"type": "function", "name": n} for n in names),
    ]
    choice = draw(maybe(st.sampled_from(choices)))
    return (tuple(tools) if tools or draw(st.booleans()) else None), choice


@st.composite
def configs(draw: st.DrawFn) -> SessionConfig:
    api = draw(st.sampled_from(ApiShape))
    ga = api is ApiShape.GA
    kind = draw(st.sampled_from(SessionType)) if ga else SessionType.REALTIME
    transcription = draw(
        maybe(
            st.builds(
                TranscriptionSettings,
                maybe(st.sampled_from(TRANSCRIPTION_MODELS)),
                maybe(st.sampled_from(["en", "de", "ja"])),
                maybe(st.text(max_size=20)),
            )
        )
    )
    common: dict[str, Any] = {
        "api": api,
        "session_type": kind,
        "ttl_seconds": draw(maybe(st.integers(10, 7200))),
        "input_audio_format": draw(maybe(st.sampled_from(AUDIO_FORMATS))),
        "noise_reduction": draw(maybe(st.sampled_from(NOISE_REDUCTION_TYPES))),
        "transcription": transcription,
        "turn_detection": draw(turn_detections(ga=ga)),
    }
    if kind is SessionType.TRANSCRIPTION:
        return SessionConfig(**common, include_logprobs=draw(st.booleans()))
    tools, choice = draw(tools_and_choice())
    realtime: dict[str, Any] = {
        "model": draw(st.sampled_from(GA_MODELS if ga else BETA_MODELS))
        if not ga or draw(st.booleans())
        else None,
        "voice": draw(maybe(st.sampled_from(GA_VOICES if ga else BETA_VOICES))),
        "instructions": draw(maybe(st.text(max_size=40))),
        "modalities": draw(
            st.sampled_from(
                [(), ("audio",), ("text",)] if ga else [(), ("text",), ("text", "audio")]
            )
        ),
        "speed": draw(maybe(st.floats(0.25, 1.5))),
        "max_output_tokens": draw(maybe(st.integers(1, 4096) | st.just("inf"))),
        "output_audio_format": draw(maybe(st.sampled_from(AUDIO_FORMATS))),
        "tools": tools,
        "tool_choice": choice,
        "tracing": draw(
            maybe(
                st.just(Tracing(auto=True))
                | st.builds(Tracing, NAMES, maybe(NAMES), maybe(JSON_OBJECTS))
            )
        ),
    }
    if not ga:
        return SessionConfig(**common, **realtime, temperature=draw(maybe(st.floats(0.6, 1.2))))
    return SessionConfig(
        **common,
        **realtime,
        truncation=draw(
            maybe(
                st.sampled_from([Truncation("auto"), Truncation("disabled")])
                | st.builds(Truncation, st.just("retention_ratio"), st.floats(0, 1))
            )
        ),
        prompt=draw(
            maybe(
                st.builds(
                    PromptReference, st.just("pmpt_1"), maybe(st.just("2")), maybe(JSON_OBJECTS)
                )
            )
        ),
        include_logprobs=draw(st.booleans()),
        reasoning_effort=draw(maybe(st.sampled_from(REASONING_EFFORTS))),
    )


@pytest.fixture(scope="module")
def documented_api() -> Iterator[FakeRealtimeApi]:
    # Not started: its shape checks are called directly, no socket traffic needed.
    server = FakeRealtimeApi("sk-unused")
    yield server
    server._server.server_close()


@settings(max_examples=400, deadline=None)
@given(config=configs())
def test_valid_configs_build_bodies_the_documented_shape_accepts(
    documented_api: FakeRealtimeApi, config: SessionConfig
) -> None:
    assert find_problems(config) == []
    body = build_body(config)
    try:
        if config.api is ApiShape.GA:
            documented_api._mint_ga(body)
        else:
            documented_api._mint_beta(body)
    except ApiRejection as rejection:
        pytest.fail(f"{rejection.status} {rejection.message} for {body}")
    # And the body reads back into a config that builds the very same body.
    assert build_body(config_from_body(config.api, body)) == body
