"""``realtime-gui preset ...`` and ``--preset NAME``: named sessions as the starting point."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from .core.errors import InvalidInput
from .core.session import ApiShape, SessionConfig, SessionType, TranscriptionSettings

if TYPE_CHECKING:
    from .core.presets import PresetStore

__all__ = ["add_preset_command", "preset_config", "run_preset"]


class _Io(Protocol):
    @property
    def stdin(self) -> TextIO: ...
    @property
    def stdout(self) -> TextIO: ...
    @property
    def stderr(self) -> TextIO: ...


# Flag (argparse dest) -> SessionConfig field, for the flags that replace one field as a whole.
_PLAIN = {
    "session_type": "session_type", "model": "model", "voice": "voice",
    "instructions": "instructions", "instructions_file": "instructions",
    "modalities": "modalities", "ttl": "ttl_seconds", "speed": "speed",
    "temperature": "temperature", "max_output_tokens": "max_output_tokens",
    "input_format": "input_audio_format", "output_format": "output_audio_format",
    "noise_reduction": "noise_reduction",
}  # fmt: skip


def _given(args: argparse.Namespace, name: str) -> bool:
    return getattr(args, name, None) not in (None, [])


def _store(env: Mapping[str, str]) -> PresetStore:
    from .core.presets import PresetStore

    return PresetStore.from_env(env)


def preset_config(args: argparse.Namespace, stdin: TextIO, env: Mapping[str, str]) -> SessionConfig:
    """The preset's session with every session flag given alongside laid over its fields."""
    from .cli import config_from_args

    if args.body_file is not None:
        raise InvalidInput.single("preset", "does not mix with --body-file; give one of them")
    if ApiShape(args.api) is not ApiShape.GA:
        raise InvalidInput.single(
            "preset", "a preset is a GA session; it does not mix with --api beta"
        )
    base = _store(env).load(args.preset).config
    # The flags are read as if --type were the preset's, so --model lands where the type puts it.
    session_type = args.session_type or base.session_type.value
    flags = config_from_args(
        argparse.Namespace(**{**vars(args), "session_type": session_type}), stdin
    )
    changes: dict[str, Any] = {
        field: getattr(flags, field) for dest, field in _PLAIN.items() if _given(args, dest)
    }
    changes["session_type"] = SessionType(session_type)
    if flags.is_transcription and _given(args, "model"):
        changes.pop("model", None)  # config_from_args moved it to the transcription model
    if flags.transcription is not None:  # only there when a transcription flag was given
        given = {k: v for k, v in dataclasses.asdict(flags.transcription).items() if v is not None}
        changes["transcription"] = dataclasses.replace(
            base.transcription or TranscriptionSettings(), **given
        )
    return dataclasses.replace(base, **changes)


def add_preset_command(
    commands: Any, add_request_arguments: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register ``preset list|show|save|delete|import|export``."""
    preset = commands.add_parser(
        "preset",
        help="list, save and share named session presets",
        description="Presets are named sessions stored as GA request bodies (one JSON file "
        "each, usable as --body-file) in the config folder's presets/. They never hold keys: "
        "MCP authorization and headers are left out. Built-in presets are read-only.",
    )
    actions = preset.add_subparsers(dest="preset_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the presets (built-ins marked)")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    show = actions.add_parser("show", help="print a preset's JSON body")
    show.add_argument("name", metavar="NAME")
    save = actions.add_parser(
        "save",
        help="save the session the mint options describe as a preset",
        description="Save the session the options describe (as mint would send it) as NAME. "
        "Connection options are accepted and not stored.",
    )
    save.add_argument("name", metavar="NAME")
    add_request_arguments(save)
    delete = actions.add_parser("delete", help="delete a saved preset")
    delete.add_argument("name", metavar="NAME")
    imported = actions.add_parser(
        "import", help="save a GA or Beta body file (Beta is converted) as a preset"
    )
    imported.add_argument("path", metavar="FILE", help="JSON body or curl command; - = stdin")
    imported.add_argument("--name", help="preset name (default: the file name without .json)")
    export = actions.add_parser("export", help="write a preset's JSON body to a file")
    export.add_argument("name", metavar="NAME")
    export.add_argument("path", metavar="FILE", help="file to write, or - for stdout")


def _notes(notes: tuple[str, ...], stderr: TextIO) -> None:
    for note in notes:
        stderr.write(f"note: {note}\n")


def _list(store: PresetStore, as_json: bool, io: _Io) -> int:
    listing = store.list()
    for problem in listing.problems:
        io.stderr.write(f"warning: {problem}\n")
    if as_json:
        rows = [
            {"name": p.name, "built_in": p.built_in, "path": str(p.path) if p.path else None}
            for p in listing.presets
        ]
        io.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    for p in listing.presets:
        model = p.config.model or (p.config.transcription and p.config.transcription.model) or "-"
        mark = " (built-in)" if p.built_in else ""
        io.stdout.write(f"{p.name}{mark}\t{p.config.session_type.value}\t{model}\n")
    return 0


def _import(args: argparse.Namespace, store: PresetStore, io: _Io) -> int:
    from .cli import _read_text
    from .core.body_reader import config_from_body
    from .core.convert import import_text

    imported = import_text(_read_text(args.path, io.stdin, "path"))
    name = args.name
    if name is None:
        if args.path == "-":
            raise InvalidInput.single("name", "give --name when importing from stdin")
        name = Path(args.path).name.removesuffix(".json")
    saved = store.save(name, config_from_body(ApiShape.GA, imported.body))
    io.stderr.write(f"Imported a {imported.source} as preset '{name}': {saved.path}\n")
    _notes(imported.notes + saved.notes, io.stderr)
    return 0


def run_preset(args: argparse.Namespace, env: Mapping[str, str], io: _Io) -> int:
    store = _store(env)
    action = args.preset_command
    if action == "list":
        return _list(store, args.json, io)
    if action == "import":
        return _import(args, store, io)
    if action == "save":
        from .cli import request_config

        saved = store.save(args.name, request_config(args, io.stdin, env))
        io.stderr.write(f"Saved preset '{args.name}': {saved.path}\n")
        _notes(saved.notes, io.stderr)
        return 0
    if action == "delete":
        io.stderr.write(f"Deleted preset '{args.name}': {store.delete(args.name)}\n")
        return 0
    text = store.load(args.name).text()
    if action == "show" or args.path == "-":
        io.stdout.write(text)
        return 0
    try:
        Path(args.path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput.single(
            "path", f"cannot write {args.path}: {exc.strerror or exc}"
        ) from None
    io.stderr.write(f"Exported preset '{args.name}' to {args.path}\n")
    return 0
