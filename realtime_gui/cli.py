"""The command-line twin of the window: ``realtime-gui mint`` and ``realtime-gui key``."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .cli_history import add_history_command, record_cli_mint, run_history
from .cli_options import add_request_arguments
from .cli_profiles import (
    add_profile_argument,
    add_profile_command,
    command_connection,
    command_profile,
    run_profile,
)
from .cli_snippets import add_as_argument, add_snippet_command
from .core.credentials import ENV_VAR, KeyStore, check_key
from .core.errors import InvalidInput, NoApiKey, RealtimeGuiError
from .core.expiry import format_local_time, format_remaining
from .core.session import (
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
)

if TYPE_CHECKING:
    from .core.endpoint import Connection

__all__ = ["main"]

PROG = "realtime-gui"
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Mint short-lived OpenAI Realtime client secrets (ephemeral keys). "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check Qt, the keyring backend and the TLS CA bundle, then exit (1 on failure)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    mint = commands.add_parser(
        "mint",
        help="mint a client secret and print it",
        description="Mint a client secret. Prints only the secret on stdout "
        "(EK=$(realtime-gui mint)); a one-line expiry summary goes to stderr. "
        "Exit codes: 0 ok, 2 invalid input (nothing sent), 3 no key or keyring problem, "
        "4 the API answered with an error, 5 network failure or timeout.",
    )
    add_request_arguments(mint)
    mint.add_argument(
        "--json",
        action="store_true",
        help="print {value, expires_at, session_id, model, api, session} as JSON (= --as json)",
    )
    add_as_argument(mint)
    preview = commands.add_parser(
        "preview",
        help="print the request mint would send (key redacted); sends nothing",
        description="Print the endpoint, headers (key redacted) and JSON body that "
        "`mint` would send with the same flags. Sends nothing and needs no key. "
        "Exit 0, or 2 when the input is invalid.",
    )
    add_request_arguments(preview)
    convert = commands.add_parser(
        "convert",
        help="turn a Beta body (or a curl command) into a GA body",
        description="Read a Beta /realtime/sessions body, a GA body or a curl command from "
        "PATH (- for stdin) and print the equivalent GA /realtime/client_secrets body. "
        "What could not be carried over is explained on stderr.",
    )
    convert.add_argument("path", metavar="PATH|-", help="file to read, or - for stdin")
    from .cli_serve import add_serve_command

    add_serve_command(commands, add_request_arguments)
    add_snippet_command(commands)
    from .cli_connection import add_test_command

    add_test_command(commands, add_request_arguments)
    from .cli_presets import add_preset_command

    add_preset_command(commands, add_request_arguments)
    add_history_command(commands)
    add_profile_command(commands)

    key = commands.add_parser("key", help="manage the API key in the OS keyring")
    key_commands = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    for name, help_text in (
        ("set", "store a key: read from stdin, or a hidden prompt on a terminal"),
        ("delete", "delete the stored key"),
        ("status", "name the keyring backend and say whether a key is stored"),
    ):
        action = key_commands.add_parser(name, help=help_text, description=help_text)
        add_profile_argument(action)
    return parser


def _read_instructions(path: str, stdin: TextIO) -> str:
    return _read_text(path, stdin, "instructions_file")


def config_from_args(args: argparse.Namespace, stdin: TextIO) -> SessionConfig:
    """The SessionConfig the ``mint`` flags describe (not yet validated)."""
    api = ApiShape(args.api)
    session_type = SessionType(args.session_type or SessionType.REALTIME.value)
    instructions = args.instructions
    if args.instructions_file is not None:
        instructions = _read_instructions(args.instructions_file, stdin)
    model = args.model
    transcription_model = args.transcription_model
    if api is ApiShape.GA and session_type is SessionType.TRANSCRIPTION and model is not None:
        if transcription_model is not None:
            raise InvalidInput.single(
                "model", "give either --model or --transcription-model for a transcription session"
            )
        model, transcription_model = None, model
    transcription = None
    if transcription_model or args.language or args.transcription_prompt:
        transcription = TranscriptionSettings(
            model=transcription_model, language=args.language, prompt=args.transcription_prompt
        )
    return SessionConfig(
        api=api,
        session_type=session_type,
        model=model,
        voice=args.voice,
        instructions=instructions,
        modalities=tuple(args.modalities),
        ttl_seconds=args.ttl,
        speed=args.speed,
        temperature=args.temperature,
        max_output_tokens=args.max_output_tokens,
        input_audio_format=args.input_format,
        output_audio_format=args.output_format,
        transcription=transcription,
        noise_reduction=args.noise_reduction,
    )


@dataclass(frozen=True)
class _Streams:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO


# The flags that describe the session itself; --body-file replaces all of them.
_SESSION_FLAGS = {
    "session_type": "--type", "model": "--model", "voice": "--voice",
    "instructions": "--instructions", "instructions_file": "--instructions-file",
    "modalities": "--modality", "ttl": "--ttl", "speed": "--speed",
    "temperature": "--temperature", "max_output_tokens": "--max-output-tokens",
    "input_format": "--input-format", "output_format": "--output-format",
    "noise_reduction": "--noise-reduction", "transcription_model": "--transcription-model",
    "language": "--language", "transcription_prompt": "--transcription-prompt",
}  # fmt: skip


def _read_text(path: str, stdin: TextIO, field: str) -> str:
    if path == "-":
        return stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InvalidInput.single(field, f"cannot read {path!r}: {reason}") from None


def _read_json(path: str, stdin: TextIO) -> object:
    text = _read_text(path, stdin, "body_file")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInput.single("body_file", f"is not valid JSON: {exc}") from None


def _flags_config(args: argparse.Namespace, stdin: TextIO, env: Mapping[str, str]) -> SessionConfig:
    if args.preset is None:
        return config_from_args(args, stdin)
    from .cli_presets import preset_config

    return preset_config(args, stdin, env)


def request_config(
    args: argparse.Namespace, stdin: TextIO, env: Mapping[str, str] | None = None
) -> SessionConfig:
    """The session mint/preview will send: flags, --preset + flags or --body-file, then --set."""
    from .core.bodies import render_body
    from .core.body_reader import config_from_body, parse_assignment, set_path
    from .core.session import validate

    api = ApiShape(args.api)
    if args.body_file is not None and args.preset is None:
        mixed = [flag for name, flag in _SESSION_FLAGS.items() if getattr(args, name)]
        if mixed:
            raise InvalidInput.single(
                "body_file",
                f"does not mix with session flags ({', '.join(mixed)}); change fields of the "
                "body with --set",
            )
        body = _read_json(args.body_file, stdin)
    else:
        # The flags must be valid on their own: a flag the shape lacks is refused, not lost.
        config = validate(_flags_config(args, stdin, os.environ if env is None else env))
        if not args.assignments:
            return config
        body = render_body(config)
    if not isinstance(body, dict):
        raise InvalidInput.single("body_file", "must hold a JSON object")
    for text in args.assignments:
        path, value = parse_assignment(text)
        body = set_path(body, path, value)
    return config_from_body(api, body)


def _connection(args: argparse.Namespace, env: Mapping[str, str]) -> Connection:
    return command_connection(args, env)


def _run_preview(args: argparse.Namespace, env: Mapping[str, str], io: _Streams) -> int:
    from .core.request import prepare

    config = request_config(args, io.stdin, env)
    io.stdout.write(prepare(config, _connection(args, env)).as_text())
    _note_extra(config, io)
    return EXIT_OK


def _note_extra(config: SessionConfig, io: _Streams) -> None:
    from .core.body_reader import extra_paths

    if config.extra:
        io.stderr.write(
            "note: sent as given, not checked (fields this tool does not know): "
            + ", ".join(extra_paths(config.extra))
            + "\n"
        )


def _run_convert(args: argparse.Namespace, io: _Streams) -> int:
    from .core.convert import import_text

    imported = import_text(_read_text(args.path, io.stdin, "path"))
    io.stdout.write(json.dumps(imported.body, indent=2, ensure_ascii=False) + "\n")
    io.stderr.write(f"Converted from: {imported.source}.\n")
    for note in imported.notes:
        io.stderr.write(f"note: {note}\n")
    return EXIT_OK


def _run_mint(
    args: argparse.Namespace, env: Mapping[str, str], store: KeyStore, io: _Streams
) -> int:
    from .cli_snippets import output_kind
    from .core.client import MintClient
    from .core.request import prepare
    from .core.snippets import render

    config = request_config(args, io.stdin, env)
    # Everything that can be checked without the network is checked before the key is read.
    connection = _connection(args, env)
    prepared = prepare(config, connection)
    kind = output_kind(args, connection, config.api)
    _note_extra(config, io)
    api_key = store.resolve(args.profile)
    try:
        with MintClient() as client:
            minted = client.send(prepared, api_key.value)
    except RealtimeGuiError as exc:
        record_cli_mint(args.profile, prepared, error=exc, preset=args.preset)
        raise
    record_cli_mint(args.profile, prepared, minted=minted, preset=args.preset)
    io.stdout.write(render(kind, minted, connection) + "\n")
    remaining = minted.expires_at - time.time()
    details = [f"expires {format_local_time(minted.expires_at)} (in {format_remaining(remaining)})"]
    if minted.session_id:
        details.append(f"session {minted.session_id}")
    if minted.model:
        details.append(f"model {minted.model}")
    io.stderr.write(f"Minted a {minted.api.label} client secret: {', '.join(details)}.\n")
    return EXIT_OK


def _run_key(
    args: argparse.Namespace, env: Mapping[str, str], store: KeyStore, io: _Streams
) -> int:
    from .core.profiles import chosen_profile

    profile = chosen_profile(args.profile, env)
    if args.key_command == "set":
        if io.stdin.isatty():
            raw = getpass.getpass(f"OpenAI API key for profile '{profile}' (hidden): ")
        else:
            raw = io.stdin.readline()
        backend = store.store(check_key(raw), profile)
        io.stderr.write(f"Saved the key for profile '{profile}' in {backend}.\n")
        if env.get(ENV_VAR, "").strip():
            io.stderr.write(f"Note: {ENV_VAR} is set and overrides the stored key.\n")
        return EXIT_OK
    if args.key_command == "delete":
        backend = store.backend_name()
        if store.delete(profile):
            io.stderr.write(f"Deleted the key for profile '{profile}' from {backend}.\n")
        else:
            io.stderr.write(f"No key was stored for profile '{profile}' in {backend}.\n")
        return EXIT_OK
    status = store.status(profile)
    stored = {True: "yes", False: "no", None: "unknown"}[status.stored]
    lines = [
        f"Backend: {status.backend}",
        f"Profile: {profile}",
        f"Stored key: {stored}",
        f"{ENV_VAR}: "
        + ("set (overrides the stored key)" if status.environment_override else "not set"),
    ]
    io.stdout.write("\n".join(lines) + "\n")
    if status.problem is not None:
        _print_error(status.problem, io.stderr)
        return status.problem.exit_code
    return EXIT_OK if status.has_key else 3


def _print_error(error: RealtimeGuiError, stderr: TextIO) -> None:
    first = f"{PROG}: error: {error.user_message}"
    if error.upstream is not None and (error.upstream.message or error.upstream.code):
        first += f" Server said: {error.upstream.describe()}"
    stderr.write(first.replace("\n", " ") + "\n")
    hint = _CLI_HINTS.get(type(error), error.hint)
    if hint:
        stderr.write(f"hint: {hint}\n")


# Hints that name the command line's own way out (core's hints are front-end neutral).
_CLI_HINTS: dict[type[RealtimeGuiError], str] = {
    NoApiKey: "Run 'realtime-gui key set' (with --profile NAME for another profile), "
    "or set OPENAI_API_KEY.",
}


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    store: KeyStore | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the CLI; returns the exit code. With no command, opens the window."""
    env = os.environ if env is None else env
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    if args.self_test:
        from .selftest import run_self_test

        return run_self_test(stdout, env=env)
    if args.command is None:
        from .app import main as run_window  # Qt is imported only on this path

        return run_window()
    store = store or KeyStore(env=env)
    io = _Streams(stdin, stdout, stderr)
    try:
        if args.command in ("mint", "preview", "serve", "test", "snippet"):
            command_profile(args, env, stderr)  # exit 2 for an unknown one, before anything
        if args.command == "profile":
            return run_profile(args, env, store, io)
        if args.command == "mint":
            return _run_mint(args, env, store, io)
        if args.command == "preview":
            return _run_preview(args, env, io)
        if args.command == "convert":
            return _run_convert(args, io)
        if args.command == "snippet":
            from .cli_snippets import run_snippet

            return run_snippet(args, env, io.stdout)
        if args.command == "serve":
            from .cli_serve import run_serve

            return run_serve(args, env, store, io)
        if args.command == "preset":
            from .cli_presets import run_preset

            return run_preset(args, env, io)
        if args.command == "history":
            return run_history(args, io.stdout, io.stderr)
        if args.command == "test":
            from .cli_connection import run_test

            return run_test(args, env, store, io)
        return _run_key(args, env, store, io)
    except RealtimeGuiError as exc:
        _print_error(exc, stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: never a traceback
        stderr.write(
            f"{PROG}: internal error ({type(exc).__name__}); please report it with the command "
            "you ran (not your key).\n"
        )
        return EXIT_INTERNAL


def entry_point() -> None:
    """Console-script entry point (kept for callers of ``realtime_gui.cli``)."""
    from .launch import entry_point as launch

    launch()
