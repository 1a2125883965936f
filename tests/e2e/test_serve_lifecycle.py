"""The token endpoint under load, restarted many times, and called by the official SDK."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.serve import ServeFailed, ServePolicy, ServeServer
from tests.conftest import TEST_API_KEY
from tests.e2e.serve_support import GA_CONFIG, StartServe, open_fds, serve_threads
from tests.fake_api import FakeRealtimeApi


def _settled(check: object, timeout: float = 5.0) -> bool:
    """Threads end a moment after stop() returns (daemon helpers); poll, time-bounded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return bool(check())  # type: ignore[operator]


def test_fifty_requests_from_ten_threads(fake_api: FakeRealtimeApi) -> None:
    fds_before = open_fds()
    server = ServeServer(
        GA_CONFIG,
        Connection(base_url=fake_api.base_url),
        TEST_API_KEY,
        policy=ServePolicy(rate=100),
        port=0,
    ).start()

    def five(_: int) -> list[tuple[int, str]]:
        with httpx.Client(timeout=30) as client:
            out = []
            for _ in range(5):
                answer = client.get(server.url + "/token")
                out.append((answer.status_code, answer.json().get("value", "")))
            return out

    with ThreadPoolExecutor(10) as pool:
        results = [r for batch in pool.map(five, range(10)) for r in batch]
    server.stop()
    assert [status for status, _ in results] == [200] * 50
    assert len({value for _, value in results}) == 50
    assert len(fake_api.requests) == 50
    assert _settled(lambda: serve_threads() == []), serve_threads()
    assert _settled(lambda: open_fds() <= fds_before), (open_fds(), fds_before)


def test_start_and_stop_twenty_times_without_leaks(fake_api: FakeRealtimeApi) -> None:
    server = ServeServer(GA_CONFIG, Connection(base_url=fake_api.base_url), TEST_API_KEY, port=0)
    server.start()
    httpx.get(server.url + "/token").raise_for_status()
    server.stop()  # the first round loads modules and opens what stays open; measure after it
    fds_before = open_fds()
    for _ in range(20):
        server.start()
        assert server.running
        with httpx.Client() as client:  # a keep-alive connection still open at stop()
            assert client.get(server.url + "/token").status_code == 200
            started = time.monotonic()
            server.stop()
            stopped_in = time.monotonic() - started
        assert not server.running
        assert stopped_in < 5  # generous bound: stop() joins the thread
    assert _settled(lambda: serve_threads() == []), serve_threads()
    assert _settled(lambda: open_fds() <= fds_before), (open_fds(), fds_before)


def test_the_same_port_can_be_restarted(serve: StartServe) -> None:
    server = serve()
    port = server.port
    server.stop()
    again = ServeServer(
        GA_CONFIG, Connection(base_url="http://127.0.0.1:1/v1"), TEST_API_KEY, port=port
    ).start()
    try:
        assert again.port == port
        assert httpx.get(again.url + "/health").status_code == 200
    finally:
        again.stop()


def test_a_port_in_use_is_a_clear_error(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    other = ServeServer(
        GA_CONFIG, Connection(base_url=fake_api.base_url), TEST_API_KEY, port=server.port
    )
    with pytest.raises(ServeFailed, match=f"Port {server.port} is already in use"):
        other.start()
    assert not other.running


def test_stop_ends_an_in_flight_mint(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    fake_api.then(lambda handler: time.sleep(3))
    server = serve()
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(httpx.get, server.url + "/token", timeout=10)
        time.sleep(0.3)  # the mint is waiting for the stalled upstream
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 2.5  # well before the upstream's 3 s
        try:
            status = pending.result().status_code
        except httpx.HTTPError:
            status = 0  # the connection was closed: also an end
    assert status in (0, 503)


def test_the_official_openai_sdk_gets_a_secret(serve: StartServe) -> None:
    server = serve(policy=ServePolicy(token="sdk-token-0123456789abcdef"))
    client = openai.OpenAI(
        api_key="sdk-token-0123456789abcdef", base_url=server.url + "/v1", max_retries=0
    )
    try:
        secret = client.realtime.client_secrets.create(
            session={"type": "realtime", "model": "gpt-realtime"}
        )
    finally:
        client.close()
    assert secret.value.startswith("ek_")
    assert secret.session.model == "gpt-realtime"


def test_the_sdk_sees_a_401_with_a_wrong_token(serve: StartServe) -> None:
    server = serve(policy=ServePolicy(token="sdk-token-0123456789abcdef"))
    client = openai.OpenAI(api_key="wrong", base_url=server.url + "/v1", max_retries=0)
    try:
        with pytest.raises(openai.AuthenticationError):
            client.realtime.client_secrets.create(
                session={"type": "realtime", "model": "gpt-realtime"}
            )
    finally:
        client.close()
