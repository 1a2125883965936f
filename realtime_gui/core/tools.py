"""Shape checks for function and MCP tools and for tool_choice, naming the bad item."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from .errors import FieldProblem

__all__ = ["TOOL_CHOICE_MODES", "tool_choice_options", "tool_choice_problems", "tool_problems"]

TOOL_CHOICE_MODES = ("auto", "none", "required")
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_FUNCTION_KEYS = {"type", "name", "description", "parameters"}
_MCP_KEYS = {
    "type", "server_label", "server_url", "connector_id", "headers", "allowed_tools",
    "require_approval", "server_description", "authorization",
}  # fmt: skip


def _problem(index: int, key: str | None, message: str) -> FieldProblem:
    where = f"tools[{index}]" + (f".{key}" if key else "")
    return FieldProblem(where, message)


def _check_function(index: int, tool: Mapping[str, Any]) -> list[FieldProblem]:
    problems = []
    name = tool.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(
            _problem(index, "name", f"must be 1-64 letters, digits, _ or -, got {name!r}")
        )
    if "description" in tool and not isinstance(tool["description"], str):
        problems.append(_problem(index, "description", "must be a string"))
    parameters = tool.get("parameters")
    if parameters is not None and (
        not isinstance(parameters, Mapping) or parameters.get("type", "object") != "object"
    ):
        problems.append(
            _problem(index, "parameters", 'must be a JSON Schema object ({"type": "object", ...})')
        )
    problems += [
        _problem(index, key, "is not a field of a function tool")
        for key in tool.keys() - _FUNCTION_KEYS
    ]
    return problems


def _check_mcp(index: int, tool: Mapping[str, Any]) -> list[FieldProblem]:
    problems = []
    label = tool.get("server_label")
    if not isinstance(label, str) or not _NAME.fullmatch(label):
        problems.append(
            _problem(index, "server_label", f"must be letters, digits, _ or -, got {label!r}")
        )
    url, connector = tool.get("server_url"), tool.get("connector_id")
    if url is None and connector is None:
        problems.append(
            _problem(index, "server_url", "an MCP tool needs server_url or connector_id")
        )
    if url is not None and (
        not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https")
    ):
        problems.append(_problem(index, "server_url", f"must be an http(s) URL, got {url!r}"))
    headers = tool.get("headers")
    if headers is not None and (
        not isinstance(headers, Mapping) or not all(isinstance(v, str) for v in headers.values())
    ):
        problems.append(_problem(index, "headers", "must map header names to strings"))
    allowed = tool.get("allowed_tools")
    if allowed is not None and not (
        (isinstance(allowed, list) and all(isinstance(t, str) for t in allowed))
        or isinstance(allowed, Mapping)
    ):
        problems.append(_problem(index, "allowed_tools", "must be a list of tool names"))
    approval = tool.get("require_approval")
    if (
        approval is not None
        and approval not in ("always", "never")
        and not isinstance(approval, Mapping)
    ):
        problems.append(
            _problem(
                index,
                "require_approval",
                f'must be "always", "never" or an object, got {approval!r}',
            )
        )
    problems += [
        _problem(index, key, "is not a field of an MCP tool") for key in tool.keys() - _MCP_KEYS
    ]
    return problems


def tool_problems(tools: Sequence[Any]) -> list[FieldProblem]:
    """Every shape problem in a tools list: types, names, required fields, unknown keys."""
    if not isinstance(tools, Sequence) or isinstance(tools, (str, bytes)):
        return [FieldProblem("tools", "must be a JSON array of tool objects")]
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for index, tool in enumerate(tools):
        if not isinstance(tool, Mapping):
            problems.append(_problem(index, None, "must be an object"))
            continue
        kind = tool.get("type")
        if kind == "function":
            problems += _check_function(index, tool)
            key = f"function:{tool.get('name')}"
        elif kind == "mcp":
            problems += _check_mcp(index, tool)
            key = f"mcp:{tool.get('server_label')}"
        else:
            problems.append(_problem(index, "type", f'must be "function" or "mcp", got {kind!r}'))
            continue
        if key in seen:
            problems.append(_problem(index, None, f"duplicates another tool ({key})"))
        seen.add(key)
    return problems


def tool_choice_options(tools: Sequence[Any] | None) -> list[str | dict[str, Any]]:
    """What tool_choice may be for these tools: the modes, then each function and MCP server."""
    options: list[str | dict[str, Any]] = list(TOOL_CHOICE_MODES)
    for tool in tools or ():
        if isinstance(tool, Mapping) and tool.get("type") == "function" and tool.get("name"):
            options.append({"type": "function", "name": tool["name"]})
        elif isinstance(tool, Mapping) and tool.get("type") == "mcp" and tool.get("server_label"):
            options.append({"type": "mcp", "server_label": tool["server_label"]})
    return options


def tool_choice_problems(choice: Any, tools: Sequence[Any] | None) -> list[FieldProblem]:
    """tool_choice must be a mode, or name a function or MCP server that is in tools."""
    if isinstance(choice, str):
        if choice in TOOL_CHOICE_MODES:
            return []
        return [
            FieldProblem("tool_choice", f"must be auto, none, required or a tool, got {choice!r}")
        ]
    if not isinstance(choice, Mapping) or choice.get("type") not in ("function", "mcp"):
        return [
            FieldProblem(
                "tool_choice",
                'must be a mode or {"type": "function", "name": ...} / {"type": "mcp", ...}',
            )
        ]
    valid = tool_choice_options(tools)
    if choice["type"] == "function":
        if {"type": "function", "name": choice.get("name")} not in valid:
            return [
                FieldProblem(
                    "tool_choice", f"names function {choice.get('name')!r}, which is not in tools"
                )
            ]
    elif {"type": "mcp", "server_label": choice.get("server_label")} not in valid:
        return [
            FieldProblem(
                "tool_choice",
                f"names MCP server {choice.get('server_label')!r}, which is not in tools",
            )
        ]
    return []
