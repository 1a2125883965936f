"""Turn a pasted Beta session body or curl command into a GA client-secret body."""

from __future__ import annotations

import copy
import json
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .codecs import UnknownWireValue
from .errors import FieldProblem, InvalidInput
from .fields import TOP_LEVEL, SessionField
from .session_config import ApiShape, SessionType

__all__ = [
    "Conversion",
    "CurlRequest",
    "Imported",
    "beta_to_ga",
    "import_text",
    "looks_like_ga",
    "parse_curl",
]


@dataclass(frozen=True)
class Conversion:
    """A GA body converted from a Beta one, with a sentence for every non-rename change."""

    body: dict[str, Any]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CurlRequest:
    """What a curl command would send; headers may carry the API key, so repr leaves them out."""

    url: str | None
    method: str
    headers: tuple[tuple[str, str], ...] = field(repr=False)
    body: dict[str, Any] | None


@dataclass(frozen=True)
class Imported:
    """A GA-shaped body from pasted text, where it came from, and what was changed."""

    body: dict[str, Any]
    source: str
    notes: tuple[str, ...]


# --- Beta -> GA -------------------------------------------------------------------------------


def _moves() -> tuple[tuple[SessionField, str, tuple[str, ...] | None], ...]:
    """(field, Beta key, GA path below "session" or None) for each top-level Beta key.

    From the fields table; client_secret.expires_after is two levels deep and converted on
    its own (_expires_after), since it leaves the session for the top of the GA body.
    """
    moves = []
    for entry in TOP_LEVEL:
        beta = entry.wire_path(ApiShape.BETA, SessionType.REALTIME)
        ga = entry.wire_path(ApiShape.GA, SessionType.REALTIME)
        if beta is not None and len(beta) == 1:
            moves.append((entry, beta[0], None if ga is None else ga[1:]))
    return tuple(moves)


_MOVES = _moves()
# Fields only a Beta *response* has; someone pasting a response gets the request part back.
_RESPONSE_ONLY = ("id", "object", "expires_at")
_SECRET_RESPONSE_ONLY = ("value", "expires_at")
_HANDLED = frozenset(
    {key for _, key, _ in _MOVES} | {*_RESPONSE_ONLY, "client_secret", "expires_after", "type"}
)
_SHOW_LIMIT = 60


def looks_like_ga(body: Mapping[str, Any]) -> bool:
    """True when the body has a ``session`` with a ``type``, or a top-level ``expires_after``."""
    session = body.get("session")
    return (isinstance(session, Mapping) and "type" in session) or "expires_after" in body


def beta_to_ga(beta: Mapping[str, Any]) -> Conversion:
    """Convert a flat Beta session body into ``{"expires_after"?, "session": {...}}``."""
    if not isinstance(beta, Mapping):
        raise InvalidInput.single("body", "a Beta body must be a JSON object")
    notes: list[str] = []
    session: dict[str, Any] = {"type": "realtime"}
    _put_session_fields(beta, session, notes)
    has_expiry, expires_after = _expires_after(beta, notes)
    _note_response_only(beta, notes)
    _note_type(beta, notes)
    _keep_unknown(beta, session, notes)
    body: dict[str, Any] = {}
    if has_expiry:
        body["expires_after"] = expires_after
    body["session"] = session
    return Conversion(body, tuple(notes))


def _put_session_fields(beta: Mapping[str, Any], session: dict[str, Any], notes: list[str]) -> None:
    """Every known session field, in table order so the result reads like a hand-written body."""
    for entry, key, path in _MOVES:
        if key not in beta:
            continue
        value = beta[key]
        if path is None:
            notes.append(
                f"{key} {_show(value)} was dropped: the GA API has no {key} and rejects the field."
            )
        elif entry.name == "modalities":  # its notes are a policy of their own
            _put(session, path, _modalities(copy.deepcopy(value), notes))
        else:
            try:
                converted = entry.codec.beta_to_ga(value)
            except UnknownWireValue as unknown:
                notes.append(
                    f"{key} {_show(value)} is not a known Beta {unknown.noun} "
                    f"({', '.join(unknown.known)}); it was kept as-is at session.{'.'.join(path)}."
                )
                converted = copy.deepcopy(value)
            _put(session, path, converted)


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        target = target.setdefault(name, {})
    target[path[-1]] = value


def _modalities(value: Any, notes: list[str]) -> Any:
    kinds = set(value) if _is_string_list(value) else set()
    if kinds == {"text"}:
        return ["text"]
    if kinds == {"audio"}:
        return ["audio"]
    if kinds == {"text", "audio"}:
        notes.append(
            f'modalities {_show(value)} became output_modalities ["audio"]: GA takes one '
            "output modality, and audio was kept since audio output also carries a transcript."
        )
        return ["audio"]
    # Kept rather than dropped: the user asked for something, and the server should say no.
    notes.append(
        f"modalities {_show(value)} is not a known Beta value; "
        "it was kept as-is at session.output_modalities."
    )
    return value


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _expires_after(beta: Mapping[str, Any], notes: list[str]) -> tuple[bool, Any]:
    """client_secret.expires_after, else a top-level expires_after (already where GA wants it)."""
    secret = beta.get("client_secret")
    if secret is not None and not isinstance(secret, Mapping):
        # Never show the value: a pasted response's client_secret may be a live secret.
        notes.append("client_secret was dropped: it was not an object.")
    if not isinstance(secret, Mapping):
        secret = {}
    extra = [key for key in secret if key not in {"expires_after", *_SECRET_RESPONSE_ONLY}]
    if extra:
        names = ", ".join(f"client_secret.{key}" for key in extra)
        notes.append(f"{names} dropped: GA takes only expires_after from client_secret.")
    if "expires_after" in secret:
        chosen = secret["expires_after"]
        if "expires_after" in beta and beta["expires_after"] != chosen:
            notes.append(
                "the top-level expires_after was dropped in favour of client_secret.expires_after."
            )
        return True, copy.deepcopy(chosen)
    if "expires_after" in beta:
        return True, copy.deepcopy(beta["expires_after"])
    return False, None


def _note_response_only(beta: Mapping[str, Any], notes: list[str]) -> None:
    found = [key for key in _RESPONSE_ONLY if key in beta]
    secret = beta.get("client_secret")
    if isinstance(secret, Mapping):
        found += [f"client_secret.{key}" for key in _SECRET_RESPONSE_ONLY if key in secret]
    if found:
        # Names only: client_secret.value is a minted secret.
        notes.append(
            f"ignored response-only fields ({', '.join(found)}); "
            "the request body was rebuilt from the rest."
        )


def _note_type(beta: Mapping[str, Any], notes: list[str]) -> None:
    if "type" in beta and beta["type"] != "realtime":
        notes.append(
            f"type {_show(beta['type'])} was dropped: "
            "a converted Beta body is always a realtime session."
        )


def _keep_unknown(beta: Mapping[str, Any], session: dict[str, Any], notes: list[str]) -> None:
    for key, value in beta.items():
        if key in _HANDLED:
            continue
        if key in session:
            # A GA-named key next to the Beta field it would come from: the Beta field wins.
            notes.append(f"dropped key '{key}': it clashes with a field converted from Beta.")
            continue
        session[key] = copy.deepcopy(value)
        notes.append(f"kept unknown key '{key}' under session; the GA API may reject it.")


def _show(value: Any) -> str:
    """A short JSON rendering of a value for a note."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _SHOW_LIMIT else text[: _SHOW_LIMIT - 1] + "…"


# --- curl ------------------------------------------------------------------------------------

_CURL_NAMES = frozenset({"curl", "curl.exe"})
_SHORT_WITH_VALUE = {
    "X": "--request",
    "H": "--header",
    "d": "--data",
    "u": "--user",
    "o": "--output",
    "m": "--max-time",
    "A": "--user-agent",
}
_SHORT_FLAGS = frozenset("sSLvfikN")
_BODY_OPTIONS = frozenset({"--data", "--data-raw", "--data-binary", "--data-ascii", "--json"})
_LONG_WITH_VALUE = _BODY_OPTIONS | {
    "--request",
    "--header",
    "--url",
    "--user",
    "--output",
    "--max-time",
    "--connect-timeout",
    "--user-agent",
    "--oauth2-bearer",
}
_LONG_FLAGS = frozenset(
    {
        "--silent",
        "--show-error",
        "--fail",
        "--fail-with-body",
        "--location",
        "--verbose",
        "--include",
        "--insecure",
        "--compressed",
        "--no-buffer",
        "--http1.1",
        "--http2",
    }
)
_OPTION_NAME = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9.-]{0,30}")


def parse_curl(command: str) -> CurlRequest:
    """The URL, method, headers and JSON body of a pasted curl command."""
    tokens = _split(command)
    if not tokens or _program(tokens[0]) not in _CURL_NAMES:
        raise _curl_error("this is not a curl command")
    url: str | None = None
    method: str | None = None
    headers: list[tuple[str, str]] = []
    bodies: list[tuple[str, str]] = []
    for name, value in _options(tokens[1:]):
        if name in {"", "--url"}:
            if url is not None:
                raise _curl_error("the command has more than one URL")
            url = value
        elif name == "--request":
            method = value.upper()
        elif name == "--header":
            headers.append(_header(value))
        elif name in _BODY_OPTIONS:
            bodies.append((name, value))
    body = _curl_body(bodies)
    return CurlRequest(
        url=url,
        method=method or ("POST" if body is not None else "GET"),
        headers=tuple(headers),
        body=body,
    )


def _split(command: str) -> list[str]:
    # A pasted multi-line command ends its lines with a backslash; the shell joins them, so do we.
    joined = re.sub(r"\\\r?\n", " ", command)
    try:
        return shlex.split(joined, posix=True)
    except ValueError as exc:  # shlex's messages ("No closing quotation") never quote the text
        raise _curl_error(f"the command could not be split into words ({exc})") from None


def _program(token: str) -> str:
    return re.split(r"[\\/]", token)[-1].lower()


def _options(tokens: list[str]) -> list[tuple[str, str]]:
    """(long option name, value) pairs; the name is "" for a bare word (the URL)."""
    found: list[tuple[str, str]] = []
    rest = iter(tokens)
    for token in rest:
        if token.startswith("--"):
            if token in _LONG_WITH_VALUE:
                found.append((token, _value_of(token, rest)))
            elif token not in _LONG_FLAGS:
                raise _curl_error(f"unsupported curl option {_option_label(token)}")
        elif token.startswith("-") and len(token) > 1:
            found.extend(_short_options(token, rest))
        else:
            found.append(("", token))
    return found


def _short_options(token: str, rest: Iterator[str]) -> list[tuple[str, str]]:
    """A cluster such as ``-sS`` or ``-XPOST``: flags, then at most one option with a value."""
    for index, letter in enumerate(token[1:], start=2):
        if letter in _SHORT_FLAGS:
            continue
        if letter in _SHORT_WITH_VALUE:
            name = _SHORT_WITH_VALUE[letter]
            attached = token[index:]
            return [(name, attached or _value_of(f"-{letter}", rest))]
        raise _curl_error(f"unsupported curl option {_option_label('-' + letter)}")
    return []


def _value_of(option: str, rest: Iterator[str]) -> str:
    value: str | None = next(rest, None)
    if value is None:
        raise _curl_error(f"{option} needs a value")
    return value


def _option_label(option: str) -> str:
    # Only echo what is clearly an option name: a stray token could be part of a secret.
    return option if _OPTION_NAME.fullmatch(option) else "(unrecognised option)"


def _header(raw: str) -> tuple[str, str]:
    name, _, value = raw.partition(":")
    return name.strip(), value.strip()


def _curl_body(bodies: list[tuple[str, str]]) -> dict[str, Any] | None:
    if not bodies:
        return None
    if len(bodies) > 1:
        raise _curl_error("the command has more than one -d body; keep a single JSON body")
    option, text = bodies[0]
    # curl reads "@name" from a file (except with --data-raw); that file is not here to read.
    if option != "--data-raw" and text.startswith("@"):
        raise _curl_error("-d @file reads the body from a file; paste the JSON body itself instead")
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _curl_error(f"the -d body is not valid JSON: {_where(exc)}") from None
    if not isinstance(body, dict):
        raise _curl_error(f"the -d body is {_json_kind(body)}, not a JSON object")
    return body


def _curl_error(message: str) -> InvalidInput:
    return InvalidInput.single("curl", message)


# --- import ----------------------------------------------------------------------------------

_BETA_PATHS = ("/realtime/sessions", "/realtimeapi/sessions")
_GA_PATHS = ("/realtime/client_secrets",)


def import_text(text: str) -> Imported:
    """A GA body from a pasted JSON body (Beta is converted, GA kept as-is) or curl command."""
    stripped = text.strip()
    if not stripped:
        raise _import_error("nothing to import: paste a JSON body or a curl command")
    first_word = stripped.split(None, 1)[0]
    if _program(first_word) in _CURL_NAMES:
        return _import_curl(stripped)
    body = _json_object(stripped)
    if looks_like_ga(body):
        return Imported(body, "ga body", ())
    conversion = beta_to_ga(body)
    return Imported(conversion.body, "beta body", conversion.notes)


def _json_object(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        if text[0] in "{[":
            raise _import_error(f"the JSON is not valid: {_where(exc)}") from None
        raise _import_error(
            "this is neither a JSON body nor a curl command; paste one of those"
        ) from None
    if not isinstance(body, dict):
        raise _import_error(f"the JSON is {_json_kind(body)}; paste a request body (an object)")
    return body


def _import_curl(text: str) -> Imported:
    try:
        request = parse_curl(text)
    except InvalidInput as exc:
        # Same words, but under the import field so the window shows it by the import box.
        problems = [FieldProblem("import", p.message, "curl") for p in exc.problems]
        raise InvalidInput(problems) from None
    if request.body is None:
        raise _import_error("the curl command has no JSON body (-d)")
    endpoint = _endpoint_shape(request.url)
    body_is_ga = looks_like_ga(request.body)
    if endpoint == "ga":
        notes = () if body_is_ga else (_GA_ENDPOINT_FLAT_BODY,)
        return Imported(request.body, "curl (ga endpoint)", notes)
    if endpoint == "beta" and body_is_ga:
        # Converting a body that is already GA would bury its session one level deeper.
        return Imported(request.body, "curl (beta endpoint, ga body)", (_BETA_ENDPOINT_GA_BODY,))
    if endpoint is None and body_is_ga:
        return Imported(request.body, "curl (ga body)", ())
    conversion = beta_to_ga(request.body)
    source = "curl (beta endpoint)" if endpoint == "beta" else "curl (beta body)"
    return Imported(conversion.body, source, conversion.notes)


_GA_ENDPOINT_FLAT_BODY = (
    "the body has no session with a type, so the GA endpoint will likely reject it; "
    "it was kept unchanged because the URL is the GA endpoint."
)
_BETA_ENDPOINT_GA_BODY = (
    "the URL is the Beta endpoint but the body is already GA-shaped; it was kept unchanged."
)


def _endpoint_shape(url: str | None) -> str | None:
    """ "beta" or "ga" from the URL path, or None when the path says neither."""
    if url is None:
        return None
    try:
        path = urlsplit(url).path.rstrip("/")
    except ValueError:
        return None
    if path.endswith(_BETA_PATHS):
        return "beta"
    if path.endswith(_GA_PATHS):
        return "ga"
    return None


def _import_error(message: str) -> InvalidInput:
    return InvalidInput.single("import", message)


def _where(exc: json.JSONDecodeError) -> str:
    # The message and position only: the document itself may hold anything the user pasted.
    return f"{exc.msg} (line {exc.lineno}, column {exc.colno})"


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
