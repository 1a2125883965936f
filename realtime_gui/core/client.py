"""The HTTP side of minting: where to send, which headers, and every transport failure mapped."""

from __future__ import annotations

import ipaddress
import json
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from .. import __version__
from .bodies import build_body, endpoint_path
from .errors import (
    ConnectionFailed,
    InvalidInput,
    RequestTimeout,
    TlsError,
    UnusableResponse,
)
from .responses import MintedSecret, error_from_response, parse_minted
from .session import ApiShape, SessionConfig

__all__ = [
    "AZURE_PREVIEW_API_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_RESPONSE_BYTES",
    "Connection",
    "MintClient",
    "MintRequest",
    "Provider",
    "endpoint_url",
]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 20.0
CONNECT_TIMEOUT = 10.0
AZURE_PREVIEW_API_VERSION = "2025-04-01-preview"
# A client-secret answer is a few KB; anything past this is not one.
MAX_RESPONSE_BYTES = 2 * 1024 * 1024


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


def endpoint_url(connection: Connection, api: ApiShape) -> str:
    """The full URL to POST to; raises InvalidInput for a base URL we will not use."""
    base = connection.base_url.strip().rstrip("/")
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


def _headers(connection: Connection, api_key: str) -> dict[str, str]:
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


def _tls_failure(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class MintClient:
    """Mints client secrets over one reused ``httpx.Client`` (keep-alive across mints)."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # verify stays on; SSL_CERT_FILE/SSL_CERT_DIR still apply through trust_env.
        self._client = httpx.Client(transport=transport, follow_redirects=False)
        self._clock = clock

    def __enter__(self) -> MintClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection; an in-flight mint on another thread then fails."""
        self._client.close()

    def mint(self, request: MintRequest, api_key: str) -> MintedSecret:
        """Send the request and return the secret, or raise a RealtimeGuiError subclass."""
        config, connection = request.config, request.connection
        body = build_body(config)
        url = endpoint_url(connection, config.api)
        if not api_key or any(c.isspace() for c in api_key):
            raise InvalidInput.single("api_key", "is empty or contains whitespace")
        status, payload, retry_after = self._post(url, body, connection, api_key)
        if 200 <= status < 300:
            return parse_minted(config.api, payload, now=self._clock())
        # The server may echo parts of the request; make sure the key is never among them.
        payload = payload.replace(api_key.encode(), b"[redacted]")
        raise error_from_response(
            config.api, status, payload, retry_after=retry_after, now=self._clock()
        )

    def _post(
        self, url: str, body: dict[str, object], connection: Connection, api_key: str
    ) -> tuple[int, bytes, str | None]:
        total = connection.timeout
        timeout = httpx.Timeout(total, connect=min(CONNECT_TIMEOUT, total))
        deadline = time.monotonic() + total
        host = urlsplit(url).netloc
        try:
            with self._client.stream(
                "POST",
                url,
                content=json.dumps(body).encode(),
                headers=_headers(connection, api_key),
                timeout=timeout,
            ) as response:
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_RESPONSE_BYTES:
                        raise UnusableResponse(
                            f"The response is larger than {MAX_RESPONSE_BYTES // 1024} KB; "
                            "it cannot be a client secret.",
                            status=response.status_code,
                            hint="Check the base URL: it should point at the API, not a web page.",
                        )
                    # A server trickling bytes would otherwise reset the read timeout forever.
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("total time exceeded")
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks), response.headers.get("retry-after")
        except httpx.TimeoutException as exc:
            phase = "connecting to" if isinstance(exc, httpx.ConnectTimeout) else "waiting for"
            raise RequestTimeout(f"Timed out after {total:g} s {phase} {host}.") from None
        except httpx.TransportError as exc:
            tls = _tls_failure(exc)
            if isinstance(tls, ssl.SSLCertVerificationError):
                reason = tls.verify_message or tls.reason or str(tls)
                raise TlsError(f"TLS verification failed for {host}: {reason}.") from None
            if tls is not None:
                raise TlsError(
                    f"The TLS handshake with {host} failed: {tls.reason or tls}.",
                    hint="Check that the server speaks https:// at this URL (not plain http://).",
                ) from None
            detail = str(exc).replace(api_key, "[redacted]") or type(exc).__name__
            if isinstance(exc, httpx.ConnectError):
                raise ConnectionFailed(f"Could not connect to {host}: {detail}") from None
            raise ConnectionFailed(
                f"The connection to {host} broke before the answer was complete: {detail}"
            ) from None
