"""The runner: uvicorn on its own thread and event loop, started, reconfigured and stopped."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..credentials import DEFAULT_PROFILE
from ..endpoint import Connection
from ..errors import InvalidInput, RealtimeGuiError
from ..request import prepare
from ..session import SessionConfig
from .events import ServeEvent
from .minting import Minter
from .policy import ServePolicy, is_loopback
from .routes import TokenApp

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "ServeFailed", "ServeServer"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
MINT_WORKERS = 10
_START_TIMEOUT = 10.0
_POLL = 0.01

# uvicorn's own loggers would print "Invalid HTTP request received." and the like; the
# request log (ServeEvent) is the one record of what happened.
for _name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


class ServeFailed(RealtimeGuiError):
    """The token endpoint could not start (the port is in use, or cannot be bound)."""

    exit_code = 1


def _timed_protocol(header_timeout: float) -> type[H11Protocol]:
    """h11 with a deadline for each request's headers (uvicorn has none: slow clients)."""

    class TimedH11Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(header_timeout, self._expire)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            # Only while waiting for headers: a request being answered has its own limits.
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return TimedH11Protocol


class ServeServer:
    """A local token endpoint: ``start()``, ``url``, ``token``, ``set_session()``, ``stop()``.

    Every method is safe to call from any thread; the server runs on its own thread.
    """

    def __init__(
        self,
        config: SessionConfig,
        connection: Connection,
        api_key: str,
        *,
        policy: ServePolicy | None = None,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        profile: str = DEFAULT_PROFILE,
    ) -> None:
        self.policy = policy or ServePolicy()
        if not is_loopback(host) and self.policy.token is None:
            # A token is what stands between the key and the network: never without one.
            raise InvalidInput.single("host", f"{host} is not loopback; a token is required")
        self.host = host
        self._requested_port = port
        self._config, self._connection = config, connection
        self._api_key = api_key
        self._profile = profile  # named in the history records of its mints
        prepare(config, connection)  # invalid input fails here, before any port is taken
        self._listeners: list[Callable[[ServeEvent], None]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._server: uvicorn.Server | None = None
        self._minter: Minter | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._port = 0
        self._failure: BaseException | None = None

    def __repr__(self) -> str:
        return f"ServeServer(host={self.host!r}, port={self._port}, running={self.running})"

    # -- what a window reads ------------------------------------------------------
    @property
    def token(self) -> str | None:
        return self.policy.token

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def subscribe(self, listener: Callable[[ServeEvent], None]) -> Callable[[], None]:
        """Call ``listener`` (on the server thread) for every answered request.

        Returns a function that unsubscribes it. A listener that raises is ignored.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def set_session(self, config: SessionConfig, connection: Connection) -> None:
        """Serve this session from the next request on; InvalidInput keeps the old one."""
        prepare(config, connection)  # raises InvalidInput before anything changes
        with self._lock:
            self._config, self._connection = config, connection
            minter = self._minter
        if minter is not None:
            minter.set_session(config, connection)

    def set_api_key(self, api_key: str) -> None:
        with self._lock:
            self._api_key = api_key
            minter = self._minter
        if minter is not None:
            minter.set_api_key(api_key)

    # -- life cycle -----------------------------------------------------------------
    def start(self) -> ServeServer:
        """Bind, start the server thread and return once it accepts connections.

        Raises ServeFailed (port in use, cannot bind) without leaving anything running.
        """
        if self.running:
            return self
        sock = self._bind()
        self._port = int(sock.getsockname()[1])
        with self._lock:
            minter = Minter(self._config, self._connection, self._api_key, profile=self._profile)
            self._minter = minter
        executor = ThreadPoolExecutor(MINT_WORKERS, thread_name_prefix="realtime-gui-serve-mint")
        app = TokenApp(
            policy=self.policy,
            minter=minter,
            bound_host=self.host,
            port=lambda: self._port,
            executor=executor,
            emit=self._emit,
        )
        config = uvicorn.Config(
            app,
            http=_timed_protocol(self.policy.header_timeout),
            ws="none",
            lifespan="off",
            interface="asgi3",
            log_config=None,
            access_log=False,
            server_header=False,
            date_header=True,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=1,
            h11_max_incomplete_event_size=16 * 1024,
        )
        server = uvicorn.Server(config)
        self._server, self._executor, self._failure = server, executor, None
        thread = threading.Thread(
            target=self._run, args=(server, sock), name="realtime-gui-serve", daemon=True
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(_POLL)
        if not server.started:
            self.stop()
            sock.close()
            raise ServeFailed(f"The token server on port {self._port} did not start.")
        return self

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            infos = socket.getaddrinfo(self.host, self._requested_port, family, socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise InvalidInput.single("host", f"cannot be resolved: {exc.strerror}") from None
        # IPPROTO_TCP by name: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
        # proto says TCP, and connections inherit proto 0 from a plain socket(). With Nagle
        # on, every reply on a kept-alive connection waited ~40 ms for a delayed ACK.
        sock = socket.socket(infos[0][0], socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(infos[0][4])
            sock.listen(128)
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            where = f"{self.host}:{self._requested_port}"
            if exc.errno == errno.EADDRINUSE:
                raise ServeFailed(
                    f"Port {self._requested_port} is already in use ({where}).",
                    hint="Stop what uses it, or pick another port (--port N; 0 picks a free one).",
                ) from None
            raise ServeFailed(f"Cannot listen on {where}: {exc.strerror or exc}.") from None
        return sock

    def _run(self, server: uvicorn.Server, sock: socket.socket) -> None:
        # Our own loop, and serve() rather than run(): no signal handlers off the main
        # thread (uvicorn installs none there), and the caller owns Ctrl+C.
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(server.serve(sockets=[sock]))
        except BaseException as exc:  # kept for stop(); a thread must not die loudly
            self._failure = exc
        finally:
            sock.close()
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop serving and release the port, threads and connections; idempotent."""
        server, thread = self._server, self._thread
        minter, executor = self._minter, self._executor
        if server is not None:
            server.should_exit = True
        if minter is not None:
            minter.cancel()  # in-flight mints end now instead of holding the shutdown
        if thread is not None:
            thread.join(timeout)
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if minter is not None:
            minter.close()
        self._server = self._thread = self._minter = self._executor = None

    def _emit(self, event: ServeEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            with contextlib.suppress(Exception):
                listener(event)
