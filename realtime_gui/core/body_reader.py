"""Reading a request body back into a SessionConfig; keys the model lacks are kept as extra."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any, cast

from .errors import InvalidInput
from .session import (
    LOGPROBS_INCLUDE,
    TURN_DETECTION_FIELDS,
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
)

__all__ = ["config_from_body", "extra_paths", "parse_assignment", "set_path"]

_GA_FORMAT_NAMES = {"audio/pcm": "pcm", "audio/pcmu": "pcmu", "audio/pcma": "pcma"}
_BETA_FORMAT_NAMES = {"pcm16": "pcm", "g711_ulaw": "pcmu", "g711_alaw": "pcma"}
_MISSING = object()

Json = dict[str, Any]


class _Reader:
    """Takes known values out of a copy of the body; what is left over becomes ``extra``."""

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.rest: Json = copy.deepcopy(dict(body))

    def take(self, *path: str) -> Any:
        """Remove and return the value at ``path``, or _MISSING; checks objects on the way."""
        node: Any = self.rest
        for depth, key in enumerate(path[:-1]):
            node = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
            if node is _MISSING:
                return _MISSING
            if not isinstance(node, dict):
                where = ".".join(path[: depth + 1])
                raise InvalidInput.single(where, f"must be a JSON object, got {_kind(node)}")
        return node.pop(path[-1], _MISSING) if isinstance(node, dict) else _MISSING

    def peek(self, *path: str) -> Any:
        node: Any = self.rest
        for key in path:
            node = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
        return node

    def get(self, *path: str) -> Any:
        value = self.take(*path)
        return None if value is _MISSING else value

    def object(self, *path: str) -> Any:
        """The object at ``path`` left in place (its keys are taken one by one), or
        _MISSING; null is taken out and returned as None."""
        value = self.take(*path)
        if value is _MISSING or value is None:
            return value
        if not isinstance(value, dict):
            raise InvalidInput.single(".".join(path), f"must be a JSON object, got {_kind(value)}")
        self._put_back(path, value)
        return value

    def _put_back(self, path: tuple[str, ...], value: Any) -> None:
        node = self.rest
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value

    def leftovers(self) -> Json:
        return _prune(self.rest)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else "null"
    )


def _prune(node: Json) -> Json:
    """Drop objects that became empty because every known key was taken out of them."""
    out: Json = {}
    for key, value in node.items():
        kept = _prune(value) if isinstance(value, dict) else value
        if kept != {}:
            out[key] = kept
    return out


def _format(value: Any, names: Mapping[str, str]) -> Any:
    """A wire format as its canonical name; anything else stays raw (validation names it)."""
    if isinstance(value, dict) and value.get("type") == "audio/pcm":
        return "pcm" if value.get("rate", 24000) == 24000 else value
    if isinstance(value, dict) and set(value) == {"type"}:
        return names.get(value["type"], value)
    if isinstance(value, str):
        return names.get(value, value)
    return value


def _transcription(reader: _Reader, *path: str) -> TranscriptionSettings | None:
    value = reader.object(*path)
    if value is _MISSING or value is None:
        return None
    model = reader.get(*path, "model")
    language = reader.get(*path, "language")
    prompt = reader.get(*path, "prompt")
    return TranscriptionSettings(model, language, prompt)


def _noise_reduction(reader: _Reader, *path: str) -> str | None:
    value = reader.object(*path)
    if value is _MISSING or value is None:
        return None
    return cast(str | None, reader.get(*path, "type"))


def _turn_detection(reader: _Reader, *path: str) -> TurnDetection | None:
    value = reader.object(*path)
    if value is _MISSING:
        return None
    if value is None:
        return TurnDetection("none")
    fields = {name: reader.get(*path, name) for name in TURN_DETECTION_FIELDS}
    fields["type"] = fields["type"] or "server_vad"
    return TurnDetection(**fields)


def _tools(reader: _Reader, *path: str) -> tuple[Mapping[str, Any], ...] | None:
    value = reader.take(*path)
    if value is _MISSING or value is None:
        return None
    if not isinstance(value, list):
        raise InvalidInput.single(".".join(path), f"must be a JSON array, got {_kind(value)}")
    return tuple(value)


def _tracing(reader: _Reader, *path: str) -> Tracing | None:
    if reader.peek(*path) == "auto":
        reader.take(*path)
        return Tracing(auto=True)
    value = reader.object(*path)
    if value is _MISSING or value is None:
        return None
    return Tracing(
        reader.get(*path, "workflow_name"),
        reader.get(*path, "group_id"),
        reader.get(*path, "metadata"),
    )


def _truncation(reader: _Reader, *path: str) -> Truncation | None:
    if isinstance(reader.peek(*path), str):
        return Truncation(reader.take(*path))
    value = reader.object(*path)
    if value is _MISSING or value is None:
        return None
    # Sub-keys the form lacks (token_limits, say) stay behind and ride along as extra.
    kind = reader.get(*path, "type") or "retention_ratio"
    return Truncation(kind, reader.get(*path, "retention_ratio"))


def _prompt(reader: _Reader, *path: str) -> PromptReference | None:
    value = reader.object(*path)
    if value is _MISSING or value is None:
        return None
    return PromptReference(
        reader.get(*path, "id"), reader.get(*path, "version"), reader.get(*path, "variables")
    )


def _modalities(value: Any, where: str) -> tuple[str, ...]:
    if value is _MISSING or value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidInput.single(where, f"must be a JSON array, got {_kind(value)}")
    return tuple(value)


def _ga(reader: _Reader) -> SessionConfig:
    ttl = _ttl(reader, "expires_after")
    session = reader.object("session")
    if session is _MISSING or session is None:
        raise InvalidInput.single("session", 'a GA body needs "session": {"type": ...}')
    kind_text = reader.get("session", "type") or "realtime"
    try:
        kind = SessionType(kind_text)
    except ValueError:
        raise InvalidInput.single(
            "session.type", f'must be "realtime" or "transcription", got {kind_text!r}'
        ) from None
    voice = reader.get("session", "audio", "output", "voice")
    if isinstance(voice, dict) and set(voice) == {"id"}:
        voice = voice["id"]
    include = reader.take("session", "include")
    logprobs = include == [LOGPROBS_INCLUDE]
    if include is not _MISSING and not logprobs:
        reader.rest["session"]["include"] = include  # something else: keep it as given
    config = SessionConfig(
        api=ApiShape.GA,
        session_type=kind,
        model=reader.get("session", "model"),
        instructions=reader.get("session", "instructions"),
        modalities=_modalities(reader.take("session", "output_modalities"), "output_modalities"),
        ttl_seconds=ttl,
        voice=voice,
        speed=reader.get("session", "audio", "output", "speed"),
        temperature=reader.get("session", "temperature"),
        max_output_tokens=reader.get("session", "max_output_tokens"),
        input_audio_format=_format(
            reader.get("session", "audio", "input", "format"), _GA_FORMAT_NAMES
        ),
        output_audio_format=_format(
            reader.get("session", "audio", "output", "format"), _GA_FORMAT_NAMES
        ),
        transcription=_transcription(reader, "session", "audio", "input", "transcription"),
        noise_reduction=_noise_reduction(reader, "session", "audio", "input", "noise_reduction"),
        turn_detection=_turn_detection(reader, "session", "audio", "input", "turn_detection"),
        tools=_tools(reader, "session", "tools"),
        tool_choice=reader.get("session", "tool_choice"),
        tracing=_tracing(reader, "session", "tracing"),
        truncation=_truncation(reader, "session", "truncation"),
        prompt=_prompt(reader, "session", "prompt"),
        include_logprobs=logprobs,
        reasoning_effort=reader.get("session", "reasoning", "effort"),
    )
    return config


def _beta(reader: _Reader) -> SessionConfig:
    return SessionConfig(
        api=ApiShape.BETA,
        model=reader.get("model"),
        instructions=reader.get("instructions"),
        modalities=_modalities(reader.take("modalities"), "modalities"),
        ttl_seconds=_ttl(reader, "client_secret", "expires_after"),
        voice=reader.get("voice"),
        speed=reader.get("speed"),
        temperature=reader.get("temperature"),
        max_output_tokens=reader.get("max_response_output_tokens"),
        input_audio_format=_format(reader.get("input_audio_format"), _BETA_FORMAT_NAMES),
        output_audio_format=_format(reader.get("output_audio_format"), _BETA_FORMAT_NAMES),
        transcription=_transcription(reader, "input_audio_transcription"),
        noise_reduction=_noise_reduction(reader, "input_audio_noise_reduction"),
        turn_detection=_turn_detection(reader, "turn_detection"),
        tools=_tools(reader, "tools"),
        tool_choice=reader.get("tool_choice"),
        tracing=_tracing(reader, "tracing"),
    )


def _ttl(reader: _Reader, *path: str) -> Any:
    expires = reader.object(*path)
    if expires is _MISSING or expires is None:
        return None
    anchor = reader.get(*path, "anchor") or "created_at"
    if anchor != "created_at":
        raise InvalidInput.single(
            ".".join((*path, "anchor")), f'must be "created_at", got {anchor!r}'
        )
    return reader.get(*path, "seconds")


def config_from_body(api: ApiShape, body: Any) -> SessionConfig:
    """The SessionConfig a body describes, unknown keys in ``extra`` (validate it next)."""
    if not isinstance(body, dict):
        raise InvalidInput.single("body", f"must be a JSON object, got {_kind(body)}")
    reader = _Reader(body)
    config = _ga(reader) if api is ApiShape.GA else _beta(reader)
    leftovers = reader.leftovers()
    if not leftovers:
        return config
    from dataclasses import replace

    return replace(config, extra=leftovers)


def parse_assignment(text: str) -> tuple[str, Any]:
    """``dotted.path=value`` with the value parsed as JSON when it parses, else a string."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip() or any(not part for part in path.strip().split(".")):
        raise InvalidInput.single("set", f"expected dotted.path=value, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return path.strip(), value


def set_path(body: Mapping[str, Any], path: str, value: Any) -> Json:
    """A copy of ``body`` with ``value`` at ``path``, creating objects on the way."""
    out: Json = copy.deepcopy(dict(body))
    node = out
    parts = path.split(".")
    for depth, key in enumerate(parts[:-1]):
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            where = ".".join(parts[: depth + 1])
            raise InvalidInput.single("set", f"{where} is not an object, cannot set {path}")
        node = child
    node[parts[-1]] = value
    return out


def extra_paths(extra: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The dotted paths of the leaves in ``extra``: what is sent that the form does not know."""
    paths: list[str] = []
    for key, value in extra.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            paths += extra_paths(value, path + ".")
        else:
            paths.append(path)
    return paths
