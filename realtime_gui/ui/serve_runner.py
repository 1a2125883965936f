"""The window's token server, run by the worker: the jobs, their answers and the runner."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.endpoint import Connection
from ..core.errors import RealtimeGuiError
from ..core.session import SessionConfig

if TYPE_CHECKING:
    from ..core.serve import ServeEvent, ServeServer

__all__ = [
    "SERVE_HOST",
    "ServeDefaults",
    "ServeRunner",
    "ServeSession",
    "ServeSessionApplied",
    "ServeStart",
    "ServeStartFailed",
    "ServeStarted",
]

# The window serves loopback only: a token on the network is the CLI's explicit choice.
SERVE_HOST = "127.0.0.1"


@dataclass(frozen=True)
class ServeDefaults:
    """What the panel shows before the first start: the default allowed origins."""

    origins: tuple[str, ...]


@dataclass(frozen=True)
class ServeStart:
    """Start serving this session; the key is looked up on the worker, never passed here."""

    job_id: int
    config: SessionConfig
    connection: Connection
    profile: str
    port: int
    origins: tuple[str, ...]
    require_token: bool


@dataclass(frozen=True)
class ServeStarted:
    """The server listens at ``url``; ``token`` is the bearer token (None: not required)."""

    job_id: int
    url: str
    token: str | None = field(repr=False)


@dataclass(frozen=True)
class ServeStartFailed:
    job_id: int
    error: RealtimeGuiError


@dataclass(frozen=True)
class ServeSession:
    """Serve this session from the next request on."""

    config: SessionConfig
    connection: Connection


@dataclass(frozen=True)
class ServeSessionApplied:
    """Whether the server took the session; on an error it keeps serving the last one."""

    config: SessionConfig
    error: RealtimeGuiError | None = None


class ServeRunner:
    """Owns at most one ``ServeServer``; every method but ``stop_in_background`` runs on
    the worker thread. ``core.serve`` (uvicorn, starlette) is imported here, on first use.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ServeServer | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def serving(self) -> bool:
        with self._lock:
            return self._server is not None

    def load(self) -> ServeDefaults:
        """Import the server stack (about 100 ms, so never on the GUI thread)."""
        from ..core.serve import allowed_origins

        return ServeDefaults(tuple(str(rule) for rule in allowed_origins([])))

    def start(
        self, job: ServeStart, api_key: str, emit: Callable[[ServeEvent], None]
    ) -> ServeStarted:
        """Start a server for ``job`` (stopping a running one first); raises what core raises."""
        from ..core.serve import ServePolicy, ServeServer, new_token
        from ..core.serve.policy import parse_origin

        self.stop()
        origins = tuple(dict.fromkeys(parse_origin(origin) for origin in job.origins))
        policy = ServePolicy(origins=origins, token=new_token() if job.require_token else None)
        server = ServeServer(
            job.config,
            job.connection,
            api_key,
            policy=policy,
            host=SERVE_HOST,
            port=job.port,
            profile=job.profile,
        )
        unsubscribe = server.subscribe(emit)
        server.start()
        with self._lock:
            self._server, self._unsubscribe = server, unsubscribe
        return ServeStarted(job.job_id, server.url, server.token)

    def set_session(self, session: ServeSession) -> ServeSessionApplied:
        with self._lock:
            server = self._server
        if server is None:
            return ServeSessionApplied(session.config)
        try:
            server.set_session(session.config, session.connection)
        except RealtimeGuiError as exc:  # InvalidInput: the server keeps the last session
            return ServeSessionApplied(session.config, exc)
        return ServeSessionApplied(session.config)

    def stop(self) -> None:
        """Stop the server (up to about 1 s); a no-op when none runs."""
        server = self._take()
        if server is not None:
            server.stop()

    def stop_in_background(self) -> threading.Thread | None:
        """Stop the server on a thread of its own: for the GUI thread, which must not wait.

        Not a daemon: Python joins it before exiting, so the port and the server thread are
        released before the process ends rather than torn down half-way.
        """
        server = self._take()
        if server is None:
            return None
        thread = threading.Thread(target=server.stop, name="realtime-gui-serve-stop")
        thread.start()
        return thread

    def _take(self) -> ServeServer | None:
        with self._lock:
            server, unsubscribe = self._server, self._unsubscribe
            self._server = self._unsubscribe = None
        if unsubscribe is not None:
            # Events stop here: the worker that relays them may be gone before the server.
            unsubscribe()
        return server
