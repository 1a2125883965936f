"""The HTTP side of minting, against httpx.MockTransport: URLs, headers, limits, failures."""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import httpx
import pytest

from realtime_gui.core.bodies import build_body
from realtime_gui.core.client import MAX_RESPONSE_BYTES, MintClient
from realtime_gui.core.endpoint import (
    AZURE_PREVIEW_API_VERSION,
    Connection,
    MintRequest,
    Provider,
)
from realtime_gui.core.errors import (
    AuthenticationFailed,
    BadRequest,
    ConnectionFailed,
    InvalidInput,
    MintCancelled,
    RateLimited,
    RealtimeGuiError,
    RequestTimeout,
    ServerError,
    TlsError,
    UnusableResponse,
)
from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import ApiShape, SessionConfig
from tests.doubles import API_KEY, EXPIRES_AT, NOW, SECRET, SESSION_ID

GA = SessionConfig(api=ApiShape.GA, model="gpt-realtime", voice="marin", ttl_seconds=600)
BETA = SessionConfig(api=ApiShape.BETA, model="gpt-4o-realtime-preview", ttl_seconds=60)
OPENAI = Connection()
AZURE_BASE = "https://unit-resource.openai.azure.com/openai/v1"

Handler = Callable[[httpx.Request], httpx.Response]


def ga_ok(secret: str = SECRET) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "value": secret,
            "expires_at": EXPIRES_AT,
            "session": {"id": SESSION_ID, "type": "realtime", "model": "gpt-realtime"},
        },
    )


def beta_ok() -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": SESSION_ID,
            "object": "realtime.session",
            "model": "gpt-4o-realtime-preview",
            "client_secret": {"value": SECRET, "expires_at": EXPIRES_AT},
        },
    )


@dataclass
class Server:
    """A MockTransport handler that records every request and answers with ``respond``."""

    respond: Handler = field(default=lambda request: ga_ok())
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)

    def client(self, clock: float = NOW) -> MintClient:
        return MintClient(transport=httpx.MockTransport(self), clock=lambda: clock)

    def mint(
        self, config: SessionConfig = GA, connection: Connection = OPENAI, key: str = API_KEY
    ) -> MintedSecret:
        with self.client() as client:
            return client.mint(MintRequest(config, connection), key)

    @property
    def only(self) -> httpx.Request:
        assert len(self.requests) == 1
        return self.requests[0]


def raising(exc: Exception) -> Handler:
    def respond(request: httpx.Request) -> httpx.Response:
        raise exc

    return respond


# -- where and how the request goes ---------------------------------------------------------


def test_ga_request() -> None:
    server = Server()
    minted = server.mint()
    request = server.only
    assert request.method == "POST"
    assert str(request.url) == "https://api.openai.com/v1/realtime/client_secrets"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("realtime-gui/")
    assert "OpenAI-Beta" not in request.headers
    assert "api-key" not in request.headers
    assert "OpenAI-Organization" not in request.headers
    assert "OpenAI-Project" not in request.headers
    assert json.loads(request.content) == build_body(GA)
    assert minted.value == SECRET
    assert minted.session_id == SESSION_ID
    assert minted.expires_at == EXPIRES_AT


def test_beta_request() -> None:
    server = Server(lambda request: beta_ok())
    minted = server.mint(BETA)
    request = server.only
    assert str(request.url) == "https://api.openai.com/v1/realtime/sessions"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert "OpenAI-Beta" not in request.headers
    assert json.loads(request.content) == build_body(BETA)
    assert minted.value == SECRET
    assert minted.api is ApiShape.BETA


def test_azure_ga_uses_api_key_header_and_no_api_version() -> None:
    server = Server()
    server.mint(connection=Connection(base_url=AZURE_BASE, provider=Provider.AZURE))
    request = server.only
    assert str(request.url) == AZURE_BASE + "/realtime/client_secrets"
    assert "api-version" not in str(request.url)
    assert request.headers["api-key"] == API_KEY
    assert "Authorization" not in request.headers


def test_azure_beta_uses_the_preview_path() -> None:
    server = Server(lambda request: beta_ok())
    server.mint(BETA, Connection(base_url=AZURE_BASE, provider=Provider.AZURE))
    request = server.only
    assert str(request.url) == (
        "https://unit-resource.openai.azure.com/openai/realtimeapi/sessions"
        "?api-version=2025-04-01-preview"
    )
    assert request.url.params["api-version"] == AZURE_PREVIEW_API_VERSION
    assert request.headers["api-key"] == API_KEY
    assert "Authorization" not in request.headers


def test_organization_and_project_headers() -> None:
    server = Server()
    server.mint(connection=Connection(organization="org_unit", project="proj_unit"))
    assert server.only.headers["OpenAI-Organization"] == "org_unit"
    assert server.only.headers["OpenAI-Project"] == "proj_unit"


def test_connection_from_env() -> None:
    env = {
        "OPENAI_ORG_ID": "org_env",
        "OPENAI_PROJECT_ID": "proj_env",
        "OPENAI_BASE_URL": "http://127.0.0.1:8765/v1",
    }
    connection = Connection.from_env(env)
    assert connection.organization == "org_env"
    assert connection.project == "proj_env"
    assert connection.base_url == "http://127.0.0.1:8765/v1"
    server = Server()
    server.mint(connection=connection)
    request = server.only
    assert str(request.url) == "http://127.0.0.1:8765/v1/realtime/client_secrets"
    assert request.headers["OpenAI-Organization"] == "org_env"
    assert request.headers["OpenAI-Project"] == "proj_env"


def test_timeouts_follow_the_connection() -> None:
    server = Server()
    server.mint(connection=Connection(timeout=5.0))
    assert server.only.extensions["timeout"] == {
        "connect": 5.0,
        "read": 5.0,
        "write": 5.0,
        "pool": 5.0,
    }
    server = Server()
    server.mint(connection=Connection(timeout=30.0))
    assert server.only.extensions["timeout"]["connect"] == 10.0
    assert server.only.extensions["timeout"]["read"] == 30.0


# -- nothing is sent for invalid input ---------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "connection", "key", "field"),
    [
        (replace(GA, modalities=("audio", "text")), OPENAI, API_KEY, "modalities"),
        (replace(GA, temperature=0.8), OPENAI, API_KEY, "temperature"),
        (replace(GA, ttl_seconds=5), OPENAI, API_KEY, "ttl_seconds"),
        (replace(BETA, model=None), OPENAI, API_KEY, "model"),
        (GA, Connection(base_url="http://api.openai.com/v1"), API_KEY, "base_url"),
        (GA, Connection(base_url="ftp://api.openai.com/v1"), API_KEY, "base_url"),
        (GA, OPENAI, "", "api_key"),
        (GA, OPENAI, "sk-test unit", "api_key"),
        (GA, OPENAI, API_KEY + "\n", "api_key"),
    ],
)
def test_invalid_input_is_rejected_before_any_request(
    config: SessionConfig, connection: Connection, key: str, field: str
) -> None:
    server = Server()
    with pytest.raises(InvalidInput) as caught:
        server.mint(config, connection, key)
    assert server.requests == []
    assert field in [p.field for p in caught.value.problems]


@pytest.mark.parametrize(
    ("connection", "key"),
    [
        (OPENAI, "sk-tést-unit"),
        (Connection(organization="org_ünit"), API_KEY),
        (Connection(base_url="https://unit\x00host.example/v1"), API_KEY),
    ],
    ids=["non-ascii-key", "non-ascii-org", "nul-in-base-url"],
)
def test_unsendable_values_are_invalid_input(connection: Connection, key: str) -> None:
    server = Server()
    with pytest.raises(InvalidInput):
        server.mint(GA, connection, key)
    assert server.requests == []


# -- answers ---------------------------------------------------------------------------------


def test_oversized_response_is_unusable() -> None:
    server = Server(lambda request: httpx.Response(200, content=b"x" * (MAX_RESPONSE_BYTES + 1)))
    with pytest.raises(UnusableResponse) as caught:
        server.mint()
    assert "larger than" in caught.value.user_message
    assert caught.value.status == 200
    assert caught.value.raw_body is None


def test_response_at_the_size_limit_is_read() -> None:
    body = json.dumps({"value": SECRET, "expires_at": EXPIRES_AT}).encode()
    padded = body[:-1] + b" " * (MAX_RESPONSE_BYTES - len(body)) + b"}"
    assert len(padded) == MAX_RESPONSE_BYTES
    server = Server(lambda request: httpx.Response(200, content=padded))
    assert server.mint().value == SECRET


def test_error_body_echoing_the_key_is_redacted() -> None:
    message = f"Incorrect API key provided: {API_KEY}. Find your key at platform."
    body = {"error": {"message": message, "code": "invalid_api_key", "param": API_KEY}}
    server = Server(lambda request: httpx.Response(401, json=body))
    with pytest.raises(AuthenticationFailed) as caught:
        server.mint()
    error = caught.value
    assert API_KEY not in str(error)
    assert API_KEY not in (error.raw_body or "")
    assert error.upstream is not None
    assert API_KEY not in (error.upstream.message or "")
    assert API_KEY not in (error.upstream.param or "")
    assert "[redacted]" in (error.upstream.message or "")
    assert "Incorrect API key provided" in str(error)


def test_azure_error_body_echoing_the_key_is_redacted() -> None:
    server = Server(lambda request: httpx.Response(400, text=f"bad api-key header {API_KEY}"))
    with pytest.raises(BadRequest) as caught:
        server.mint(connection=Connection(base_url=AZURE_BASE, provider=Provider.AZURE))
    assert API_KEY not in (caught.value.raw_body or "")
    assert API_KEY not in str(caught.value)


def test_success_status_body_echoing_the_key_is_redacted() -> None:
    server = Server(lambda request: httpx.Response(200, json={"echo": API_KEY}))
    with pytest.raises(UnusableResponse) as caught:
        server.mint()
    assert API_KEY not in (caught.value.raw_body or "")


def test_rate_limit_uses_retry_after_header() -> None:
    server = Server(
        lambda request: httpx.Response(429, headers={"Retry-After": "7"}, json={"error": {}})
    )
    with pytest.raises(RateLimited) as caught:
        server.mint()
    assert caught.value.retry_after == 7.0
    assert "Retry in 7 s." in caught.value.user_message


def test_server_error_html() -> None:
    server = Server(lambda request: httpx.Response(503, text="<html>down</html>"))
    with pytest.raises(ServerError) as caught:
        server.mint()
    assert caught.value.status == 503
    assert caught.value.raw_body == "<html>down</html>"


def test_redirect_is_not_followed() -> None:
    server = Server(
        lambda request: httpx.Response(307, headers={"Location": "https://elsewhere.example/"})
    )
    with pytest.raises(UnusableResponse) as caught:
        server.mint()
    assert "307" in caught.value.user_message
    assert len(server.requests) == 1


def test_expired_answer_uses_the_client_clock() -> None:
    server = Server()
    with server.client(clock=EXPIRES_AT + 1) as client, pytest.raises(UnusableResponse) as caught:
        client.mint(MintRequest(GA, OPENAI), API_KEY)
    assert "already expired" in caught.value.user_message


def test_one_client_mints_several_times() -> None:
    count = iter(range(100))

    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/realtime/sessions"):
            return beta_ok()
        return ga_ok(f"ek_unit_{next(count)}")

    server = Server(respond)
    with server.client() as client:
        values = [client.mint(MintRequest(GA, OPENAI), API_KEY).value for _ in range(3)]
        beta = client.mint(MintRequest(BETA, OPENAI), API_KEY)
        again = client.mint(MintRequest(GA, OPENAI), API_KEY)
    assert values == ["ek_unit_0", "ek_unit_1", "ek_unit_2"]
    assert beta.value == SECRET
    assert again.value == "ek_unit_3"
    assert [r.url.path for r in server.requests] == [
        "/v1/realtime/client_secrets",
        "/v1/realtime/client_secrets",
        "/v1/realtime/client_secrets",
        "/v1/realtime/sessions",
        "/v1/realtime/client_secrets",
    ]


# -- transport failures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "cls", "fragment"),
    [
        (httpx.ConnectError("Connection refused"), ConnectionFailed, "Could not connect"),
        (httpx.ReadTimeout("timed out"), RequestTimeout, "waiting for"),
        (httpx.ConnectTimeout("timed out"), RequestTimeout, "connecting to"),
        (httpx.WriteTimeout("timed out"), RequestTimeout, "waiting for"),
        (httpx.RemoteProtocolError("peer closed"), ConnectionFailed, "broke"),
        (httpx.ReadError("reset by peer"), ConnectionFailed, "broke"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None,
)
def test_transport_failures_are_mapped(
    exc: Exception, cls: type[RealtimeGuiError], fragment: str
) -> None:
    server = Server(raising(exc))
    with pytest.raises(cls) as caught:
        server.mint(connection=Connection(timeout=4.0))
    assert type(caught.value) is cls
    assert fragment in caught.value.user_message
    assert "api.openai.com" in caught.value.user_message
    assert caught.value.exit_code == 5
    assert caught.value.hint
    if cls is RequestTimeout:
        assert "4 s" in caught.value.user_message


def test_transport_error_text_is_redacted() -> None:
    server = Server(raising(httpx.ConnectError(f"proxy refused Bearer {API_KEY}")))
    with pytest.raises(ConnectionFailed) as caught:
        server.mint()
    assert API_KEY not in str(caught.value)
    assert "[redacted]" in str(caught.value)


def test_certificate_failure_is_a_tls_error() -> None:
    cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
    cause.verify_message = "unable to get local issuer certificate"  # type: ignore[attr-defined]
    cause.reason = "CERTIFICATE_VERIFY_FAILED"  # type: ignore[attr-defined]

    def respond(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("certificate verify failed") from cause

    server = Server(respond)
    with pytest.raises(TlsError) as caught:
        server.mint()
    assert "unable to get local issuer certificate" in caught.value.user_message
    assert "SSL_CERT_FILE" in (caught.value.hint or "")


def test_cancelled_client_sends_nothing() -> None:
    server = Server()
    with server.client() as client:
        assert client.cancellable is False  # a custom transport cannot be aborted
        client.cancel()
        with pytest.raises(MintCancelled):
            client.mint(MintRequest(GA, OPENAI), API_KEY)
    assert server.requests == []
