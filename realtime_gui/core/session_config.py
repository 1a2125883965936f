"""The session a user asks for, as plain frozen values: no wire format, no validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import Enum
from typing import Any, Literal

__all__ = [
    "ApiShape",
    "PromptReference",
    "SessionConfig",
    "SessionType",
    "Tracing",
    "TranscriptionSettings",
    "Truncation",
    "TurnDetection",
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


@dataclass(frozen=True)
class TranscriptionSettings:
    """Input audio transcription: model, ISO-639-1 language and a prompt."""

    model: str | None = None
    language: str | None = None
    prompt: str | None = None


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
