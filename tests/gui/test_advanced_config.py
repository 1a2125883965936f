"""The advanced settings kept before the panel is built apply exactly as the panel would."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

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
from realtime_gui.ui.advanced_config import apply_advanced, has_advanced
from realtime_gui.ui.advanced_panel import AdvancedPanel

GA, BETA = ApiShape.GA, ApiShape.BETA
REALTIME, TRANSCRIPTION = SessionType.REALTIME, SessionType.TRANSCRIPTION
TOOL = {"type": "function", "name": "roll", "parameters": {"type": "object"}}

SAVED = {
    "ga-realtime": SessionConfig(
        speed=1.15,
        max_output_tokens=2048,
        input_audio_format="pcmu",
        output_audio_format="pcma",
        transcription=TranscriptionSettings("gpt-4o-transcribe", "de", "Terms"),
        noise_reduction="near_field",
        turn_detection=TurnDetection(
            "server_vad", threshold=0.65, silence_duration_ms=800, idle_timeout_ms=12_000
        ),
        tools=(TOOL,),
        tool_choice={"type": "function", "name": "roll"},
        tracing=Tracing(workflow_name="wf", group_id="g", metadata={"k": 1}),
        truncation=Truncation("retention_ratio", 0.75),
        prompt=PromptReference("pmpt_1", "2", {"city": "Atlantis"}),
        include_logprobs=True,
        reasoning_effort="low",
    ),
    "ga-transcription": SessionConfig(
        session_type=TRANSCRIPTION,
        input_audio_format="pcm",
        transcription=TranscriptionSettings("gpt-4o-mini-transcribe", "es", "Say zorblax"),
        turn_detection=TurnDetection("semantic_vad", eagerness="auto"),
        include_logprobs=True,
    ),
    "beta": SessionConfig(
        api=BETA,
        speed=0.8,
        temperature=0.95,
        max_output_tokens="inf",
        transcription=TranscriptionSettings(model="whisper-1"),
        turn_detection=TurnDetection("server_vad", threshold=0.4, silence_duration_ms=300),
        tracing=Tracing(auto=True),
    ),
    "empty": SessionConfig(),
}
SHAPES = {
    "ga-realtime": (GA, REALTIME, None),
    "ga-transcription": (GA, TRANSCRIPTION, "gpt-4o-transcribe"),
    "ga-transcription-no-model": (GA, TRANSCRIPTION, None),
    "beta": (BETA, REALTIME, None),
}


@pytest.mark.parametrize("saved", list(SAVED))
@pytest.mark.parametrize("shape", list(SHAPES))
def test_kept_settings_apply_as_the_panel_applies_them(
    qtbot: QtBot, saved: str, shape: str
) -> None:
    api, kind, model = SHAPES[shape]
    config = SAVED[saved]
    basic = SessionConfig(
        api=api,
        session_type=kind,
        model="gpt-realtime" if kind is REALTIME else None,
        transcription=TranscriptionSettings(model=model) if model else None,
    )
    panel = AdvancedPanel()
    qtbot.addWidget(panel)
    panel.set_shape(config.api, config.session_type)
    panel.load(config)
    panel.set_shape(api, kind)
    assert apply_advanced(basic, config) == panel.apply(basic)


def test_has_advanced() -> None:
    assert not has_advanced(SessionConfig(model="m", voice="ash", ttl_seconds=90))
    assert not has_advanced(SessionConfig(api=BETA, modalities=("text",)))
    assert has_advanced(SessionConfig(speed=1.1))
    assert has_advanced(SessionConfig(api=BETA, temperature=0.9))
    # As the window always did: a transcription model counts (the panel holds it too).
    assert has_advanced(
        SessionConfig(session_type=TRANSCRIPTION, transcription=TranscriptionSettings("m"))
    )
