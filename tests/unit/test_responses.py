"""Parsing either shape's answer into a MintedSecret, and every non-2xx into an ApiError."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realtime_gui.core.errors import (
    ApiError,
    AuthenticationFailed,
    BadRequest,
    EndpointNotFound,
    PermissionDenied,
    RateLimited,
    RealtimeGuiError,
    ServerError,
    UnusableResponse,
)
from realtime_gui.core.responses import (
    RAW_BODY_LIMIT,
    MintedSecret,
    error_from_response,
    parse_minted,
    parse_retry_after,
)
from realtime_gui.core.session import ApiShape
from tests.doubles import EXPIRES_AT, NOW, SECRET, SESSION_ID

GA, BETA = ApiShape.GA, ApiShape.BETA


def encode(data: Any) -> bytes:
    return json.dumps(data).encode()


def ga_answer(**overrides: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "value": SECRET,
        "expires_at": EXPIRES_AT,
        "session": {
            "type": "realtime",
            "object": "realtime.session",
            "id": SESSION_ID,
            "model": "gpt-realtime",
            "output_modalities": ["audio"],
            "audio": {"output": {"voice": "marin"}},
        },
    }
    answer.update(overrides)
    return answer


def beta_answer(**secret: Any) -> dict[str, Any]:
    return {
        "id": SESSION_ID,
        "object": "realtime.session",
        "model": "gpt-4o-realtime-preview",
        "modalities": ["text", "audio"],
        "voice": "verse",
        "client_secret": {"value": SECRET, "expires_at": EXPIRES_AT, **secret},
    }


def unusable(api: ApiShape, body: bytes, **kwargs: Any) -> UnusableResponse:
    with pytest.raises(UnusableResponse) as caught:
        parse_minted(api, body, **kwargs)
    error = caught.value
    assert error.exit_code == 4
    assert error.user_message
    assert error.hint
    assert error.raw_body is not None
    return error


# -- success ---------------------------------------------------------------------------


def test_ga_answer() -> None:
    minted = parse_minted(GA, encode(ga_answer()), now=NOW)
    assert minted.value == SECRET
    assert minted.expires_at == EXPIRES_AT
    assert minted.session_id == SESSION_ID
    assert minted.model == "gpt-realtime"
    assert minted.api is GA
    assert minted.session["audio"] == {"output": {"voice": "marin"}}
    assert "value" not in minted.session


def test_beta_answer_effective_session_has_no_client_secret() -> None:
    minted = parse_minted(BETA, encode(beta_answer()), now=NOW)
    assert minted.value == SECRET
    assert minted.expires_at == EXPIRES_AT
    assert minted.session_id == SESSION_ID
    assert minted.model == "gpt-4o-realtime-preview"
    assert minted.api is BETA
    assert "client_secret" not in minted.session
    assert minted.session["voice"] == "verse"
    assert SECRET not in json.dumps(dict(minted.session))


def test_ga_transcription_model_comes_from_the_transcription_settings() -> None:
    session = {
        "type": "transcription",
        "id": SESSION_ID,
        "audio": {"input": {"transcription": {"model": "gpt-4o-transcribe", "language": "en"}}},
    }
    minted = parse_minted(GA, encode(ga_answer(session=session)))
    assert minted.model == "gpt-4o-transcribe"
    assert minted.session_id == SESSION_ID


def test_top_level_model_wins_over_transcription_model() -> None:
    session = {
        "model": "gpt-realtime",
        "audio": {"input": {"transcription": {"model": "whisper-1"}}},
    }
    assert parse_minted(GA, encode(ga_answer(session=session))).model == "gpt-realtime"


def test_ga_without_session_still_gives_the_secret() -> None:
    minted = parse_minted(GA, encode({"value": SECRET, "expires_at": EXPIRES_AT}))
    assert minted.value == SECRET
    assert minted.session_id is None
    assert minted.model is None
    assert dict(minted.session) == {}


@pytest.mark.parametrize("session", [[], "sess", 5, None])
def test_ga_session_that_is_not_an_object_is_ignored(session: Any) -> None:
    minted = parse_minted(GA, encode(ga_answer(session=session)))
    assert dict(minted.session) == {}
    assert minted.session_id is None


def test_non_string_id_and_model_become_none() -> None:
    minted = parse_minted(GA, encode(ga_answer(session={"id": 5, "model": ["gpt-realtime"]})))
    assert minted.session_id is None
    assert minted.model is None


def test_float_expiry_is_truncated_to_whole_seconds() -> None:
    minted = parse_minted(GA, encode(ga_answer(expires_at=EXPIRES_AT + 0.9)))
    assert minted.expires_at == EXPIRES_AT
    assert isinstance(minted.expires_at, int)


def test_not_yet_expired_secret_is_accepted_with_now() -> None:
    minted = parse_minted(GA, encode(ga_answer()), now=EXPIRES_AT - 1)
    assert minted.expires_at == EXPIRES_AT


def test_minted_secret_repr_hides_the_value() -> None:
    minted = parse_minted(GA, encode(ga_answer()))
    assert SECRET not in repr(minted)
    assert SECRET not in str(minted)
    assert SESSION_ID in repr(minted)


def test_as_json() -> None:
    minted = parse_minted(BETA, encode(beta_answer()))
    data = minted.as_json()
    assert list(data) == ["value", "expires_at", "session_id", "model", "api", "session"]
    assert data["value"] == SECRET
    assert data["expires_at"] == EXPIRES_AT
    assert data["session_id"] == SESSION_ID
    assert data["model"] == "gpt-4o-realtime-preview"
    assert data["api"] == "beta"
    assert data["session"]["id"] == SESSION_ID
    assert "client_secret" not in data["session"]
    json.dumps(data)  # serialisable as printed by --json


# -- unusable 2xx bodies -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "body", "where", "other"),
    [
        (GA, {"expires_at": EXPIRES_AT}, "value", "--api beta"),
        (GA, {"value": "", "expires_at": EXPIRES_AT}, "value", "--api beta"),
        (GA, {"value": "   ", "expires_at": EXPIRES_AT}, "value", "--api beta"),
        (GA, {"value": 12345, "expires_at": EXPIRES_AT}, "value", "--api beta"),
        (GA, beta_answer(), "value", "--api beta"),
        (BETA, {"id": SESSION_ID}, "client_secret.value", "--api ga"),
        (BETA, {"client_secret": SECRET}, "client_secret.value", "--api ga"),
        (BETA, {"client_secret": {"value": ""}}, "client_secret.value", "--api ga"),
        (BETA, {"client_secret": {"value": None}}, "client_secret.value", "--api ga"),
        (BETA, ga_answer(), "client_secret.value", "--api ga"),
    ],
)
def test_missing_or_empty_secret(api: ApiShape, body: Any, where: str, other: str) -> None:
    error = unusable(api, encode(body))
    assert "no client secret" in error.user_message
    assert where in error.user_message
    assert other in (error.hint or "")


EXPIRY_CASES = [
    pytest.param("1700000600", id="string"),
    pytest.param(True, id="bool"),
    pytest.param(None, id="null"),
    pytest.param(float("nan"), id="nan"),
    pytest.param(float("inf"), id="infinity"),
    pytest.param({"seconds": 600}, id="object"),
]


@pytest.mark.parametrize("expires_at", EXPIRY_CASES)
def test_ga_non_numeric_expiry(expires_at: Any) -> None:
    error = unusable(GA, encode(ga_answer(expires_at=expires_at)))
    assert "expires_at is not a number of seconds" in error.user_message
    assert SECRET not in (error.raw_body or "")
    assert "[secret]" in (error.raw_body or "")


@pytest.mark.parametrize("expires_at", EXPIRY_CASES)
def test_beta_non_numeric_expiry(expires_at: Any) -> None:
    error = unusable(BETA, encode(beta_answer(expires_at=expires_at)))
    assert "client_secret.expires_at is not a number of seconds" in error.user_message
    assert SECRET not in (error.raw_body or "")


def test_missing_expiry_is_unusable() -> None:
    body = ga_answer()
    del body["expires_at"]
    error = unusable(GA, encode(body))
    assert "expires_at" in error.user_message


@pytest.mark.parametrize("api", [GA, BETA])
@pytest.mark.parametrize(
    "body",
    [b"[]", b'"ek_unit_secret"', b"42", b"null", b"not json", b"", b"\xff\xfe\x00", b"{"],
    ids=["list", "string", "number", "null", "text", "empty", "binary", "truncated"],
)
def test_non_object_or_invalid_json(api: ApiShape, body: bytes) -> None:
    error = unusable(api, body)
    assert "not a JSON object" in error.user_message
    assert "base URL" in (error.hint or "")


def test_html_page_is_kept_as_raw_body() -> None:
    error = unusable(GA, b"<html><body>Welcome</body></html>")
    assert error.raw_body == "<html><body>Welcome</body></html>"


def test_raw_body_is_cut_at_the_limit() -> None:
    error = unusable(GA, b"x" * (RAW_BODY_LIMIT * 3))
    assert len(error.raw_body or "") == RAW_BODY_LIMIT


@pytest.mark.parametrize("api", [GA, BETA])
@pytest.mark.parametrize("offset", [0, -600])
def test_expired_secret_with_now(api: ApiShape, offset: int) -> None:
    body = ga_answer() if api is GA else beta_answer()
    error = unusable(api, encode(body), now=EXPIRES_AT - offset)
    assert "already expired" in error.user_message
    assert datetime.fromtimestamp(EXPIRES_AT, tz=timezone.utc).isoformat() in error.user_message
    assert "clock" in (error.hint or "")
    assert SECRET not in (error.raw_body or "")


def test_expiry_is_not_checked_without_now() -> None:
    assert parse_minted(GA, encode(ga_answer(expires_at=1))).expires_at == 1


@pytest.mark.parametrize("api", [GA, BETA])
def test_absurd_past_expiry_is_unusable_not_a_crash(api: ApiShape) -> None:
    body = ga_answer(expires_at=-1e20) if api is GA else beta_answer(expires_at=-1e20)
    unusable(api, encode(body), now=NOW)


# -- error_from_response -----------------------------------------------------------------


def error_body(message: str, code: str | None, param: str | None = None) -> bytes:
    return encode(
        {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "code": code,
                "param": param,
            }
        }
    )


def test_beta_shape_disabled_hints_at_ga() -> None:
    body = error_body("The Beta API shape is disabled.", "beta_api_shape_disabled")
    error = error_from_response(BETA, 400, body, now=NOW)
    assert type(error) is BadRequest
    assert error.status == 400
    assert "use the GA API" in (error.hint or "")
    assert "--api ga" in (error.hint or "")
    assert "The Beta API shape is disabled." in str(error)


def test_invalid_type_keeps_the_server_words_verbatim() -> None:
    message = (
        "Invalid type for 'session.audio.input.format': expected an object, "
        "but got a string instead."
    )
    body = error_body(message, "invalid_type", "session.audio.input.format")
    error = error_from_response(GA, 400, body, now=NOW)
    assert type(error) is BadRequest
    assert error.upstream is not None
    assert error.upstream.status == 400
    assert error.upstream.message == message
    assert error.upstream.code == "invalid_type"
    assert error.upstream.param == "session.audio.input.format"
    assert error.upstream.type == "invalid_request_error"
    assert error.raw_body == body.decode()
    text = str(error)
    assert message in text
    assert "code invalid_type" in text
    assert "param session.audio.input.format" in text
    assert "objects" in (error.hint or "")


@pytest.mark.parametrize(
    ("status", "cls", "fragment"),
    [
        (401, AuthenticationFailed, "401"),
        (403, PermissionDenied, "403"),
        (400, BadRequest, "400"),
        (409, BadRequest, "409"),
        (422, BadRequest, "422"),
        (500, ServerError, "500"),
        (502, ServerError, "502"),
        (503, ServerError, "503"),
        (302, UnusableResponse, "302"),
    ],
)
def test_status_maps_to_class(status: int, cls: type[ApiError], fragment: str) -> None:
    error = error_from_response(GA, status, error_body("nope", "some_code"), now=NOW)
    assert type(error) is cls
    assert error.status == status
    assert fragment in error.user_message
    assert error.exit_code == 4
    assert error.upstream is not None
    assert error.upstream.message == "nope"


def test_401_default_hint() -> None:
    error = error_from_response(GA, 401, b"{}", now=NOW)
    assert type(error) is AuthenticationFailed
    assert "API key" in (error.hint or "")


def test_401_invalid_api_key_code_hint() -> None:
    error = error_from_response(GA, 401, error_body("bad key", "invalid_api_key"), now=NOW)
    assert type(error) is AuthenticationFailed
    assert "revoked" in (error.hint or "")


def test_403_hint_names_the_missing_scope() -> None:
    body = error_body("Missing scopes: model.request", None)
    error = error_from_response(GA, 403, body, now=NOW)
    assert "model.request" in (error.hint or "")
    assert "Missing scopes: model.request" in str(error)


@pytest.mark.parametrize(("api", "other"), [(GA, "--api beta"), (BETA, "--api ga")])
def test_404_hint_names_the_other_shape(api: ApiShape, other: str) -> None:
    error = error_from_response(api, 404, b"Not Found", now=NOW)
    assert type(error) is EndpointNotFound
    assert api.label in error.user_message
    assert other in (error.hint or "")
    assert "/v1" in (error.hint or "")


def test_404_with_a_known_code_uses_the_code_hint() -> None:
    body = error_body("The Beta API shape is disabled.", "beta_api_shape_disabled")
    error = error_from_response(BETA, 404, body, now=NOW)
    assert type(error) is EndpointNotFound
    assert "use the GA API" in (error.hint or "")


def test_429_retry_after_seconds() -> None:
    body = error_body("Rate limit reached.", "rate_limit_exceeded")
    error = error_from_response(GA, 429, body, retry_after="7", now=NOW)
    assert type(error) is RateLimited
    assert error.retry_after == 7.0
    assert error.status == 429
    assert "Retry in 7 s." in error.user_message
    assert "Rate limit reached." in str(error)


def test_429_retry_after_http_date() -> None:
    when = datetime.fromtimestamp(NOW + 90, tz=timezone.utc)
    error = error_from_response(
        GA, 429, b"{}", retry_after=format_datetime(when, usegmt=True), now=NOW
    )
    assert isinstance(error, RateLimited)
    assert error.retry_after == pytest.approx(90.0)
    assert "Retry in 90 s." in error.user_message


def test_429_fractional_retry_after_rounds_up() -> None:
    error = error_from_response(GA, 429, b"{}", retry_after="2.1", now=NOW)
    assert "Retry in 3 s." in error.user_message


def test_429_without_retry_after() -> None:
    error = error_from_response(GA, 429, b"{}", now=NOW)
    assert isinstance(error, RateLimited)
    assert error.retry_after is None
    assert "Wait a little before retrying." in error.user_message


def test_429_insufficient_quota_hint() -> None:
    body = error_body("You exceeded your current quota.", "insufficient_quota")
    error = error_from_response(GA, 429, body, now=NOW)
    assert "quota" in (error.hint or "")


@pytest.mark.parametrize("status", [500, 503])
def test_server_error_with_an_html_body(status: int) -> None:
    html = b"<html><head><title>503 Service Unavailable</title></head></html>"
    error = error_from_response(GA, status, html, now=NOW)
    assert type(error) is ServerError
    assert error.upstream is not None
    assert error.upstream.message is None
    assert error.upstream.code is None
    assert "Server said" not in str(error)
    assert error.raw_body == html.decode()
    assert "server's side" in (error.hint or "")


def test_error_given_as_a_plain_string() -> None:
    error = error_from_response(GA, 400, encode({"error": "bad things"}), now=NOW)
    assert error.upstream is not None
    assert error.upstream.message == "bad things"


def test_non_string_error_fields_are_kept_as_json_text() -> None:
    body = encode({"error": {"message": ["a", "b"], "code": 42, "param": {"x": 1}}})
    error = error_from_response(GA, 400, body, now=NOW)
    assert error.upstream is not None
    assert error.upstream.message == '["a", "b"]'
    assert error.upstream.code == "42"
    assert error.upstream.param == '{"x": 1}'


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500])
def test_api_errors_exit_with_4(status: int) -> None:
    error = error_from_response(GA, status, b"", now=NOW)
    assert isinstance(error, ApiError)
    assert error.exit_code == 4


# -- parse_retry_after --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("", None),
        ("7", 7.0),
        ("  7  ", 7.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("nan", None),
        ("inf", None),
        ("1e999", None),
        ("soon", None),
        ("Mon, 99 Jan 2020 00:00:00 GMT", None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_parse_retry_after_dates() -> None:
    future = datetime.fromtimestamp(NOW + 120, tz=timezone.utc)
    past = datetime.fromtimestamp(NOW - 120, tz=timezone.utc)
    assert parse_retry_after(format_datetime(future, usegmt=True), now=NOW) == pytest.approx(120)
    assert parse_retry_after(format_datetime(past, usegmt=True), now=NOW) == 0.0
    # "-0000" means UTC with no zone information: still read as UTC.
    naive = future.strftime("%a, %d %b %Y %H:%M:%S -0000")
    assert parse_retry_after(naive, now=NOW) == pytest.approx(120)
    # The same wall-clock time one hour west of UTC is an hour later.
    west = future.strftime("%a, %d %b %Y %H:%M:%S -0100")
    assert parse_retry_after(west, now=NOW) == pytest.approx(120 + 3600)


def test_parse_retry_after_absurd_date_is_ignored() -> None:
    value = "Mon, 01 Jan 2020 99999999999999999999:00:00 GMT"
    assert parse_retry_after(value, now=NOW) is None


# -- properties: whatever arrives, only RealtimeGuiError comes out ------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)
# Objects with the keys either shape looks at, so the parser gets past its first checks.
KNOWN_KEYS = st.sampled_from(
    [
        "value",
        "expires_at",
        "session",
        "client_secret",
        "id",
        "model",
        "audio",
        "input",
        "transcription",
        "error",
        "message",
        "code",
        "param",
        "type",
    ]
)
SHAPED = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(KNOWN_KEYS | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=30,
)
STATUSES = st.integers(min_value=100, max_value=599)


def check_minted(minted: MintedSecret) -> None:
    assert isinstance(minted.value, str)
    assert minted.value.strip()
    assert isinstance(minted.expires_at, int)
    assert minted.session_id is None or isinstance(minted.session_id, str)
    assert minted.model is None or isinstance(minted.model, str)


@settings(max_examples=300, deadline=None, database=None)
@given(api=st.sampled_from(ApiShape), body=st.binary(max_size=512))
def test_parse_minted_arbitrary_bytes(api: ApiShape, body: bytes) -> None:
    try:
        minted = parse_minted(api, body)
    except RealtimeGuiError as exc:
        assert isinstance(exc, UnusableResponse)
    else:
        check_minted(minted)


@settings(max_examples=300, deadline=None, database=None)
@given(api=st.sampled_from(ApiShape), data=JSON | SHAPED, now=st.none() | st.just(NOW))
def test_parse_minted_arbitrary_json(api: ApiShape, data: Any, now: float | None) -> None:
    try:
        minted = parse_minted(api, json.dumps(data).encode(), now=now)
    except RealtimeGuiError as exc:
        assert isinstance(exc, UnusableResponse)
    else:
        check_minted(minted)


@settings(max_examples=300, deadline=None, database=None)
@given(
    api=st.sampled_from(ApiShape),
    status=STATUSES,
    body=st.binary(max_size=512),
    retry_after=st.none() | st.text(max_size=40),
)
def test_error_from_response_arbitrary_bytes(
    api: ApiShape, status: int, body: bytes, retry_after: str | None
) -> None:
    error = error_from_response(api, status, body, retry_after=retry_after, now=NOW)
    assert isinstance(error, ApiError)
    assert error.status == status


@settings(max_examples=300, deadline=None, database=None)
@given(api=st.sampled_from(ApiShape), status=STATUSES, data=JSON | SHAPED)
def test_error_from_response_arbitrary_json(api: ApiShape, status: int, data: Any) -> None:
    error = error_from_response(api, status, json.dumps(data).encode(), now=NOW)
    assert isinstance(error, ApiError)
    str(error)
    repr(error)
    if isinstance(error, RateLimited):
        assert error.retry_after is None


@settings(max_examples=300, deadline=None, database=None)
@given(seconds=st.floats(allow_nan=True, allow_infinity=True))
def test_parse_retry_after_is_never_negative_or_infinite(seconds: float) -> None:
    result = parse_retry_after(repr(seconds), now=NOW)
    assert result is None or (math.isfinite(result) and result >= 0)
