"""The Response tab: output length, reasoning effort, log probabilities and temperature."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, Literal

from ...core.session import (
    MAX_TOKENS_MAX,
    MAX_TOKENS_MIN,
    REASONING_EFFORTS,
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    SessionConfig,
)
from ..inputs import SERVER_DEFAULT, select_data
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
        self.maxOutputTokensInput = self._whole(
            "maxOutputTokensInput",
            "Maximum output tokens",
            f"Most tokens in one response, {MAX_TOKENS_MIN}–{MAX_TOKENS_MAX} "
            '(server default "inf": no limit)',
            (MAX_TOKENS_MIN, MAX_TOKENS_MAX),
            step=1,
            start=MAX_TOKENS_MAX,
        )
        self.maxOutputTokensInfInput = self._check(
            "inf",
            "maxOutputTokensInfInput",
            "Unlimited output tokens",
            'Send "inf": no limit on the length of a response',
        )
        self.reasoningEffortInput = self._combo(
            "reasoningEffortInput",
            "Reasoning effort",
            "How much the model reasons before answering, for reasoning models "
            "(server default low); more effort is slower",
            [(SERVER_DEFAULT, None), *((r, r) for r in REASONING_EFFORTS)],
        )
        self.includeLogprobsInput = self._check(
            "Include transcription log probabilities",
            "includeLogprobsInput",
            "Include transcription log probabilities",
            "Add the log probabilities of the input audio transcription to transcription "
            "events, to judge its confidence",
        )
        self.temperatureInput = self._double(
            "temperatureInput",
            "Temperature",
            f"Sampling temperature {TEMPERATURE_MIN}–{TEMPERATURE_MAX} (server default 0.8). "
            "Beta API only: GA rejects it.",
            (TEMPERATURE_MIN, TEMPERATURE_MAX),
            step=0.05,
            start=0.8,
        )
        self._row("Max output tokens:", self.maxOutputTokensInput, self.maxOutputTokensInfInput)
        self._row("Reasoning effort:", self.reasoningEffortInput)
        self._row("Log probabilities:", self.includeLogprobsInput)
        self._row("Temperature:", self.temperatureInput)

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
