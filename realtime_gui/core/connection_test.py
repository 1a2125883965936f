"""The connection test: mint a sibling secret, open the Realtime WebSocket, read session.created."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ConnectionTestCancelled, MintCancelled, RealtimeGuiError
from .realtime_urls import realtime_urls
from .session import ApiShape
from .session_diff import differing_paths

if TYPE_CHECKING:
    from .client import MintClient
    from .endpoint import Connection
    from .request import PreparedRequest

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "REPLY_TIMEOUT",
    "ConnectionTestResult",
    "ConnectionTester",
]

DEFAULT_CONNECT_TIMEOUT = 15.0
# A one-line text reply takes a few seconds; this only bounds a server that never answers.
REPLY_TIMEOUT = 30.0


@dataclass(frozen=True)
class ConnectionTestResult:
    """What one connection test saw; it holds no secret (the sibling secret is dropped)."""

    connect_ms: int  # from the start of the connection up to session.created (monotonic)
    session_id: str | None
    model: str | None
    url: str  # the WebSocket URL (no secret in it)
    session: Mapping[str, Any] = field(repr=False, compare=False)  # from session.created
    requested: Mapping[str, Any] = field(repr=False, compare=False)  # what the mint asked
    reply: str | None = None  # the assembled text reply, when a text was said

    @property
    def differences(self) -> list[str]:
        """Fields granted differently from what was asked, or asked for and missing."""
        return differing_paths(self.requested, self.session)

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` form: connected, connect_ms, session_id, model, session, reply."""
        return {
            "connected": True,
            "connect_ms": self.connect_ms,
            "session_id": self.session_id,
            "model": self.model,
            "session": dict(self.session),
            "reply": self.reply,
            "differences": self.differences,
        }


def _default_client() -> MintClient:
    from .client import MintClient

    return MintClient()


class ConnectionTester:
    """Runs one connection test at a time; ``cancel()`` from any thread ends it at once.

    The secret it connects with is a sibling: minted here with the same request, never the
    one a user was shown, because a secret starts exactly one session.
    """

    def __init__(self, *, client_factory: Callable[[], MintClient] = _default_client) -> None:
        self._client_factory = client_factory
        self._lock = threading.Lock()
        self._cancelled = False
        self._client: MintClient | None = None
        self._sockets: list[socket.socket] = []  # shut down by cancel() to wake a read

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """End the test now: the mint, a DNS lookup or connect, the handshake or a read."""
        with self._lock:
            self._cancelled = True
            client = self._client
            for sock in self._sockets:  # under the lock: see _untrack
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        if client is not None:
            client.cancel()

    def run(
        self,
        prepared: PreparedRequest,
        connection: Connection,
        api_key: str,
        *,
        say: str | None = None,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> ConnectionTestResult:
        """Mint a sibling secret for ``prepared`` and test it; raises a RealtimeGuiError."""
        self._check_cancelled()
        client = self._client_factory()
        with self._lock:
            self._client = client
            cancelled = self._cancelled
        if cancelled:
            client.cancel()
        try:
            minted = client.send(prepared, api_key)  # the mint keeps its own timeout
        except MintCancelled:
            raise ConnectionTestCancelled("The connection test was cancelled.") from None
        finally:
            client.close()
        model = minted.model or _requested_model(prepared)
        return self.connect(
            minted.value,
            prepared,
            connection,
            model=model,
            say=say,
            connect_timeout=connect_timeout,
            redact=(api_key,),
        )

    def connect(
        self,
        secret: str,
        prepared: PreparedRequest,
        connection: Connection,
        *,
        model: str | None,
        say: str | None = None,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        redact: tuple[str, ...] = (),
    ) -> ConnectionTestResult:
        """Open the Realtime WebSocket with ``secret`` (already minted) and test it."""
        from .realtime_socket import RealtimeSocket

        self._check_cancelled()
        url = _websocket_url(connection, prepared.api, model)
        header = (prepared.auth.name, prepared.auth.value(secret))
        link = RealtimeSocket(
            url,
            header,
            secrets=(secret, *redact),
            track=self._track,
            cancelled=lambda: self._cancelled,
        )
        start = time.monotonic()
        try:
            with link.open(start + connect_timeout, connect_timeout) as ws:
                session = link.await_session(ws, start + connect_timeout, connect_timeout)
                connect_ms = round((time.monotonic() - start) * 1000)
                reply = None
                if say is not None:
                    reply = link.converse(ws, say, prepared.api, REPLY_TIMEOUT)
        except RealtimeGuiError:
            self._check_cancelled()
            raise
        finally:
            self._untrack()
        session_id = session.get("id")
        granted_model = session.get("model")
        return ConnectionTestResult(
            connect_ms=connect_ms,
            session_id=session_id if isinstance(session_id, str) else None,
            model=granted_model if isinstance(granted_model, str) else model,
            url=url,
            session=session,
            requested=prepared.requested_session,
            reply=reply,
        )

    def _check_cancelled(self) -> None:
        if self._cancelled:
            raise ConnectionTestCancelled("The connection test was cancelled.")

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            cancelled = self._cancelled
        if cancelled:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _untrack(self) -> None:
        # Closed under the lock: a cancel() racing this must never shut down a descriptor
        # number that has just been closed and handed to another connection.
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets = []


def _requested_model(prepared: PreparedRequest) -> str | None:
    model = prepared.requested_session.get("model")
    return model if isinstance(model, str) and model else None


def _websocket_url(connection: Connection, api: ApiShape, model: str | None) -> str:
    """The WebSocket URL for ``model``; without one (a transcription session) no ``model=``."""
    url = realtime_urls(connection, api, model or "").websocket
    if model:
        return url
    return url.replace("?model=&", "?").removesuffix("?model=").replace("&deployment=", "")
