"""The command line's snippets: ``mint --as KIND`` and ``realtime-gui snippet KIND`` for serve."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TextIO

from .cli_profiles import add_profile_argument, command_connection
from .core.endpoint import Connection, Provider
from .core.errors import InvalidInput
from .core.session import ApiShape
from .core.snippets import (
    KINDS,
    SERVE_KINDS,
    SERVE_TOKEN_ENV,
    SnippetKind,
    check_available,
    render_for_serve,
)

__all__ = [
    "DEFAULT_SERVE_URL",
    "add_as_argument",
    "add_snippet_command",
    "output_kind",
    "run_snippet",
]

DEFAULT_SERVE_URL = "http://127.0.0.1:8787"  # serve's default address


def _kinds_help(kinds: tuple[SnippetKind, ...]) -> str:
    return "; ".join(f"{k.name}: {k.description}" for k in kinds)


def add_as_argument(mint: argparse.ArgumentParser) -> None:
    """``mint --as KIND``: an unknown kind is an argparse error (exit 2), before anything runs."""
    mint.add_argument(
        "--as",
        dest="as_kind",
        choices=[k.name for k in KINDS],
        default=None,
        metavar="KIND",
        help="print the secret as KIND instead of alone: " + _kinds_help(KINDS),
    )


def output_kind(args: argparse.Namespace, connection: Connection, api: ApiShape) -> str:
    """What ``mint`` prints; checked before the key is read or anything is sent."""
    chosen: str | None = args.as_kind
    if args.json and chosen not in (None, "json"):
        raise InvalidInput.single("--as", f"{chosen} does not mix with --json (= --as json)")
    name = "json" if args.json else chosen or "value"
    check_available(name, connection, api)
    return name


def add_snippet_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    text = (
        "Print a snippet that fetches a fresh secret from a running `realtime-gui serve` on "
        "every run and connects with it. It holds no secret; needs no key and no network. "
        "Give the connection flags serve was started with. Exit 0, or 2 for invalid input."
    )
    snippet = commands.add_parser(
        "snippet", help="print a serve-mode snippet (no secret in it)", description=text
    )
    snippet.add_argument(
        "kind",
        metavar="KIND",
        choices=[k.name for k in SERVE_KINDS],
        help=_kinds_help(SERVE_KINDS),
    )
    snippet.add_argument(
        "--serve-url",
        metavar="URL",
        default=DEFAULT_SERVE_URL,
        help=f"serve's URL (default {DEFAULT_SERVE_URL})",
    )
    snippet.add_argument(
        "--require-token",
        action="store_true",
        help="serve requires its token: Python reads it from "
        f"{SERVE_TOKEN_ENV}, JavaScript from an empty constant to fill in",
    )
    snippet.add_argument(
        "--api", choices=[a.value for a in ApiShape], default=ApiShape.GA.value, help="API shape"
    )
    snippet.add_argument(
        "--provider",
        choices=[p.value for p in Provider],
        default=None,
        help="who runs the API serve mints at (default: the profile's)",
    )
    add_profile_argument(snippet)
    snippet.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (default: OPENAI_BASE_URL, the profile's, or OpenAI's)",
    )
    snippet.add_argument(
        "--model", metavar="M", help="model used when the minted session names none"
    )


def run_snippet(args: argparse.Namespace, env: Mapping[str, str], stdout: TextIO) -> int:
    connection = command_connection(args, env)
    text = render_for_serve(
        args.kind,
        args.serve_url,
        connection,
        ApiShape(args.api),
        model=args.model,
        token_required=args.require_token,
    )
    stdout.write(text + "\n")
    return 0
