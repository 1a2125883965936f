"""The exact request a mint will send, with the key redacted: for the preview and the CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .bodies import build_body
from .endpoint import Connection, endpoint_url, request_headers
from .session import SessionConfig

__all__ = ["REDACTED", "RequestPreview", "preview_request"]

REDACTED = "[redacted]"


@dataclass(frozen=True)
class RequestPreview:
    """Method, URL, headers (key redacted) and body of one mint request."""

    url: str
    headers: tuple[tuple[str, str], ...]
    body: dict[str, Any]

    def body_text(self) -> str:
        return json.dumps(self.body, indent=2, ensure_ascii=False)

    def as_text(self) -> str:
        """As an HTTP request would read: request line, headers, blank line, JSON body."""
        lines = [f"POST {self.url}", *(f"{name}: {value}" for name, value in self.headers)]
        return "\n".join(lines) + "\n\n" + self.body_text() + "\n"


def preview_request(config: SessionConfig, connection: Connection) -> RequestPreview:
    """What mint would send; raises InvalidInput exactly where mint would."""
    body = build_body(config)
    url = endpoint_url(connection, config.api)
    headers = request_headers(connection, REDACTED)
    if "Authorization" in headers:
        headers["Authorization"] = f"Bearer {REDACTED}"
    shown = tuple((k, v) for k, v in headers.items() if k not in ("Accept", "User-Agent"))
    return RequestPreview(url, shown, body)
