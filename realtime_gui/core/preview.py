"""The preview's older names, kept for callers written before PreparedRequest."""

from __future__ import annotations

from .endpoint import Connection
from .request import REDACTED, PreparedRequest, prepare
from .session import SessionConfig

__all__ = ["REDACTED", "RequestPreview", "preview_request"]

# A preview is the prepared request itself: its as_text() is what Mint sends, key redacted.
RequestPreview = PreparedRequest


def preview_request(config: SessionConfig, connection: Connection) -> PreparedRequest:
    """What mint would send; raises InvalidInput exactly where mint would. Same as prepare()."""
    return prepare(config, connection)
