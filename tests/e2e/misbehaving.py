"""Ways a server can fail, each a scripted answer for FakeRealtimeApi, with what the user sees."""

from __future__ import annotations

import json
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.fake_api import Canned, FakeRealtimeApi, error_body

# Every fault that waits does so for longer than the client's timeout in these tests.
CLIENT_TIMEOUT = 1
STALL = 4.0


@dataclass(frozen=True)
class Fault:
    """One misbehaviour: how to script it, the error class, exit code and message users get."""

    name: str
    script: Callable[[FakeRealtimeApi], None]
    error: str
    exit_code: int
    message: str  # a fragment of what the user is told, verbatim upstream text where any


def _canned(status: int, body: bytes, **headers: str) -> Callable[[FakeRealtimeApi], None]:
    return lambda api: api.then(Canned(status, body, dict(headers)))


def _error(
    status: int, message: str, code: str | None, **headers: str
) -> Callable[[FakeRealtimeApi], None]:
    return _canned(status, error_body(message, code), **headers)


def _slow_headers(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(STALL)


def _stall_mid_body(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b'{"value": "ek_')
    handler.wfile.flush()
    time.sleep(STALL)


def _reset_mid_body(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b'{"value": "ek_partial", "expi')
    handler.wfile.flush()
    # SO_LINGER with a zero timeout turns close() into a TCP reset.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def _behaviour(fn: Callable[[BaseHTTPRequestHandler], None]) -> Callable[[FakeRealtimeApi], None]:
    return lambda api: api.then(fn)


def _expired(api: FakeRealtimeApi) -> None:
    body = {"value": "ek_already_expired", "expires_at": int(time.time()) - 120, "session": {}}
    api.then(Canned(200, json.dumps(body).encode()))


FAULTS = [
    Fault("400-invalid_type", _error(400, "Invalid type for 'session.audio.input.format': expected an object, but got a string instead.", "invalid_type"),
          "BadRequest", 4, "expected an object, but got a string instead"),
    Fault("400-unknown_parameter", _error(400, "Unknown parameter: 'session.temperature'.", "unknown_parameter"),
          "BadRequest", 4, "Unknown parameter: 'session.temperature'."),
    Fault("400-missing_required_parameter", _error(400, "Missing required parameter: 'session.type'.", "missing_required_parameter"),
          "BadRequest", 4, "Missing required parameter: 'session.type'."),
    Fault("400-invalid_model", _error(400, "The model 'gpt-nope' does not exist.", "invalid_model"),
          "BadRequest", 4, "The model 'gpt-nope' does not exist."),
    Fault("400-beta_api_shape_disabled", _error(400, "The beta API shape is no longer supported.", "beta_api_shape_disabled"),
          "BadRequest", 4, "use the GA API"),
    Fault("401", _error(401, "Incorrect API key provided: sk-te***0000.", "invalid_api_key"),
          "AuthenticationFailed", 4, "Incorrect API key provided"),
    Fault("403", _error(403, "Missing scopes: model.request", None),
          "PermissionDenied", 4, "Missing scopes: model.request"),
    Fault("404", _error(404, "Invalid URL (POST /v1/realtime/client_secrets)", None),
          "EndpointNotFound", 4, "--api beta"),
    Fault("429-retry-after", _error(429, "Rate limit reached for requests", "rate_limit_exceeded", **{"Retry-After": "20"}),
          "RateLimited", 4, "Retry in 20 s"),
    Fault("500", _error(500, "The server had an error while processing your request.", "server_error"),
          "ServerError", 4, "The server had an error while processing your request."),
    Fault("503-html", _canned(503, b"<html><body><h1>503 Service Unavailable</h1></body></html>", **{"Content-Type": "text/html"}),
          "ServerError", 4, "The server failed (503)"),
    Fault("malformed-json", _canned(200, b'{"value": "ek_x", "expires_at": '),
          "UnusableResponse", 4, "not a JSON object"),
    Fault("json-without-secret", _canned(200, b'{"expires_at": 1999999999, "session": {}}'),
          "UnusableResponse", 4, "no client secret"),
    Fault("expires-in-the-past", _expired, "UnusableResponse", 4, "had already expired"),
    Fault("10MB-body", _canned(200, b" " * (10 * 1024 * 1024)),
          "UnusableResponse", 4, "cannot be a client secret"),
    Fault("headers-slower-than-timeout", _behaviour(_slow_headers),
          "RequestTimeout", 5, f"Timed out after {CLIENT_TIMEOUT} s"),
    Fault("body-stalls-mid-way", _behaviour(_stall_mid_body),
          "RequestTimeout", 5, f"Timed out after {CLIENT_TIMEOUT} s"),
    Fault("reset-mid-body", _behaviour(_reset_mid_body),
          "ConnectionFailed", 5, "broke before the answer was complete"),
]  # fmt: skip
