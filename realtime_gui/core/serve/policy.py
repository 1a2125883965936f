"""Who may call the token endpoint: Host and Origin allow-lists, the token, the rate limit."""

from __future__ import annotations

import collections
import hmac
import ipaddress
import math
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InvalidInput

__all__ = [
    "DEFAULT_MAX_TTL",
    "DEFAULT_ORIGINS",
    "DEFAULT_RATE",
    "LOOPBACK_NAMES",
    "MAX_BODY_BYTES",
    "OriginRule",
    "RateLimiter",
    "ServePolicy",
    "allowed_origins",
    "host_allowed",
    "is_loopback",
    "new_token",
    "parse_origin",
    "read_token_file",
    "token_matches",
]

DEFAULT_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*")
DEFAULT_RATE = 30  # mints per minute
DEFAULT_MAX_TTL = 600
MAX_BODY_BYTES = 64 * 1024
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
_WILDCARD_BINDS = ("0.0.0.0", "::", "")  # noqa: S104 - names to recognise, not to bind


@dataclass(frozen=True)
class OriginRule:
    """One allowed origin: scheme and host exactly, the port exactly or any (``*``)."""

    scheme: str
    host: str
    port: int | None  # None: any port

    def matches(self, origin: str) -> bool:
        try:
            parts = urlsplit(origin)
            port = parts.port
        except ValueError:
            return False
        if parts.path or parts.query or parts.fragment or parts.username is not None:
            return False
        if parts.scheme != self.scheme or (parts.hostname or "") != self.host:
            return False
        if port is None:
            port = {"http": 80, "https": 443}.get(parts.scheme)
        return self.port is None or port == self.port

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{'*' if self.port is None else self.port}"


def parse_origin(text: str) -> OriginRule:
    """``scheme://host[:port]``, where the port may be ``*``; nothing else is a wildcard."""
    raw = text.strip()
    scheme, sep, rest = raw.partition("://")
    if not sep or scheme not in ("http", "https"):
        raise InvalidInput.single("origin", f"must start with http:// or https://, got {text!r}")
    any_port = rest.endswith(":*")
    if any_port:
        rest = rest[:-2]
    if not rest or "*" in rest or "/" in rest or "@" in rest or "?" in rest or "#" in rest:
        raise InvalidInput.single(
            "origin",
            f"must be scheme://host[:port] with '*' only as the port, got {text!r}",
        )
    try:
        parts = urlsplit(f"{scheme}://{rest}")
        port = parts.port
    except ValueError:
        raise InvalidInput.single("origin", f"has an invalid port: {text!r}") from None
    host = (parts.hostname or "").lower()
    if not host:
        raise InvalidInput.single("origin", f"has no host: {text!r}")
    if any_port:
        if port is not None:
            raise InvalidInput.single("origin", f"has two ports: {text!r}")
        return OriginRule(scheme, host, None)
    if port is None:
        port = 80 if scheme == "http" else 443
    return OriginRule(scheme, host, port)


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def host_allowed(host_header: str | None, *, bound_host: str, port: int) -> bool:
    """Whether a request's ``Host`` names this server, not a name an attacker's DNS points here.

    Loopback names and the bound host are allowed, with this server's port. A server bound
    to every interface also accepts any IP literal: DNS rebinding needs a host *name*.
    """
    if not host_header:
        return False
    value = host_header.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value.partition("]")
        name += bracket
    else:
        name, _, rest = value.partition(":")
        rest = ":" + rest if rest else ""
    if rest:
        if not rest.startswith(":") or rest[1:] != str(port):
            return False
    elif port != 80:
        return False
    bound = bound_host.lower()
    if ":" in bound and not bound.startswith("["):
        bound = f"[{bound}]"
    if name in LOOPBACK_NAMES or name == bound:
        return True
    return bound_host in _WILDCARD_BINDS and _is_ip_literal(name)


def allowed_origins(extra: Iterable[str] = ()) -> tuple[OriginRule, ...]:
    """The default origins plus ``extra`` (each checked by parse_origin), without repeats."""
    return tuple(dict.fromkeys(parse_origin(o) for o in (*DEFAULT_ORIGINS, *extra)))


def new_token() -> str:
    """A random token of 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def read_token_file(path: str) -> str:
    """The token in ``path`` (surrounding white space dropped); at least 16 characters."""
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InvalidInput.single("token_file", f"cannot read {path!r}: {reason}") from None
    if len(token) < 16 or any(c.isspace() or not c.isprintable() for c in token):
        raise InvalidInput.single(
            "token_file", "must hold one token of at least 16 printable characters, no spaces"
        )
    return token


def token_matches(authorization: str | None, token: str) -> bool:
    """``Authorization: Bearer <token>``, compared in constant time."""
    if not authorization:
        return False
    scheme, _, supplied = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(supplied.strip().encode(), token.encode())


@dataclass(frozen=True)
class ServePolicy:
    """The rules one server enforces; the token never shows in repr."""

    origins: tuple[OriginRule, ...] = field(default_factory=allowed_origins)
    token: str | None = field(default=None, repr=False)
    rate: int = DEFAULT_RATE
    allow_override: frozenset[str] = frozenset()
    max_ttl: int = DEFAULT_MAX_TTL
    max_body: int = MAX_BODY_BYTES
    body_timeout: float = 10.0  # seconds for the whole body to arrive
    header_timeout: float = 10.0  # seconds for a request's headers to arrive

    def origin_allowed(self, origin: str) -> bool:
        return any(rule.matches(origin) for rule in self.origins)


class RateLimiter:
    """At most ``per_minute`` admissions in any sliding 60-second window; thread-safe."""

    WINDOW = 60.0

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._times: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def admit(self) -> int | None:
        """None if admitted (and counted); otherwise the whole seconds to wait."""
        with self._lock:
            now = self._clock()
            while self._times and self._times[0] <= now - self.WINDOW:
                self._times.popleft()
            if len(self._times) < self._limit:
                self._times.append(now)
                return None
            return max(1, math.ceil(self._times[0] + self.WINDOW - now))
