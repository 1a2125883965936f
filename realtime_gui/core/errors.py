"""Every failure realtime-gui reports, as one hierarchy of user-actionable errors.

The tree (exit code of ``realtime-gui mint`` in brackets)::

    RealtimeGuiError
    ├── InvalidInput [2]             a field is wrong; nothing was sent
    ├── CredentialError [3]
    │   ├── NoApiKey                 no key in the environment, the keyring or this session
    │   ├── KeyringUnavailable       no usable OS keyring backend
    │   └── KeyringLocked            the keyring exists but is locked, or did not answer in time
    ├── ApiError [4]                 the server answered, but not with a usable secret
    │   ├── BadRequest               400 and other 4xx not listed below
    │   ├── AuthenticationFailed     401
    │   ├── PermissionDenied         403
    │   ├── EndpointNotFound         404
    │   ├── RateLimited              429
    │   ├── ServerError              5xx
    │   ├── UnusableResponse         2xx without a secret, malformed JSON, bad expiry
    │   ├── RealtimeErrorEvent       the Realtime WebSocket sent an ``error`` event
    │   └── RealtimeClosed           the Realtime server closed the WebSocket (code, reason)
    ├── NetworkError [5]
    │   ├── RequestTimeout           connect, read or write took longer than allowed
    │   ├── ConnectionFailed         refused, reset, or the host name did not resolve
    │   │   └── RealtimeDropped      the WebSocket ended without a close frame (1006)
    │   └── TlsError                 the certificate could not be verified
    └── MintCancelled [130]          the user cancelled (closed the window) mid-request
        └── ConnectionTestCancelled  … or a connection test

Each error carries a one-line ``user_message``, the server's own words verbatim in
``upstream`` when there were any, a ``hint`` saying what to do next, and (for API
errors) the raw response body for a Details view. None of them ever holds the API
key or a minted secret: callers redact before constructing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = [
    "ApiError",
    "AuthenticationFailed",
    "BadRequest",
    "ConnectionFailed",
    "ConnectionTestCancelled",
    "CredentialError",
    "EndpointNotFound",
    "FieldProblem",
    "InvalidInput",
    "KeyringLocked",
    "KeyringUnavailable",
    "MintCancelled",
    "NetworkError",
    "NoApiKey",
    "PermissionDenied",
    "RateLimited",
    "RealtimeClosed",
    "RealtimeDropped",
    "RealtimeErrorEvent",
    "RealtimeGuiError",
    "RequestTimeout",
    "ServerError",
    "TlsError",
    "UnusableResponse",
    "UpstreamError",
]


@dataclass(frozen=True)
class UpstreamError:
    """The ``error`` object of an API response, kept verbatim."""

    status: int
    message: str | None = None
    type: str | None = None
    code: str | None = None
    param: str | None = None

    def describe(self) -> str:
        """One line with everything the server said: message, code and param."""
        # Status 0: the words came in a WebSocket event, not an HTTP answer.
        parts = [f"HTTP {self.status}"] if self.status else []
        if self.code:
            parts.append(f"code {self.code}")
        if self.param:
            parts.append(f"param {self.param}")
        head = ", ".join(parts)
        if not head:
            return self.message or ""
        return f"{head}: {self.message}" if self.message else head


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: its name in the form, its path in the body, and what is wrong."""

    field: str
    message: str
    path: str | None = None

    def describe(self) -> str:
        where = (
            f"{self.field} ({self.path})" if self.path and self.path != self.field else self.field
        )
        return f"{where}: {self.message}"


class RealtimeGuiError(Exception):
    """Base of every error realtime-gui shows to a user."""

    exit_code: ClassVar[int] = 1
    default_hint: ClassVar[str | None] = None

    def __init__(
        self,
        user_message: str,
        *,
        hint: str | None = None,
        upstream: UpstreamError | None = None,
        raw_body: str | None = None,
    ) -> None:
        self.user_message = user_message
        self.hint = hint if hint is not None else self.default_hint
        self.upstream = upstream
        self.raw_body = raw_body
        super().__init__(user_message)

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.user_message!r})"

    def lines(self) -> list[str]:
        """The message as plain lines: what failed, what the server said, what to do."""
        out = [self.user_message]
        if self.upstream is not None and (self.upstream.message or self.upstream.code):
            out.append(f"Server said: {self.upstream.describe()}")
        if self.hint:
            out.append(f"Hint: {self.hint}")
        return out


class InvalidInput(RealtimeGuiError):
    """One or more fields are invalid; the request was not sent."""

    exit_code = 2

    def __init__(self, problems: list[FieldProblem], *, hint: str | None = None) -> None:
        self.problems = tuple(problems)
        if len(problems) == 1:
            message = f"Invalid {problems[0].describe()}"
        else:
            message = "Invalid input: " + "; ".join(p.describe() for p in problems)
        super().__init__(message, hint=hint)

    @classmethod
    def single(cls, field: str, message: str, *, path: str | None = None) -> InvalidInput:
        return cls([FieldProblem(field, message, path)])


class CredentialError(RealtimeGuiError):
    """The API key could not be found, stored or read."""

    exit_code = 3


class NoApiKey(CredentialError):
    """No API key in OPENAI_API_KEY, the keyring, or this session."""

    # Neutral: each front end names its own way to store a key (the CLI its command, the
    # window its Set key… action), see cli.py and ui/main_window.py.
    default_hint = "Store a key for this profile in the keyring, or set OPENAI_API_KEY."


class KeyringUnavailable(CredentialError):
    """No usable OS keyring backend, or the backend failed."""


class KeyringLocked(CredentialError):
    """The keyring is locked, the unlock was refused, or it did not answer in time."""


class ApiError(RealtimeGuiError):
    """The server answered, but not with a usable client secret."""

    exit_code = 4

    def __init__(
        self,
        user_message: str,
        *,
        status: int | None = None,
        hint: str | None = None,
        upstream: UpstreamError | None = None,
        raw_body: str | None = None,
    ) -> None:
        self.status = status
        super().__init__(user_message, hint=hint, upstream=upstream, raw_body=raw_body)


class BadRequest(ApiError):
    """The server rejected the request body (400, or another 4xx not listed)."""


class AuthenticationFailed(ApiError):
    """401: the key was not accepted."""

    default_hint = "Check the API key (Set key…) and that it belongs to this provider and base URL."


class PermissionDenied(ApiError):
    """403: the key is valid but may not do this (restricted key, project or region)."""

    default_hint = (
        "A restricted key needs the Realtime write permission (model.request); "
        "check the key's project and scopes."
    )


class EndpointNotFound(ApiError):
    """404: no such endpoint at this base URL."""


class RateLimited(ApiError):
    """429: rate limit or quota reached."""

    def __init__(
        self,
        user_message: str,
        *,
        retry_after: float | None = None,
        status: int | None = 429,
        hint: str | None = None,
        upstream: UpstreamError | None = None,
        raw_body: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            user_message, status=status, hint=hint, upstream=upstream, raw_body=raw_body
        )


class ServerError(ApiError):
    """5xx: the server failed."""

    default_hint = "This is on the server's side; try again in a moment."


class UnusableResponse(ApiError):
    """A success status, but the body has no usable secret or expiry."""


class RealtimeErrorEvent(ApiError):
    """The Realtime WebSocket sent an ``error`` event (``upstream.code`` verbatim)."""


class RealtimeClosed(ApiError):
    """The Realtime server closed the WebSocket with a close frame."""

    def __init__(
        self,
        user_message: str,
        *,
        close_code: int = 1005,  # RFC 6455: the frame carried no code
        close_reason: str = "",
        status: int | None = None,
        hint: str | None = None,
        upstream: UpstreamError | None = None,
        raw_body: str | None = None,
    ) -> None:
        self.close_code = close_code
        self.close_reason = close_reason
        super().__init__(
            user_message, status=status, hint=hint, upstream=upstream, raw_body=raw_body
        )


class NetworkError(RealtimeGuiError):
    """The request did not get an answer."""

    exit_code = 5


class RequestTimeout(NetworkError):
    """Connecting, sending or reading took longer than the timeout."""

    default_hint = "Check the network or raise the timeout (--timeout)."


class ConnectionFailed(NetworkError):
    """The connection was refused or reset, or the host name did not resolve."""

    default_hint = "Check the base URL, your network and any proxy settings."


class RealtimeDropped(ConnectionFailed):
    """The Realtime WebSocket ended without a close frame: an abnormal closure (1006)."""

    default_hint = "The connection was cut midway; check the network or proxy and try again."


class TlsError(NetworkError):
    """The server's TLS certificate could not be verified."""

    default_hint = (
        "The certificate is not trusted. If a corporate proxy inspects TLS, point "
        "SSL_CERT_FILE at its CA bundle; verification is never turned off."
    )


class MintCancelled(RealtimeGuiError):
    """The request was cancelled before an answer arrived (the window was closed)."""

    exit_code = 130


class ConnectionTestCancelled(MintCancelled):
    """A connection test was cancelled (Cancel, Esc, or the window closed)."""
