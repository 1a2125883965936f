"""Named session presets: one GA request body per JSON file in the config folder, key-free."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InvalidInput
from .files import move_aside, write_atomically
from .paths import config_dir
from .session import ApiShape, SessionConfig, SessionType, TranscriptionSettings, TurnDetection

__all__ = [
    "BUILT_IN",
    "Listing",
    "Preset",
    "PresetStore",
    "Saved",
    "check_name",
    "config_dir",
    "preset_body",
    "strip_secrets",
]

# Under core/paths.config_dir(), next to the window's settings.ini.
FOLDER = "presets"
SUFFIX = ".json"
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# Values that authenticate to an MCP server: a preset is a shareable file, so never kept.
_SECRET_TOOL_KEYS = ("authorization", "headers")

BUILT_IN: dict[str, SessionConfig] = {
    "voice-agent": SessionConfig(model="gpt-realtime", voice="marin", modalities=("audio",)),
    "text-chat": SessionConfig(model="gpt-realtime", modalities=("text",)),
    "transcription": SessionConfig(
        session_type=SessionType.TRANSCRIPTION,
        transcription=TranscriptionSettings(model="gpt-4o-transcribe"),
        turn_detection=TurnDetection(type="server_vad"),
    ),
    "low-latency": SessionConfig(model="gpt-realtime-mini", modalities=("audio",)),
}


def check_name(name: str) -> str:
    """``name`` if it is a valid preset name (it becomes a file name), else InvalidInput."""
    if not _NAME.fullmatch(name) or name.startswith("."):
        raise InvalidInput.single(
            "name",
            "a preset name is 1-64 letters, digits, '-', '_' or '.' (not starting with '.'), "
            f"got {name!r}",
        )
    return name


def strip_secrets(body: dict[str, Any], api: ApiShape = ApiShape.GA) -> list[str]:
    """Remove MCP credentials from the body's tools in place; returns the paths removed.

    A GA body holds its tools under ``session``, a Beta body at the top level.
    """
    session = body.get("session") if api is ApiShape.GA else body
    tools = session.get("tools") if isinstance(session, dict) else None
    removed: list[str] = []
    if not isinstance(tools, list):
        return removed
    prefix = "session.tools" if api is ApiShape.GA else "tools"
    for index, tool in enumerate(tools):
        if not isinstance(tool, dict):
            continue
        for key in _SECRET_TOOL_KEYS:
            if tool.pop(key, None) is not None:
                removed.append(f"{prefix}[{index}].{key}")
    return removed


def preset_body(config: SessionConfig) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The GA body a preset stores for ``config`` (validated, secrets stripped) and notes."""
    from .bodies import build_body

    notes: list[str] = []
    body = build_body(config)
    if config.api is ApiShape.BETA:
        from .convert import beta_to_ga

        conversion = beta_to_ga(body)
        body, notes = conversion.body, list(conversion.notes)
    notes += [f"left out {path}: a preset never stores credentials" for path in strip_secrets(body)]
    return body, tuple(notes)


def _encode(body: Mapping[str, Any]) -> bytes:
    from .request import encode_body

    return encode_body(body)


@dataclass(frozen=True)
class Preset:
    """A named session; built-in presets have no file and cannot be changed."""

    name: str
    config: SessionConfig
    built_in: bool = False
    path: Path | None = None

    def body(self) -> dict[str, Any]:
        return preset_body(self.config)[0]

    def text(self) -> str:
        """The preset's JSON exactly as its file holds it (and as mint sends it)."""
        return _encode(self.body()).decode("utf-8")


@dataclass(frozen=True)
class Listing:
    """Every preset that could be read, and a message for each file that could not."""

    presets: tuple[Preset, ...]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Saved:
    path: Path
    notes: tuple[str, ...]


class _Unreadable(Exception):
    """A preset file that is not a readable GA body; the message says why."""


def _read(path: Path) -> SessionConfig:
    from .body_reader import config_from_body

    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _Unreadable("it is not UTF-8 text") from None
    except ValueError as exc:
        raise _Unreadable(f"it is not valid JSON ({exc})") from None
    try:
        return config_from_body(ApiShape.GA, body)
    except InvalidInput as exc:
        raise _Unreadable(f"it is not a GA request body ({exc.user_message})") from None


class PresetStore:
    """The presets folder: ``<config>/presets/<name>.json``, plus the built-in presets."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PresetStore:
        return cls(config_dir(env) / FOLDER)

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}{SUFFIX}"

    def _move_aside(self, path: Path, reason: str) -> str:
        return move_aside(path, "Preset file", reason)

    def _load_file(self, name: str, path: Path) -> Preset:
        try:
            return Preset(name, _read(path), path=path)
        except _Unreadable as exc:
            raise InvalidInput.single("preset", self._move_aside(path, str(exc))) from None

    def list(self) -> Listing:
        presets = [Preset(name, config, built_in=True) for name, config in BUILT_IN.items()]
        problems: list[str] = []
        try:
            files = sorted(self.folder.glob(f"*{SUFFIX}"))
        except OSError as exc:
            return Listing(tuple(presets), (f"Cannot read the presets folder: {exc}",))
        for path in files:
            name = path.name.removesuffix(SUFFIX)
            if name in BUILT_IN or not _NAME.fullmatch(name) or name.startswith("."):
                problems.append(f"Ignored {path}: not a name a preset can have.")
                continue
            try:
                presets.append(self._load_file(name, path))
            except InvalidInput as exc:
                problems.append(exc.problems[0].message)
            except OSError as exc:
                problems.append(f"Cannot read preset file {path}: {exc.strerror or exc}")
        return Listing(tuple(presets), tuple(problems))

    def load(self, name: str) -> Preset:
        """The preset called ``name``; InvalidInput (field ``preset``) if there is none."""
        if name in BUILT_IN:
            return Preset(name, BUILT_IN[name], built_in=True)
        path = self.path(name)
        try:
            return self._load_file(name, path)
        except FileNotFoundError:
            known = ", ".join(p.name for p in self.list().presets)
            raise InvalidInput.single(
                "preset", f"there is no preset {name!r} (known: {known})"
            ) from None
        except OSError as exc:
            raise InvalidInput.single(
                "preset", f"cannot read {path}: {exc.strerror or exc}"
            ) from None

    def _refuse_built_in(self, name: str, action: str, hint: str = "") -> None:
        if name in BUILT_IN:
            raise InvalidInput.single(
                "name", f"{name!r} is a built-in preset and cannot be {action}" + hint
            )

    def save(self, name: str, config: SessionConfig) -> Saved:
        """Write ``config`` as ``<name>.json`` (replacing it atomically); never a credential."""
        self._refuse_built_in(name, "saved over", "; save it under another name")
        path = self.path(name)
        body, notes = preset_body(config)
        write_atomically(path, _encode(body), "preset")
        return Saved(path, notes)

    def delete(self, name: str) -> Path:
        self._refuse_built_in(name, "deleted")
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            raise InvalidInput.single("preset", f"there is no saved preset {name!r}") from None
        except OSError as exc:
            raise InvalidInput.single(
                "preset", f"cannot delete {path}: {exc.strerror or exc}"
            ) from None
        return path
