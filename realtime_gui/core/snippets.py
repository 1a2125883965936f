"""Ready-to-run snippets that use a minted secret, or fetch one from serve, declared once."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .bodies import endpoint_path
from .endpoint import Connection, Provider, endpoint_url
from .errors import InvalidInput
from .realtime_urls import realtime_urls
from .session import ApiShape

if TYPE_CHECKING:
    from .request import PreparedRequest
    from .responses import MintedSecret

__all__ = [
    "ENV_NAME",
    "KINDS",
    "SERVE_KINDS",
    "SERVE_TOKEN_ENV",
    "SnippetKind",
    "check_available",
    "connection_of",
    "kind",
    "render",
    "render_for_serve",
]

ENV_NAME = "OPENAI_EPHEMERAL_KEY"
SERVE_TOKEN_ENV = "REALTIME_GUI_SERVE_TOKEN"  # noqa: S105 - a variable name, not a token


@dataclass(frozen=True)
class SnippetKind:
    """One thing "Copy as…" and ``mint --as`` can produce."""

    name: str  # the CLI choice
    label: str  # the menu entry
    description: str  # tooltip and --help
    file_type: str  # what the text is, as a file extension
    serve: bool = False  # also offered for serve mode (fetches /token, holds no secret)


KINDS: tuple[SnippetKind, ...] = (
    SnippetKind("value", "Secret only", "the secret alone", "txt"),
    SnippetKind("json", "JSON", "the same JSON as --json", "json"),
    SnippetKind("env", "Shell export", f"export {ENV_NAME}=<secret>", "sh"),
    SnippetKind("dotenv", ".env line", f"{ENV_NAME}=<secret> for a .env file", "env"),
    SnippetKind(
        "js-webrtc",
        "JavaScript: WebRTC voice",
        "a browser ES module: microphone, audio and events over WebRTC",
        "mjs",
        serve=True,
    ),
    SnippetKind(
        "js-websocket",
        "JavaScript: WebSocket",
        "a browser ES module: a WebSocket that logs every event",
        "mjs",
        serve=True,
    ),
    SnippetKind(
        "python",
        "Python: WebSocket",
        "a script (websockets' sync client) that prints the first event",
        "py",
        serve=True,
    ),
)
SERVE_KINDS: tuple[SnippetKind, ...] = tuple(k for k in KINDS if k.serve)
_BY_NAME = {k.name: k for k in KINDS}


def kind(name: str) -> SnippetKind:
    """The kind called ``name``; raises InvalidInput naming the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise InvalidInput.single("snippet", f"unknown kind {name!r} (one of {known})") from None


def check_available(name: str, connection: Connection, api: ApiShape) -> None:
    """Raise InvalidInput, before anything is sent, for a snippet this connection cannot have."""
    kind(name)
    if name == "js-webrtc" and connection.provider is Provider.AZURE and api is ApiShape.BETA:
        raise InvalidInput.single(
            "snippet",
            "js-webrtc is not available for Azure preview (Beta) deployments: their WebRTC "
            "runs on a regional host that cannot be derived from the resource URL",
        )
    endpoint_url(connection, api)  # the base URL checks a mint makes


def connection_of(request: PreparedRequest) -> Connection:
    """The connection a mint went to, read back from the request it sent.

    The window shows a secret long after the form that asked for it may have changed, so
    the snippet follows the request that was really sent, not the form.
    """
    provider = Provider.AZURE if request.auth.name.lower() == "api-key" else Provider.OPENAI
    url = request.url.split("?", 1)[0]
    # endpoint_url() appends the shape's path, or Azure preview's own (under the root).
    for suffix in (endpoint_path(request.api), "/realtimeapi/sessions"):
        if url.endswith(suffix):
            url = url.removesuffix(suffix)
            break
    return Connection(base_url=url, provider=provider, timeout=request.timeout)


def _model(secret: MintedSecret) -> str | None:
    """The granted session's model, else the one asked for, else the transcription model."""
    granted = secret.session.get("model")
    if isinstance(granted, str) and granted:
        return granted
    requested = secret.request.requested_session.get("model") if secret.request else None
    if isinstance(requested, str) and requested:
        return requested
    return secret.model


def _expiry(expires_at: float) -> str:
    try:
        when = datetime.fromtimestamp(expires_at, tz=timezone.utc)
    except (OverflowError, ValueError, OSError):
        return f"unix time {expires_at}"
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def _websocket_url(connection: Connection, api: ApiShape, model: str | None) -> str:
    url = realtime_urls(connection, api, model or "").websocket
    return url if model else url.removesuffix("?model=")


def render(name: str, secret: MintedSecret, connection: Connection) -> str:
    """The snippet ``name`` for ``secret``, minted at ``connection``; no final newline."""
    kind(name)
    value = secret.value
    if name == "value":
        return value
    if name == "json":  # exactly what `mint --json` prints
        return json.dumps(secret.as_json(), indent=2)
    expires = _expiry(secret.expires_at)
    note = f"single-use, expires {expires}"
    if name == "env":
        # The comment shares the line, so `eval $(realtime-gui mint --as env)` still exports.
        return f"export {ENV_NAME}={shlex.quote(value)}  # {note}"
    if name == "dotenv":
        return f"# {note}\n{ENV_NAME}={_dotenv_value(value)}"
    check_available(name, connection, secret.api)
    model = _model(secret)
    target = _Target(connection, secret.api, f"The secret is single-use and expires at {expires}.")
    websocket = _websocket_url(connection, secret.api, model)
    if name == "python":
        return _python(target, websocket, value)
    secret_line = f"const SECRET = {json.dumps(value)};\n"
    if name == "js-webrtc":
        calls = realtime_urls(connection, secret.api, model or "").calls or ""
        return _js_webrtc(target, json.dumps(calls), "SECRET", secret_line)
    return _js_websocket(target, json.dumps(websocket), "SECRET", secret_line)


def render_for_serve(
    name: str,
    serve_url: str,
    connection: Connection,
    api: ApiShape = ApiShape.GA,
    *,
    model: str | None = None,
    token_required: bool = False,
) -> str:
    """A snippet that fetches a fresh secret from serve's ``/token`` each run; holds no secret.

    ``connection`` and ``api`` are what serve mints with (the snippet connects there);
    ``model`` is only the fallback for a session that names none, as the snippet reads the
    granted model from what ``/token`` answers. With ``token_required`` the serve token
    comes from an environment variable (Python) or an empty constant to fill in (JavaScript).
    """
    if not kind(name).serve:
        serve_names = ", ".join(k.name for k in SERVE_KINDS)
        raise InvalidInput.single("snippet", f"serve snippets are {serve_names}, not {name!r}")
    check_available(name, connection, api)
    token_url = _token_url(serve_url)
    target = _Target(connection, api, f"Each run gets a fresh single-use secret from {token_url}.")
    # The model is known only once /token has answered: each URL ends where it goes.
    urls = realtime_urls(connection, api, "")
    if name == "python":
        return _python_serve(target, urls.websocket, token_url, model, token_required)
    fetch = _js_fetch(token_url, model, token_required)
    if name == "js-webrtc":
        calls = json.dumps(urls.calls or "")
        if api is ApiShape.BETA:  # Beta WebRTC named the model in the URL
            calls += " + encodeURIComponent(model)"
        return _js_webrtc(target, calls, "secret", fetch)
    websocket = json.dumps(urls.websocket) + " + encodeURIComponent(model)"
    return _js_websocket(target, websocket, "secret", fetch)


@dataclass(frozen=True)
class _Target:
    """Where a snippet connects, and the header line about its secret."""

    connection: Connection
    api: ApiShape
    secret_note: str

    @property
    def azure(self) -> bool:
        return self.connection.provider is Provider.AZURE

    def notes(self) -> list[str]:
        """Caveats the reader must know, as comment lines without the comment marker."""
        notes = [self.secret_note]
        if self.api is ApiShape.BETA:
            notes += [
                "A Beta-shape secret: OpenAI itself no longer accepts the Beta shape",
                "(beta_api_shape_disabled); this is for servers that still speak it.",
            ]
        return notes


def _token_url(serve_url: str) -> str:
    url = serve_url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise InvalidInput.single("serve_url", f"is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput.single("serve_url", f"must be serve's http(s) URL, got {serve_url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput.single("serve_url", "must not contain a query, fragment or user part")
    return url if url.endswith("/token") else url + "/token"


def _dotenv_value(value: str) -> str:
    if value and all(c.isalnum() or c in "_-." for c in value):
        return value
    return json.dumps(value)  # double-quoted with escapes, as dotenv parsers read it


def _comment(marker: str, lines: list[str]) -> str:
    return "".join(f"{marker} {line}\n" for line in lines)


# -- JavaScript -----------------------------------------------------------------------------

_JS_LOG = """\
const logElement = document.getElementById("log");  // optional: a <pre id="log"> on the page
function log(...parts) {
  console.log(...parts);
  if (logElement) logElement.textContent += parts.join(" ") + "\\n";
}
"""
_JS_EVENTS = """\
  log(JSON.parse(message.data).type, message.data);
});
"""


def _js_fetch(token_url: str, model: str | None, token_required: bool) -> str:
    lines = [f"const TOKEN_URL = {json.dumps(token_url)};"]
    options = ""
    if token_required:
        lines.append(
            'const SERVE_TOKEN = "";  // FILL IN: serve requires its token (never commit it)'
        )
        options = ", { headers: { Authorization: `Bearer ${SERVE_TOKEN}` } }"
    lines += [
        f"const answer = await fetch(TOKEN_URL{options});",
        "const data = await answer.json();",
        "if (!answer.ok) throw new Error(`serve: ${answer.status} ${data.error?.message}`);",
        "const secret = data.value;  // serve answers both value and client_secret.value",
        f"const model = data.session?.model ?? data.model ?? {json.dumps(model or '')};",
    ]
    return "\n".join(lines) + "\n"


def _js_websocket(target: _Target, url: str, secret: str, setup: str) -> str:
    notes = [
        "A browser ES module: a Realtime WebSocket that logs every event",
        "(the first is session.created).",
        *target.notes(),
    ]
    azure = ""
    if target.azure:
        azure = "// Azure: a browser WebSocket authenticated by a client secret is unconfirmed.\n"
    return (
        _comment("//", notes)
        + setup
        + _JS_LOG
        + "\n// Browsers cannot set headers on a WebSocket: the secret goes in a subprotocol.\n"
        + azure
        + f"const ws = new WebSocket({url}, [\n"
        + f'  "realtime", "openai-insecure-api-key." + {secret},\n'
        + "]);\n"
        + 'ws.addEventListener("message", (message) => {\n'
        + _JS_EVENTS
        + 'ws.addEventListener("close", (close) => log("closed", close.code, close.reason));\n'
    )


def _js_webrtc(target: _Target, calls: str, secret: str, setup: str) -> str:
    notes = [
        "A browser ES module: a Realtime voice session over WebRTC with the microphone,",
        'the reply in an <audio> element, and events on the "oai-events" data channel.',
        *target.notes(),
    ]
    bound = ""
    if target.api is ApiShape.GA:
        bound = "// The model is bound to the secret: the calls URL names none.\n"
    return (
        _comment("//", notes)
        + setup
        + _JS_LOG
        + "\nconst pc = new RTCPeerConnection();\n"
        + 'const audio = document.createElement("audio");\n'
        + "audio.autoplay = true;\n"
        + "document.body.append(audio);\n"
        + "pc.ontrack = (event) => { audio.srcObject = event.streams[0]; };\n"
        + "const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });\n"
        + "pc.addTrack(microphone.getAudioTracks()[0], microphone);\n"
        + 'const events = pc.createDataChannel("oai-events");\n'
        + 'events.addEventListener("message", (message) => {\n'
        + _JS_EVENTS
        + "\nconst offer = await pc.createOffer();\n"
        + "await pc.setLocalDescription(offer);\n"
        + bound
        + f"const response = await fetch({calls}, {{\n"
        + '  method: "POST",\n'
        + "  body: offer.sdp,\n"
        + f'  headers: {{ Authorization: "Bearer " + {secret}, '
        + '"Content-Type": "application/sdp" },\n'
        + "});\n"
        + "const sdp = await response.text();\n"
        + "if (!response.ok) throw new Error(`WebRTC call refused: ${response.status} ${sdp}`);\n"
        + 'await pc.setRemoteDescription({ type: "answer", sdp });\n'
        + 'log("call started", response.headers.get("Location") ?? "");\n'
    )


# -- Python ---------------------------------------------------------------------------------


def _python_connect(target: _Target, secret: str) -> str:
    if target.azure:
        # The reference documents the api-key header for Azure's WebSocket.
        auth = (
            "# Azure documents the api-key header for this WebSocket; that it takes a client\n"
            "# secret is unconfirmed (if refused, try Authorization: Bearer instead).\n"
            f'headers = {{"api-key": {secret}}}\n'
        )
    else:
        auth = f'headers = {{"Authorization": "Bearer " + {secret}}}\n'
    return (
        auth
        + "with connect(URL, additional_headers=headers, open_timeout=15) as ws:\n"
        + "    event = json.loads(ws.recv(timeout=15))\n"
        + 'print(event["type"])\n'
        + "print(json.dumps(event, indent=2))\n"
    )


_PY_NEEDS = "Needs: pip install websockets"


def _python(target: _Target, url: str, value: str) -> str:
    notes = [
        "Opens a Realtime session over a WebSocket and prints the first event.",
        *target.notes(),
    ]
    return (
        _comment("#", [*notes, _PY_NEEDS])
        + "import json\n\n"
        + "from websockets.sync.client import connect\n\n"
        + f"URL = {url!r}\n"
        + f"SECRET = {value!r}\n\n"
        + _python_connect(target, "SECRET")
    )


def _python_serve(
    target: _Target, url_prefix: str, token_url: str, model: str | None, token_required: bool
) -> str:
    notes = [
        "Fetches a client secret from realtime-gui serve, opens a Realtime session",
        "over a WebSocket with it and prints the first event.",
        *target.notes(),
    ]
    token = ""
    headers = "{}"
    if token_required:
        token = (
            f"# serve requires its token: set {SERVE_TOKEN_ENV} (never write it here).\n"
            f"SERVE_TOKEN = os.environ[{SERVE_TOKEN_ENV!r}]\n"
        )
        headers = '{"Authorization": "Bearer " + SERVE_TOKEN}'
    return (
        _comment("#", [*notes, _PY_NEEDS])
        + "import json\n"
        + ("import os\n" if token_required else "")
        + "import urllib.request\n"
        + "from urllib.parse import quote\n\n"
        + "from websockets.sync.client import connect\n\n"
        + f"TOKEN_URL = {token_url!r}\n"
        + token
        + f"request = urllib.request.Request(TOKEN_URL, headers={headers})\n"
        + "with urllib.request.urlopen(request, timeout=30) as answer:\n"
        + "    data = json.load(answer)\n"
        + 'secret = data["value"]  # serve answers both value and client_secret.value\n'
        + 'model = data.get("session", {}).get("model") or data.get("model") or '
        + f"{(model or '')!r}\n"
        + f'URL = {url_prefix!r} + quote(model, safe="")\n\n'
        + _python_connect(target, "secret")
    )
