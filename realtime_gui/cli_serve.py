"""``realtime-gui serve``: a local token endpoint that mints a fresh secret per request."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from types import FrameType
from typing import TYPE_CHECKING

from .core.credentials import KeyStore

if TYPE_CHECKING:
    from .cli import _Streams
    from .core.serve import ServeEvent

__all__ = ["add_serve_command", "run_serve"]

_DEFAULT_PORT = 8787  # repeated from core.serve so `--help` does not import uvicorn
_DEFAULT_RATE = 30
_DEFAULT_MAX_TTL = 600


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be 0-65535 (0 picks a free port)")
    return value


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low}-{high}")
        return value

    return parse


def add_serve_command(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_request_arguments: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``serve`` with the session and connection flags ``mint`` takes."""
    serve = commands.add_parser(
        "serve",
        help="serve fresh client secrets to local prototypes (GET/POST /token)",
        description="Run a local token endpoint: every request to /token, /session or "
        "POST /v1/realtime/client_secrets mints a fresh secret with the session the flags "
        "describe; GET /health answers without minting. Prints 'URL ...' (and 'TOKEN ...' "
        "when one is required) on stdout, then one line per request on stderr. Ctrl+C stops "
        "it. Exit codes: 2 invalid options, 3 no key, 1 the port is in use.",
    )
    add_request_arguments(serve)
    where = serve.add_argument_group("serving")
    where.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1); anything not loopback requires a token",
    )
    where.add_argument(
        "--port", type=_port, default=_DEFAULT_PORT, help=f"default {_DEFAULT_PORT}; 0 = free"
    )
    where.add_argument(
        "--origin",
        dest="origins",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow this browser origin, e.g. https://app.example:8443 or http://dev.local:* "
        "('*' only as the port); http://localhost:* and http://127.0.0.1:* always are",
    )
    where.add_argument(
        "--require-token",
        action="store_true",
        help="require Authorization: Bearer <token> (a random token unless --token-file)",
    )
    where.add_argument(
        "--token-file", metavar="PATH", help="read the token from this file (implies a token)"
    )
    where.add_argument(
        "--rate",
        type=_bounded(1, 10_000),
        default=_DEFAULT_RATE,
        metavar="N",
        help=f"at most N mints a minute (default {_DEFAULT_RATE}); beyond: 429",
    )
    where.add_argument(
        "--allow-override",
        dest="allow_override",
        action="append",
        default=[],
        metavar="FIELD",
        help="a dotted GA path callers may set in their body, e.g. session.instructions",
    )
    where.add_argument(
        "--max-ttl",
        type=_bounded(10, 7200),
        default=_DEFAULT_MAX_TTL,
        metavar="SECONDS",
        help=f"callers' expires_after.seconds is clamped to this (default {_DEFAULT_MAX_TTL})",
    )


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (main thread only; elsewhere the caller stops it)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, object] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread: the caller stops it
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)  # type: ignore[arg-type]


def run_serve(
    args: argparse.Namespace,
    env: Mapping[str, str],
    store: KeyStore,
    io: _Streams,
    *,
    stop: threading.Event | None = None,
) -> int:
    """Check everything, start the server, print URL/TOKEN, log requests until stopped."""
    from .cli import _connection, _note_extra, request_config
    from .core.errors import InvalidInput
    from .core.request import prepare
    from .core.serve import (
        ServePolicy,
        ServeServer,
        allowed_origins,
        is_loopback,
        new_token,
        read_token_file,
    )

    origins = allowed_origins(args.origins)
    config = request_config(args, io.stdin)
    connection = _connection(args, env)
    prepare(config, connection)  # every session and connection problem: exit 2, no key read
    _note_extra(config, io)
    for path in args.allow_override:
        if not path or any(not part for part in path.split(".")):
            raise InvalidInput.single("allow_override", f"is not a dotted path: {path!r}")
    token = None
    if args.token_file is not None:
        token = read_token_file(args.token_file)
    elif args.require_token or not is_loopback(args.host):
        token = new_token()
    api_key = store.resolve(args.profile)
    policy = ServePolicy(
        origins=origins,
        token=token,
        rate=args.rate,
        allow_override=frozenset(args.allow_override),
        max_ttl=args.max_ttl,
    )
    server = ServeServer(
        config,
        connection,
        api_key.value,
        policy=policy,
        host=args.host,
        port=args.port,
        profile=args.profile,
    )

    def log(event: ServeEvent) -> None:
        io.stderr.write(event.log_line() + "\n")
        io.stderr.flush()

    server.subscribe(log)
    stop = stop or threading.Event()
    with _stop_on_signals(stop):
        server.start()
        try:
            if not is_loopback(args.host):
                io.stderr.write(
                    f"warning: listening on {args.host}, not loopback: anyone who can reach "
                    "this port and knows the token can mint secrets on your key. Use it on "
                    "trusted networks only.\n"
                )
            io.stdout.write(f"URL {server.url}\n")
            if server.token is not None:
                io.stdout.write(f"TOKEN {server.token}\n")
            io.stdout.flush()
            io.stderr.write(
                f"Serving {config.api.label} secrets ({api_key.describe()}); Ctrl+C stops.\n"
            )
            io.stderr.flush()
            while not stop.wait(0.1):
                pass
        finally:
            server.stop()
    io.stderr.write("Stopped.\n")
    return 0
