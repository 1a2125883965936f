"""The Context tab: tracing, truncation of a long conversation, and a stored prompt."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from ...core.errors import FieldProblem
from ...core.fields import field as table_field
from ...core.session import (
    PromptReference,
    SessionConfig,
    Tracing,
    Truncation,
)
from ..inputs import choice_items, parse_json, select_data, to_json
from .base import AdvancedTab

__all__ = ["ContextTab"]

# Display text for the table's truncation types where it is not the value itself.
_TRUNCATION_LABELS = {"retention_ratio": "Retention ratio"}
_JSON_EDITOR_HEIGHT = 70  # a few lines: these objects are small, the tab must still fit


class ContextTab(AdvancedTab):
    """Tracing (auto or a workflow), truncation, and a stored prompt with its variables."""

    TITLE = "Context"
    FIELDS: ClassVar[dict[str, str]] = {
        "tracing": "tracingInput",
        "tracing.workflow_name": "tracingWorkflowInput",
        "tracing.group_id": "tracingGroupInput",
        "tracing.metadata": "tracingMetadataInput",
        "truncation": "truncationInput",
        "truncation.type": "truncationInput",
        "truncation.retention_ratio": "retentionRatioInput",
        "prompt": "promptIdInput",
        "prompt.id": "promptIdInput",
        "prompt.version": "promptVersionInput",
        "prompt.variables": "promptVariablesInput",
    }

    def _build(self) -> None:
        self.tracingInput = self._combo(
            "tracingInput",
            "tracing",
            [("Off (server default)", None), ("auto", "auto"), ("Workflow", "workflow")],
        )
        self.tracingWorkflowInput = self._line(
            "tracingWorkflowInput", "tracing.workflow_name", "e.g. support-bot"
        )
        self.tracingGroupInput = self._line("tracingGroupInput", "tracing.group_id", "Optional")
        self.tracingMetadataInput = self._json_editor(
            "tracingMetadataInput", "tracing.metadata", '{"team": "demo"}'
        )
        self.tracingMetadataInput.setFixedHeight(_JSON_EDITOR_HEIGHT)
        self.truncationInput = self._combo(
            "truncationInput",
            "truncation",
            choice_items(table_field("truncation"), _TRUNCATION_LABELS),
        )
        self.retentionRatioInput = self._double(
            "retentionRatioInput",
            "truncation.retention_ratio",
            step=0.05,
            start=0.5,  # no documented default; start mid-range rather than keeping nothing
        )
        self.promptIdInput = self._line("promptIdInput", "prompt.id", "e.g. pmpt_123")
        self.promptVersionInput = self._line(
            "promptVersionInput", "prompt.version", "Current version"
        )
        self.promptVariablesInput = self._json_editor(
            "promptVariablesInput", "prompt.variables", '{"city": "Paris"}'
        )
        self.promptVariablesInput.setFixedHeight(_JSON_EDITOR_HEIGHT)
        self._row(self.tracingInput)
        self._row(self.tracingWorkflowInput)
        self._row(self.tracingGroupInput)
        self._row(self.tracingMetadataInput)
        self._row(self.truncationInput)
        self._row(self.retentionRatioInput)
        self._row(self.promptIdInput)
        self._row(self.promptVersionInput)
        self._row(self.promptVariablesInput)

    def _workflow(self) -> bool:
        return bool(self.tracingInput.currentData() == "workflow")

    def _has_prompt(self) -> bool:
        return bool(self.promptIdInput.text().strip())

    def _dependency_reasons(self) -> dict[str, str]:
        reasons: dict[str, str] = {}
        if not self._workflow():
            for name in ("tracingWorkflowInput", "tracingGroupInput", "tracingMetadataInput"):
                reasons[name] = "choose Workflow tracing first"
        if self.truncationInput.currentData() != "retention_ratio":
            reasons["retentionRatioInput"] = "choose Retention ratio truncation first"
        if not self._has_prompt():
            for name in ("promptVersionInput", "promptVariablesInput"):
                reasons[name] = "set a prompt id first"
        return reasons

    def apply(self, config: SessionConfig) -> SessionConfig:
        ok = self._applies_to(config)
        return dataclasses.replace(
            config,
            tracing=self._tracing() if ok("tracing") else None,
            truncation=self._truncation() if ok("truncation") else None,
            prompt=self._prompt() if ok("prompt") else None,
        )

    def _tracing(self) -> Tracing | None:
        mode = self.tracingInput.currentData()
        if mode is None:
            return None
        if mode == "auto":
            return Tracing(auto=True)
        metadata, _ = parse_json(self.tracingMetadataInput.toPlainText(), dict)
        return Tracing(
            workflow_name=self.tracingWorkflowInput.text().strip() or None,
            group_id=self.tracingGroupInput.text().strip() or None,
            metadata=metadata,
        )

    def _truncation(self) -> Truncation | None:
        kind = self.truncationInput.currentData()
        if kind is None:
            return None
        if kind == "retention_ratio":
            return Truncation(kind, self.retentionRatioInput.optional_value())
        return Truncation(kind)

    def _prompt(self) -> PromptReference | None:
        prompt_id = self.promptIdInput.text().strip() or None
        if prompt_id is None:
            return None
        variables, _ = parse_json(self.promptVariablesInput.toPlainText(), dict)
        version = self.promptVersionInput.text().strip() or None
        return PromptReference(prompt_id, version, variables)

    def _load(self, config: SessionConfig) -> None:
        tracing = config.tracing
        mode = None if tracing is None else "auto" if tracing.auto else "workflow"
        select_data(self.tracingInput, mode)
        tracing = tracing or Tracing()
        self.tracingWorkflowInput.setText(tracing.workflow_name or "")
        self.tracingGroupInput.setText(tracing.group_id or "")
        metadata = tracing.metadata
        self.tracingMetadataInput.setPlainText("" if metadata is None else to_json(metadata))
        truncation = config.truncation
        select_data(self.truncationInput, truncation.type if truncation is not None else None)
        self.retentionRatioInput.set_optional(
            truncation.retention_ratio if truncation is not None else None
        )
        prompt = config.prompt
        self.promptIdInput.setText(prompt.id if prompt is not None else "")
        self.promptVersionInput.setText(prompt.version or "" if prompt is not None else "")
        variables = prompt.variables if prompt is not None else None
        self.promptVariablesInput.setPlainText("" if variables is None else to_json(variables))

    def local_problems(self) -> list[FieldProblem]:
        # Text in a disabled editor is never sent, so it cannot block a mint.
        editors = (
            (
                "tracing.metadata",
                self.tracingMetadataInput,
                self._applies("tracing") and self._workflow(),
            ),
            (
                "prompt.variables",
                self.promptVariablesInput,
                self._applies("prompt") and self._has_prompt(),
            ),
        )
        problems = []
        for field, editor, counts in editors:
            problem = self._json_problem(field, editor, dict) if counts else None
            if problem is not None:
                problems.append(problem)
        return problems
