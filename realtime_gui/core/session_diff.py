"""Where the session the server granted differs from the one that was asked for."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .session import ApiShape

__all__ = ["DiffRow", "DiffStatus", "diff_session", "differing_paths", "requested_session"]


class DiffStatus(str, Enum):
    """How one granted field relates to the request."""

    SAME = "same"  # asked for and granted as asked
    CHANGED = "changed"  # asked for, granted differently
    DEFAULT = "default"  # not asked for: the server's default
    MISSING = "missing"  # asked for, absent from the granted session


@dataclass(frozen=True)
class DiffRow:
    path: str
    requested: Any
    granted: Any
    status: DiffStatus


def requested_session(api: ApiShape, body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The part of a request body that the granted session answers to."""
    if api is ApiShape.GA:
        session = body.get("session")
        return session if isinstance(session, Mapping) else {}
    return {k: v for k, v in body.items() if k != "client_secret"}


def _leaves(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, Mapping) and node:
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: node} if prefix else {}


def _same(requested: Any, granted: Any) -> bool:
    # 1 and 1.0 are the same number; a server echoing 0.8 as 0.8000001 (float32 noise) is
    # still 0.8. Relative, so a change from 0 to a tiny number still counts as a change.
    if isinstance(requested, (int, float)) and isinstance(granted, (int, float)):
        return math.isclose(float(requested), float(granted), rel_tol=1e-6)
    return bool(requested == granted)


def diff_session(requested: Mapping[str, Any], granted: Mapping[str, Any]) -> list[DiffRow]:
    """One row per leaf of either session, granted order first, then what went missing."""
    wanted = _leaves(requested)
    got = _leaves(granted)
    rows = []
    for path, value in got.items():
        if path not in wanted:
            rows.append(DiffRow(path, None, value, DiffStatus.DEFAULT))
        else:
            status = DiffStatus.SAME if _same(wanted[path], value) else DiffStatus.CHANGED
            rows.append(DiffRow(path, wanted[path], value, status))
    rows += [
        DiffRow(path, value, None, DiffStatus.MISSING)
        for path, value in wanted.items()
        if path not in got
    ]
    return rows


def differing_paths(requested: Mapping[str, Any], granted: Mapping[str, Any]) -> list[str]:
    """The fields granted differently from what was asked, or asked for and missing."""
    differ = (DiffStatus.CHANGED, DiffStatus.MISSING)
    return [row.path for row in diff_session(requested, granted) if row.status in differ]
