"""The Tools tab: the tools as JSON, a summary of them, and which one the model may call."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QWidget

from ...core.errors import FieldProblem
from ...core.session import SessionConfig
from ...core.tools import TOOL_CHOICE_MODES, tool_choice_options
from ..inputs import SERVER_DEFAULT, parse_json, to_json
from ..style import paint_error
from .base import AdvancedTab

__all__ = ["ToolsTab"]

_NOT_IN_TOOLS = " (not in tools)"


def _choice_key(choice: str | Mapping[str, Any]) -> str:
    """A tool_choice as combo item data: the mode itself, or canonical JSON for a tool."""
    if isinstance(choice, str):
        return choice
    return json.dumps(dict(choice), sort_keys=True)


def _choice_from_key(key: str) -> str | dict[str, Any]:
    if key in TOOL_CHOICE_MODES:
        return key
    value = json.loads(key)
    return value if isinstance(value, dict) else key


def _choice_label(choice: str | Mapping[str, Any]) -> str:
    if isinstance(choice, str):
        return choice
    if choice.get("type") == "function":
        return f"function: {choice.get('name')}"
    if choice.get("type") == "mcp":
        name = choice.get("name")
        return f"MCP: {choice.get('server_label')}" + (f" / {name}" if name else "")
    return _choice_key(choice)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class ToolsTab(AdvancedTab):
    """The tools JSON with a one-line summary, and a tool choice listing the tools it holds."""

    TITLE = "Tools"
    FIELDS: ClassVar[dict[str, str]] = {"tools": "toolsInput", "tool_choice": "toolChoiceInput"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._update_tools_status()

    def _build(self) -> None:
        self.toolsInput = self._json_editor(
            "toolsInput",
            "tools",
            '[\n  {"type": "function", "name": "get_time", "parameters": {"type": "object"}}\n]',
        )
        self.toolsStatusLabel = QLabel(self)
        self.toolsStatusLabel.setObjectName("toolsStatusLabel")
        self.toolsStatusLabel.setAccessibleName("Tools status")
        self.toolsStatusLabel.setWordWrap(True)
        self.toolChoiceInput = self._combo(
            "toolChoiceInput",
            "tool_choice",
            [(SERVER_DEFAULT, None), *((m, m) for m in TOOL_CHOICE_MODES)],
        )
        self._row(self.toolsInput, note=self.toolsStatusLabel)
        self._row(self.toolChoiceInput)

    def _connect_changes(self) -> None:
        # Before _on_edit, so the tool choice list is current when `changed` fires.
        self.toolsInput.textChanged.connect(self._update_tools_status)
        super()._connect_changes()

    @Slot()
    def _update_tools_status(self) -> None:
        tools, error = parse_json(self.toolsInput.toPlainText(), list)
        if error is not None:
            message = error.removeprefix("is ")
            self.toolsStatusLabel.setText(message[0].upper() + message[1:])
            paint_error(self.toolsStatusLabel)
            return
        self.toolsStatusLabel.setStyleSheet("")
        if tools is None:
            self.toolsStatusLabel.setText("No tools")
        else:
            kinds = [t.get("type") if isinstance(t, dict) else None for t in tools]
            parts = []
            if kinds.count("function"):
                parts.append(_plural(kinds.count("function"), "function"))
            if kinds.count("mcp"):
                parts.append(_plural(kinds.count("mcp"), "MCP server"))
            other = len(kinds) - kinds.count("function") - kinds.count("mcp")
            if other:
                parts.append(f"{other} of unknown type")
            summary = _plural(len(tools), "tool")
            self.toolsStatusLabel.setText(f"{summary}: {', '.join(parts)}" if parts else summary)
        self._rebuild_tool_choices(tools)

    def _rebuild_tool_choices(self, tools: list[Any] | None) -> None:
        """List the modes and each tool; keep the current choice, marked if it is gone."""
        combo = self.toolChoiceInput
        current = combo.currentData()
        current_text = combo.currentText()
        options = tool_choice_options(tools)
        was = combo.blockSignals(True)
        combo.clear()
        combo.addItem(SERVER_DEFAULT, None)
        for option in options:
            combo.addItem(_choice_label(option), _choice_key(option))
        if current is not None and combo.findData(current) < 0:
            # Dropping it would silently change what is sent; validation names it instead.
            suffix = _NOT_IN_TOOLS
            text = current_text if current_text.endswith(suffix) else current_text + suffix
            combo.addItem(text, current)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        combo.blockSignals(was)

    def apply(self, config: SessionConfig) -> SessionConfig:
        ok = self._applies_to(config)
        tools, _ = parse_json(self.toolsInput.toPlainText(), list)
        choice = self.toolChoiceInput.currentData()
        return dataclasses.replace(
            config,
            tools=tuple(tools) if tools is not None and ok("tools") else None,
            tool_choice=(
                _choice_from_key(choice) if choice is not None and ok("tool_choice") else None
            ),
        )

    def _load(self, config: SessionConfig) -> None:
        self.toolsInput.setPlainText("" if config.tools is None else to_json(config.tools))
        choice = config.tool_choice
        if choice is None:
            self.toolChoiceInput.setCurrentIndex(0)
        else:
            key = _choice_key(choice)
            if self.toolChoiceInput.findData(key) < 0:
                self.toolChoiceInput.addItem(f"{_choice_label(choice)}{_NOT_IN_TOOLS}", key)
            self.toolChoiceInput.setCurrentIndex(self.toolChoiceInput.findData(key))

    def local_problems(self) -> list[FieldProblem]:
        # Text in a disabled editor is never sent, so it cannot block a mint.
        if not self._applies("tools"):
            return []
        problem = self._json_problem("tools", self.toolsInput, list)
        return [] if problem is None else [problem]
