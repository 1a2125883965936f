"""The playground page in headless Chromium, served by serve in front of the fake Realtime API.

Text mode talks to the fake's WebSocket for real. Voice mode runs with Chromium's fake
microphone up to the SDP POST, which the fake checks; the fake's answer carries no media
sections, so no media flows: full WebRTC media is out of reach offline.
"""

from __future__ import annotations

import pytest

from realtime_gui.core.serve import ServePolicy, new_token
from realtime_gui.core.serve.policy import parse_origin
from tests.browser import FAKE_MEDIA_FLAGS, headless_chromium
from tests.conftest import TEST_API_KEY
from tests.e2e.playground_support import (
    csp_violations,
    page_state,
    text_exchange,
    wait_for_log,
)
from tests.e2e.serve_support import StartServe
from tests.fake_api import FakeRealtimeApi


def _minted(fake_api: FakeRealtimeApi) -> set[str]:
    return {secret.value for secret in fake_api.realtime.issued()}


def _no_csp_violation(browser: object) -> None:
    found = csp_violations(browser)  # type: ignore[arg-type]
    assert found == {"reports": [], "counted": 0}, found


def test_text_mode_sends_a_message_and_shows_the_reply(
    serve: StartServe,
    fake_api: FakeRealtimeApi,
) -> None:
    server = serve()
    with headless_chromium() as browser:
        browser.get(server.url + "/")
        state = page_state(browser)
        # The script ran (it wrote the log) and the style sheet applied: CSP let both in.
        assert state["styled"] == "8px" and "Ready: model gpt-realtime" in state["log"], state
        assert (state["connect"], state["disconnect"], state["send"]) == (False, True, True)
        log = text_exchange(browser, "hello playground")
        transcript = browser.execute_async_script(
            "arguments[0](document.getElementById('transcript').textContent)"
        )
        _no_csp_violation(browser)
    assert "session.created" in log
    assert "reply: You said: hello playground" in log, log
    assert "You said: hello playground" in transcript
    (connection,) = fake_api.realtime.connections
    assert connection.path == "/v1/realtime"
    assert connection.query == {"model": ["gpt-realtime"]}
    assert connection.selected_subprotocol == "realtime"
    assert connection.credential in _minted(fake_api)  # the secret serve minted just now
    sent = [event["type"] for event in connection.received]
    assert sent == ["conversation.item.create", "response.create"]
    item = connection.received[0]["item"]
    assert item["role"] == "user" and item["content"] == [
        {"type": "input_text", "text": "hello playground"}
    ]
    assert connection.received[1]["response"] == {"output_modalities": ["text"]}
    # No secret in the page: the log shows ek_… and never the value.
    assert connection.credential is not None and connection.credential not in log
    assert "ek_…" in log


def test_every_connect_fetches_a_fresh_secret(
    serve: StartServe,
    fake_api: FakeRealtimeApi,
) -> None:
    # Origins narrowed to another dev server: the page's own same-origin GET /token carries
    # no Origin header, so it is not refused by a list that does not name serve itself.
    server = serve(policy=ServePolicy(origins=(parse_origin("http://localhost:5173"),)))
    with headless_chromium() as browser:
        browser.get(server.url + "/")
        text_exchange(browser, "first")
        browser.click("#disconnect")
        wait_for_log(browser, "Disconnected by you")
        log = text_exchange(browser, "second")
    assert "You said: second" in log
    first, second = fake_api.realtime.connections
    assert first.credential != second.credential
    assert {first.credential, second.credential} <= _minted(fake_api)
    assert len(fake_api.requests) == 2  # one mint per Connect
    assert first.outcome == "closed by client"  # Disconnect closed the first session


def test_voice_mode_posts_an_sdp_offer_with_a_minted_secret(
    serve: StartServe,
    fake_api: FakeRealtimeApi,
) -> None:
    server = serve()
    with headless_chromium(FAKE_MEDIA_FLAGS) as browser:
        browser.get(server.url + "/")
        browser.click('#mode option[value="voice"]')
        browser.click("#connect")
        log = wait_for_log(browser, "SDP answer", "Could not connect")
        _no_csp_violation(browser)
    assert "POST " + fake_api.base_url + "/realtime/calls" in log, log
    call = fake_api.realtime.calls[-1]
    assert call.path == "/v1/realtime/calls"
    assert call.query == ""  # the model is bound to the secret: no ?model=
    assert call.headers["authorization"] == f"Bearer {call.credential}"
    assert call.credential in _minted(fake_api)
    assert call.headers["content-type"] == "application/sdp"
    assert call.sdp.startswith("v=0") and "m=audio" in call.sdp
    assert "a=sctpmap" in call.sdp or "m=application" in call.sdp  # the oai-events channel
    assert call.status == 201
    assert "HTTP 201 SDP answer" in log
    assert call.credential is not None and call.credential not in log


def test_a_required_token_is_read_from_the_fragment(
    serve: StartServe,
    fake_api: FakeRealtimeApi,
) -> None:
    token = new_token()
    server = serve(policy=ServePolicy(token=token))
    with headless_chromium() as browser:
        browser.get(server.url + "/")  # no token: /token refuses, the page says why
        browser.click('#mode option[value="text"]')
        browser.click("#connect")
        refused = wait_for_log(browser, "Could not connect", "session.created")
        browser.get(server.url + "/#token=" + token)
        log = text_exchange(browser, "with a token")
    assert "/token answered HTTP 401: invalid_token" in refused, refused
    assert "open the playground from realtime-gui" in refused
    assert "You said: with a token" in log
    assert token not in log and token not in refused
    assert len(fake_api.requests) == 1  # the refused Connect minted nothing


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("reject", "code 1006"),
        ("error", "error beta_api_shape_disabled: The beta API shape is no longer supported."),
        ("close", 'code 1011 (the server hit an error), reason "upstream session ended"'),
    ],
)
def test_text_mode_failures_are_shown_in_plain_words(
    serve: StartServe,
    fake_api: FakeRealtimeApi,
    mode: str,
    expected: str,
) -> None:
    fake_api.realtime.mode = mode
    server = serve()
    with headless_chromium() as browser:
        browser.get(server.url + "/")
        browser.click('#mode option[value="text"]')
        browser.click("#connect")
        log = wait_for_log(browser, "WebSocket closed")
        state = page_state(browser)
    assert expected in log, log
    assert (state["connect"], state["disconnect"]) == (False, True)  # ready to try again
    assert TEST_API_KEY not in log


def test_a_refused_call_shows_the_status_and_the_upstream_error(
    serve: StartServe,
    fake_api: FakeRealtimeApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fake's Realtime side never learns of the secrets minted: each one is unknown there.
    monkeypatch.setattr(fake_api.realtime, "issue", lambda *_args: None)
    server = serve()
    with headless_chromium(FAKE_MEDIA_FLAGS) as browser:
        browser.get(server.url + "/")
        browser.click('#mode option[value="voice"]')
        browser.click("#connect")
        log = wait_for_log(browser, "Could not connect", "SDP answer")
    assert "The call was refused: HTTP 401: invalid_api_key: Incorrect API key provided." in log


def test_the_violation_check_sees_what_the_csp_blocks(serve: StartServe) -> None:
    # Guards _no_csp_violation: an inline style added at run time is blocked and reported.
    server = serve()
    with headless_chromium() as browser:
        browser.get(server.url + "/")
        clean = csp_violations(browser)
        browser.execute_async_script(
            "const s = document.createElement('style'); s.textContent = 'body{color:red}';"
            "document.head.append(s); setTimeout(arguments[0], 100);"
        )
        found = csp_violations(browser)
    assert clean == {"reports": [], "counted": 0}
    assert found["counted"] == 1
    assert [r.split()[0] for r in found["reports"]] == ["style-src-elem"]


def test_disconnect_while_the_session_never_arrives(
    serve: StartServe, fake_api: FakeRealtimeApi
) -> None:
    fake_api.realtime.mode = "hang"  # the upgrade succeeds, session.created never comes
    server = serve()
    with headless_chromium() as browser:
        browser.get(server.url + "/")
        browser.click('#mode option[value="text"]')
        browser.click("#connect")
        waiting = wait_for_log(browser, "waiting for session.created")
        stuck = page_state(browser)
        browser.click("#disconnect")
        wait_for_log(browser, "Disconnected by you")
        after = page_state(browser)
    assert "waiting for session.created" in waiting
    assert (stuck["connect"], stuck["disconnect"], stuck["send"]) == (True, False, True)
    assert (after["connect"], after["disconnect"], after["send"]) == (False, True, True)
    (connection,) = fake_api.realtime.connections
    assert connection.outcome == "hang"
