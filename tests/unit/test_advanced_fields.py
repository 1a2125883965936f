"""Golden bodies and validation for the advanced fields: turns, tools, tracing, truncation..."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from realtime_gui.core.bodies import build_body
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.session import (
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    Truncation,
    TurnDetection,
    find_problems,
)

GA = SessionConfig()
GA_TX = SessionConfig(session_type=SessionType.TRANSCRIPTION)
BETA = SessionConfig(api=ApiShape.BETA, model="gpt-4o-realtime-preview")
FUNCTION = {
    "type": "function",
    "name": "get_time",
    "description": "Now",
    "parameters": {"type": "object"},
}
MCP = {
    "type": "mcp",
    "server_label": "docs",
    "server_url": "https://mcp.example/sse",
    "require_approval": "never",
}


def session(config: SessionConfig) -> dict[str, Any]:
    return build_body(config)["session"]  # type: ignore[no-any-return]


def test_ga_golden_body_for_every_advanced_field() -> None:
    config = replace(
        GA,
        turn_detection=TurnDetection(
            "server_vad", threshold=0.4, prefix_padding_ms=250, silence_duration_ms=600,
            idle_timeout_ms=8000, create_response=True, interrupt_response=False,
        ),
        tools=(FUNCTION, MCP),
        tool_choice={"type": "mcp", "server_label": "docs"},
        tracing=Tracing(workflow_name="support", group_id="g-7", metadata={"tier": "gold"}),
        truncation=Truncation("retention_ratio", 0.75),
        prompt=PromptReference("pmpt_abc", "4", {"name": "Ada"}),
        include_logprobs=True,
        reasoning_effort="minimal",
        max_output_tokens=256,
    )  # fmt: skip
    assert session(config) == {
        "type": "realtime",
        "max_output_tokens": 256,
        "tools": [FUNCTION, MCP],
        "tool_choice": {"type": "mcp", "server_label": "docs"},
        "tracing": {"workflow_name": "support", "group_id": "g-7", "metadata": {"tier": "gold"}},
        "truncation": {"type": "retention_ratio", "retention_ratio": 0.75},
        "prompt": {"id": "pmpt_abc", "version": "4", "variables": {"name": "Ada"}},
        "reasoning": {"effort": "minimal"},
        "audio": {
            "input": {
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.4,
                    "prefix_padding_ms": 250,
                    "silence_duration_ms": 600,
                    "idle_timeout_ms": 8000,
                    "create_response": True,
                    "interrupt_response": False,
                }
            }
        },
        "include": ["item.input_audio_transcription.logprobs"],
    }


def test_simple_forms_of_tracing_truncation_and_turns() -> None:
    config = replace(
        GA, tracing=Tracing(auto=True), truncation=Truncation("disabled"),
        turn_detection=TurnDetection("none"),
    )  # fmt: skip
    body = session(config)
    assert body["tracing"] == "auto" and body["truncation"] == "disabled"
    assert body["audio"]["input"]["turn_detection"] is None  # manual turns: explicit null


def test_ga_transcription_golden_body() -> None:
    config = replace(
        GA_TX, turn_detection=TurnDetection("semantic_vad", eagerness="auto"), include_logprobs=True
    )
    assert session(config) == {
        "type": "transcription",
        "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "auto"}}},
        "include": ["item.input_audio_transcription.logprobs"],
    }


def test_beta_golden_body_for_its_advanced_fields() -> None:
    config = replace(
        BETA,
        turn_detection=TurnDetection("server_vad", threshold=0.5, silence_duration_ms=300),
        tools=(FUNCTION,),
        tool_choice="required",
        tracing=Tracing(auto=True),
        max_output_tokens="inf",
    )
    assert build_body(config) == {
        "model": "gpt-4o-realtime-preview",
        "turn_detection": {"type": "server_vad", "threshold": 0.5, "silence_duration_ms": 300},
        "tools": [FUNCTION],
        "tool_choice": "required",
        "tracing": "auto",
        "max_response_output_tokens": "inf",
    }


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (replace(GA, turn_detection=TurnDetection("server_vad", threshold=1.5)), "turn_detection.threshold"),
        (replace(GA, turn_detection=TurnDetection("server_vad", idle_timeout_ms=1000)), "turn_detection.idle_timeout_ms"),
        (replace(GA, turn_detection=TurnDetection("semantic_vad", eagerness="eager")), "turn_detection.eagerness"),
        (replace(GA, turn_detection=TurnDetection("semantic_vad", threshold=0.5)), "turn_detection.threshold"),
        (replace(GA, turn_detection=TurnDetection("vad")), "turn_detection.type"),
        (replace(BETA, turn_detection=TurnDetection("server_vad", idle_timeout_ms=6000)), "turn_detection.idle_timeout_ms"),
        (replace(GA, tools=({"type": "function", "name": "bad name"},)), "tools[0].name"),
        (replace(GA, tools=({"type": "function", "name": "f", "parameters": {"type": "array"}},)), "tools[0].parameters"),
        (replace(GA, tools=({"type": "function", "name": "f", "strict": True},)), "tools[0].strict"),
        (replace(GA, tools=({"type": "mcp", "server_label": "docs"},)), "tools[0].server_url"),
        (replace(GA, tools=({"type": "web_search"},)), "tools[0].type"),
        (replace(GA, tools=(FUNCTION, FUNCTION)), "tools[1]"),
        (replace(GA, tools=(FUNCTION,), tool_choice={"type": "function", "name": "other"}), "tool_choice"),
        (replace(GA, tool_choice="sometimes"), "tool_choice"),
        (replace(GA, tracing=Tracing()), "tracing"),
        (replace(GA, tracing=Tracing(auto=True, group_id="g")), "tracing"),
        (replace(GA, truncation=Truncation("retention_ratio", 1.5)), "truncation.retention_ratio"),
        (replace(GA, truncation=Truncation("smart")), "truncation"),
        (replace(GA, prompt=PromptReference("")), "prompt.id"),
        (replace(GA, reasoning_effort="max"), "reasoning_effort"),
        (replace(BETA, reasoning_effort="low"), "reasoning_effort"),
        (replace(BETA, prompt=PromptReference("pmpt_1")), "prompt"),
        (replace(BETA, include_logprobs=True), "include_logprobs"),
        (replace(GA_TX, tools=(FUNCTION,)), "tools"),
        (replace(GA_TX, tracing=Tracing(auto=True)), "tracing"),
    ],
)  # fmt: skip
def test_invalid_or_inapplicable_advanced_values_are_named(
    config: SessionConfig, field: str
) -> None:
    problems = find_problems(config)
    assert field in {p.field for p in problems}, problems
    with pytest.raises(InvalidInput):
        build_body(config)
