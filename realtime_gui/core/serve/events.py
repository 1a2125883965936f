"""One request the token endpoint answered, as a typed event (never carrying a secret)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

__all__ = ["ServeEvent"]


@dataclass(frozen=True)
class ServeEvent:
    """What the request log shows: when, what was asked, by which origin, and the outcome.

    ``session_id`` is set for a minted secret, ``error_code`` for a refusal or failure;
    ``path`` has no query string, so nothing a caller put in the URL is kept.
    """

    time: float  # unix seconds
    method: str
    path: str
    origin: str | None
    status: int
    session_id: str | None = None
    error_code: str | None = None

    def log_line(self) -> str:
        """One line for a terminal: time, method, path, origin, status, session or error."""
        stamp = datetime.fromtimestamp(self.time, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        outcome = self.session_id or (f"error={self.error_code}" if self.error_code else "-")
        origin = _printable(self.origin or "-")
        return (
            f"{stamp} {_printable(self.method)} {_printable(self.path)} origin={origin} "
            f"{self.status} {_printable(outcome)}"
        )


def _printable(text: str, limit: int = 200) -> str:
    # Callers choose the path and origin: no control character may forge a log line.
    cleaned = "".join(c if c.isprintable() and not c.isspace() else "?" for c in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."
