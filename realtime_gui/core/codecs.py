"""How a session value is written on the wire and read back, for each API shape."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from .errors import InvalidInput
from .session_config import (
    ApiShape,
    PromptReference,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
)

__all__ = [
    "ABSENT",
    "AudioFormat",
    "Codec",
    "Composite",
    "CustomVoice",
    "Listed",
    "Modalities",
    "UnknownWireValue",
    "Wrapped",
    "json_kind",
    "to_json",
]


class _Absent:
    """Not in the body at all, as opposed to a JSON null."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


class UnknownWireValue(ValueError):
    """A Beta value that has no known GA form; the converter keeps it as given."""

    def __init__(self, noun: str, known: tuple[str, ...]) -> None:
        super().__init__(noun)
        self.noun = noun
        self.known = known


def to_json(value: Any) -> Any:
    """``value`` as plain JSON types: mappings become dicts, tuples become lists."""
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value


def json_kind(value: Any) -> str:
    """What a JSON value is, in words, for error messages that must not show the value."""
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else "null"
    )


def _object(wire: Any, where: str) -> dict[str, Any] | None:
    if wire is None or isinstance(wire, dict):
        return wire
    raise InvalidInput.single(where, f"must be a JSON object, got {json_kind(wire)}")


class Codec:
    """Sends the model value as it is; subclasses translate where the wire form differs."""

    # How many path segments above the field's leaf the wire value sits (a wrapper object).
    depth = 0

    def encode(self, value: Any, api: ApiShape) -> Any:
        return to_json(value)

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        """(model value, what stays in the body as an unknown key, or ABSENT)."""
        return wire, ABSENT

    def beta_to_ga(self, wire: Any) -> Any:
        """The GA wire form of a Beta wire value; raises UnknownWireValue if there is none."""
        return copy.deepcopy(wire)


class AudioFormat(Codec):
    """Canonical names ("pcm") <-> GA objects ({"type": "audio/pcm", ...}) / Beta strings."""

    def __init__(self, ga: Mapping[str, Mapping[str, Any]], beta: Mapping[str, str]) -> None:
        if set(ga) != set(beta):
            raise ValueError("every audio format needs a GA and a Beta form")
        self.ga, self.beta = ga, beta
        self.names = tuple(ga)
        self._ga_types = {form["type"]: name for name, form in ga.items()}
        self._beta_names = {form: name for name, form in beta.items()}

    def encode(self, value: Any, api: ApiShape) -> Any:
        if value not in self.names:
            return to_json(value)  # a draft's unknown value goes out as given
        return dict(self.ga[value]) if api is ApiShape.GA else self.beta[value]

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        # Lenient within a shape: a GA object may leave out its defaults ({"type": "audio/pcm"}
        # is 24 kHz), a bare type string is understood. Anything else stays raw for validation
        # to name, including the other shape's spelling.
        names = self._ga_types if api is ApiShape.GA else self._beta_names
        if api is ApiShape.GA and isinstance(wire, dict) and wire.get("type") in names:
            name = names[wire["type"]]
            defaults = self.ga[name]
            if all(key in defaults and wire[key] == defaults[key] for key in wire):
                return name, ABSENT
            return wire, ABSENT
        if isinstance(wire, dict) and set(wire) == {"type"}:
            return names.get(wire["type"], wire), ABSENT
        if isinstance(wire, str):
            return names.get(wire, wire), ABSENT
        return wire, ABSENT

    def beta_to_ga(self, wire: Any) -> Any:
        if isinstance(wire, str) and wire in self._beta_names:
            return dict(self.ga[self._beta_names[wire]])
        raise UnknownWireValue("format", tuple(self.beta.values()))


class CustomVoice(Codec):
    """GA sends a custom voice (``voice_...``) as ``{"id": ...}``, a built-in one as a string."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def encode(self, value: Any, api: ApiShape) -> Any:
        custom = isinstance(value, str) and value.startswith(self.prefix)
        return {"id": value} if custom and api is ApiShape.GA else value

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        if api is ApiShape.GA and isinstance(wire, dict) and set(wire) == {"id"}:
            return wire["id"], ABSENT
        return wire, ABSENT


class Modalities(Codec):
    """A tuple in the model, a JSON array on the wire; Beta lists them in its canonical order."""

    def __init__(self, beta_order: tuple[str, ...]) -> None:
        self.beta_order = beta_order

    def encode(self, value: Any, api: ApiShape) -> Any:
        if api is ApiShape.BETA:
            return [m for m in self.beta_order if m in value]
        return list(value)

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        if wire is None:
            return (), ABSENT
        if not isinstance(wire, list):
            raise InvalidInput.single(where, f"must be a JSON array, got {json_kind(wire)}")
        return tuple(wire), ABSENT


class Listed(Codec):
    """A yes/no field sent as a one-item list (``include``); any other list is left alone."""

    def __init__(self, item: str) -> None:
        self.item = item

    def encode(self, value: Any, api: ApiShape) -> Any:
        return [self.item]

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        return (True, ABSENT) if wire == [self.item] else (False, wire)


class Wrapped(Codec):
    """A value sent inside a nullable object (``{"type": value}``), with fixed companions."""

    depth = 1

    def __init__(self, key: str, fixed: Mapping[str, str] | None = None) -> None:
        self.key = key
        self.fixed = dict(fixed or {})

    def encode(self, value: Any, api: ApiShape) -> Any:
        return {**self.fixed, self.key: to_json(value)}

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        found = _object(wire, where)
        if found is None:
            return None, ABSENT
        for name, wanted in self.fixed.items():
            got = found.pop(name, None) or wanted
            if got != wanted:
                raise InvalidInput.single(f"{where}.{name}", f'must be "{wanted}", got {got!r}')
        return found.pop(self.key, None), found


class Tools(Codec):
    """A JSON array of tool objects; the model keeps it as a tuple."""

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        if wire is None:
            return None, ABSENT
        if not isinstance(wire, list):
            raise InvalidInput.single(where, f"must be a JSON array, got {json_kind(wire)}")
        return tuple(wire), ABSENT


class SessionTypeCodec(Codec):
    """The GA ``session.type``; an absent or null type means a realtime session."""

    def encode(self, value: Any, api: ApiShape) -> Any:
        return SessionType(value).value

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        try:
            return SessionType(wire or SessionType.REALTIME.value), ABSENT
        except ValueError:
            choices = " or ".join(f'"{t.value}"' for t in SessionType)
            raise InvalidInput.single(where, f"must be {choices}, got {wire!r}") from None


class Composite(Codec):
    """A frozen dataclass <-> a JSON object with one key per attribute (unset ones left out).

    Keys the dataclass lacks stay in the body as unknown keys, sent as given.
    """

    # Keys sent even when their value is None (the API requires them).
    _always: tuple[str, ...] = ()

    def __init__(self, model: type[Any], keys: tuple[str, ...] | None = None) -> None:
        self.model = model
        self.keys = keys or tuple(f.name for f in dataclasses.fields(model))

    def encode(self, value: Any, api: ApiShape) -> Any:
        out: dict[str, Any] = {}
        for key in self.keys:
            item = getattr(value, key)
            if item is not None or key in self._always:
                out[key] = to_json(item)
        return out

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        found = _object(wire, where)
        if found is None:
            return None, ABSENT
        return self._build({key: found.pop(key, None) for key in self.keys}), found

    def _build(self, values: dict[str, Any]) -> Any:
        return self.model(**values)


class TranscriptionCodec(Composite):
    """Input audio transcription settings; an empty object still turns transcription on."""

    def __init__(self) -> None:
        super().__init__(TranscriptionSettings)


class TurnDetectionCodec(Composite):
    """Turn detection; manual turns ("none") are an explicit null on the wire."""

    def __init__(self) -> None:
        super().__init__(TurnDetection)

    def encode(self, value: Any, api: ApiShape) -> Any:
        return None if value.type == "none" else super().encode(value, api)

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        if wire is None:
            return TurnDetection("none"), ABSENT
        return super().decode(wire, api, where)

    def _build(self, values: dict[str, Any]) -> Any:
        return TurnDetection(**{**values, "type": values["type"] or "server_vad"})


class TracingCodec(Composite):
    """Tracing: the string "auto", or an object naming the workflow."""

    def __init__(self) -> None:
        super().__init__(Tracing, ("workflow_name", "group_id", "metadata"))

    def encode(self, value: Any, api: ApiShape) -> Any:
        return "auto" if value.auto else super().encode(value, api)

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        if wire == "auto":
            return Tracing(auto=True), ABSENT
        return super().decode(wire, api, where)


class TruncationCodec(Composite):
    """Truncation: a strategy string, or an object for a retention ratio."""

    _always = ("type", "retention_ratio")

    def __init__(self) -> None:
        super().__init__(Truncation)

    def encode(self, value: Any, api: ApiShape) -> Any:
        if value.type != "retention_ratio":
            return value.type
        return super().encode(value, api)

    def decode(self, wire: Any, api: ApiShape, where: str) -> tuple[Any, Any]:
        if isinstance(wire, str):
            return Truncation(wire), ABSENT
        return super().decode(wire, api, where)

    def _build(self, values: dict[str, Any]) -> Any:
        return Truncation(values["type"] or "retention_ratio", values["retention_ratio"])


class PromptCodec(Composite):
    """A stored prompt reference; its id is always sent."""

    _always = ("id",)

    def __init__(self) -> None:
        super().__init__(PromptReference)
