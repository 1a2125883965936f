"""The mint history: one metadata record per mint in a capped, process-safe JSON-lines file."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from .errors import RealtimeGuiError
from .paths import data_dir
from .request import PreparedRequest
from .responses import MintedSecret

__all__ = [
    "HISTORY_CAP",
    "HistoryFile",
    "MintRecord",
    "Source",
    "default_history",
    "failure_record",
    "history_path",
    "outcome_of",
    "record_mint",
    "recorded_body",
    "success_record",
]

log = logging.getLogger(__name__)

FILE_NAME = "history.jsonl"
HISTORY_CAP = 5_000
LOCK_TIMEOUT = 10.0  # seconds; a stuck lock costs a record, never a mint

Source = Literal["window", "cli", "serve"]


@dataclass(frozen=True)
class MintRecord:
    """What was minted, when and where: metadata only, never the secret or the key."""

    time: str  # ISO-8601, UTC
    profile: str
    api: str  # "ga" or "beta"
    model: str | None
    session_id: str | None
    expires_at: int | None
    outcome: str  # "ok", or the upstream error code (else the error class name)
    source: str  # "window", "cli" or "serve"
    preset: str | None = None
    origin: str | None = None  # the requesting Origin, for serve
    # The request body as sent, MCP credentials stripped (as a preset strips them); None in
    # records written before bodies were kept. ``api`` says its shape.
    body: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> MintRecord:
        """A record from one parsed line; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        names = {f.name for f in fields(cls)}
        required = names - {"preset", "origin", "body"}
        if not required <= data.keys():
            raise ValueError("missing fields")
        record = cls(**{k: v for k, v in data.items() if k in names})
        for name in ("time", "profile", "api", "outcome", "source"):
            if not isinstance(getattr(record, name), str):
                raise ValueError(f"{name} is not a string")
        if record.body is not None and not isinstance(record.body, dict):
            raise ValueError("body is not a JSON object")
        return record


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def recorded_body(request: PreparedRequest | None) -> dict[str, Any] | None:
    """The body as sent, with MCP ``authorization``/``headers`` stripped; never a credential."""
    if request is None:
        return None
    from .presets import strip_secrets

    body = copy.deepcopy(dict(request.body))
    strip_secrets(body, request.api)
    return body


def success_record(
    minted: MintedSecret,
    *,
    profile: str,
    source: Source,
    origin: str | None = None,
    preset: str | None = None,
    request: PreparedRequest | None = None,
) -> MintRecord:
    """The record of a mint that succeeded; ``request`` defaults to the one it answers."""
    return MintRecord(
        time=_now(),
        profile=profile,
        api=minted.api.value,
        model=minted.model,
        session_id=minted.session_id,
        expires_at=minted.expires_at,
        outcome="ok",
        source=source,
        preset=preset,
        origin=origin,
        body=recorded_body(request or minted.request),
    )


def outcome_of(error: BaseException) -> str:
    """The upstream ``error.code`` when the server sent one, else the error's class name."""
    upstream = error.upstream if isinstance(error, RealtimeGuiError) else None
    if upstream is not None and upstream.code:
        return upstream.code
    return type(error).__name__


def failure_record(
    error: BaseException,
    request: PreparedRequest,
    *,
    profile: str,
    source: Source,
    origin: str | None = None,
    preset: str | None = None,
) -> MintRecord:
    model = request.requested_session.get("model")
    return MintRecord(
        time=_now(),
        profile=profile,
        api=request.api.value,
        model=model if isinstance(model, str) else None,
        session_id=None,
        expires_at=None,
        outcome=outcome_of(error),
        source=source,
        preset=preset,
        origin=origin,
        body=recorded_body(request),
    )


class HistoryFile:
    """The JSON-lines history file; ``append`` is safe from several processes at once."""

    def __init__(self, path: Path, *, cap: int = HISTORY_CAP, margin: int | None = None) -> None:
        self.path = path
        self.cap = cap
        self.margin = max(1, cap // 10) if margin is None else margin

    def __repr__(self) -> str:
        return f"HistoryFile({str(self.path)!r})"

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def append(self, record: MintRecord) -> None:
        """Add one record, trimming the oldest when over the cap; raises OSError."""
        line = (json.dumps(record.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            # O_APPEND and one write per record: a reader never sees half a line.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
            self._trim_if_needed()

    def read(self, limit: int | None = None) -> list[MintRecord]:
        """The records, newest first; bad lines are skipped, an unreadable file moved aside."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        records: list[MintRecord] = []
        bad = 0
        for line in raw.splitlines():
            if not line.strip():
                continue
            try:
                records.append(MintRecord.from_json(json.loads(line)))
            except (ValueError, TypeError, RecursionError):
                bad += 1
        if bad and not records:
            self._move_aside()
            return []
        if bad:
            log.warning("Skipped %d unreadable line(s) in the mint history %s.", bad, self.path)
        records.reverse()
        return records if limit is None else records[: max(0, limit)]

    # -- internals --------------------------------------------------------------------
    def _move_aside(self) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            with self._locked():
                os.replace(self.path, target)
        except OSError as exc:
            log.warning("The mint history %s cannot be read or moved aside: %s", self.path, exc)
            return
        log.warning(
            "The mint history %s could not be read; it was moved aside to %s and a new one "
            "is started.",
            self.path,
            target,
        )

    def _trim_if_needed(self) -> None:
        # Counting newlines is a memchr over at most ~2 MB: cheap next to a mint's round trip.
        data = self.path.read_bytes()
        if data.count(b"\n") <= self.cap + self.margin:
            return
        keep = data.splitlines(keepends=True)[-self.cap :]
        fd, temp = tempfile.mkstemp(prefix=".history-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.writelines(keep)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # A sidecar file carries the lock, so replacing the history file never drops it.
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
            try:
                yield
            finally:
                _unlock(fd)
        finally:
            os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("the mint history is locked by another process") from None
                time.sleep(0.005)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def history_path() -> Path:
    """history.jsonl in the platform's user data folder (XDG_DATA_HOME on Linux)."""
    return data_dir() / FILE_NAME


def default_history() -> HistoryFile:
    return HistoryFile(history_path())


def record_mint(history: HistoryFile | None, record: MintRecord) -> None:
    """Append ``record``; a failure is logged (no secrets in it) and never raised."""
    try:
        (history or default_history()).append(record)
    except Exception as exc:  # disk full, read-only folder: the mint itself still counts
        log.warning(
            "Could not record the mint in the history (%s): %s",
            type(exc).__name__,
            getattr(exc, "strerror", None) or exc,
        )
