"""The user's small JSON files (presets, profiles): atomic writes, broken files moved aside."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .errors import InvalidInput

__all__ = ["move_aside", "write_atomically"]


def move_aside(path: Path, what: str, reason: str) -> str:
    """Rename a broken file out of the way so it never blocks anything; says where it went.

    ``what`` names the kind of file in the message ("Preset file", "Profile file").
    """
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    count = 1
    while target.exists():
        count += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{count}")
    try:
        path.rename(target)
    except OSError as exc:
        return f"{what} {path} is unreadable: {reason}; could not move it aside: {exc}"
    return f"{what} {path} is unreadable: {reason}; moved it aside to {target.name}."


def write_atomically(path: Path, data: bytes, field: str) -> None:
    """Replace ``path`` with ``data`` in one step (a reader never sees half a file).

    A failure is InvalidInput naming ``field`` and the OS's reason (exit 2 on the CLI).
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InvalidInput.single(field, f"cannot write {path}: {exc.strerror or exc}") from None
