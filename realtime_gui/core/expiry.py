"""Expiry arithmetic shared by the CLI summary and the window's countdown."""

from __future__ import annotations

import math
from datetime import datetime

__all__ = ["format_local_time", "format_remaining"]


def format_remaining(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss`` past an hour), rounded up so 0:00 means really expired."""
    whole = max(0, math.ceil(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def format_local_time(unix_seconds: float) -> str:
    """The local wall-clock time of a unix timestamp, with the zone name."""
    return datetime.fromtimestamp(unix_seconds).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
