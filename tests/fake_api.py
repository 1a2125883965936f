"""A real HTTP server on 127.0.0.1 that speaks both client-secret endpoints as documented.

It checks the auth header and the body shape the way the API does (formats as objects in
GA, one output modality, no temperature in GA, no OpenAI-Beta header) and can be told to
answer with any error. Run it by hand with ``python -m tests.fake_api --port 8787``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

GA_PATH = "/v1/realtime/client_secrets"
BETA_PATH = "/v1/realtime/sessions"
AZURE_PREVIEW_PATH = "/openai/realtimeapi/sessions"
AZURE_GA_PATH = "/openai/v1/realtime/client_secrets"

GA_VOICES = {
    "alloy",
    "ash",
    "ballad",
    "coral",
    "echo",
    "sage",
    "shimmer",
    "verse",
    "marin",
    "cedar",
}
GA_SESSION_KEYS = {
    "type", "model", "instructions", "output_modalities", "audio", "tools", "tool_choice",
    "max_output_tokens", "tracing", "truncation", "prompt", "include", "reasoning",
}  # fmt: skip
TRANSCRIPTION_SESSION_KEYS = {"type", "audio", "include"}
BETA_KEYS = {
    "model", "modalities", "instructions", "voice", "input_audio_format", "output_audio_format",
    "input_audio_transcription", "turn_detection", "input_audio_noise_reduction", "tools",
    "tool_choice", "temperature", "max_response_output_tokens", "speed", "tracing",
    "client_secret",
}  # fmt: skip
BETA_FORMATS = {"pcm16", "g711_ulaw", "g711_alaw"}


class ApiRejection(Exception):
    """An error answer, as the API would send it."""

    def __init__(
        self, status: int, message: str, code: str | None, param: str | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param

    def body(self) -> dict[str, Any]:
        kind = "invalid_request_error" if self.status < 500 else "server_error"
        return {
            "error": {
                "message": self.message,
                "type": kind,
                "param": self.param,
                "code": self.code,
            }
        }


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any


@dataclass
class Canned:
    """A scripted answer: a status, raw bytes and headers, sent instead of the normal one."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


# A scripted behaviour gets the handler and does whatever it wants with the socket.
Behaviour = Callable[[BaseHTTPRequestHandler], None]


def error_body(message: str, code: str | None, param: str | None = None) -> bytes:
    kind = "invalid_request_error"
    return json.dumps(
        {"error": {"message": message, "type": kind, "param": param, "code": code}}
    ).encode()


class FakeRealtimeApi:
    """The server, its expected key, what it received, and what it should do next."""

    def __init__(self, api_key: str, *, beta_disabled: bool = False, port: int = 0) -> None:
        self.api_key = api_key
        self.beta_disabled = beta_disabled
        self.requests: list[Recorded] = []
        self._script: list[Canned | Behaviour] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def azure_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/openai/v1"

    def start(self) -> FakeRealtimeApi:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def then(self, answer: Canned | Behaviour) -> None:
        """Answer the next request with ``answer`` instead of a normal mint."""
        with self._lock:
            self._script.append(answer)

    def then_error(
        self,
        status: int,
        message: str = "",
        code: str | None = None,
        *,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.then(Canned(status, error_body(message, code, param), headers or {}))

    def _next_scripted(self) -> Canned | Behaviour | None:
        with self._lock:
            return self._script.pop(0) if self._script else None

    # -- the documented behaviour ---------------------------------------------------
    def _check_auth(self, headers: dict[str, str], *, azure: bool) -> None:
        supplied = headers.get("api-key") if azure else None
        bearer = headers.get("authorization", "")
        if supplied is None and bearer.startswith("Bearer "):
            supplied = bearer[len("Bearer ") :]
        if supplied != self.api_key:
            shown = f"{supplied[:3]}***{supplied[-4:]}" if supplied else "none"
            raise ApiRejection(
                401,
                f"Incorrect API key provided: {shown}. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                "invalid_api_key",
            )

    def answer(self, path: str, query: str, headers: dict[str, str], body: Any) -> dict[str, Any]:
        if "openai-beta" in headers:
            raise ApiRejection(
                400,
                "The OpenAI-Beta header is not supported on this endpoint.",
                "beta_api_shape_disabled",
            )
        if path in (GA_PATH, AZURE_GA_PATH):
            self._check_auth(headers, azure=path == AZURE_GA_PATH)
            if "api-version" in query:
                raise ApiRejection(401, "api-version is not supported on /openai/v1.", None)
            return self._mint_ga(body)
        if path in (BETA_PATH, AZURE_PREVIEW_PATH):
            self._check_auth(headers, azure=path == AZURE_PREVIEW_PATH)
            if path == AZURE_PREVIEW_PATH and "api-version=" not in query:
                raise ApiRejection(400, "Missing required query parameter api-version.", None)
            if self.beta_disabled:
                raise ApiRejection(
                    400,
                    "The beta API shape is no longer supported. Use /v1/realtime/client_secrets.",
                    "beta_api_shape_disabled",
                )
            return self._mint_beta(body)
        raise ApiRejection(404, f"Invalid URL (POST {path})", None)

    def _mint_ga(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiRejection(400, "The body must be a JSON object.", "invalid_type")
        unknown = set(body) - {"expires_after", "session"}
        if unknown:
            name = sorted(unknown)[0]
            raise ApiRejection(400, f"Unknown parameter: '{name}'.", "unknown_parameter", name)
        seconds = 600
        if "expires_after" in body:
            expires = body["expires_after"]
            if not isinstance(expires, dict) or expires.get("anchor") != "created_at":
                raise ApiRejection(
                    400, "Invalid 'expires_after'.", "invalid_value", "expires_after"
                )
            seconds = expires.get("seconds")
            if not isinstance(seconds, int) or not 10 <= seconds <= 7200:
                raise ApiRejection(
                    400,
                    "expires_after.seconds must be between 10 and 7200.",
                    "invalid_value",
                    "expires_after.seconds",
                )
        session = body.get("session")
        if not isinstance(session, dict):
            raise ApiRejection(
                400, "Missing required parameter: 'session'.", "missing_required_parameter"
            )
        kind = session.get("type")
        allowed = TRANSCRIPTION_SESSION_KEYS if kind == "transcription" else GA_SESSION_KEYS
        if kind not in ("realtime", "transcription"):
            raise ApiRejection(
                400, "Invalid value for 'session.type'.", "invalid_value", "session.type"
            )
        for key in session:
            if key not in allowed:
                raise ApiRejection(
                    400, f"Unknown parameter: 'session.{key}'.", "unknown_parameter",
                    f"session.{key}",
                )  # fmt: skip
        modalities = session.get("output_modalities", ["audio"])
        if modalities not in (["audio"], ["text"]):
            raise ApiRejection(
                400,
                "Invalid modalities: output_modalities must be ['audio'] or ['text'].",
                "invalid_value",
                "session.output_modalities",
            )
        audio = session.get("audio", {})
        for direction in ("input", "output"):
            fmt = audio.get(direction, {}).get("format")
            if fmt is not None and not isinstance(fmt, dict):
                raise ApiRejection(
                    400,
                    f"Invalid type for 'session.audio.{direction}.format': expected an object, "
                    "but got a string instead.",
                    "invalid_type",
                    f"session.audio.{direction}.format",
                )
        voice = audio.get("output", {}).get("voice", "alloy")
        if isinstance(voice, str) and voice not in GA_VOICES:
            raise ApiRejection(
                400, f"Invalid voice '{voice}'.", "invalid_value", "session.audio.output.voice"
            )
        speed = audio.get("output", {}).get("speed")
        if speed is not None and not 0.25 <= speed <= 1.5:
            raise ApiRejection(
                400, "speed out of range.", "invalid_value", "session.audio.output.speed"
            )
        effective: dict[str, Any] = {
            "type": kind,
            "object": "realtime.session"
            if kind == "realtime"
            else "realtime.transcription_session",
            "id": "sess_" + secrets.token_hex(8),
        }
        if kind == "realtime":
            effective.update(
                model=session.get("model", "gpt-realtime"),
                output_modalities=modalities,
                instructions=session.get("instructions", "You are a helpful assistant."),
                max_output_tokens=session.get("max_output_tokens", "inf"),
            )
        effective["audio"] = _merge(
            {
                "input": {
                    "format": {"type": "audio/pcm", "rate": 24000},
                    "transcription": None,
                    "noise_reduction": None,
                    "turn_detection": {"type": "server_vad", "threshold": 0.5},
                },
                **(
                    {
                        "output": {
                            "format": {"type": "audio/pcm", "rate": 24000},
                            "voice": "alloy",
                            "speed": 1.0,
                        }
                    }
                    if kind == "realtime"
                    else {}
                ),
            },
            audio,
        )
        return {
            "value": "ek_" + secrets.token_hex(16),
            "expires_at": int(time.time()) + seconds,
            "session": effective,
        }

    def _mint_beta(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiRejection(400, "The body must be a JSON object.", "invalid_type")
        for key in body:
            if key not in BETA_KEYS:
                raise ApiRejection(400, f"Unknown parameter: '{key}'.", "unknown_parameter", key)
        if "model" not in body:
            raise ApiRejection(
                400, "Missing required parameter: 'model'.", "missing_required_parameter", "model"
            )
        modalities = body.get("modalities", ["text", "audio"])
        if sorted(modalities) not in (["text"], ["audio", "text"]):
            raise ApiRejection(
                400,
                f"Invalid modalities: {modalities}. Supported combinations are: ['text'] and "
                "['audio', 'text'].",
                "invalid_value",
                "modalities",
            )
        for key in ("input_audio_format", "output_audio_format"):
            if key in body and body[key] not in BETA_FORMATS:
                raise ApiRejection(400, f"Invalid value for '{key}'.", "invalid_value", key)
        temperature = body.get("temperature", 0.8)
        if not 0.6 <= temperature <= 1.2:
            raise ApiRejection(400, "temperature out of range.", "decimal_above_max_value")
        seconds = 60
        if "client_secret" in body:
            seconds = body["client_secret"]["expires_after"]["seconds"]
        session = {
            "id": "sess_" + secrets.token_hex(8),
            "object": "realtime.session",
            "model": body["model"],
            "modalities": modalities,
            "instructions": body.get("instructions", ""),
            "voice": body.get("voice", "alloy"),
            "input_audio_format": body.get("input_audio_format", "pcm16"),
            "output_audio_format": body.get("output_audio_format", "pcm16"),
            "input_audio_transcription": body.get("input_audio_transcription"),
            "turn_detection": body.get("turn_detection", {"type": "server_vad"}),
            "tools": body.get("tools", []),
            "tool_choice": body.get("tool_choice", "auto"),
            "temperature": temperature,
            "max_response_output_tokens": body.get("max_response_output_tokens", "inf"),
            "speed": body.get("speed", 1.0),
        }
        return {
            **session,
            "client_secret": {
                "value": "ek_" + secrets.token_hex(16),
                "expires_at": int(time.time()) + seconds,
            },
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean (and free of anything a request carried)

            def do_POST(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                api.requests.append(Recorded("POST", split.path, split.query, headers, body))
                scripted = api._next_scripted()
                if isinstance(scripted, Canned):
                    self._send(scripted.status, scripted.body, scripted.headers)
                    return
                if scripted is not None:
                    scripted(self)
                    return
                try:
                    payload = api.answer(split.path, split.query, headers, body)
                except ApiRejection as rejection:
                    self._send(rejection.status, json.dumps(rejection.body()).encode(), {})
                    return
                self._send(200, json.dumps(payload).encode(), {})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _merge(defaults: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(defaults)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@contextmanager
def running(api_key: str, **options: Any) -> Iterator[FakeRealtimeApi]:
    server = FakeRealtimeApi(api_key, **options).start()
    try:
        yield server
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--key", default="sk-local-test")
    parser.add_argument("--beta-disabled", action="store_true")
    args = parser.parse_args()
    server = FakeRealtimeApi(args.key, beta_disabled=args.beta_disabled, port=args.port)
    print(f"Serving on {server.base_url} (key {args.key!r}); Ctrl+C stops", flush=True)
    with suppress(KeyboardInterrupt):
        server.start()._thread.join()  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
