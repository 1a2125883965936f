"""core.connection_test against the fake Realtime API: every mode, cancel, timeouts, leaks."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from realtime_gui.core.client import MintClient
from realtime_gui.core.connection_test import ConnectionTester, ConnectionTestResult
from realtime_gui.core.endpoint import Connection
from realtime_gui.core.errors import (
    AuthenticationFailed,
    ConnectionTestCancelled,
    PermissionDenied,
    RealtimeClosed,
    RealtimeDropped,
    RealtimeErrorEvent,
    RealtimeGuiError,
    RequestTimeout,
)
from realtime_gui.core.request import PreparedRequest, prepare
from realtime_gui.core.session import SessionConfig, SessionType
from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi

SLOW_HOST = "slow-dns.localhost"


def request(api: FakeRealtimeApi, **fields: Any) -> tuple[PreparedRequest, Connection]:
    connection = Connection(base_url=fields.pop("base_url", api.base_url))
    config = SessionConfig(model=fields.pop("model", "gpt-realtime"), **fields)
    return prepare(config, connection), connection


def run(api: FakeRealtimeApi, *, say: str | None = None, timeout: float = 5.0) -> Any:
    prepared, connection = request(api)
    return ConnectionTester().run(
        prepared, connection, TEST_API_KEY, say=say, connect_timeout=timeout
    )


def failure(api: FakeRealtimeApi, **options: Any) -> RealtimeGuiError:
    with pytest.raises(RealtimeGuiError) as caught:
        run(api, **options)
    error = caught.value
    text = str(error) + repr(error) + (error.raw_body or "")
    assert TEST_API_KEY not in text and "ek_" not in text
    return error


def test_ok_reports_the_effective_session(fake_api: FakeRealtimeApi) -> None:
    result = run(fake_api)
    (connection,) = fake_api.realtime.connections
    session = connection.sent[0]["session"]
    assert isinstance(result, ConnectionTestResult)
    assert result.session_id == session["id"] and result.model == "gpt-realtime"
    assert result.session == session and result.reply is None
    assert result.connect_ms >= 0
    assert result.url == f"ws://127.0.0.1:{fake_api.port}/v1/realtime?model=gpt-realtime"
    assert result.differences == []
    assert result.requested == {"type": "realtime", "model": "gpt-realtime"}


def test_text_reply_is_assembled_from_the_deltas(fake_api: FakeRealtimeApi) -> None:
    result = run(fake_api, say="hello world")
    assert result.reply == "You said: hello world"
    sent = [e["type"] for e in fake_api.realtime.connections[-1].sent]
    assert sent.count("response.output_text.delta") == 4  # it really joined several deltas


def test_differences_follow_the_granted_view(fake_api: FakeRealtimeApi) -> None:
    original = fake_api.realtime.issue
    fake_api.realtime.issue = lambda value, session, expires_at: original(  # type: ignore[method-assign]
        value, {**session, "model": "gpt-realtime-2025-08-28"}, expires_at
    )
    result = run(fake_api)
    assert result.differences == ["model"]
    assert result.model == "gpt-realtime-2025-08-28"


@pytest.mark.parametrize(("status", "kind"), [(401, AuthenticationFailed), (403, PermissionDenied)])
def test_upgrade_refused(fake_api: FakeRealtimeApi, status: int, kind: type) -> None:
    fake_api.realtime.mode = "reject"
    fake_api.realtime.upgrade_status = status
    error = failure(fake_api)
    assert type(error) is kind and error.exit_code == 4
    assert error.upstream is not None and error.upstream.status == status
    assert error.upstream.code == ("invalid_api_key" if status == 401 else "forbidden")


def test_error_event(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "error"
    error = failure(fake_api)
    assert isinstance(error, RealtimeErrorEvent) and error.exit_code == 4
    assert error.upstream is not None and error.upstream.code == "beta_api_shape_disabled"
    assert "Server said: code beta_api_shape_disabled: The beta API shape" in str(error)


def test_already_used_secret_gets_the_error_event(fake_api: FakeRealtimeApi) -> None:
    prepared, connection = request(fake_api)
    with MintClient() as client:
        secret = client.send(prepared, TEST_API_KEY)
    tester = ConnectionTester()
    first = tester.connect(secret.value, prepared, connection, model=secret.model)
    assert first.session_id is not None
    with pytest.raises(RealtimeErrorEvent) as caught:
        ConnectionTester().connect(secret.value, prepared, connection, model=secret.model)
    assert caught.value.upstream is not None
    assert caught.value.upstream.code == "ephemeral_token_already_used"
    assert secret.value not in str(caught.value) + (caught.value.raw_body or "")
    assert [c.credential for c in fake_api.realtime.connections] == [secret.value] * 2


def test_hang_ends_at_the_connect_timeout(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "hang"
    error = failure(fake_api, timeout=0.5)
    assert isinstance(error, RequestTimeout) and error.exit_code == 5
    assert "No session.created" in error.user_message and "0.5 s" in error.user_message


def test_close_frame(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "close"
    fake_api.realtime.close_code, fake_api.realtime.close_reason = 1000, "bye"
    error = failure(fake_api)
    assert isinstance(error, RealtimeClosed) and error.exit_code == 4
    assert (error.close_code, error.close_reason) == (1000, "bye")


def test_drop_is_abnormal(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "drop"
    error = failure(fake_api, say="hello")
    assert isinstance(error, RealtimeDropped) and error.exit_code == 5


def test_an_echoed_secret_is_masked(fake_api: FakeRealtimeApi) -> None:
    prepared, connection = request(fake_api)
    with MintClient() as client:
        secret = client.send(prepared, TEST_API_KEY)
    fake_api.realtime.mode = "error"
    fake_api.realtime.error_code = "weird"
    fake_api.realtime.error_message = f"Bad key {secret.value}."
    with pytest.raises(RealtimeErrorEvent) as caught:
        ConnectionTester().connect(secret.value, prepared, connection, model=secret.model)
    error = caught.value
    assert error.upstream is not None and error.upstream.message == "Bad key [redacted]."
    assert secret.value not in (error.raw_body or "")


def test_transcription_session_connects_without_a_model(fake_api: FakeRealtimeApi) -> None:
    prepared, connection = request(fake_api, model=None, session_type=SessionType.TRANSCRIPTION)
    result = ConnectionTester().run(prepared, connection, TEST_API_KEY)
    assert result.session_id is not None
    # No model to name: the session is bound to the secret, so the URL carries none.
    assert result.model is None and result.url.endswith("/v1/realtime")
    assert fake_api.realtime.connections[-1].query == {}


def test_result_and_errors_hold_no_secret_in_repr(fake_api: FakeRealtimeApi) -> None:
    result = run(fake_api, say="hi")
    credential = fake_api.realtime.connections[-1].credential
    assert credential is not None and credential.startswith("ek_")
    assert credential not in repr(result) and credential not in str(result.as_json())
    assert "ek_" not in repr(result)


def test_cancel_from_another_thread_ends_a_hanging_test(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "hang"
    prepared, connection = request(fake_api)
    tester = ConnectionTester()
    connected = threading.Event()
    threading.Thread(
        target=lambda: (
            _wait_for(lambda: fake_api.realtime.connections != []),
            connected.set(),
            tester.cancel(),
        ),
        daemon=True,
    ).start()
    with pytest.raises(ConnectionTestCancelled):
        tester.run(prepared, connection, TEST_API_KEY, connect_timeout=30)
    assert connected.is_set()  # it was cancelled while waiting, not by the 30 s timeout


@pytest.fixture
def slow_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """getaddrinfo for SLOW_HOST hangs until released (a dead resolver)."""
    entered, release = threading.Event(), threading.Event()
    real = socket.getaddrinfo

    def slow(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == SLOW_HOST:
            entered.set()
            release.wait(30)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    yield entered
    release.set()


def test_the_connect_timeout_also_bounds_dns(
    fake_api: FakeRealtimeApi, slow_dns: threading.Event
) -> None:
    prepared, _ = request(fake_api)
    slow = Connection(base_url=f"http://{SLOW_HOST}:{fake_api.port}/v1")
    with pytest.raises(RequestTimeout):
        ConnectionTester().connect("ek_x", prepared, slow, model="m", connect_timeout=0.3)
    assert slow_dns.is_set()  # the lookup was under way (and is still hanging)


def test_cancel_ends_a_dns_lookup(fake_api: FakeRealtimeApi, slow_dns: threading.Event) -> None:
    prepared, _ = request(fake_api)
    slow = Connection(base_url=f"http://{SLOW_HOST}:{fake_api.port}/v1")
    tester = ConnectionTester()
    threading.Thread(target=lambda: (slow_dns.wait(10), tester.cancel()), daemon=True).start()
    with pytest.raises(ConnectionTestCancelled):
        tester.connect("ek_x", prepared, slow, model="m", connect_timeout=30)


def _wait_for(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_wss_to_a_plain_http_server_is_a_tls_error(fake_api: FakeRealtimeApi) -> None:
    from realtime_gui.core.errors import TlsError

    prepared, _ = request(fake_api)
    https = Connection(base_url=f"https://127.0.0.1:{fake_api.port}/v1")
    with pytest.raises(TlsError) as caught:
        ConnectionTester().connect("ek_x", prepared, https, model="m", connect_timeout=5)
    assert "TLS handshake with 127.0.0.1" in caught.value.user_message
    assert caught.value.exit_code == 5
