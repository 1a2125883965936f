"""A real browser fetches a secret from serve, as a prototype's page does: allowed and refused.

The page comes from a second loopback server (a prototype's dev server), so the fetch is
cross-origin and Chromium applies CORS for real; the upstream is the local fake API.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.serve import ServeEvent, ServePolicy, ServeServer, allowed_origins
from realtime_gui.core.serve.policy import parse_origin
from realtime_gui.core.session import SessionConfig
from tests.browser import headless_chromium
from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi

PAGE = b"<!doctype html><html><head><title>prototype</title></head><body></body></html>"
# What a prototype does: fetch the endpoint, read `value` (or the error the server sent).
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0])
  .then(async (response) => done({status: response.status, body: await response.json()}))
  .catch((error) => done({error: String(error)}));
"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def prototype_page() -> Iterator[str]:
    """A page served from its own loopback port; yields its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving(
    fake_api: FakeRealtimeApi, policy: ServePolicy
) -> Iterator[tuple[str, list[ServeEvent]]]:
    events: list[ServeEvent] = []
    config = SessionConfig(model="gpt-realtime", voice="marin")
    server = ServeServer(config, Connection(base_url=fake_api.base_url), TEST_API_KEY,
                         policy=policy, port=0)  # fmt: skip
    server.subscribe(events.append)
    server.start()
    try:
        yield server.url, events
    finally:
        server.stop()


def test_a_page_from_an_allowed_origin_reads_a_fresh_secret(fake_api: FakeRealtimeApi) -> None:
    # The defaults allow http://127.0.0.1 on any port: the page's dev-server origin.
    with (
        prototype_page() as origin,
        serving(fake_api, ServePolicy()) as (url, events),
        headless_chromium() as browser,
    ):
        browser.get(origin + "/")
        first = browser.execute_async_script(FETCH, url + "/token")
        second = browser.execute_async_script(FETCH, url + "/token")
    assert first["status"] == 200, first
    value = first["body"]["value"]
    assert value.startswith("ek_")
    assert first["body"]["client_secret"]["value"] == value  # either shape's readers work
    assert second["body"]["value"] != value  # a fresh secret per request
    assert len(fake_api.requests) == 2
    assert fake_api.requests[0].body["session"]["audio"]["output"]["voice"] == "marin"
    minted = [e for e in events if e.path == "/token"]
    assert [e.status for e in minted] == [200, 200]
    assert {e.origin for e in minted} == {origin}


def test_a_page_from_another_origin_is_refused_and_nothing_is_minted(
    fake_api: FakeRealtimeApi,
) -> None:
    policy = ServePolicy(origins=(parse_origin("http://localhost:5173"),))
    with (
        prototype_page() as origin,
        serving(fake_api, policy) as (url, events),
        headless_chromium() as browser,
    ):
        browser.get(origin + "/")
        result = browser.execute_async_script(FETCH, url + "/token")
    # CORS: the browser hides the refusal from the page, which sees a failed fetch...
    assert "error" in result and "Failed to fetch" in result["error"], result
    # ...while the server said 403 to that origin and never called the upstream.
    refused = [e for e in events if e.path == "/token"]
    assert [(e.status, e.origin) for e in refused] == [(403, origin)]
    assert fake_api.requests == []


def test_the_default_origins_are_what_the_allowed_test_relies_on() -> None:
    # Guards the first test: it proves CORS only if 127.0.0.1 pages are allowed by default.
    assert ServePolicy().origin_allowed("http://127.0.0.1:5173")
    assert not ServePolicy(origins=allowed_origins()).origin_allowed("http://example.com")
