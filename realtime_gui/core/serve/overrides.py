"""A caller's body laid over the configured one, only where the allow-list says it may be."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any

from ..session import ApiShape

__all__ = ["OverrideRefused", "apply_overrides"]

Json = dict[str, Any]
_MISSING = object()
TTL_PATH = "expires_after.seconds"


class OverrideRefused(Exception):
    """A field of the caller's body that is neither allowed nor equal to the configured one."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


def _as_view(api: ApiShape, body: Mapping[str, Any]) -> Json:
    """The body in GA layout (``session`` + ``expires_after``), whatever the shape."""
    if api is ApiShape.GA:
        return copy.deepcopy(dict(body))
    session = {k: copy.deepcopy(v) for k, v in body.items() if k != "client_secret"}
    view: Json = {"session": session}
    expires = body.get("client_secret", {})
    if isinstance(expires, dict) and "expires_after" in expires:
        view["expires_after"] = copy.deepcopy(expires["expires_after"])
    return view


def _from_view(api: ApiShape, view: Json) -> Json:
    if api is ApiShape.GA:
        return view
    body: Json = dict(view.get("session", {}))
    if "expires_after" in view:
        body["client_secret"] = {"expires_after": view["expires_after"]}
    return body


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


def _put(node: Json, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = copy.deepcopy(value)


def apply_overrides(
    api: ApiShape,
    configured: Mapping[str, Any],
    caller: Any,
    *,
    allowed: Collection[str],
    max_ttl: int,
) -> Json:
    """The configured body with the caller's allowed fields laid over it.

    ``caller`` is a GA-layout body (``{"session": {...}, "expires_after": {...}}``) for
    either shape. A field equal to the configured value is accepted as it is (SDKs restate
    ``session.type`` and the model); ``expires_after.seconds`` is always allowed and
    clamped to ``max_ttl``; any other field raises OverrideRefused naming its dotted path.
    """
    if not isinstance(caller, dict):
        raise OverrideRefused("body", "The request body must be a JSON object.")
    view = _as_view(api, configured)
    merged = copy.deepcopy(view)

    def walk(path: tuple[str, ...], value: Any) -> None:
        dotted = ".".join(path)
        if dotted == TTL_PATH:
            if isinstance(value, bool) or not isinstance(value, int):
                raise OverrideRefused(dotted, f"'{dotted}' must be a whole number of seconds.")
            _put(merged, path, min(value, max_ttl))
            if _get(merged, ("expires_after", "anchor")) is _MISSING:
                _put(merged, ("expires_after", "anchor"), "created_at")
            return
        if dotted in allowed or (dotted == "expires_after.anchor" and value == "created_at"):
            _put(merged, path, value)
            return
        if isinstance(value, dict) and value:
            for key, child in value.items():
                walk((*path, str(key)), child)
            return
        if _get(view, path) == value:
            return  # restated, not changed
        raise OverrideRefused(
            dotted,
            f"'{dotted}' may not be overridden here; the token server allows "
            + (", ".join(sorted(allowed)) if allowed else "no overrides")
            + " (and expires_after.seconds).",
        )

    for key, value in caller.items():
        walk((str(key),), value)
    return _from_view(api, merged)
