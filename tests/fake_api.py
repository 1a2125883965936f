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

from tests.fake_realtime import CALLS_PATHS, WEBSOCKET_PATHS, RealtimeSide

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
    # Exactly as received: every header line in order with its own casing, and the body bytes.
    raw_headers: list[tuple[str, str]] = field(default_factory=list, repr=False)
    raw_body: bytes = field(default=b"", repr=False)


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
        self.delay = 0.0  # seconds before every answer
        self.realtime = RealtimeSide(api_key)  # the WebSocket and WebRTC side, same port
        self.pages: dict[str, tuple[str, bytes]] = {}  # GET path -> (content type, bytes)
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
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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

    def _issued(self, payload: dict[str, Any]) -> None:
        """Remember a minted secret so the Realtime side can redeem it once."""
        if "client_secret" in payload:  # Beta: the session is the top level
            secret = payload["client_secret"]
            session = {k: v for k, v in payload.items() if k != "client_secret"}
        else:
            secret, session = payload, payload["session"]
        self.realtime.issue(secret["value"], session, secret["expires_at"])

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
        _check_ga_extras(session, audio)
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
        _check_turn_detection(body.get("turn_detection"), "turn_detection", ga=False)
        _check_tools(body.get("tools"), body.get("tool_choice"), "")
        speed = body.get("speed")
        if speed is not None and not 0.25 <= speed <= 1.5:
            raise _reject("speed", "must be between 0.25 and 1.5")
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
                received = list(self.headers.items())
                recorded = Recorded("POST", split.path, split.query, headers, body, received, raw)
                if split.path in CALLS_PATHS:  # WebRTC: an SDP offer, not a mint
                    api.realtime.handle_call(self, raw)
                    return
                api.requests.append(recorded)
                if api.delay:  # a real upstream's think time (benchmarks)
                    time.sleep(api.delay)
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
                api._issued(payload)
                self._send(200, json.dumps(payload).encode(), {})

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if (
                    path in WEBSOCKET_PATHS
                    and "websocket" in self.headers.get("Upgrade", "").lower()
                ):
                    api.realtime.handle_websocket(self)
                    return
                if path in api.pages:
                    content_type, body = api.pages[path]
                    self._send(200, body, {"Content-Type": content_type})
                    return
                self._send(404, error_body(f"Invalid URL (GET {path})", None), {})

            def do_OPTIONS(self) -> None:
                api.realtime.preflight(self)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _reject(param: str, message: str) -> ApiRejection:
    return ApiRejection(400, f"Invalid value for '{param}': {message}", "invalid_value", param)


def _check_turn_detection(td: Any, param: str, *, ga: bool) -> None:
    if td is None:
        return
    if not isinstance(td, dict) or td.get("type") not in ("server_vad", "semantic_vad"):
        raise _reject(param, "expected server_vad, semantic_vad or null")
    vad = {"threshold", "prefix_padding_ms", "silence_duration_ms", "create_response",
           "interrupt_response", *(("idle_timeout_ms",) if ga else ())}  # fmt: skip
    allowed = {"type", *(vad if td["type"] == "server_vad" else
                         {"eagerness", "create_response", "interrupt_response"})}  # fmt: skip
    for key in td:
        if key not in allowed:
            raise ApiRejection(400, f"Unknown parameter: '{param}.{key}'.", "unknown_parameter")
    if "threshold" in td and not 0 <= td["threshold"] <= 1:
        raise _reject(f"{param}.threshold", "must be between 0 and 1")
    if "idle_timeout_ms" in td and not 5000 <= td["idle_timeout_ms"] <= 30000:
        raise _reject(f"{param}.idle_timeout_ms", "must be between 5000 and 30000")
    if "eagerness" in td and td["eagerness"] not in ("low", "medium", "high", "auto"):
        raise _reject(f"{param}.eagerness", "unknown eagerness")


def _check_tools(tools: Any, choice: Any, prefix: str) -> None:
    if tools is not None:
        if not isinstance(tools, list):
            raise _reject(f"{prefix}tools", "expected an array")
        for tool in tools:
            if tool.get("type") == "function" and not tool.get("name"):
                raise _reject(f"{prefix}tools", "function tools need a name")
            if tool.get("type") == "mcp" and not tool.get("server_label"):
                raise _reject(f"{prefix}tools", "mcp tools need a server_label")
            if tool.get("type") not in ("function", "mcp"):
                raise _reject(f"{prefix}tools", "unknown tool type")
    if choice is not None and not (
        choice in ("auto", "none", "required")
        or (isinstance(choice, dict) and choice.get("type") in ("function", "mcp"))
    ):
        raise _reject(f"{prefix}tool_choice", "unknown tool choice")


def _check_ga_extras(session: dict[str, Any], audio: dict[str, Any]) -> None:
    """The GA fields beyond the basics, as the reference documents them."""
    audio_in = audio.get("input", {})
    _check_turn_detection(
        audio_in.get("turn_detection"), "session.audio.input.turn_detection", ga=True
    )
    noise = audio_in.get("noise_reduction")
    if noise is not None and noise.get("type") not in ("near_field", "far_field"):
        raise _reject("session.audio.input.noise_reduction", "unknown type")
    _check_tools(session.get("tools"), session.get("tool_choice"), "session.")
    tokens = session.get("max_output_tokens")
    if tokens is not None and tokens != "inf" and not 1 <= tokens <= 4096:
        raise _reject("session.max_output_tokens", "must be 1-4096 or inf")
    tracing = session.get("tracing")
    if tracing is not None and tracing != "auto" and not isinstance(tracing, dict):
        raise _reject("session.tracing", "expected auto or an object")
    truncation = session.get("truncation")
    if (
        truncation is not None
        and truncation not in ("auto", "disabled")
        and not (
            isinstance(truncation, dict)
            and truncation.get("type") == "retention_ratio"
            and 0 <= truncation.get("retention_ratio", -1) <= 1
        )
    ):
        raise _reject("session.truncation", "expected auto, disabled or a retention ratio")
    prompt = session.get("prompt")
    if prompt is not None and not (isinstance(prompt, dict) and prompt.get("id")):
        raise _reject("session.prompt", "a prompt needs an id")
    include = session.get("include")
    if include is not None and include != ["item.input_audio_transcription.logprobs"]:
        raise _reject("session.include", "unknown include")
    effort = session.get("reasoning", {}).get("effort")
    if effort is not None and effort not in ("minimal", "low", "medium", "high", "xhigh"):
        raise _reject("session.reasoning.effort", "unknown effort")


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
