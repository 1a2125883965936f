"""The snippets' text: URLs, headers and subprotocols per provider and shape; serve holds no secret."""

from __future__ import annotations

import ast
import json
import re
import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realtime_gui.core.endpoint import Connection, Provider
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.request import prepare
from realtime_gui.core.session import ApiShape, SessionConfig
from realtime_gui.core.snippets import (
    ENV_NAME,
    KINDS,
    SERVE_KINDS,
    SERVE_TOKEN_ENV,
    connection_of,
    kind,
    render,
    render_for_serve,
)
from tests.unit.snippet_cases import CASE_IDS, CASES, SECRET, SERVE_URL, Case, available

CODE_KINDS = ("js-webrtc", "js-websocket", "python")


def test_the_kinds_are_declared_once_with_what_menus_and_help_show() -> None:
    names = [k.name for k in KINDS]
    assert names == ["value", "json", "env", "dotenv", "js-webrtc", "js-websocket", "python"]
    assert [k.name for k in SERVE_KINDS] == list(CODE_KINDS)
    for k in KINDS:
        assert k.label and k.description and k.file_type
        assert kind(k.name) is k
    with pytest.raises(InvalidInput, match="unknown kind 'bogus'"):
        kind("bogus")


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_value_json_env_and_dotenv_carry_exactly_the_secret(case: Case) -> None:
    secret = case.secret()
    assert render("value", secret, case.connection) == SECRET
    # The same object, byte for byte, as `mint --json` has always printed.
    assert render("json", secret, case.connection) == json.dumps(secret.as_json(), indent=2)
    env = render("env", secret, case.connection)
    assert env.startswith(f"export {ENV_NAME}={SECRET}  # single-use, expires ")
    assert env.count("\n") == 0  # `eval $(realtime-gui mint --as env)` keeps the export
    comment, line = render("dotenv", secret, case.connection).split("\n")
    assert comment.startswith("# single-use, expires ") and line == f"{ENV_NAME}={SECRET}"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_python_uses_the_websocket_url_and_the_providers_header(case: Case) -> None:
    text = render("python", case.secret(), case.connection)
    assert f"URL = {case.websocket!r}\n" in text
    assert f"SECRET = {SECRET!r}\n" in text
    assert "from websockets.sync.client import connect" in text
    assert "connect(URL, additional_headers=headers" in text
    if case.connection.provider is Provider.AZURE:
        assert 'headers = {"api-key": SECRET}' in text
        assert "unconfirmed" in text
    else:
        assert 'headers = {"Authorization": "Bearer " + SECRET}' in text
    assert "The secret is single-use and expires at " in text
    assert "openai-beta" not in text.lower()


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_js_websocket_puts_the_secret_in_the_subprotocols(case: Case) -> None:
    text = render("js-websocket", case.secret(), case.connection)
    assert f"const SECRET = {json.dumps(SECRET)};" in text
    assert f"new WebSocket({json.dumps(case.websocket)}, [" in text
    assert '"realtime", "openai-insecure-api-key." + SECRET' in text
    assert "console.log" in text and 'getElementById("log")' in text
    assert ("unconfirmed" in text) == (case.connection.provider is Provider.AZURE)
    assert "openai-beta" not in text.lower()


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_js_webrtc_posts_the_offer_to_the_calls_url(case: Case) -> None:
    if case.calls is None:  # Azure preview: WebRTC runs on a regional host
        with pytest.raises(InvalidInput, match="regional host"):
            render("js-webrtc", case.secret(), case.connection)
        return
    text = render("js-webrtc", case.secret(), case.connection)
    assert f"await fetch({json.dumps(case.calls)}, {{" in text
    assert (
        '"Content-Type": "application/sdp"' in text and 'Authorization: "Bearer " + SECRET' in text
    )
    assert 'createDataChannel("oai-events")' in text
    assert "getUserMedia({ audio: true })" in text and 'createElement("audio")' in text
    assert "setRemoteDescription" in text
    if case.api is ApiShape.GA:
        assert "?model=" not in text  # the model is bound to the secret
    assert "openai-beta" not in text.lower()


def test_beta_snippets_say_openai_no_longer_takes_the_shape() -> None:
    (beta,) = [c for c in CASES if c.name == "openai-beta"]
    for name in CODE_KINDS:
        assert "beta_api_shape_disabled" in render(name, beta.secret(), beta.connection)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("token", [False, True], ids=["open", "token"])
def test_serve_snippets_fetch_token_and_hold_no_secret(case: Case, token: bool) -> None:
    for name in CODE_KINDS:
        if not available(case, name):
            with pytest.raises(InvalidInput):
                render_for_serve(name, SERVE_URL, case.connection, case.api, token_required=token)
            continue
        text = render_for_serve(
            name, SERVE_URL + "/", case.connection, case.api, model=case.model, token_required=token
        )
        assert "http://127.0.0.1:8787/token" in text
        assert not re.search(r"ek_|sk-", text)
        if name == "python":
            assert f"URL = {case.websocket.split('=' + case.model)[0] + '='!r}" in text
            assert (f"os.environ[{SERVE_TOKEN_ENV!r}]" in text) == token
        else:
            assert ('const SERVE_TOKEN = "";' in text) == token
            if name == "js-websocket":
                prefix = case.websocket.removesuffix(case.model)
                assert f"new WebSocket({json.dumps(prefix)} + encodeURIComponent(model)" in text
            else:
                assert case.calls is not None
                expected = json.dumps(case.calls.removesuffix(case.model))
                assert f"await fetch({expected}" in text


def test_a_serve_token_never_reaches_a_snippet() -> None:
    # The panel knows the token; the snippet only learns that one is required.
    text = render_for_serve("python", SERVE_URL, Connection(), token_required=True)
    assert "SERVE_TOKEN = os.environ[" in text and "Bearer " in text


def test_serve_rendering_refuses_secret_kinds_and_bad_urls() -> None:
    with pytest.raises(InvalidInput, match="serve snippets are"):
        render_for_serve("env", SERVE_URL, Connection())
    for bad in ("ftp://x/token", "http://127.0.0.1:8787/?a=1", "127.0.0.1:8787", "http://[::1"):
        with pytest.raises(InvalidInput):
            render_for_serve("python", bad, Connection())


def test_the_model_is_the_granted_one_then_the_requested_one() -> None:
    (case,) = [c for c in CASES if c.name == "openai-ga"]
    granted = case.secret(model="gpt-realtime-2025-08-28")
    assert "model=gpt-realtime-2025-08-28'" in render("python", granted, case.connection)
    # A granted session without a model: the one asked for.
    secret = case.secret()
    bare = type(secret)(
        value=secret.value,
        expires_at=secret.expires_at,
        session_id=None,
        model=None,
        session={},
        api=secret.api,
        request=secret.request,
    )
    assert "model=gpt-realtime'" in render("python", bare, case.connection)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_connection_is_read_back_from_the_request_sent(case: Case) -> None:
    request = prepare(SessionConfig(api=case.api, model=case.model), case.connection)
    back = connection_of(request)
    assert back.provider is case.connection.provider
    assert prepare(SessionConfig(api=case.api, model=case.model), back).url == request.url


@given(st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_any_value_is_escaped_so_it_reads_back_unchanged(value: str) -> None:
    (case,) = [c for c in CASES if c.name == "openai-ga"]
    secret = case.secret(value=value)
    python = render("python", secret, case.connection)
    (line,) = [line for line in python.splitlines() if line.startswith("SECRET = ")]
    assert ast.literal_eval(line.removeprefix("SECRET = ")) == value
    js = render("js-websocket", secret, case.connection)
    (line,) = [line for line in js.splitlines() if line.startswith("const SECRET = ")]
    assert json.loads(line.removeprefix("const SECRET = ").removesuffix(";")) == value
    env = render("env", secret, case.connection).split("  # single-use")[0]
    assert shlex.split(env.removeprefix("export ")) == [f"{ENV_NAME}={value}"]


def test_nothing_new_carries_a_secret_in_its_repr() -> None:
    (case,) = [c for c in CASES if c.name == "openai-ga"]
    secret = case.secret()
    for k in KINDS:
        assert SECRET not in repr(k)
        render(k.name, secret, case.connection)  # rendering leaves no state behind
    assert SECRET not in repr(secret)


def test_unavailable_kinds_are_refused_before_anything_is_sent() -> None:
    azure_preview = Connection("https://res.openai.azure.com/openai", Provider.AZURE)
    from realtime_gui.core.snippets import check_available

    check_available("js-websocket", azure_preview, ApiShape.BETA)
    with pytest.raises(InvalidInput, match="regional host"):
        check_available("js-webrtc", azure_preview, ApiShape.BETA)
    with pytest.raises(InvalidInput, match="base_url"):
        check_available("python", Connection("http://example.com/v1"), ApiShape.GA)
