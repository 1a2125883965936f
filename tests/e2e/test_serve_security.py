"""Each security rule of the token endpoint, end to end: Host, CORS, token, rate, bodies."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.serve import ServePolicy, ServeServer, allowed_origins
from tests.conftest import TEST_API_KEY
from tests.e2e.serve_support import GA_CONFIG, Recorder, StartServe
from tests.fake_api import FakeRealtimeApi

TOKEN = "a-test-token-0123456789abcdef"
ALLOWED = "http://localhost:5173"


# -- Host ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "127.0.0.1:1", "localhost", "[::1", "a:b:c", "127.0.0.1:{port}.evil"],
)
def test_a_foreign_host_is_403_before_anything_else(
    serve: StartServe, fake_api: FakeRealtimeApi, host: str
) -> None:
    server = serve(policy=ServePolicy(token=TOKEN))
    # Even with the right token and an allowed origin, a wrong Host gets nothing else.
    answer = httpx.get(
        server.url + "/token",
        headers={"Host": host.format(port=server.port), "Authorization": f"Bearer {TOKEN}",
                 "Origin": ALLOWED},
    )  # fmt: skip
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "host_not_allowed"
    assert "access-control-allow-origin" not in answer.headers
    assert fake_api.requests == []


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1"])
def test_loopback_hosts_are_allowed(serve: StartServe, name: str) -> None:
    server = serve()
    answer = httpx.get(server.url + "/health", headers={"Host": f"{name}:{server.port}"})
    assert answer.status_code == 200


# -- CORS ---------------------------------------------------------------------------------
@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:9", ALLOWED])
def test_an_allowed_origin_is_echoed(serve: StartServe, origin: str) -> None:
    server = serve()
    answer = httpx.get(server.url + "/token", headers={"Origin": origin})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == origin
    assert answer.headers["vary"] == "Origin"


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "null", "https://localhost:5173", "http://localhost.evil.example:80"],
)
def test_a_disallowed_origin_is_403_and_nothing_is_minted(
    serve: StartServe, fake_api: FakeRealtimeApi, origin: str
) -> None:
    server = serve()
    answer = httpx.get(server.url + "/token", headers={"Origin": origin})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "origin_not_allowed"
    assert "access-control-allow-origin" not in answer.headers
    assert fake_api.requests == []


def test_an_added_origin_is_allowed(serve: StartServe) -> None:
    server = serve(policy=ServePolicy(origins=allowed_origins(["https://app.example:8443"])))
    ok = httpx.get(server.url + "/token", headers={"Origin": "https://app.example:8443"})
    other = httpx.get(server.url + "/token", headers={"Origin": "https://app.example:8444"})
    assert (ok.status_code, other.status_code) == (200, 403)


def test_preflight_from_an_allowed_origin(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve(policy=ServePolicy(token=TOKEN))  # preflights carry no token
    answer = httpx.options(
        server.url + "/token",
        headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"},
    )  # fmt: skip
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in answer.headers["access-control-allow-methods"]
    allowed = {h.strip() for h in answer.headers["access-control-allow-headers"].split(",")}
    assert allowed == {"Authorization", "Content-Type"}  # by name: '*' would not cover them
    assert fake_api.requests == []


def test_preflight_from_a_disallowed_origin_is_403(serve: StartServe) -> None:
    server = serve()
    answer = httpx.options(
        server.url + "/token",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert answer.status_code == 403
    assert "access-control-allow-origin" not in answer.headers


def test_no_origin_is_allowed_on_loopback(serve: StartServe) -> None:
    server = serve()
    answer = httpx.get(server.url + "/token")
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


def test_error_answers_to_an_allowed_origin_carry_cors(serve: StartServe) -> None:
    server = serve(policy=ServePolicy(token=TOKEN, rate=1))
    headers = {"Origin": ALLOWED}
    unauthorized = httpx.get(server.url + "/token", headers=headers)
    too_large = httpx.post(
        server.url + "/token",
        headers={**headers, "Authorization": f"Bearer {TOKEN}"},
        content=b"{" + b" " * (65 * 1024) + b"}",
    )
    first = httpx.get(
        server.url + "/token", headers={**headers, "Authorization": f"Bearer {TOKEN}"}
    )
    limited = httpx.get(
        server.url + "/token", headers={**headers, "Authorization": f"Bearer {TOKEN}"}
    )
    assert [a.status_code for a in (unauthorized, too_large, first, limited)] == [
        401,
        413,
        200,
        429,
    ]
    for answer in (unauthorized, too_large, limited):
        assert answer.headers["access-control-allow-origin"] == ALLOWED


# -- token --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN]
)
@pytest.mark.parametrize("path", ["/token", "/session", "/v1/realtime/client_secrets"])
def test_missing_or_wrong_token_is_401_and_nothing_is_minted(
    serve: StartServe, fake_api: FakeRealtimeApi, authorization: str | None, path: str
) -> None:
    server = serve(policy=ServePolicy(token=TOKEN))
    headers = {"Authorization": authorization} if authorization is not None else {}
    answer = httpx.post(server.url + path, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_token"
    assert fake_api.requests == []


def test_the_right_token_mints_and_health_needs_none(serve: StartServe) -> None:
    server = serve(policy=ServePolicy(token=TOKEN))
    assert server.token == TOKEN
    assert httpx.get(server.url + "/health").status_code == 200
    answer = httpx.get(server.url + "/token", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200


def test_a_non_loopback_bind_requires_a_token(fake_api: FakeRealtimeApi) -> None:
    connection = Connection(base_url=fake_api.base_url)
    with pytest.raises(InvalidInput, match="token is required"):
        ServeServer(GA_CONFIG, connection, TEST_API_KEY, host="0.0.0.0", port=0)  # noqa: S104


# -- rate limit ---------------------------------------------------------------------------
def test_rate_limit_is_429_with_retry_after_and_no_upstream_call(
    serve: StartServe, fake_api: FakeRealtimeApi
) -> None:
    server = serve(policy=ServePolicy(rate=3))
    statuses = [httpx.get(server.url + "/token").status_code for _ in range(3)]
    limited = httpx.get(server.url + "/token")
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limit_exceeded"
    assert len(fake_api.requests) == 3
    assert httpx.get(server.url + "/health").status_code == 200  # health is not counted


# -- bodies and malformed requests --------------------------------------------------------
def test_a_body_over_64_kib_is_413(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    body = b'{"session": {"instructions": "' + b"x" * (64 * 1024) + b'"}}'
    answer = httpx.post(
        server.url + "/token", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert fake_api.requests == []


def test_a_chunked_body_over_64_kib_is_413(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(70):
            yield b" " * 1024

    answer = httpx.post(
        server.url + "/token", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert fake_api.requests == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_415(
    serve: StartServe, fake_api: FakeRealtimeApi, content_type: str | None
) -> None:
    server = serve()
    headers = {"Content-Type": content_type} if content_type else {}
    answer = httpx.post(server.url + "/token", content=b"session=x", headers=headers)
    assert answer.status_code == 415
    assert fake_api.requests == []


def test_invalid_json_is_400(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    answer = httpx.post(
        server.url + "/token", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_json"
    assert fake_api.requests == []


def _raw(port: int, data: bytes, *, wait: float = 2.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello on plain HTTP
        b"GET /token HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n",
        b"POST /token HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 10\r\n\r\n{",
    ],
)
def test_malformed_requests_do_not_crash_it(serve: StartServe, data: bytes) -> None:
    server = serve(policy=ServePolicy(body_timeout=0.5))
    _raw(server.port, data.replace(b"{port}", str(server.port).encode()))
    assert httpx.get(server.url + "/health").status_code == 200


def test_slow_headers_are_timed_out(serve: StartServe) -> None:
    server = serve(policy=ServePolicy(header_timeout=0.5))
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /token HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never finishes
        assert sock.recv(1024) == b""  # the server closed the connection
    assert time.monotonic() - started < 8  # generous: it was the deadline, not the test's
    assert httpx.get(server.url + "/health").status_code == 200


def test_a_stalled_body_is_timed_out(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve(policy=ServePolicy(body_timeout=0.5))
    head = f"POST /token HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    reply = _raw(server.port, head.encode(), wait=5)
    assert reply.startswith(b"HTTP/1.1 408")
    assert fake_api.requests == []


# -- secrets ------------------------------------------------------------------------------
def test_no_answer_or_event_carries_the_key(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    recorder = Recorder()
    server.subscribe(recorder)
    answers = [httpx.get(server.url + "/token")]
    fake_api.then_error(401, "Incorrect API key provided.", "invalid_api_key")
    answers.append(httpx.get(server.url + "/token"))
    answers.append(httpx.get(server.url + "/token", headers={"Origin": "http://evil.example"}))
    for answer in answers:
        assert TEST_API_KEY not in answer.text
        assert TEST_API_KEY not in str(answer.headers)
    secret = answers[0].json()["value"]
    for event in recorder.events:
        assert TEST_API_KEY not in repr(event) and secret not in repr(event)
    assert TEST_API_KEY not in repr(server) and TEST_API_KEY not in repr(server.policy)
