"""Starting the token endpoint against the fake API, and reading what it logged."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.serve import ServeEvent, ServePolicy, ServeServer
from realtime_gui.core.session import ApiShape, SessionConfig
from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi

GA_CONFIG = SessionConfig(model="gpt-realtime", instructions="Be brief.")
BETA_CONFIG = SessionConfig(api=ApiShape.BETA, model="gpt-realtime")

StartServe = Callable[..., ServeServer]


class Recorder:
    """Every ServeEvent a server emitted, in order."""

    def __init__(self) -> None:
        self.events: list[ServeEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: ServeEvent) -> None:
        with self._lock:
            self.events.append(event)

    def statuses(self) -> list[int]:
        with self._lock:
            return [e.status for e in self.events]


@pytest.fixture
def serve(fake_api: FakeRealtimeApi) -> Iterator[StartServe]:
    """``serve(config=GA_CONFIG, policy=None, host=..., connection=None)``: a running server."""
    started: list[ServeServer] = []

    def start(
        config: SessionConfig = GA_CONFIG,
        *,
        policy: ServePolicy | None = None,
        host: str = "127.0.0.1",
        connection: Connection | None = None,
        api_key: str = TEST_API_KEY,
    ) -> ServeServer:
        server = ServeServer(
            config,
            connection or Connection(base_url=fake_api.base_url),
            api_key,
            policy=policy,
            host=host,
            port=0,
        )
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").exists() else 0


def serve_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("realtime-gui")]
