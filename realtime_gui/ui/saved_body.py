"""The request body kept in the settings between runs, without MCP credentials."""

from __future__ import annotations

import copy
import json
from typing import Any

from PySide6.QtCore import QSettings

from ..core.bodies import render_body
from ..core.errors import InvalidInput
from ..core.session import ApiShape, SessionConfig

__all__ = ["restore_body", "save_body"]


def _persistable(body: dict[str, Any]) -> dict[str, Any]:
    """The body without MCP credentials (authorization, headers): settings hold no secrets."""
    out = copy.deepcopy(body)
    session = out.get("session", out)
    tools = session.get("tools") if isinstance(session, dict) else None
    for tool in tools if isinstance(tools, list) else ():
        if isinstance(tool, dict):
            tool.pop("authorization", None)
            tool.pop("headers", None)
    return out


def save_body(settings: QSettings, config: SessionConfig) -> None:
    """Store ``config`` as the body of its API shape (kept separately per shape)."""
    try:
        body = render_body(config)
    except Exception:  # a half-typed value: keep what was saved before
        return
    settings.setValue(f"form/body/{config.api.value}", json.dumps(_persistable(body)))


def restore_body(settings: QSettings, api: ApiShape) -> SessionConfig | None:
    """The config of the body stored for ``api``; None if there is none or it is unreadable."""
    saved = settings.value(f"form/body/{api.value}")
    if not saved:
        return None
    from ..core.body_reader import config_from_body

    try:
        return config_from_body(api, json.loads(str(saved)))
    except (ValueError, InvalidInput):
        return None  # an unreadable saved body is ignored, never fatal
