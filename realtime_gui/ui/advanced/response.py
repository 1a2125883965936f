"""The Response tab: output length, reasoning effort, log probabilities and temperature."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, Literal

from PySide6.QtWidgets import QCheckBox

from ...core.fields import field as table_field
from ...core.session import SessionConfig
from ..inputs import choice_items, describe, select_data, span_of
from .base import AdvancedTab

__all__ = ["ResponseTab"]


class ResponseTab(AdvancedTab):
    """How the model answers: a token limit (or "inf"), reasoning effort, logprobs, temperature."""

    TITLE = "Response"
    FIELDS: ClassVar[dict[str, str]] = {
        "max_output_tokens": "maxOutputTokensInput",
        "reasoning_effort": "reasoningEffortInput",
        "include_logprobs": "includeLogprobsInput",
        "temperature": "temperatureInput",
    }

    def _build(self) -> None:
        tokens = table_field("max_output_tokens")
        self.maxOutputTokensInput = self._whole(
            "maxOutputTokensInput", tokens.name, step=1, start=int(span_of(tokens).high)
        )
        # The range's word ("inf") is a value of its own, so it gets a box beside the spin.
        no_limit = QCheckBox(span_of(tokens).word or "", self)
        self.maxOutputTokensInfInput = self._register(
            describe(
                no_limit,
                "maxOutputTokensInfInput",
                "Unlimited output tokens",
                f'Send "{no_limit.text()}": no limit on the length of a response',
            )
        )
        self.reasoningEffortInput = self._combo(
            "reasoningEffortInput",
            "reasoning_effort",
            choice_items(table_field("reasoning_effort")),
        )
        self.includeLogprobsInput = self._check(
            "Include transcription log probabilities", "includeLogprobsInput", "include_logprobs"
        )
        self.temperatureInput = self._double(
            "temperatureInput", "temperature", step=0.05, start=0.8
        )
        self._row(self.maxOutputTokensInput, self.maxOutputTokensInfInput)
        self._row(self.reasoningEffortInput)
        self._row(self.includeLogprobsInput)
        self._row(self.temperatureInput)

    def _shape_reasons(self) -> dict[str, str | None]:
        reasons = super()._shape_reasons()
        reasons["maxOutputTokensInfInput"] = self._reason("max_output_tokens")
        return reasons

    def _dependency_reasons(self) -> dict[str, str]:
        if self.maxOutputTokensInfInput.isChecked():
            return {"maxOutputTokensInput": 'no limit ("inf") is checked'}
        return {}

    def apply(self, config: SessionConfig) -> SessionConfig:
        ok = self._applies_to(config)
        tokens: int | Literal["inf"] | None = (
            "inf"
            if self.maxOutputTokensInfInput.isChecked()
            else self.maxOutputTokensInput.optional_value()
        )
        return dataclasses.replace(
            config,
            temperature=self.temperatureInput.optional_value() if ok("temperature") else None,
            max_output_tokens=tokens if ok("max_output_tokens") else None,
            include_logprobs=self.includeLogprobsInput.isChecked() and ok("include_logprobs"),
            reasoning_effort=(
                self.reasoningEffortInput.currentData() if ok("reasoning_effort") else None
            ),
        )

    def _load(self, config: SessionConfig) -> None:
        tokens = config.max_output_tokens
        self.maxOutputTokensInfInput.setChecked(tokens == "inf")
        self.maxOutputTokensInput.set_optional(tokens if isinstance(tokens, int) else None)
        select_data(self.reasoningEffortInput, config.reasoning_effort)
        self.includeLogprobsInput.setChecked(config.include_logprobs)
        self.temperatureInput.set_optional(config.temperature)
