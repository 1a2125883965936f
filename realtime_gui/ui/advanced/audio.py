"""The Audio tab: audio formats, speech speed, noise reduction and input transcription."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from ...core.fields import field as table_field
from ...core.session import (
    TRANSCRIPTION_MODELS,
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
)
from ..inputs import choice_items, select_data
from .base import AdvancedTab

__all__ = ["AudioTab"]

# Display text for the table's choices; which choices there are, and their order, is the table's.
_FORMAT_LABELS = {"pcm": "PCM 24 kHz", "pcmu": "G.711 µ-law", "pcma": "G.711 A-law"}
_NOISE_LABELS = {"near_field": "Near field", "far_field": "Far field"}
_TRANSCRIPTION_MODEL_ELSEWHERE = "the transcription model is the Model field above"


class AudioTab(AdvancedTab):
    """Audio in and out: formats, speed, noise reduction, transcription of the user's speech."""

    TITLE = "Audio"
    FIELDS: ClassVar[dict[str, str]] = {
        "input_audio_format": "inputFormatInput",
        "output_audio_format": "outputFormatInput",
        "speed": "speedInput",
        "noise_reduction": "noiseReductionInput",
        "transcription": "transcriptionModelInput",
        "transcription.model": "transcriptionModelInput",
        "transcription.language": "transcriptionLanguageInput",
        "transcription.prompt": "transcriptionPromptInput",
    }

    def _build(self) -> None:
        formats = choice_items(table_field("input_audio_format"), _FORMAT_LABELS)
        self.inputFormatInput = self._combo("inputFormatInput", "input_audio_format", formats)
        self.outputFormatInput = self._combo(
            "outputFormatInput",
            "output_audio_format",
            choice_items(table_field("output_audio_format"), _FORMAT_LABELS),
        )
        self.speedInput = self._double("speedInput", "speed", step=0.05, start=1.0)
        self.noiseReductionInput = self._combo(
            "noiseReductionInput",
            "noise_reduction",
            choice_items(table_field("noise_reduction"), _NOISE_LABELS, "Server default (off)"),
        )
        self.transcriptionModelInput = self._combo(
            "transcriptionModelInput",
            "transcription.model",
            [("", None), *((m, m) for m in TRANSCRIPTION_MODELS)],
            editable=True,
        )
        line = self.transcriptionModelInput.lineEdit()
        if line is not None:
            line.setPlaceholderText("Not set")
        self.transcriptionLanguageInput = self._line(
            "transcriptionLanguageInput", "transcription.language", "e.g. en"
        )
        self.transcriptionPromptInput = self._line(
            "transcriptionPromptInput", "transcription.prompt", "Optional"
        )
        self._row(self.inputFormatInput)
        self._row(self.outputFormatInput)
        self._row(self.speedInput)
        self._row(self.noiseReductionInput)
        self._row(self.transcriptionModelInput)
        self._row(self.transcriptionLanguageInput)
        self._row(self.transcriptionPromptInput)

    def _shape_reasons(self) -> dict[str, str | None]:
        reasons = super()._shape_reasons()
        # A GA transcription session names its model in the main form, not here.
        if self._api is ApiShape.GA and self._kind is SessionType.TRANSCRIPTION:
            reasons["transcriptionModelInput"] = _TRANSCRIPTION_MODEL_ELSEWHERE
        return reasons

    def apply(self, config: SessionConfig) -> SessionConfig:
        ok = self._applies_to(config)
        return dataclasses.replace(
            config,
            speed=self.speedInput.optional_value() if ok("speed") else None,
            input_audio_format=(
                self.inputFormatInput.currentData() if ok("input_audio_format") else None
            ),
            output_audio_format=(
                self.outputFormatInput.currentData() if ok("output_audio_format") else None
            ),
            noise_reduction=(
                self.noiseReductionInput.currentData() if ok("noise_reduction") else None
            ),
            transcription=self._transcription(config) if ok("transcription") else None,
        )

    def _transcription(self, config: SessionConfig) -> TranscriptionSettings | None:
        base = config.transcription
        model = self.transcriptionModelInput.currentText().strip() or None
        language = self.transcriptionLanguageInput.text().strip() or None
        prompt = self.transcriptionPromptInput.text().strip() or None
        if model is None and language is None and prompt is None:
            return base
        if base is None:
            return TranscriptionSettings(model=model, language=language, prompt=prompt)
        # The main form's model wins; it is the one the user sees for transcription sessions.
        return dataclasses.replace(
            base,
            model=base.model or model,
            language=language or base.language,
            prompt=prompt or base.prompt,
        )

    def _load(self, config: SessionConfig) -> None:
        select_data(self.inputFormatInput, config.input_audio_format)
        select_data(self.outputFormatInput, config.output_audio_format)
        self.speedInput.set_optional(config.speed)
        select_data(self.noiseReductionInput, config.noise_reduction)
        transcription = config.transcription or TranscriptionSettings()
        self.transcriptionModelInput.setEditText(transcription.model or "")
        self.transcriptionLanguageInput.setText(transcription.language or "")
        self.transcriptionPromptInput.setText(transcription.prompt or "")
