"""``realtime-gui test``: prove that a fresh secret opens a Realtime session, and say hello."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .cli_options import positive_float
from .core.credentials import KeyStore

if TYPE_CHECKING:
    from .cli import _Streams
    from .core.connection_test import ConnectionTestResult

__all__ = ["add_test_command", "run_test"]

_DEFAULT_CONNECT_TIMEOUT = 15.0  # repeated from core.connection_test so --help stays light


def add_test_command(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_request_arguments: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``test`` with every flag ``mint`` takes, plus --say, --json, --connect-timeout."""
    test = commands.add_parser(
        "test",
        help="mint a sibling secret and check that it opens a Realtime session",
        description="Mint a fresh secret with the same flags as mint (never one you were "
        "shown: a secret opens one session only), open the Realtime WebSocket with it, wait "
        "for session.created and report the time to connect, the session id and the model; "
        "with --say, send one text message and print the reply. Exit codes: 0 connected, "
        "2 invalid input (nothing sent), 3 no key, 4 the API refused (mint, upgrade, error "
        "event or close), 5 network failure, timeout or a dropped connection.",
    )
    add_request_arguments(test)
    test.add_argument(
        "--say", metavar="TEXT", help="send TEXT as a user message and print the text reply"
    )
    test.add_argument(
        "--json",
        action="store_true",
        help="print {connected, connect_ms, session_id, model, session, reply, differences}",
    )
    test.add_argument(
        "--connect-timeout",
        type=positive_float,
        default=_DEFAULT_CONNECT_TIMEOUT,
        metavar="SECONDS",
        help="limit from the start of the connection up to session.created (default 15); "
        "the mint keeps --timeout",
    )


def run_test(
    args: argparse.Namespace, env: Mapping[str, str], store: KeyStore, io: _Streams
) -> int:
    """Check the input, read the key, run the test and print what it saw."""
    from .cli import _connection, _note_extra, request_config
    from .core.connection_test import ConnectionTester
    from .core.errors import InvalidInput
    from .core.request import prepare

    config = request_config(args, io.stdin)
    connection = _connection(args, env)
    # Everything that can be checked without the network is checked before the key is read.
    prepared = prepare(config, connection)
    if args.say is not None and not args.say.strip():
        raise InvalidInput.single("say", "is empty; give the text to send, or leave --say out")
    _note_extra(config, io)
    api_key = store.resolve(args.profile)
    result = ConnectionTester().run(
        prepared, connection, api_key.value, say=args.say, connect_timeout=args.connect_timeout
    )
    if args.json:
        io.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        io.stdout.write("".join(line + "\n" for line in result_lines(result)))
    if result.differences:
        io.stderr.write(
            "note: granted differently from what was asked: " + ", ".join(result.differences) + "\n"
        )
    return 0


def result_lines(result: ConnectionTestResult) -> list[str]:
    """The plain output: connected in N ms, session, model and, with --say, the reply."""
    lines = [
        f"connected in {result.connect_ms} ms",
        f"session {result.session_id or '(none)'}",
        f"model {result.model or '(none)'}",
    ]
    if result.reply is not None:
        lines.append(f"reply: {result.reply}")
    return lines
