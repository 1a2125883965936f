"""Where a mint goes: provider, base URL, timeout and the endpoint URL; no network code."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from .. import __version__
from .bodies import endpoint_path
from .errors import InvalidInput
from .session import ApiShape, SessionConfig

__all__ = [
    "AZURE_PREVIEW_API_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "Connection",
    "MintRequest",
    "Provider",
    "endpoint_url",
    "request_headers",
]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 20.0
AZURE_PREVIEW_API_VERSION = "2025-04-01-preview"


class Provider(str, Enum):
    """Who runs the endpoint; decides the auth header and the Beta path."""

    OPENAI = "openai"
    AZURE = "azure"


@dataclass(frozen=True)
class Connection:
    """Where and how to reach the API; holds no secret."""

    base_url: str = DEFAULT_BASE_URL
    provider: Provider = Provider.OPENAI
    timeout: float = DEFAULT_TIMEOUT
    organization: str | None = None
    project: str | None = None

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str],
        *,
        base_url: str | None = None,
        provider: Provider = Provider.OPENAI,
        timeout: float | None = None,
    ) -> Connection:
        """Explicit values first, then OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID."""
        return cls(
            base_url=base_url or env.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL,
            provider=provider,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            organization=env.get("OPENAI_ORG_ID") or None,
            project=env.get("OPENAI_PROJECT_ID") or None,
        )


@dataclass(frozen=True)
class MintRequest:
    """One mint: the session asked for and where to ask. The key travels separately."""

    config: SessionConfig
    connection: Connection


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_header_values(connection: Connection) -> None:
    for field, value in (
        ("organization", connection.organization),
        ("project", connection.project),
    ):
        if value is not None and not (value.isascii() and value.isprintable()):
            raise InvalidInput.single(
                field, "must be plain ASCII without control characters (it is sent as a header)"
            )


def endpoint_url(connection: Connection, api: ApiShape) -> str:
    """The full URL to POST to; raises InvalidInput for a base URL we will not use."""
    _check_header_values(connection)
    base = connection.base_url.strip().rstrip("/")
    if not base.isprintable() or any(c.isspace() for c in base):
        raise InvalidInput.single("base_url", "must not contain spaces or control characters")
    try:
        parts = urlsplit(base)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise InvalidInput.single("base_url", f"is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInput.single(
            "base_url", f"must be an http(s) URL such as {DEFAULT_BASE_URL}, got {base!r}"
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise InvalidInput.single(
            "base_url",
            "plain http:// is only allowed for loopback hosts (localhost, 127.0.0.1, ::1); "
            "use https:// so the API key is not sent in clear text",
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput.single(
            "base_url", "must not contain a query, fragment or user:password part"
        )
    if connection.provider is Provider.AZURE and api is ApiShape.BETA:
        # Azure's preview deployments mint under /openai/realtimeapi/sessions.
        root = base.removesuffix("/v1")
        return f"{root}/realtimeapi/sessions?api-version={AZURE_PREVIEW_API_VERSION}"
    return base + endpoint_path(api)


def request_headers(connection: Connection, api_key: str) -> dict[str, str]:
    """The request headers; never OpenAI-Beta (the GA endpoint rejects it)."""
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": f"realtime-gui/{__version__}",
    }
    if connection.provider is Provider.AZURE:
        headers["api-key"] = api_key
    else:
        headers["Authorization"] = f"Bearer {api_key}"
    if connection.organization:
        headers["OpenAI-Organization"] = connection.organization
    if connection.project:
        headers["OpenAI-Project"] = connection.project
    return headers
