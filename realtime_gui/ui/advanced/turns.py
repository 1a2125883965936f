"""The Turns tab: how the end of the user's turn is detected, and what happens then."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from ...core.session import (
    EAGERNESS,
    TURN_DETECTION_TYPES,
    SessionConfig,
    TurnDetection,
)
from ..inputs import SERVER_DEFAULT, select_data, select_tri, tri_value
from .base import AdvancedTab, Applies

__all__ = ["TurnsTab"]

# Which turn-detection settings each type takes (the same table validation uses).
TURN_FIELDS: dict[str, tuple[str, ...]] = {
    "server_vad": (
        "threshold",
        "prefix_padding_ms",
        "silence_duration_ms",
        "idle_timeout_ms",
        "create_response",
        "interrupt_response",
    ),
    "semantic_vad": ("eagerness", "create_response", "interrupt_response"),
}
_TURN_LABELS = {
    "none": "None (manual turns)",
    "server_vad": "Server VAD",
    "semantic_vad": "Semantic VAD",
}
# The ranges validation in core checks; core has no public constants for them yet.
_THRESHOLD_SPAN = (0.0, 1.0)
_PADDING_SPAN = (0, 10_000)
_IDLE_TIMEOUT_SPAN = (5_000, 30_000)


class TurnsTab(AdvancedTab):
    """Turn detection and its settings; each setting is on only for the types that take it."""

    TITLE = "Turns"
    FIELDS: ClassVar[dict[str, str]] = {
        "turn_detection": "turnDetectionInput",
        "turn_detection.type": "turnDetectionInput",
        "turn_detection.threshold": "vadThresholdInput",
        "turn_detection.prefix_padding_ms": "prefixPaddingInput",
        "turn_detection.silence_duration_ms": "silenceDurationInput",
        "turn_detection.idle_timeout_ms": "idleTimeoutInput",
        "turn_detection.create_response": "createResponseInput",
        "turn_detection.interrupt_response": "interruptResponseInput",
        "turn_detection.eagerness": "eagernessInput",
    }

    def _build(self) -> None:
        low, high = _PADDING_SPAN
        self.turnDetectionInput = self._combo(
            "turnDetectionInput",
            "Turn detection",
            "How the end of the user's turn is found. None: the client commits the audio "
            "itself. Server VAD: by silence. Semantic VAD: by what was said. "
            "Server default: Server VAD.",
            [(SERVER_DEFAULT, None), *((_TURN_LABELS[t], t) for t in TURN_DETECTION_TYPES)],
        )
        self.vadThresholdInput = self._double(
            "vadThresholdInput",
            "Voice activity threshold",
            "Voice activity threshold 0–1 (server default 0.5); higher needs louder speech, "
            "which suits noisy rooms",
            _THRESHOLD_SPAN,
            step=0.05,
            start=0.5,
        )
        self.prefixPaddingInput = self._whole(
            "prefixPaddingInput",
            "Prefix padding in milliseconds",
            f"Audio kept from before the detected start of speech, {low}–{high} ms "
            "(server default 300)",
            _PADDING_SPAN,
            step=100,
            start=300,
            suffix=" ms",
        )
        self.silenceDurationInput = self._whole(
            "silenceDurationInput",
            "Silence duration in milliseconds",
            f"Silence that ends the user's turn, {low}–{high} ms (server default 500); shorter "
            "answers sooner but may cut the user off",
            _PADDING_SPAN,
            step=100,
            start=500,
            suffix=" ms",
        )
        idle_low, idle_high = _IDLE_TIMEOUT_SPAN
        self.idleTimeoutInput = self._whole(
            "idleTimeoutInput",
            "Idle timeout in milliseconds",
            f"Prompt a response when the user stays silent this long, {idle_low}–{idle_high} ms "
            "(server default: no timeout)",
            _IDLE_TIMEOUT_SPAN,
            step=1_000,
            start=idle_low,
            suffix=" ms",
        )
        self.createResponseInput = self._tri_state(
            "createResponseInput",
            "Create response",
            "Whether the model answers by itself when the user's turn ends (server default: yes)",
        )
        self.interruptResponseInput = self._tri_state(
            "interruptResponseInput",
            "Interrupt response",
            "Whether the user speaking interrupts a response in progress (server default: yes)",
        )
        self.eagernessInput = self._combo(
            "eagernessInput",
            "Eagerness",
            "How soon semantic VAD ends the user's turn: low waits longer, high answers "
            "sooner, auto is medium",
            [(SERVER_DEFAULT, None), *((e, e) for e in EAGERNESS)],
        )
        self._row("Turn detection:", self.turnDetectionInput)
        self._row("Threshold:", self.vadThresholdInput)
        self._row("Prefix padding:", self.prefixPaddingInput)
        self._row("Silence duration:", self.silenceDurationInput)
        self._row("Idle timeout:", self.idleTimeoutInput)
        self._row("Create response:", self.createResponseInput)
        self._row("Interrupt response:", self.interruptResponseInput)
        self._row("Eagerness:", self.eagernessInput)

    def _dependency_reasons(self) -> dict[str, str]:
        reasons: dict[str, str] = {}
        allowed = TURN_FIELDS.get(self.turnDetectionInput.currentData(), ())
        for field, name in self.FIELDS.items():
            sub = field.removeprefix("turn_detection.")
            if sub in ("turn_detection", "type") or sub in allowed:
                continue
            takers = [_TURN_LABELS[t] for t, subs in TURN_FIELDS.items() if sub in subs]
            reasons[name] = f"choose {' or '.join(takers)} turn detection first"
        return reasons

    def apply(self, config: SessionConfig) -> SessionConfig:
        ok = self._applies_to(config)
        return dataclasses.replace(
            config, turn_detection=self._turn_detection(ok) if ok("turn_detection") else None
        )

    def _turn_detection(self, ok: Applies) -> TurnDetection | None:
        kind = self.turnDetectionInput.currentData()
        if kind is None:
            return None
        allowed = TURN_FIELDS.get(kind, ())
        values: dict[str, Any] = {
            "threshold": self.vadThresholdInput.optional_value(),
            "prefix_padding_ms": self.prefixPaddingInput.optional_value(),
            "silence_duration_ms": self.silenceDurationInput.optional_value(),
            "idle_timeout_ms": self.idleTimeoutInput.optional_value(),
            "create_response": tri_value(self.createResponseInput),
            "interrupt_response": tri_value(self.interruptResponseInput),
            "eagerness": self.eagernessInput.currentData(),
        }
        return TurnDetection(
            type=kind,
            **{
                name: value
                for name, value in values.items()
                if name in allowed and ok(f"turn_detection.{name}")
            },
        )

    def _load(self, config: SessionConfig) -> None:
        td = config.turn_detection
        select_data(self.turnDetectionInput, td.type if td is not None else None)
        td = td or TurnDetection()
        self.vadThresholdInput.set_optional(td.threshold)
        self.prefixPaddingInput.set_optional(td.prefix_padding_ms)
        self.silenceDurationInput.set_optional(td.silence_duration_ms)
        self.idleTimeoutInput.set_optional(td.idle_timeout_ms)
        select_tri(self.createResponseInput, td.create_response)
        select_tri(self.interruptResponseInput, td.interrupt_response)
        select_data(self.eagernessInput, td.eagerness)
