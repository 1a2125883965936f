"""PreparedRequest: computed once, key-free, and sent exactly as prepared and previewed."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace

import httpx
import pytest

from realtime_gui import __version__
from realtime_gui.core.bodies import build_body
from realtime_gui.core.client import MintClient
from realtime_gui.core.endpoint import Connection, MintRequest, Provider
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.request import REDACTED, AuthHeader, PreparedRequest, prepare
from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import ApiShape, SessionConfig, SessionType, TranscriptionSettings
from tests.doubles import API_KEY, EXPIRES_AT, NOW, SECRET, SESSION_ID

GA = SessionConfig(api=ApiShape.GA, model="gpt-realtime", voice="marin", ttl_seconds=600)
BETA = SessionConfig(api=ApiShape.BETA, model="gpt-4o-realtime-preview", ttl_seconds=60)
AZURE = Connection(base_url="https://unit.openai.azure.com/openai/v1", provider=Provider.AZURE)
USER_AGENT = f"realtime-gui/{__version__}"


def ga_ok(request: httpx.Request) -> httpx.Response:
    session = {"id": SESSION_ID, "type": "realtime", "model": "gpt-realtime"}
    return httpx.Response(200, json={"value": SECRET, "expires_at": EXPIRES_AT, "session": session})


def send(prepared: PreparedRequest, key: str = API_KEY) -> tuple[httpx.Request, MintedSecret]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ga_ok(request)

    with MintClient(transport=httpx.MockTransport(handler), clock=lambda: NOW) as client:
        secret = client.send(prepared, key)
    (request,) = seen
    return request, secret


def sent_headers(request: httpx.Request) -> list[tuple[str, str]]:
    return [(name.decode(), value.decode()) for name, value in request.headers.raw]


# -- what prepare computes -------------------------------------------------------------


def test_ga_request_is_complete_and_in_send_order() -> None:
    prepared = prepare(GA, Connection())
    assert prepared.method == "POST"
    assert prepared.url == "https://api.openai.com/v1/realtime/client_secrets"
    assert prepared.headers == (
        ("Host", "api.openai.com"),
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
        ("User-Agent", USER_AGENT),
        ("Authorization", f"Bearer {REDACTED}"),
        ("Content-Length", str(len(prepared.content))),
    )
    assert prepared.auth == AuthHeader("Authorization", "Bearer ")
    assert prepared.content == (json.dumps(build_body(GA), indent=2) + "\n").encode()
    assert prepared.body == build_body(GA)
    assert prepared.requested_session == build_body(GA)["session"]
    assert prepared.api is ApiShape.GA
    assert prepared.timeout == Connection().timeout


def test_beta_requested_session_is_the_body_without_its_client_secret() -> None:
    prepared = prepare(BETA, Connection())
    assert prepared.url.endswith("/realtime/sessions")
    assert "client_secret" in prepared.body
    assert "client_secret" not in prepared.requested_session
    assert prepared.requested_session["model"] == "gpt-4o-realtime-preview"


def test_azure_sends_the_key_as_api_key_and_org_and_project_follow() -> None:
    connection = replace(AZURE, organization="org_unit", project="proj_unit", timeout=7.5)
    prepared = prepare(GA, connection)
    assert prepared.auth == AuthHeader("api-key", "")
    names = [name for name, _ in prepared.headers]
    assert names == [
        "Host", "Content-Type", "Accept", "User-Agent", "api-key",
        "OpenAI-Organization", "OpenAI-Project", "Content-Length",
    ]  # fmt: skip
    assert dict(prepared.headers)["api-key"] == REDACTED
    assert dict(prepared.headers)["Host"] == "unit.openai.azure.com"
    assert prepared.timeout == 7.5


@pytest.mark.parametrize(
    ("base_url", "host"),
    [
        ("https://api.openai.com:443/v1", "api.openai.com"),
        ("https://API.example.com:8443/v1", "api.example.com:8443"),
        ("http://127.0.0.1:8787/v1", "127.0.0.1:8787"),
        ("http://[::1]:8787/v1", "[::1]:8787"),
        ("https://bücher.example/v1", "xn--bcher-kva.example"),
    ],
)
def test_host_header(base_url: str, host: str) -> None:
    assert dict(prepare(GA, Connection(base_url=base_url)).headers)["Host"] == host


def test_text_beyond_ascii_is_sent_as_utf8_and_shown_as_itself() -> None:
    config = replace(GA, instructions="Réponds en français — «bref».")
    prepared = prepare(config, Connection())
    assert "«bref»".encode() in prepared.content
    assert "Réponds en français — «bref»." in prepared.as_text()
    assert json.loads(prepared.content)["session"]["instructions"] == config.instructions


def test_a_lone_surrogate_is_escaped_rather_than_failing() -> None:
    config = replace(GA, extra={"session": {"metadata": "\ud800"}})
    prepared = prepare(config, Connection())
    assert b"\\ud800" in prepared.content
    assert prepared.body["session"]["metadata"] == "\ud800"


def test_the_preview_text_is_request_line_headers_blank_line_and_the_exact_body() -> None:
    prepared = prepare(GA, Connection(organization="org_unit"))
    head, body = prepared.as_text().split("\n\n", 1)
    lines = head.split("\n")
    assert lines[0] == "POST https://api.openai.com/v1/realtime/client_secrets"
    assert lines[1:] == [f"{name}: {value}" for name, value in prepared.headers]
    assert "Accept: application/json" in lines and f"User-Agent: {USER_AGENT}" in lines
    assert "Authorization: Bearer [redacted]" in lines
    assert body.encode() == prepared.content


def test_prepared_is_immutable_and_hashable() -> None:
    prepared = prepare(GA, Connection())
    with pytest.raises(FrozenInstanceError):
        prepared.url = "https://elsewhere.example/v1"  # type: ignore[misc]
    assert prepared == prepare(GA, Connection()) and hash(prepared) == hash(
        prepare(GA, Connection())
    )
    assert prepared != prepare(replace(GA, voice="cedar"), Connection())


# -- validation: as mint always did it --------------------------------------------------


def test_an_invalid_session_raises_what_build_body_raises() -> None:
    config = replace(GA, speed=9.0)
    with pytest.raises(InvalidInput) as from_body:
        build_body(config)
    with pytest.raises(InvalidInput) as from_prepare:
        prepare(config, Connection())
    assert from_prepare.value.problems == from_body.value.problems


def test_an_unusable_base_url_is_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        prepare(GA, Connection(base_url="http://example.com/v1"))
    assert [p.field for p in caught.value.problems] == ["base_url"]


def test_session_and_connection_problems_are_reported_together() -> None:
    with pytest.raises(InvalidInput) as caught:
        prepare(replace(GA, speed=9.0), Connection(base_url="ftp://example.com"))
    assert [p.field for p in caught.value.problems] == ["speed", "base_url"]


def test_transcription_requested_session() -> None:
    config = SessionConfig(
        api=ApiShape.GA,
        session_type=SessionType.TRANSCRIPTION,
        transcription=TranscriptionSettings(model="gpt-4o-transcribe"),
    )
    prepared = prepare(config, Connection())
    assert prepared.requested_session["type"] == "transcription"


# -- sending: exactly what was prepared, and the key only on the wire -------------------


def test_send_puts_exactly_the_prepared_headers_and_bytes_on_the_wire() -> None:
    prepared = prepare(replace(GA, instructions="Sois brève."), Connection(project="proj_unit"))
    request, _ = send(prepared)
    assert request.method == "POST" and str(request.url) == prepared.url
    assert sent_headers(request) == prepared.wire_headers(API_KEY)
    expected = [
        (name, f"Bearer {API_KEY}" if name == "Authorization" else value)
        for name, value in prepared.headers
    ]
    assert sent_headers(request) == expected
    assert request.content == prepared.content


def test_send_does_not_validate_or_render_again() -> None:
    # A request prepared from a valid session, then given a body no session would produce:
    # send must put these bytes on the wire as they are.
    made = b'{"hand": "made"}\n'
    prepared = prepare(GA, Connection())
    headers = tuple(
        (n, str(len(made)) if n == "Content-Length" else v) for n, v in prepared.headers
    )
    prepared = replace(prepared, headers=headers, content=made)
    request, _ = send(prepared)
    assert request.content == made


def test_the_secret_carries_the_request_it_was_minted_with() -> None:
    prepared = prepare(GA, Connection())
    _, secret = send(prepared)
    assert secret.request is prepared


def test_mint_is_prepare_then_send() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ga_ok(request)

    with MintClient(transport=httpx.MockTransport(handler), clock=lambda: NOW) as client:
        secret = client.mint(MintRequest(GA, Connection()), API_KEY)
    assert secret.request == prepare(GA, Connection())
    assert seen[0].content == prepare(GA, Connection()).content


def test_the_key_never_enters_the_prepared_request_its_repr_or_its_preview() -> None:
    env = {"OPENAI_ORG_ID": "org_not_secret", "OPENAI_PROJECT_ID": "proj_not_secret"}
    prepared = prepare(GA, Connection.from_env(env))
    request, secret = send(prepared)
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"  # it did travel
    for text in (
        repr(prepared),
        prepared.as_text(),
        repr(prepared.headers),
        repr(prepared.auth),
        repr(secret),
        repr(secret.request),
    ):
        assert API_KEY not in text
    assert API_KEY.encode() not in prepared.content
    assert "org_not_secret" in prepared.as_text()
