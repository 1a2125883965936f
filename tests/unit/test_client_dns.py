"""A DNS lookup that never answers neither outlives the timeout nor blocks a cancel."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from realtime_gui.core.client import MintClient
from realtime_gui.core.endpoint import Connection, MintRequest
from realtime_gui.core.errors import MintCancelled, RequestTimeout
from realtime_gui.core.session import ApiShape, SessionConfig
from tests.doubles import API_KEY

SLOW_HOST = "unanswered.localhost"
CONFIG = SessionConfig(api=ApiShape.GA, model="gpt-realtime")


@pytest.fixture
def stuck_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """getaddrinfo() for SLOW_HOST blocks until the test ends, as a dead resolver does."""
    entered = threading.Event()
    release = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == SLOW_HOST:
            entered.set()
            release.wait(60)
            raise socket.gaierror(socket.EAI_AGAIN, "resolver released by the test")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield entered
    release.set()  # the helper thread ends now instead of lingering into later tests


def _request(timeout: float) -> MintRequest:
    connection = Connection(base_url=f"http://{SLOW_HOST}:9/v1", timeout=timeout)
    return MintRequest(CONFIG, connection)


def test_the_connect_timeout_also_bounds_the_dns_lookup(stuck_resolver: threading.Event) -> None:
    with MintClient() as client, pytest.raises(RequestTimeout) as caught:
        client.mint(_request(timeout=0.5), API_KEY)
    assert stuck_resolver.is_set()
    assert "connecting to" in caught.value.user_message


def test_cancel_ends_a_mint_stuck_in_the_dns_lookup(stuck_resolver: threading.Event) -> None:
    client = MintClient()
    outcome: list[BaseException] = []

    def mint() -> None:
        try:
            client.mint(_request(timeout=60), API_KEY)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=mint)
    worker.start()
    assert stuck_resolver.wait(10)
    client.cancel()
    worker.join(10)  # the resolver stays stuck for 60 s: only the cancel can end this
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], MintCancelled)
    client.close()
