"""The one prepared mint request: computed once from a session and a connection, key-free."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .bodies import build_body
from .endpoint import Connection, endpoint_url, request_headers
from .errors import InvalidInput
from .session import ApiShape, SessionConfig

__all__ = ["REDACTED", "AuthHeader", "PreparedRequest", "encode_body", "prepare"]

REDACTED = "[redacted]"
# Stands in for the key while the header list is built; a control character cannot be
# part of an organization or project (endpoint_url refuses those), so it cannot collide.
_KEY_SLOT = "\x00key\x00"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class AuthHeader:
    """Which header carries the key and what precedes it, e.g. ``Authorization: Bearer …``."""

    name: str
    scheme: str = ""

    def value(self, api_key: str) -> str:
        return self.scheme + api_key


@dataclass(frozen=True)
class PreparedRequest:
    """Everything one mint sends, in send order, with the key left out until send time.

    ``headers`` are the exact headers on the wire except that the auth header's value
    shows ``[redacted]`` where the key goes; ``content`` is the exact body bytes. ``body``
    (and ``requested_session``, a part of it) is parsed from ``content``: read-only.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    auth: AuthHeader
    content: bytes = field(repr=False)  # long; the Content-Length header gives its size
    api: ApiShape
    timeout: float
    body: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def requested_session(self) -> Mapping[str, Any]:
        """The part of the body the granted session answers to (for the granted diff)."""
        # Imported here: only a finished mint needs it, and the window prepares a request
        # before its first paint.
        from .session_diff import requested_session

        return requested_session(self.api, self.body)

    @property
    def host(self) -> str:
        """The host[:port] the request goes to (for messages)."""
        return urlsplit(self.url).netloc

    def wire_headers(self, api_key: str) -> list[tuple[str, str]]:
        """The headers to send, in order, with the key filled in; never store the result."""
        return [
            (name, self.auth.value(api_key) if name == self.auth.name else value)
            for name, value in self.headers
        ]

    def body_text(self) -> str:
        """The body exactly as sent (``content`` is UTF-8 JSON)."""
        return self.content.decode("utf-8")

    def as_text(self) -> str:
        """Request line, every header in send order (key redacted), blank line, the body.

        The request line names the full URL; on the wire its path goes in the request
        line and its host in the Host header listed below it. Everything after the blank
        line is the body byte for byte.
        """
        lines = [f"{self.method} {self.url}", *(f"{n}: {v}" for n, v in self.headers)]
        return "\n".join(lines) + "\n\n" + self.body_text()


def encode_body(body: Mapping[str, Any]) -> bytes:
    """The exact bytes a body is sent as (presets store these bytes too)."""
    # Indented so the preview is readable and still exactly what is sent; the final
    # newline lets the preview end in one. JSON is UTF-8 on the wire (RFC 8259).
    try:
        return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a JSON file's "\ud800") has no UTF-8 form; escape it.
        return (json.dumps(body, indent=2) + "\n").encode("ascii")


def _host_header(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidInput.single(
                "base_url", "has a host name that cannot be written in DNS form"
            ) from None
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme):
        return host
    return f"{host}:{port}"


def _auth_and_headers(connection: Connection) -> tuple[AuthHeader, list[tuple[str, str]]]:
    auth: AuthHeader | None = None
    headers: list[tuple[str, str]] = []
    for name, value in request_headers(connection, _KEY_SLOT).items():
        if value.endswith(_KEY_SLOT):
            auth = AuthHeader(name, value.removesuffix(_KEY_SLOT))
            headers.append((name, auth.value(REDACTED)))
        else:
            headers.append((name, value))
    if auth is None:  # request_headers always names the key; this guards a future change
        raise AssertionError("request_headers() put the key in no header")
    return auth, headers


def prepare(config: SessionConfig, connection: Connection) -> PreparedRequest:
    """Validate ``config`` and ``connection`` and compute the whole request once.

    Raises InvalidInput naming every bad session field and every bad connection field.
    """
    # Both halves are checked so one error names every bad field, session and connection.
    errors: list[InvalidInput] = []
    body: dict[str, Any] = {}
    url = host = ""
    try:
        body = build_body(config)
    except InvalidInput as exc:
        errors.append(exc)
    try:
        url = endpoint_url(connection, config.api)
        host = _host_header(url)
    except InvalidInput as exc:
        errors.append(exc)
    if len(errors) == 1:
        raise errors[0]  # as raised, hint and all
    if errors:
        raise InvalidInput([problem for error in errors for problem in error.problems])
    auth, headers = _auth_and_headers(connection)
    content = encode_body(body)
    # The server reads exactly these headers in this order: nothing is added on the way.
    headers = [("Host", host), *headers, ("Content-Length", str(len(content)))]
    # Parsed back from the bytes, so these views hold exactly what is sent (no tuples).
    parsed = json.loads(content)
    return PreparedRequest(
        method="POST",
        url=url,
        headers=tuple(headers),
        auth=auth,
        content=content,
        api=config.api,
        timeout=connection.timeout,
        body=parsed,
    )
