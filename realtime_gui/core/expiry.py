"""Expiry arithmetic shared by the CLI summary and the window's countdown."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

__all__ = [
    "Deadline",
    "ExpiryLevel",
    "expiry_level",
    "format_local_time",
    "format_remaining",
]


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


WARNING_SECONDS = 30
CRITICAL_SECONDS = 10


class ExpiryLevel(str, Enum):
    """How urgent the countdown looks: normal, amber, red, expired."""

    NORMAL = "normal"
    WARNING = "warning"
    CRITICAL = "critical"
    EXPIRED = "expired"


def expiry_level(remaining: float) -> ExpiryLevel:
    """Amber at 30 s or less, red at 10 s or less, expired at zero."""
    if remaining <= 0:
        return ExpiryLevel.EXPIRED
    if remaining <= CRITICAL_SECONDS:
        return ExpiryLevel.CRITICAL
    if remaining <= WARNING_SECONDS:
        return ExpiryLevel.WARNING
    return ExpiryLevel.NORMAL


@dataclass(frozen=True)
class Deadline:
    """An expiry pinned to the monotonic clock, so clock changes cannot stretch a countdown."""

    expires_at: float
    monotonic_deadline: float

    @classmethod
    def from_expiry(
        cls,
        expires_at: float,
        *,
        wall_now: Callable[[], float] = time.time,
        monotonic_now: Callable[[], float] = time.monotonic,
    ) -> Deadline:
        return cls(expires_at, monotonic_now() + (expires_at - wall_now()))

    def remaining(self, monotonic_now: float | None = None) -> float:
        now = time.monotonic() if monotonic_now is None else monotonic_now
        return max(0.0, self.monotonic_deadline - now)
