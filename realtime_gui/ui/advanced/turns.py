"""The Turns tab: how the end of the user's turn is detected, and what happens then."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from ...core.fields import field as table_field
from ...core.fields import subfields_for_type
from ...core.session import SessionConfig, TurnDetection
from ..inputs import choice_items, select_data, select_tri, tri_value
from .base import AdvancedTab, Applies

__all__ = ["TurnsTab"]

# Display text for the table's turn-detection types (the choices and their order are the table's).
_TURN_LABELS = {
    "none": "None (manual turns)",
    "server_vad": "Server VAD",
    "semantic_vad": "Semantic VAD",
}


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
        # The combo edits the whole setting (its tooltip and label); its values are the types.
        self.turnDetectionInput = self._combo(
            "turnDetectionInput",
            "turn_detection",
            choice_items(table_field("turn_detection.type"), _TURN_LABELS),
        )
        self.vadThresholdInput = self._double(
            "vadThresholdInput", "turn_detection.threshold", step=0.05, start=0.5
        )
        self.prefixPaddingInput = self._whole(
            "prefixPaddingInput", "turn_detection.prefix_padding_ms", step=100, start=300
        )
        self.silenceDurationInput = self._whole(
            "silenceDurationInput", "turn_detection.silence_duration_ms", step=100, start=500
        )
        self.idleTimeoutInput = self._whole(
            "idleTimeoutInput", "turn_detection.idle_timeout_ms", step=1_000
        )
        self.createResponseInput = self._tri_state(
            "createResponseInput", "turn_detection.create_response"
        )
        self.interruptResponseInput = self._tri_state(
            "interruptResponseInput", "turn_detection.interrupt_response"
        )
        self.eagernessInput = self._combo(
            "eagernessInput",
            "turn_detection.eagerness",
            choice_items(table_field("turn_detection.eagerness")),
        )
        self._row(self.turnDetectionInput)
        self._row(self.vadThresholdInput)
        self._row(self.prefixPaddingInput)
        self._row(self.silenceDurationInput)
        self._row(self.idleTimeoutInput)
        self._row(self.createResponseInput)
        self._row(self.interruptResponseInput)
        self._row(self.eagernessInput)

    def _dependency_reasons(self) -> dict[str, str]:
        reasons: dict[str, str] = {}
        chosen = self.turnDetectionInput.currentData()
        allowed = subfields_for_type("turn_detection", chosen) if chosen else ()
        for name_in_table, name in self.FIELDS.items():
            sub = name_in_table.removeprefix("turn_detection.")
            if sub in ("turn_detection", "type") or sub in allowed:
                continue
            takers = [_TURN_LABELS[t] for t in table_field(name_in_table).for_types]
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
        allowed = subfields_for_type("turn_detection", kind)
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
