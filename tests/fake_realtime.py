"""The Realtime side of the fake API: the WebSocket at /v1/realtime and WebRTC calls at /v1/realtime/calls.

It knows the secrets the fake minted and redeems each one once, as the GA API now does: a
second connection with the same ``ek_`` gets an ``error`` event ``ephemeral_token_already_used``.
The WebSocket speaks the real protocol through ``websockets``' sans-I/O ``ServerProtocol`` on
the fake's own socket, so the official clients, Chromium and our own client all talk to it.

What the next connection does is ``realtime.mode``:

==========  ====================================================================================
``ok``      ``session.created``, then a text reply to ``response.create`` (deltas, then done)
``reject``  the upgrade is refused with ``upgrade_status`` (401 by default) and a JSON error
``error``   an ``error`` event (``error_code``, ``error_message``), then close 4000
``hang``    the upgrade succeeds and nothing is ever sent
``close``   a close frame (``close_code``, ``close_reason``) instead of ``session.created``
``drop``    ``session.created``, then the TCP connection is cut at the first client message
==========  ====================================================================================
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.server import ServerProtocol
from websockets.typing import Subprotocol

WEBSOCKET_PATHS = ("/v1/realtime", "/openai/v1/realtime")
CALLS_PATHS = ("/v1/realtime/calls", "/openai/v1/realtime/calls")
INSECURE_KEY_PREFIX = "openai-insecure-api-key."
MODES = ("ok", "reject", "error", "hang", "close", "drop")


@dataclass
class IssuedSecret:
    """A secret the fake minted: the session it carries and whether it was used."""

    value: str = field(repr=False)
    session: dict[str, Any]
    expires_at: int
    used: bool = False


@dataclass
class RealtimeConnection:
    """One WebSocket connection as the server saw it."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str] = field(repr=False)
    offered_subprotocols: list[str] = field(repr=False)
    selected_subprotocol: str | None
    credential: str | None = field(default=None, repr=False)  # the ek_ (or key) it used
    received: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    outcome: str = "open"


@dataclass
class WebRtcCall:
    """One ``POST .../realtime/calls`` as the server saw it."""

    path: str
    query: str
    headers: dict[str, str] = field(repr=False)
    sdp: str = field(repr=False)
    credential: str | None = field(default=None, repr=False)
    status: int = 0


class RealtimeSide:
    """Secrets issued, the mode for the next connection, and what connected."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.mode = "ok"
        self.upgrade_status = 401
        self.error_code = "beta_api_shape_disabled"
        self.error_message = "The beta API shape is no longer supported."
        self.close_code = 1011
        self.close_reason = "upstream session ended"
        self.connections: list[RealtimeConnection] = []
        self.calls: list[WebRtcCall] = []
        self._secrets: dict[str, IssuedSecret] = {}
        self._lock = threading.Lock()

    # -- secrets ----------------------------------------------------------------------
    def issue(self, value: str, session: dict[str, Any], expires_at: int) -> None:
        with self._lock:
            self._secrets[value] = IssuedSecret(value, session, expires_at)

    def issued(self) -> list[IssuedSecret]:
        with self._lock:
            return list(self._secrets.values())

    def _redeem(self, credential: str | None) -> tuple[IssuedSecret | None, str | None]:
        """The secret and, when it cannot start a session, the error code why."""
        if credential is None:
            return None, "missing_api_key"
        if credential == self.api_key:  # a real key may connect too, with a default session
            return IssuedSecret(credential, _default_session(), int(time.time()) + 600), None
        with self._lock:
            issued = self._secrets.get(credential)
            if issued is None:
                return None, "invalid_api_key"
            if issued.expires_at < time.time():
                return issued, "ephemeral_token_expired"
            if issued.used:
                return issued, "ephemeral_token_already_used"
            issued.used = True
            return issued, None

    # -- WebSocket --------------------------------------------------------------------
    def handle_websocket(self, handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        split = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        offered = [
            p.strip()
            for value in handler.headers.get_all("Sec-WebSocket-Protocol") or []
            for p in value.split(",")
            if p.strip()
        ]
        credential = _bearer(headers) or headers.get("api-key")
        for proto in offered:
            if proto.startswith(INSECURE_KEY_PREFIX):
                credential = credential or proto[len(INSECURE_KEY_PREFIX) :]
        selected = "realtime" if "realtime" in offered else None
        record = RealtimeConnection(
            split.path, parse_qs(split.query), headers, offered, selected, credential
        )
        self.connections.append(record)
        mode = self.mode
        issued, problem = self._redeem(credential)
        if mode == "reject" or problem in ("missing_api_key", "invalid_api_key"):
            status = self.upgrade_status if mode == "reject" else 401
            code = problem or ("invalid_api_key" if status == 401 else "forbidden")
            record.outcome = f"rejected {status}"
            _send_http_error(handler, status, _upgrade_message(code), code)
            return
        protocol = ServerProtocol(
            subprotocols=[Subprotocol("realtime")] if selected else None,
            select_subprotocol=(lambda _p, _offered: Subprotocol("realtime")) if selected else None,
        )
        # The handler already read the request; replay it so the protocol parses it itself
        # and moves on to frames.
        head = f"GET {handler.path} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in handler.headers.items()
        )
        protocol.receive_data((head + "\r\n").encode("latin-1"))
        (request,) = protocol.events_received()
        assert isinstance(request, Request)
        response = protocol.accept(request)
        protocol.send_response(response)
        link = _Link(handler, protocol)
        if not link.flush() or response.status_code != 101:
            record.outcome = f"handshake failed {response.status_code}"
            return
        beta = "openai-beta" in headers or any(p.startswith("openai-beta.") for p in offered)
        if problem is not None or beta or mode == "error":
            code = problem or ("beta_api_shape_disabled" if beta else self.error_code)
            message = _ERROR_MESSAGES.get(code, self.error_message)
            link.send(record, _error_event(code, message))
            link.close(record, 4000 if code != "ephemeral_token_already_used" else 1008, code)
            record.outcome = f"error {code}"
            return
        if mode == "hang":
            record.outcome = "hang"
            link.drain()
            return
        if mode == "close":
            link.close(record, self.close_code, self.close_reason)
            record.outcome = f"closed {self.close_code}"
            return
        assert issued is not None
        session = dict(issued.session, expires_at=issued.expires_at)
        link.send(record, {"type": "session.created", "event_id": _event_id(), "session": session})
        record.outcome = "session"
        self._converse(link, record, drop=mode == "drop")

    def _converse(self, link: _Link, record: RealtimeConnection, *, drop: bool) -> None:
        said = ""
        for text in link.messages():
            if drop:
                record.outcome = "dropped"
                link.cut()
                return
            try:
                event = json.loads(text)
            except ValueError:
                link.send(record, _error_event("invalid_json", "The event is not valid JSON."))
                continue
            record.received.append(event)
            kind = event.get("type")
            if kind == "conversation.item.create":
                item = dict(event.get("item") or {}, id="item_" + secrets.token_hex(6))
                said = " ".join(
                    part.get("text", "")
                    for part in item.get("content") or []
                    if part.get("type") == "input_text"
                )
                link.send(record, {"type": "conversation.item.created", "item": item})
            elif kind == "response.create":
                self._reply(link, record, said)
            elif kind == "session.update":
                link.send(record, {"type": "session.updated", "session": event.get("session")})
        if record.outcome == "session":
            record.outcome = "closed by client"

    def _reply(self, link: _Link, record: RealtimeConnection, said: str) -> None:
        response_id = "resp_" + secrets.token_hex(6)
        link.send(record, {"type": "response.created", "response": {"id": response_id}})
        text = f"You said: {said}" if said else "Hello from the fake Realtime API."
        words = text.split(" ")
        for i, word in enumerate(words):
            delta = word if i == 0 else " " + word
            link.send(
                record,
                {"type": "response.output_text.delta", "response_id": response_id, "delta": delta},
            )
        link.send(record, {"type": "response.output_text.done", "text": text})
        link.send(
            record,
            {"type": "response.done", "response": {"id": response_id, "status": "completed"}},
        )

    # -- WebRTC -----------------------------------------------------------------------
    def handle_call(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        split = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        credential = _bearer(headers) or headers.get("api-key")
        call = WebRtcCall(split.path, split.query, headers, raw.decode("utf-8", "replace"))
        call.credential = credential
        self.calls.append(call)
        issued, problem = self._redeem(credential)
        if problem is not None:
            call.status = 401 if problem in ("missing_api_key", "invalid_api_key") else 400
            _send_http_error(handler, call.status, _upgrade_message(problem), problem, cors=True)
            return
        if headers.get("content-type", "").split(";")[0].strip() != "application/sdp":
            call.status = 400
            _send_http_error(
                handler, 400, "Content-Type must be application/sdp.", "invalid_content_type",
                cors=True,
            )  # fmt: skip
            return
        if not call.sdp.startswith("v=0") or "m=audio" not in call.sdp:
            call.status = 400
            _send_http_error(
                handler, 400, "The body is not an SDP offer.", "invalid_sdp", cors=True
            )
            return
        call.status = 201
        assert issued is not None
        answer = _answer_sdp(call.sdp).encode()
        handler.send_response(201)
        handler.send_header("Content-Type", "application/sdp")
        handler.send_header("Location", f"/v1/realtime/calls/rtc_{secrets.token_hex(8)}")
        handler.send_header("Content-Length", str(len(answer)))
        _cors_headers(handler)
        handler.end_headers()
        handler.wfile.write(answer)

    def preflight(self, handler: BaseHTTPRequestHandler) -> None:
        """CORS preflight, as the API answers it for browsers calling /realtime/calls."""
        handler.send_response(204)
        _cors_headers(handler)
        handler.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
        handler.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        handler.send_header("Access-Control-Max-Age", "600")
        handler.send_header("Content-Length", "0")
        handler.end_headers()


class _Link:
    """The socket under one accepted WebSocket, driven through the sans-I/O protocol."""

    def __init__(self, handler: BaseHTTPRequestHandler, protocol: ServerProtocol) -> None:
        self.handler, self.protocol = handler, protocol
        self.sock: socket.socket = handler.connection

    def flush(self) -> bool:
        try:
            for chunk in self.protocol.data_to_send():
                if chunk:
                    self.handler.wfile.write(chunk)
                else:
                    with suppress(OSError):
                        self.sock.shutdown(socket.SHUT_WR)
            self.handler.wfile.flush()
        except OSError:
            return False
        return True

    def send(self, record: RealtimeConnection, event: dict[str, Any]) -> None:
        record.sent.append(event)
        self.protocol.send_text(json.dumps(event).encode())
        self.flush()

    def close(self, record: RealtimeConnection, code: int, reason: str) -> None:
        self.protocol.send_close(code, reason)
        self.flush()
        for _ in self.messages():  # until the client answers the close or goes away
            pass

    def messages(self) -> Any:
        """Yield each text message until the connection ends."""
        while True:
            try:
                data = self.handler.rfile.read1(65536)
            except OSError:
                return
            if not data:
                self.protocol.receive_eof()
                return
            self.protocol.receive_data(data)
            for frame in self.protocol.events_received():
                if isinstance(frame, Frame) and frame.opcode is Opcode.TEXT:
                    yield bytes(frame.data).decode()
            if not self.flush():  # pongs and the close answer
                return
            if self.protocol.close_expected() or self.protocol.state.name == "CLOSED":
                with suppress(OSError):
                    self.handler.rfile.read1(65536)
                return

    def drain(self) -> None:
        for _ in self.messages():
            pass

    def cut(self) -> None:
        """End the TCP connection without a close frame: an abnormal closure for the client."""
        with suppress(OSError):
            self.sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.sock.shutdown(socket.SHUT_RDWR)
        with suppress(OSError):
            self.sock.close()


_ERROR_MESSAGES = {
    "ephemeral_token_already_used": "This ephemeral key has already been used to start a session.",
    "ephemeral_token_expired": "This ephemeral key has expired.",
    "beta_api_shape_disabled": "The beta API shape is no longer supported. Remove the "
    "OpenAI-Beta header and use the GA interface.",
}


def _upgrade_message(code: str) -> str:
    if code == "missing_api_key":
        return "You didn't provide an API key."
    if code == "invalid_api_key":
        return "Incorrect API key provided. The ephemeral key is unknown or was revoked."
    return _ERROR_MESSAGES.get(code, "You are not allowed to start this session.")


def _error_event(code: str, message: str) -> dict[str, Any]:
    return {
        "type": "error",
        "event_id": _event_id(),
        "error": {
            "type": "invalid_request_error",
            "code": code,
            "message": message,
            "param": None,
            "event_id": None,
        },
    }


def _event_id() -> str:
    return "event_" + secrets.token_hex(8)


def _bearer(headers: dict[str, str]) -> str | None:
    value = headers.get("authorization", "")
    return value[len("Bearer ") :] if value.startswith("Bearer ") else None


def _send_http_error(
    handler: BaseHTTPRequestHandler, status: int, message: str, code: str, *, cors: bool = False
) -> None:
    body = json.dumps(
        {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": None,
                "code": code,
            }
        }
    ).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    if cors:
        _cors_headers(handler)
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
    handler.close_connection = True


def _cors_headers(handler: BaseHTTPRequestHandler) -> None:
    origin = handler.headers.get("Origin")
    handler.send_header("Access-Control-Allow-Origin", origin or "*")
    handler.send_header("Access-Control-Expose-Headers", "Location")
    handler.send_header("Vary", "Origin")


def _default_session() -> dict[str, Any]:
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": "sess_" + secrets.token_hex(8),
        "model": "gpt-realtime",
        "output_modalities": ["audio"],
        "audio": {"output": {"voice": "alloy"}},
    }


def _answer_sdp(offer: str) -> str:
    """An answer that mirrors the offer's media sections; enough for the browser to parse."""
    mids = [line.split(":", 1)[1] for line in offer.splitlines() if line.startswith("a=mid:")]
    lines = [
        "v=0",
        f"o=- {secrets.randbelow(10**12)} 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        f"a=group:BUNDLE {' '.join(mids)}" if mids else "",
        "a=msid-semantic: WMS",
    ]
    return "\r\n".join(line for line in lines if line) + "\r\n"
