"""Turning either shape's HTTP answer into a MintedSecret or an ApiError."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .errors import (
    ApiError,
    AuthenticationFailed,
    BadRequest,
    EndpointNotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnusableResponse,
    UpstreamError,
)
from .session import ApiShape

if TYPE_CHECKING:
    from .request import PreparedRequest

__all__ = ["MintedSecret", "error_from_response", "parse_minted", "parse_retry_after"]

# A raw body shown in Details is cut here, so a 10 MB error page cannot flood the UI.
RAW_BODY_LIMIT = 16_384
# Secrets live at most 7200 s; an expiry further ahead than this is not in seconds.
MAX_SECONDS_AHEAD = 7200 + 86_400

# Hints for upstream error codes, keyed by the server's own `code`.
_CODE_HINTS = {
    "beta_api_shape_disabled": (
        "This server no longer accepts the Beta shape; use the GA API (--api ga)."
    ),
    "invalid_api_key": "Check the API key (Set key…); it may be revoked or for another provider.",
    "insufficient_quota": "The account is out of quota; check billing for this key's project.",
    "invalid_model": "Pick a model this API shape and account offer.",
    "unknown_parameter": "A field is not known to this API shape; check the GA/Beta choice.",
    "invalid_type": "A field has the wrong type; audio formats in GA are objects, not strings.",
}


@dataclass(frozen=True)
class MintedSecret:
    """A client secret and what the server said about the session it unlocks."""

    value: str = field(repr=False)
    expires_at: int
    session_id: str | None
    model: str | None
    session: Mapping[str, Any] = field(repr=False, compare=False)
    api: ApiShape
    # What was sent for it (MintClient.send fills it in), so views can set the granted
    # session beside the requested one without remembering the request themselves.
    request: PreparedRequest | None = field(default=None, repr=False, compare=False)
    # The whole 2xx JSON object as the server sent it (it holds the secret: never shown),
    # so a token endpoint can hand it on verbatim.
    upstream: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` form: value, expires_at, session_id, model, api, session."""
        return {
            "value": self.value,
            "expires_at": self.expires_at,
            "session_id": self.session_id,
            "model": self.model,
            "api": self.api.value,
            "session": dict(self.session),
        }


def _decode_text(body: bytes) -> str:
    return body[:RAW_BODY_LIMIT].decode("utf-8", errors="replace")


def _load_object(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


def _expiry(raw: Any, *, where: str, raw_body: str, api: ApiShape) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise UnusableResponse(
            f"The response's {where} is not a number of seconds ({_short(raw)}).",
            hint="The server does not speak this API shape; check the base URL and GA/Beta.",
            raw_body=raw_body,
        )
    return int(raw)


def _stamp(unix_seconds: int) -> str:
    try:
        return datetime.fromtimestamp(unix_seconds, tz=timezone.utc).isoformat()
    except (OverflowError, ValueError, OSError):
        return f"unix time {unix_seconds}"


def _masked(data: dict[str, Any], parent: tuple[str, ...]) -> str:
    """``data`` as JSON text with the secret ``value`` under ``parent`` replaced."""
    copy = dict(data)
    target = copy
    for key in parent:
        target[key] = dict(target[key])
        target = target[key]
    target["value"] = "[secret]"
    return json.dumps(copy, indent=2)[:RAW_BODY_LIMIT]


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _secret_value(raw: Any, *, where: str, raw_body: str, api: ApiShape) -> str:
    if not isinstance(raw, str) or not raw.strip():
        other = ApiShape.BETA if api is ApiShape.GA else ApiShape.GA
        raise UnusableResponse(
            f"The response has no client secret ({where} is missing or empty).",
            hint=(
                f"The server may speak the {other.label} shape; try --api {other.value}, "
                "or check the base URL."
            ),
            raw_body=raw_body,
        )
    return raw


def parse_minted(api: ApiShape, body: bytes, *, now: float | None = None) -> MintedSecret:
    """Parse a 2xx body of either shape; raise UnusableResponse if it has no usable secret.

    ``now`` (unix seconds) enables the check that the secret is not already expired.
    """
    raw_body = _decode_text(body)
    data = _load_object(body)
    if data is None:
        raise UnusableResponse(
            "The server answered with something that is not a JSON object.",
            hint="Check the base URL: it should point at an OpenAI-compatible /v1 API.",
            raw_body=raw_body,
        )
    if api is ApiShape.GA:
        value = _secret_value(data.get("value"), where="value", raw_body=raw_body, api=api)
        # From here on the Details view shows the body re-encoded with the secret masked,
        # so no spelling of it (escaped or not) can reach the screen.
        raw_body = _masked(data, ())
        expires_at = _expiry(data.get("expires_at"), where="expires_at", raw_body=raw_body, api=api)
        session = data.get("session")
        session = dict(session) if isinstance(session, dict) else {}
    else:
        client_secret = data.get("client_secret")
        if not isinstance(client_secret, dict):
            client_secret = {}
        value = _secret_value(
            client_secret.get("value"), where="client_secret.value", raw_body=raw_body, api=api
        )
        raw_body = _masked(data, ("client_secret",))
        expires_at = _expiry(
            client_secret.get("expires_at"),
            where="client_secret.expires_at",
            raw_body=raw_body,
            api=api,
        )
        session = {k: v for k, v in data.items() if k != "client_secret"}
    if now is not None and expires_at <= now:
        raise UnusableResponse(
            f"The secret the server returned had already expired ({_stamp(expires_at)}).",
            hint="Check this computer's clock, and the lifetime you asked for.",
            raw_body=raw_body,
        )
    if now is not None and expires_at > now + MAX_SECONDS_AHEAD:
        raise UnusableResponse(
            f"The secret's expiry ({_stamp(expires_at)}) is implausibly far away.",
            hint="The server may send milliseconds instead of seconds, or this computer's "
            "clock is wrong.",
            raw_body=raw_body,
        )
    session_id = session.get("id")
    model = session.get("model")
    if model is None:
        # A GA transcription session names its model under audio.input.transcription.
        model = _dig(session, "audio", "input", "transcription", "model")
    return MintedSecret(
        value=value,
        expires_at=expires_at,
        session_id=session_id if isinstance(session_id, str) else None,
        model=model if isinstance(model, str) else None,
        session=session,
        api=api,
        upstream=data,
    )


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime  # only for the rare HTTP-date form

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        try:
            seconds = when.timestamp() - now
        except (OverflowError, ValueError, OSError):
            return None
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _upstream(status: int, data: dict[str, Any] | None) -> UpstreamError:
    error = data.get("error") if data else None
    if isinstance(error, dict):
        return UpstreamError(
            status=status,
            message=_as_text(error.get("message")),
            type=_as_text(error.get("type")),
            code=_as_text(error.get("code")),
            param=_as_text(error.get("param")),
        )
    if isinstance(error, str):
        return UpstreamError(status=status, message=error)
    return UpstreamError(status=status)


def error_from_response(
    api: ApiShape,
    status: int,
    body: bytes,
    *,
    retry_after: str | None = None,
    now: float,
) -> ApiError:
    """The ApiError for a non-2xx answer, with the server's words verbatim."""
    raw_body = _decode_text(body)
    upstream = _upstream(status, _load_object(body))
    hint = _CODE_HINTS.get(upstream.code or "")
    common: dict[str, Any] = {"status": status, "upstream": upstream, "raw_body": raw_body}
    if status == 401:
        return AuthenticationFailed(
            "The server did not accept the API key (401).", hint=hint, **common
        )
    if status == 403:
        return PermissionDenied(
            "The API key may not mint client secrets here (403).", hint=hint, **common
        )
    if status == 404:
        other = ApiShape.BETA if api is ApiShape.GA else ApiShape.GA
        return EndpointNotFound(
            f"The server has no {api.label} client-secret endpoint at this URL (404).",
            hint=hint
            or (
                f"Try the other API shape (--api {other.value}), or check the base URL "
                "(it usually ends in /v1)."
            ),
            **common,
        )
    if status == 429:
        seconds = parse_retry_after(retry_after, now=now)
        when = (
            f"Retry in {math.ceil(seconds)} s."
            if seconds is not None
            else "Wait a little before retrying."
        )
        return RateLimited(
            f"Rate limited by the server (429). {when}",
            retry_after=seconds,
            hint=hint,
            **common,
        )
    if status >= 500:
        return ServerError(f"The server failed ({status}).", hint=hint, **common)
    if 400 <= status < 500:
        return BadRequest(f"The server rejected the request ({status}).", hint=hint, **common)
    return UnusableResponse(
        f"The server answered with an unexpected status ({status}).", hint=hint, **common
    )
