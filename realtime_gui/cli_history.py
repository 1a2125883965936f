"""``realtime-gui history``: the mints this user made, newest first, as lines or JSON."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TextIO

from .core.errors import InvalidInput

if TYPE_CHECKING:
    from .core.history import MintRecord
    from .core.request import PreparedRequest
    from .core.responses import MintedSecret

__all__ = ["add_history_command", "record_cli_mint", "run_history"]


def add_history_command(commands: Any) -> None:
    history = commands.add_parser(
        "history",
        help="list the mints made from this account, newest first",
        description="List the recorded mints (window, CLI and serve), newest first: time, "
        "outcome, API shape, model, session id, expiry, profile, origin. The history holds "
        "metadata only, never a secret or a key.",
    )
    history.add_argument("--json", action="store_true", help="print a JSON array of records")
    history.add_argument("--limit", type=int, metavar="N", help="show at most N records")
    history.add_argument("--profile", metavar="NAME", help="only the mints made with this profile")


def _utc(timestamp: int) -> str:
    try:
        return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError, TypeError):  # a hand-edited record
        return str(timestamp)


def _line(record: MintRecord) -> str:
    cells = [
        record.time,
        record.outcome,
        record.api,
        record.model or "-",
        record.session_id or "-",
        f"expires {_utc(record.expires_at)}" if record.expires_at is not None else "-",
        f"profile {record.profile}",
        record.source,
    ]
    if record.origin:
        cells.append(f"origin {record.origin}")
    return "  ".join(cells)


def run_history(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .core.history import default_history

    if args.limit is not None and args.limit < 0:
        raise InvalidInput.single("limit", "must be 0 or more")
    history = default_history()
    records = history.read(None if args.profile else args.limit)
    if args.profile:
        records = [r for r in records if r.profile == args.profile][: args.limit]
    if args.json:
        stdout.write(json.dumps([r.to_json() for r in records], indent=2) + "\n")
    elif records:
        stdout.write("".join(_line(record) + "\n" for record in records))
    else:
        stderr.write(f"No mints recorded yet ({history.path}).\n")
    return 0


def record_cli_mint(
    profile: str,
    request: PreparedRequest,
    *,
    minted: MintedSecret | None = None,
    error: BaseException | None = None,
    preset: str | None = None,
) -> None:
    """Record a CLI mint (succeeded or failed); never raises."""
    from .core.history import failure_record, record_mint, success_record

    if minted is not None:
        record_mint(
            None,
            success_record(minted, profile=profile, preset=preset, source="cli", request=request),
        )
    elif error is not None:
        record_mint(
            None, failure_record(error, request, profile=profile, preset=preset, source="cli")
        )
