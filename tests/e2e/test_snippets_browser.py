"""The JavaScript snippets as ES modules in headless Chromium, against the fake Realtime API.

The page and the module are served from the fake's own origin (``api.pages``); the page wraps
``console.log`` before it imports the module, so what the snippet logs can be read back.
"""

from __future__ import annotations

from typing import Any

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.snippets import render, render_for_serve
from tests.browser import FAKE_MEDIA_FLAGS, Browser, headless_chromium
from tests.e2e.serve_support import StartServe
from tests.e2e.snippet_support import mint
from tests.fake_api import FakeRealtimeApi

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>snippet</title>
<script>
  window.logged = [];
  window.failures = [];
  const original = console.log;
  console.log = (...parts) => { window.logged.push(parts.map(String).join(" ")); original(...parts); };
  addEventListener("error", (event) => window.failures.push(String(event.error ?? event.message)));
  addEventListener("unhandledrejection", (event) => window.failures.push(String(event.reason)));
</script>
<script type="module" src="/snippet.mjs"></script>
</head><body><pre id="log"></pre></body></html>
"""
# Resolves once the page logged a line starting with arguments[0], or anything failed.
WAIT_FOR = """
const [prefix, done] = arguments;
const check = () => {
  if (window.logged.some((line) => line.startsWith(prefix)) || window.failures.length) {
    done({logged: window.logged, failures: window.failures,
          shown: document.getElementById("log").textContent});
  } else {
    setTimeout(check, 50);
  }
};
check();
"""


def _run(browser: Browser, api: FakeRealtimeApi, module: str, prefix: str) -> dict[str, Any]:
    api.pages["/snippet.html"] = ("text/html; charset=utf-8", PAGE)
    api.pages["/snippet.mjs"] = ("text/javascript; charset=utf-8", module.encode())
    browser.get(api.origin + "/snippet.html")
    result: dict[str, Any] = browser.execute_async_script(WAIT_FOR, prefix)
    return result


def test_js_websocket_opens_a_session_with_the_insecure_key_subprotocol(
    fake_api: FakeRealtimeApi,
) -> None:
    connection = Connection(base_url=fake_api.base_url)
    secret = mint(connection)
    with headless_chromium() as browser:
        result = _run(browser, fake_api, render("js-websocket", secret, connection), "session.")
    assert result["failures"] == [], result
    assert result["logged"][0].startswith("session.created ")
    assert "session.created" in result["shown"]  # and in the page's #log element
    (seen,) = fake_api.realtime.connections
    assert seen.offered_subprotocols == ["realtime", f"openai-insecure-api-key.{secret.value}"]
    assert seen.selected_subprotocol == "realtime"
    assert seen.credential == secret.value
    assert [event["type"] for event in seen.sent] == ["session.created"]
    assert seen.query == {"model": ["gpt-realtime"]}


def test_js_webrtc_posts_its_offer_to_the_calls_url(fake_api: FakeRealtimeApi) -> None:
    """Up to the SDP POST only: the fake's answer is not a real peer, so no media flows.

    Full media needs OpenAI's servers and is out of reach offline (Chromium refuses the
    fake's answer in setRemoteDescription: it has no media sections). What is checked is
    what the snippet sends: method, path, no query, the headers, and an SDP offer with the
    microphone's audio and the ``oai-events`` data channel.
    """
    connection = Connection(base_url=fake_api.base_url)
    secret = mint(connection)
    with headless_chromium(FAKE_MEDIA_FLAGS) as browser:
        # Either the answer was applied ("call started") or applying it failed: both come
        # after the POST.
        result = _run(browser, fake_api, render("js-webrtc", secret, connection), "call started")
    # Only the answer was refused: everything up to and including the POST ran.
    assert result["logged"] or all("setRemoteDescription" in f for f in result["failures"])
    (call,) = fake_api.realtime.calls
    assert call.status == 201, result
    assert call.path == "/v1/realtime/calls" and call.query == ""
    assert call.headers["authorization"] == f"Bearer {secret.value}"
    assert call.headers["content-type"] == "application/sdp"
    assert call.sdp.startswith("v=0") and "m=audio" in call.sdp and "m=application" in call.sdp
    assert not any(name.startswith("openai-beta") for name in call.headers)
    assert fake_api.realtime.connections == []  # WebRTC only, no WebSocket


def test_serve_js_websocket_fetches_a_secret_then_opens_a_session(
    fake_api: FakeRealtimeApi, serve: StartServe
) -> None:
    # The page's origin (the fake's, on 127.0.0.1) is one serve allows by default.
    server = serve()
    module = render_for_serve(
        "js-websocket", server.url, Connection(base_url=fake_api.base_url), model="gpt-realtime"
    )
    with headless_chromium() as browser:
        result = _run(browser, fake_api, module, "session.")
    assert result["failures"] == [], result
    assert result["logged"][0].startswith("session.created ")
    (seen,) = fake_api.realtime.connections
    (issued,) = fake_api.realtime.issued()  # the one secret serve minted for the page
    assert seen.offered_subprotocols == ["realtime", f"openai-insecure-api-key.{issued.value}"]
