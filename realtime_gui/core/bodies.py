"""Request bodies for the GA and Beta endpoints, holding only what the user set."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .fields import TOP_LEVEL
from .session import ApiShape, SessionConfig, validate

__all__ = ["BETA_PATH", "GA_PATH", "build_body", "deep_merge", "endpoint_path", "render_body"]

GA_PATH = "/realtime/client_secrets"
BETA_PATH = "/realtime/sessions"

JsonObject = dict[str, Any]


def endpoint_path(api: ApiShape) -> str:
    """The path below the base URL that mints a secret in this shape."""
    return GA_PATH if api is ApiShape.GA else BETA_PATH


def build_body(config: SessionConfig) -> JsonObject:
    """The JSON body for ``config``; raises InvalidInput first if any field is invalid."""
    return render_body(validate(config))


def render_body(config: SessionConfig) -> JsonObject:
    """The JSON body for ``config`` without validating it (only for a valid or draft config)."""
    body: JsonObject = {}
    # Table order is body order; objects on the way are created by the first field in them.
    for field in TOP_LEVEL:
        path = field.wire_path(config.api, config.session_type)
        value = getattr(config, field.name)
        if path is not None and field.is_set(value):
            _put(body, path, field.codec.encode(value, config.api))
    return deep_merge(body, config.extra)


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> JsonObject:
    """``base`` with ``overlay`` laid over it; objects merge key by key, anything else wins."""
    merged: JsonObject = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _put(body: JsonObject, path: tuple[str, ...], value: Any) -> None:
    node = body
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
