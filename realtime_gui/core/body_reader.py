"""Reading a request body back into a SessionConfig; keys the model lacks are kept as extra."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from .codecs import ABSENT, json_kind
from .errors import InvalidInput
from .fields import TOP_LEVEL
from .session import ApiShape, SessionConfig

__all__ = ["config_from_body", "extra_paths", "parse_assignment", "set_path"]

Json = dict[str, Any]


class _Reader:
    """Takes known values out of a copy of the body; what is left over becomes ``extra``."""

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.rest: Json = copy.deepcopy(dict(body))

    def take(self, path: tuple[str, ...]) -> Any:
        """Remove and return the value at ``path``, or ABSENT; checks objects on the way."""
        node: Any = self.rest
        for depth, key in enumerate(path[:-1]):
            node = node.get(key, ABSENT) if isinstance(node, dict) else ABSENT
            if node is ABSENT:
                return ABSENT
            if not isinstance(node, dict):
                where = ".".join(path[: depth + 1])
                raise InvalidInput.single(where, f"must be a JSON object, got {json_kind(node)}")
        return node.pop(path[-1], ABSENT) if isinstance(node, dict) else ABSENT

    def put_back(self, path: tuple[str, ...], value: Any) -> None:
        node = self.rest
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value

    def leftovers(self) -> Json:
        return _prune(self.rest)


def _prune(node: Json) -> Json:
    """Drop objects that became empty because every known key was taken out of them."""
    out: Json = {}
    for key, value in node.items():
        kept = _prune(value) if isinstance(value, dict) else value
        if kept != {}:
            out[key] = kept
    return out


def _read(reader: _Reader, api: ApiShape) -> dict[str, Any]:
    """Each table field found in the body, decoded; what its codec does not use stays behind."""
    values: dict[str, Any] = {}
    for field in TOP_LEVEL:
        path = field.read_path(api)
        if path is None:
            continue
        wire = reader.take(path)
        if wire is ABSENT:
            continue
        values[field.name], rest = field.codec.decode(wire, api, ".".join(path))
        if rest is not ABSENT:
            reader.put_back(path, rest)
    return values


def config_from_body(api: ApiShape, body: Any) -> SessionConfig:
    """The SessionConfig a body describes, unknown keys in ``extra`` (validate it next)."""
    if not isinstance(body, dict):
        raise InvalidInput.single("body", f"must be a JSON object, got {json_kind(body)}")
    session = body.get("session")
    if api is ApiShape.GA and not isinstance(session, dict):
        if session is None:
            raise InvalidInput.single("session", 'a GA body needs "session": {"type": ...}')
        raise InvalidInput.single("session", f"must be a JSON object, got {json_kind(session)}")
    reader = _Reader(body)
    values = _read(reader, api)
    leftovers = reader.leftovers()
    if leftovers:
        values["extra"] = leftovers
    return SessionConfig(api=api, **values)


def parse_assignment(text: str) -> tuple[str, Any]:
    """``dotted.path=value`` with the value parsed as JSON when it parses, else a string."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip() or any(not part for part in path.strip().split(".")):
        raise InvalidInput.single("set", f"expected dotted.path=value, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return path.strip(), value


def set_path(body: Mapping[str, Any], path: str, value: Any) -> Json:
    """A copy of ``body`` with ``value`` at ``path``, creating objects on the way."""
    out: Json = copy.deepcopy(dict(body))
    node = out
    parts = path.split(".")
    for depth, key in enumerate(parts[:-1]):
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            where = ".".join(parts[: depth + 1])
            raise InvalidInput.single("set", f"{where} is not an object, cannot set {path}")
        node = child
    node[parts[-1]] = value
    return out


def extra_paths(extra: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The dotted paths of the leaves in ``extra``: what is sent that the form does not know."""
    paths: list[str] = []
    for key, value in extra.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            paths += extra_paths(value, path + ".")
        else:
            paths.append(path)
    return paths
