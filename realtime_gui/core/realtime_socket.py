"""One Realtime WebSocket for the connection test: open it, read events, map every failure."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import __version__
from .errors import (
    ApiError,
    ConnectionFailed,
    InvalidInput,
    RateLimited,
    RealtimeClosed,
    RealtimeDropped,
    RealtimeErrorEvent,
    RealtimeGuiError,
    RequestTimeout,
    TlsError,
    UnusableResponse,
    UpstreamError,
)
from .session import ApiShape

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

__all__ = ["RealtimeSocket"]

# The close handshake is a courtesy once the test has its answer; never wait long for it.
_CLOSE_TIMEOUT = 2.0
# Text events are small; audio is never asked for (the test asks for text output only).
_MAX_MESSAGE = 16 * 1024 * 1024
_DELTAS = ("response.output_text.delta", "response.text.delta")  # GA, Beta
# websockets logs every handshake header at DEBUG, the secret's Authorization among them; its
# records go through this logger, which never passes DEBUG on, whatever the root logger says.
_LOG = logging.getLogger("realtime_gui.realtime_socket")
_LOG.setLevel(logging.INFO)
_TIMEOUT_HINT = "Check the network, or allow more time (--connect-timeout)."
_UPGRADE_HINTS = {
    401: "The client secret was not accepted: it may have expired or "
    "belong to another base URL or provider.",
}


class RealtimeSocket:
    """The WebSocket at ``url``, authorised by ``header``; nothing in it is ever logged.

    ``secrets`` are masked out of anything the server sends back before it reaches an error;
    ``track`` receives each socket so that a cancel from another thread can shut it down;
    ``cancelled`` ends a DNS lookup or connect still under way.
    """

    def __init__(
        self,
        url: str,
        header: tuple[str, str],
        *,
        secrets: tuple[str, ...],
        track: Callable[[socket.socket], None],
        cancelled: Callable[[], bool],
    ) -> None:
        self.url = url
        self._header = header
        self._secrets = tuple(s for s in secrets if s)
        self._track = track
        self._cancelled = cancelled
        self.host = urlsplit(url).netloc

    # -- opening --------------------------------------------------------------------------
    @contextlib.contextmanager
    def open(self, deadline: float, budget: float) -> Iterator[ClientConnection]:
        """The open connection, closed (briefly) on the way out; raises a RealtimeGuiError."""
        try:
            ws = self._connect(deadline)
        except Exception as exc:
            raise self._failure(exc, "opening the Realtime WebSocket", budget) from None
        try:
            yield ws
        finally:
            with contextlib.suppress(Exception):  # the answer is in; a failed close changes nothing
                ws.close()

    def _connect(self, deadline: float) -> ClientConnection:
        from websockets.proxy import get_proxy
        from websockets.sync.client import connect
        from websockets.uri import parse_uri

        from .client import _ConnectAttempt

        ws_uri = parse_uri(self.url)
        sock: socket.socket | None = None
        # Through a proxy websockets connects itself (bounded by open_timeout); directly, DNS
        # and connect run on a helper thread so that a cancel or the deadline also end them.
        if get_proxy(ws_uri) is None:
            timeout = max(deadline - time.monotonic(), 0.001)
            attempt = _ConnectAttempt(
                lambda: socket.create_connection((ws_uri.host, ws_uri.port), timeout=timeout)
            )
            sock = attempt.wait(timeout, self._cancelled)
            # A duplicate of the descriptor: TLS detaches the original, shutdown() on this
            # one still ends the same connection.
            self._track(sock.dup())
        ws = connect(
            self.url,
            sock=sock,
            additional_headers=[self._header],
            user_agent_header=f"realtime-gui/{__version__}",
            compression=None,
            open_timeout=max(deadline - time.monotonic(), 0.001),
            ping_interval=None,
            close_timeout=_CLOSE_TIMEOUT,
            max_size=_MAX_MESSAGE,
            logger=_LOG,
            legacy=True,
        )
        if sock is None:
            self._track(ws.socket.dup())
        return ws

    # -- events ---------------------------------------------------------------------------
    def await_session(
        self, ws: ClientConnection, deadline: float, budget: float
    ) -> Mapping[str, Any]:
        """The session of ``session.created``; an ``error`` event before it is raised."""
        try:
            while True:
                event = self._next_event(ws, deadline)
                kind = event.get("type")
                if kind == "session.created":
                    session = event.get("session")
                    if not isinstance(session, dict):
                        raise UnusableResponse("session.created carried no session object.")
                    masked: dict[str, Any] = self._mask_tree(session)
                    return masked
        except RealtimeGuiError:
            raise
        except TimeoutError:
            raise RequestTimeout(
                f"No session.created from {self.host} within {budget:g} s.", hint=_TIMEOUT_HINT
            ) from None
        except Exception as exc:
            raise self._failure(exc, "waiting for session.created", budget) from None

    def converse(self, ws: ClientConnection, text: str, api: ApiShape, budget: float) -> str:
        """Say ``text`` as the user, ask for a text response, return it assembled."""
        item = {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": text}],
        }
        output = {"output_modalities": ["text"]} if api is ApiShape.GA else {"modalities": ["text"]}
        deadline = time.monotonic() + budget
        parts: list[str] = []
        try:
            ws.send(json.dumps({"type": "conversation.item.create", "item": item}))
            ws.send(json.dumps({"type": "response.create", "response": output}))
            while True:
                event = self._next_event(ws, deadline)
                kind = event.get("type")
                if kind in _DELTAS and isinstance(event.get("delta"), str):
                    parts.append(event["delta"])
                elif kind == "response.done":
                    self._check_response(event)
                    return self._mask("".join(parts))
        except RealtimeGuiError:
            raise
        except TimeoutError:
            raise RequestTimeout(
                f"No complete reply from {self.host} within {budget:g} s.",
                hint="The session opened; the model did not finish answering in time.",
            ) from None
        except Exception as exc:
            raise self._failure(exc, "waiting for the reply", budget) from None

    def _next_event(self, ws: ClientConnection, deadline: float) -> dict[str, Any]:
        """The next server event before ``deadline`` (TimeoutError after); ``error`` is raised."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        event = _loads(ws.recv(timeout=remaining))
        if event.get("type") == "error":
            raise self._error_event(event)
        return event

    def _check_response(self, event: Mapping[str, Any]) -> None:
        response = event.get("response")
        if not isinstance(response, dict) or response.get("status") != "failed":
            return
        details = response.get("status_details")
        error = details.get("error") if isinstance(details, dict) else None
        raise self._error_event({"error": error if isinstance(error, dict) else {}}, "response")

    def _error_event(self, event: Mapping[str, Any], what: str = "error event") -> ApiError:
        error = event.get("error")
        error = error if isinstance(error, dict) else {}

        def text(key: str) -> str | None:
            value = error.get(key)
            return self._mask(value) if isinstance(value, str) else None

        upstream = UpstreamError(
            0, text("message"), text("type"), text("code"), text("param")
        )  # fmt: skip
        label = f" {upstream.code}" if upstream.code else ""
        message = (
            f"The Realtime server sent an error event{label}."
            if what == "error event"
            else f"The response failed{label}."
        )
        return RealtimeErrorEvent(
            message, upstream=upstream, raw_body=self._mask(json.dumps(event, indent=2))
        )

    # -- failures -------------------------------------------------------------------------
    def _failure(self, exc: Exception, during: str, budget: float) -> RealtimeGuiError:
        """The user-facing error for ``exc`` raised while ``during``."""
        import httpcore
        from websockets.exceptions import (
            ConnectionClosed,
            InvalidHandshake,
            InvalidMessage,
            InvalidStatus,
            InvalidURI,
        )

        host = self.host
        if isinstance(exc, RealtimeGuiError):
            return exc
        if isinstance(exc, InvalidStatus):
            return self._refused(exc.response.status_code, bytes(exc.response.body or b""))
        if isinstance(exc, ConnectionClosed):
            close = exc.rcvd
            if close is None:
                return RealtimeDropped(
                    f"The connection to {host} was dropped while {during}, without a close "
                    "frame (abnormal closure, 1006)."
                )
            reason = self._mask(close.reason)
            said = f" and reason “{reason}”" if reason else " and no reason"
            return RealtimeClosed(
                f"The server closed the connection while {during}: code {close.code}{said}.",
                close_code=close.code,
                close_reason=reason,
            )
        if isinstance(exc, (TimeoutError, httpcore.ConnectTimeout)):
            return RequestTimeout(
                f"Timed out after {budget:g} s {during} at {host}.", hint=_TIMEOUT_HINT
            )
        if isinstance(exc, InvalidURI):
            return InvalidInput.single("base_url", f"does not give a WebSocket URL: {exc}")
        if isinstance(exc, InvalidMessage):
            return ConnectionFailed(f"{host} ended the connection while {during}.")
        if isinstance(exc, InvalidHandshake):
            return UnusableResponse(
                f"{host} did not accept the WebSocket upgrade: {self._mask(str(exc))}",
                hint="Check the base URL: it should point at the API.",
            )
        if isinstance(exc, ssl.SSLCertVerificationError):
            reason = exc.verify_message or exc.reason or str(exc)
            return TlsError(f"TLS verification failed for {host}: {reason}.")
        if isinstance(exc, ssl.SSLError):
            return TlsError(f"The TLS handshake with {host} failed: {exc.reason or exc}.")
        if isinstance(exc, (OSError, httpcore.ConnectError)):
            detail = self._mask(str(exc)) or type(exc).__name__
            return ConnectionFailed(f"Could not connect to {host}: {detail}")
        return ConnectionFailed(f"The connection to {host} failed while {during}.")

    def _refused(self, status: int, body: bytes) -> ApiError:
        from .responses import error_from_response

        for secret in self._secrets:
            body = body.replace(secret.encode(), b"[redacted]")
        error = error_from_response(ApiShape.GA, status, body, now=time.time())
        message = f"The Realtime WebSocket at {self.host} refused the connection (HTTP {status})."
        hint = _UPGRADE_HINTS.get(status, error.hint)
        common: dict[str, Any] = {
            "status": status, "hint": hint, "upstream": error.upstream, "raw_body": error.raw_body
        }  # fmt: skip
        if isinstance(error, RateLimited):
            return RateLimited(message, retry_after=error.retry_after, **common)
        return type(error)(message, **common)

    def _mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def _mask_tree(self, node: Any) -> Any:
        if isinstance(node, dict):
            return {key: self._mask_tree(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self._mask_tree(value) for value in node]
        return self._mask(node) if isinstance(node, str) else node


def _loads(text: str | bytes) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}
