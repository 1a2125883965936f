"""The advanced part of a session config, applied the way the advanced panel would apply it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..core.session import (
    TURN_DETECTION_FIELDS,
    SessionConfig,
    TranscriptionSettings,
    inapplicable_reason,
)

__all__ = ["apply_advanced", "has_advanced"]


def _merge_transcription(
    base: TranscriptionSettings | None, saved: TranscriptionSettings | None
) -> TranscriptionSettings | None:
    # As AdvancedPanel._transcription: the main form's model wins over the panel's.
    if saved is None or (saved.model is None and saved.language is None and saved.prompt is None):
        return base
    if base is None:
        return saved
    return replace(
        base,
        model=base.model or saved.model,
        language=saved.language or base.language,
        prompt=saved.prompt or base.prompt,
    )


def apply_advanced(basic: SessionConfig, saved: SessionConfig) -> SessionConfig:
    """``basic`` with the advanced fields of ``saved``; what ``basic``'s shape lacks left out.

    Until the advanced panel is built (it is built on first use) the window keeps its values
    as ``saved`` and this stands in for ``AdvancedPanel.apply``, with the same result.
    """
    api, kind = basic.api, basic.session_type

    def ok(field: str) -> bool:
        return inapplicable_reason(field, api, kind) is None

    turn = saved.turn_detection
    if turn is not None:
        # A shape may lack a turn setting (Beta: idle_timeout_ms) though it has turn detection.
        lacking: dict[str, Any] = {
            name: None for name in TURN_DETECTION_FIELDS[1:] if not ok(f"turn_detection.{name}")
        }
        turn = replace(turn, **lacking)
    return replace(
        basic,
        speed=saved.speed if ok("speed") else None,
        temperature=saved.temperature if ok("temperature") else None,
        max_output_tokens=saved.max_output_tokens if ok("max_output_tokens") else None,
        input_audio_format=saved.input_audio_format if ok("input_audio_format") else None,
        output_audio_format=saved.output_audio_format if ok("output_audio_format") else None,
        noise_reduction=saved.noise_reduction if ok("noise_reduction") else None,
        transcription=(
            _merge_transcription(basic.transcription, saved.transcription)
            if ok("transcription")
            else None
        ),
        turn_detection=turn if ok("turn_detection") else None,
        tools=saved.tools if ok("tools") else None,
        tool_choice=saved.tool_choice if ok("tool_choice") else None,
        tracing=saved.tracing if ok("tracing") else None,
        truncation=saved.truncation if ok("truncation") else None,
        prompt=saved.prompt if ok("prompt") else None,
        include_logprobs=saved.include_logprobs and ok("include_logprobs"),
        reasoning_effort=saved.reasoning_effort if ok("reasoning_effort") else None,
    )


def has_advanced(config: SessionConfig) -> bool:
    """True if ``config`` sets any field of the advanced panel (for a realtime session)."""
    bare = SessionConfig(api=config.api)
    return apply_advanced(bare, config) != bare
