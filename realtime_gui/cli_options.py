"""The mint options every command shares: API shape, session fields, connection, whole body."""

from __future__ import annotations

import argparse

from .cli_profiles import add_profile_argument
from .core.fields import field
from .core.session import (
    AUDIO_FORMATS,
    MODALITIES,
    NOISE_REDUCTION_TYPES,
    ApiShape,
    SessionType,
)

__all__ = ["add_request_arguments", "positive_float"]


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (0 < value <= 600):
        raise argparse.ArgumentTypeError("must be more than 0 and at most 600 seconds")
    return value


def _max_tokens(text: str) -> int | str:
    if text == "inf":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'a whole number or "inf", got {text!r}') from None


def _range(name: str) -> str:
    """A field's range as the fields table declares it, in ASCII for any terminal."""
    span = field(name).span
    if span is None:
        raise LookupError(f"{name} has no range in the fields table")
    return span.text(dash="-")


def add_request_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags mint and preview share: shape, session fields, connection, whole body."""
    shape = parser.add_argument_group("API shape")
    shape.add_argument(
        "--api",
        choices=[a.value for a in ApiShape],
        default=ApiShape.GA.value,
        help="ga: POST /realtime/client_secrets (default); beta: POST /realtime/sessions",
    )
    shape.add_argument(
        "--type",
        dest="session_type",
        choices=[t.value for t in SessionType],
        default=None,
        help="GA session type (default realtime)",
    )
    session = parser.add_argument_group("session")
    session.add_argument(
        "--model", help="realtime model, or the transcription model with --type transcription"
    )
    session.add_argument("--voice", help="built-in voice (e.g. marin) or a custom voice_... id")
    text = session.add_mutually_exclusive_group()
    text.add_argument("--instructions", metavar="TEXT", help="system instructions")
    text.add_argument(
        "--instructions-file", metavar="PATH", help="read instructions from a file (- = stdin)"
    )
    session.add_argument(
        "--modality",
        dest="modalities",
        action="append",
        choices=MODALITIES,
        default=[],
        help="output modality; GA takes one, Beta repeats it for text and audio",
    )
    # Ranges and choices come from the fields table (choices through session.py).
    session.add_argument(
        "--ttl", type=int, metavar="SECONDS", help=f"secret lifetime, {_range('ttl_seconds')}"
    )
    session.add_argument("--speed", type=float, help=f"speech speed, {_range('speed')}")
    session.add_argument("--temperature", type=float, help=f"Beta only, {_range('temperature')}")
    session.add_argument(
        "--max-output-tokens",
        type=_max_tokens,
        metavar="N|inf",
        help=_range("max_output_tokens"),
    )
    session.add_argument("--input-format", choices=AUDIO_FORMATS, help="input audio format")
    session.add_argument("--output-format", choices=AUDIO_FORMATS, help="output audio format")
    session.add_argument("--noise-reduction", choices=NOISE_REDUCTION_TYPES)
    session.add_argument(
        "--transcription-model", metavar="MODEL", help="input audio transcription model"
    )
    session.add_argument("--language", metavar="ISO639", help="transcription language (en, de…)")
    session.add_argument("--transcription-prompt", metavar="TEXT")
    where = parser.add_argument_group("connection")
    where.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (default $OPENAI_BASE_URL, else the profile's, else OpenAI's)",
    )
    where.add_argument(
        "--provider",
        choices=["openai", "azure"],
        default=None,
        help="openai: Authorization: Bearer; azure: api-key header (default: the profile's)",
    )
    add_profile_argument(where)
    where.add_argument(
        "--timeout", type=positive_float, metavar="SECONDS", help="overall timeout (default 20)"
    )
    body = parser.add_argument_group("whole body")
    body.add_argument(
        "--preset",
        metavar="NAME",
        help="start from this preset (realtime-gui preset list); session flags and --set "
        "given alongside override its fields",
    )
    body.add_argument(
        "--body-file",
        metavar="PATH",
        help="send this JSON body (- for stdin), validated first; the session flags do not "
        "mix with it, --set does",
    )
    body.add_argument(
        "--set",
        dest="assignments",
        metavar="PATH=VALUE",
        action="append",
        default=[],
        help="set any body field, e.g. session.audio.input.turn_detection.type=semantic_vad; "
        "VALUE is parsed as JSON when it parses, else taken as a string (repeatable)",
    )
