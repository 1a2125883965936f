"""The error hierarchy: exit codes, the message a user reads, and what repr keeps out."""

from __future__ import annotations

import pytest

from realtime_gui.core import errors
from realtime_gui.core.errors import (
    ApiError,
    AuthenticationFailed,
    BadRequest,
    ConnectionFailed,
    ConnectionTestCancelled,
    CredentialError,
    EndpointNotFound,
    FieldProblem,
    InvalidInput,
    KeyringLocked,
    KeyringUnavailable,
    MintCancelled,
    NetworkError,
    NoApiKey,
    PermissionDenied,
    RateLimited,
    RealtimeClosed,
    RealtimeDropped,
    RealtimeErrorEvent,
    RealtimeGuiError,
    RequestTimeout,
    ServerError,
    TlsError,
    UnusableResponse,
    UpstreamError,
)

# The tree in the module docstring: class -> (parent, exit code of `realtime-gui mint`).
TREE: dict[type[RealtimeGuiError], tuple[type[RealtimeGuiError], int]] = {
    InvalidInput: (RealtimeGuiError, 2),
    CredentialError: (RealtimeGuiError, 3),
    NoApiKey: (CredentialError, 3),
    KeyringUnavailable: (CredentialError, 3),
    KeyringLocked: (CredentialError, 3),
    ApiError: (RealtimeGuiError, 4),
    BadRequest: (ApiError, 4),
    AuthenticationFailed: (ApiError, 4),
    PermissionDenied: (ApiError, 4),
    EndpointNotFound: (ApiError, 4),
    RateLimited: (ApiError, 4),
    ServerError: (ApiError, 4),
    UnusableResponse: (ApiError, 4),
    RealtimeErrorEvent: (ApiError, 4),
    RealtimeClosed: (ApiError, 4),
    NetworkError: (RealtimeGuiError, 5),
    RequestTimeout: (NetworkError, 5),
    ConnectionFailed: (NetworkError, 5),
    RealtimeDropped: (ConnectionFailed, 5),
    TlsError: (NetworkError, 5),
    MintCancelled: (RealtimeGuiError, 130),
    ConnectionTestCancelled: (MintCancelled, 130),
}

UPSTREAM = UpstreamError(
    status=400,
    message="Invalid type for 'session.audio.input.format': expected an object.",
    type="invalid_request_error",
    code="invalid_type",
    param="session.audio.input.format",
)


def make(cls: type[RealtimeGuiError], **kwargs: object) -> RealtimeGuiError:
    if cls is InvalidInput:
        return InvalidInput([FieldProblem("ttl_seconds", "too short", "expires_after.seconds")])
    return cls("Something failed.", **kwargs)  # type: ignore[arg-type]


def test_tree_covers_every_error_class_in_the_module() -> None:
    exported = {
        getattr(errors, name)
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), RealtimeGuiError)
    }
    assert exported - {RealtimeGuiError} == set(TREE)


@pytest.mark.parametrize("cls", list(TREE), ids=lambda c: c.__name__)
def test_parent_and_exit_code_follow_the_documented_tree(cls: type[RealtimeGuiError]) -> None:
    parent, code = TREE[cls]
    assert cls.__bases__ == (parent,)
    assert cls.exit_code == code
    assert make(cls).exit_code == code


def test_an_event_error_names_no_http_status() -> None:
    # An ``error`` event on the Realtime WebSocket has no HTTP status (0): none is invented.
    upstream = UpstreamError(0, "This ephemeral key has already been used.", None,
                             "ephemeral_token_already_used")  # fmt: skip
    error = RealtimeErrorEvent("The Realtime server sent an error event.", upstream=upstream)
    assert error.lines()[1] == (
        "Server said: code ephemeral_token_already_used: This ephemeral key has already been used."
    )
    assert UpstreamError(0, "Just words.").describe() == "Just words."


def test_a_close_keeps_its_code_and_reason() -> None:
    error = RealtimeClosed("Closed.", close_code=4010, close_reason="quota")
    assert (error.close_code, error.close_reason, error.exit_code) == (4010, "quota", 4)


def test_base_error_is_an_exception_with_exit_code_1() -> None:
    assert issubclass(RealtimeGuiError, Exception)
    assert RealtimeGuiError.exit_code == 1


@pytest.mark.parametrize(
    "cls", [c for c in TREE if c is not InvalidInput], ids=lambda c: c.__name__
)
def test_str_has_message_upstream_verbatim_and_hint(cls: type[RealtimeGuiError]) -> None:
    error = cls("Could not mint.", hint="Do this next.", upstream=UPSTREAM, raw_body="{}")
    lines = str(error).splitlines()
    assert lines[0] == "Could not mint."
    assert lines[1].startswith("Server said: ")
    assert "HTTP 400" in lines[1]
    assert "code invalid_type" in lines[1]
    assert "param session.audio.input.format" in lines[1]
    assert lines[1].endswith(UPSTREAM.message or "")
    assert lines[2] == "Hint: Do this next."
    assert len(lines) == 3
    assert error.user_message == "Could not mint."
    assert error.raw_body == "{}"
    assert error.upstream is UPSTREAM


@pytest.mark.parametrize(
    "cls", [c for c in TREE if c is not InvalidInput], ids=lambda c: c.__name__
)
def test_repr_leaves_out_upstream_text_and_raw_body(cls: type[RealtimeGuiError]) -> None:
    error = cls("Could not mint.", hint="Do this next.", upstream=UPSTREAM, raw_body="RAW-BODY")
    text = repr(error)
    assert text.startswith(cls.__name__ + "(")
    assert "Could not mint." in text
    for leaked in (UPSTREAM.message or "", "invalid_type", "RAW-BODY", "Do this next."):
        assert leaked not in text


def test_upstream_with_only_a_status_adds_no_server_line() -> None:
    error = BadRequest("Rejected.", upstream=UpstreamError(status=400))
    assert "Server said" not in str(error)
    assert str(error).splitlines()[0] == "Rejected."


def test_upstream_with_only_a_code_is_still_shown() -> None:
    error = BadRequest("Rejected.", upstream=UpstreamError(status=400, code="unknown_parameter"))
    assert "Server said: HTTP 400, code unknown_parameter" in str(error)


def test_upstream_describe_joins_status_code_param_and_message() -> None:
    assert UPSTREAM.describe() == (
        "HTTP 400, code invalid_type, param session.audio.input.format: "
        "Invalid type for 'session.audio.input.format': expected an object."
    )
    assert UpstreamError(status=503).describe() == "HTTP 503"
    assert UpstreamError(status=500, message="boom").describe() == "HTTP 500: boom"


@pytest.mark.parametrize(
    ("cls", "fragment"),
    [
        (NoApiKey, "OPENAI_API_KEY"),
        (AuthenticationFailed, "Check the API key"),
        (PermissionDenied, "model.request"),
        (ServerError, "server's side"),
        (RequestTimeout, "--timeout"),
        (ConnectionFailed, "base URL"),
        (TlsError, "SSL_CERT_FILE"),
    ],
)
def test_default_hints(cls: type[RealtimeGuiError], fragment: str) -> None:
    error = cls("Failed.")
    assert error.hint is not None
    assert fragment in error.hint
    assert f"Hint: {error.hint}" in str(error)


def test_explicit_hint_replaces_the_default_and_empty_hint_is_not_printed() -> None:
    assert NoApiKey("x", hint="Set it.").hint == "Set it."
    assert "Hint" not in str(BadRequest("Rejected."))
    assert "Hint" not in str(NoApiKey("x", hint=""))


def test_api_error_keeps_status_and_rate_limited_keeps_retry_after() -> None:
    assert BadRequest("x", status=422).status == 422
    assert ApiError("x").status is None
    limited = RateLimited("slow down", retry_after=7.0)
    assert limited.retry_after == 7.0
    assert limited.status == 429


def test_invalid_input_with_one_problem_names_field_and_path() -> None:
    error = InvalidInput(
        [FieldProblem("speed", "must be 0.25 to 1.5", "session.audio.output.speed")]
    )
    assert error.user_message == "Invalid speed (session.audio.output.speed): must be 0.25 to 1.5"
    assert error.exit_code == 2
    assert len(error.problems) == 1


def test_invalid_input_lists_every_problem() -> None:
    problems = [
        FieldProblem("speed", "too fast", "session.audio.output.speed"),
        FieldProblem("temperature", "Beta only"),
        FieldProblem("ttl_seconds", "too short", "expires_after.seconds"),
    ]
    error = InvalidInput(problems)
    assert error.problems == tuple(problems)
    text = str(error)
    assert text.startswith("Invalid input: ")
    for problem in problems:
        assert problem.describe() in text
    assert "temperature: Beta only" in text
    assert "ttl_seconds (expires_after.seconds): too short" in text


def test_invalid_input_single_and_field_problem_describe() -> None:
    error = InvalidInput.single("base_url", "must be https", path="base_url")
    assert error.problems == (FieldProblem("base_url", "must be https", "base_url"),)
    # The path is not repeated when it is the field name itself.
    assert str(error) == "Invalid base_url: must be https"
    assert FieldProblem("voice", "bad").describe() == "voice: bad"
    assert FieldProblem("voice", "bad", "voice").describe() == "voice: bad"
    assert FieldProblem("voice", "bad", "session.audio.output.voice").describe() == (
        "voice (session.audio.output.voice): bad"
    )
