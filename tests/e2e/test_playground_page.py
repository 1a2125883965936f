"""GET / on serve: the playground's headers, its CSP directive by directive, its HTML, its guards."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from realtime_gui.core.endpoint import Connection, Provider
from realtime_gui.core.serve import ServePolicy
from realtime_gui.core.serve.page import render_index
from realtime_gui.core.session import ApiShape, SessionConfig
from tests.conftest import TEST_API_KEY
from tests.e2e.serve_support import GA_CONFIG, Recorder, StartServe
from tests.fake_api import FakeRealtimeApi

TOKEN = "a-test-token-0123456789abcdef"
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'")
SCHEME_ONLY = re.compile(r"^[a-z][a-z0-9+.-]*:$", re.IGNORECASE)


def parse_csp(header: str) -> dict[str, list[str]]:
    """Directive name → its sources; a directive given twice fails (browsers keep the first)."""
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        assert name not in policy, f"{name} given twice in {header!r}"
        policy[name] = tokens[1:]
    return policy


def assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    for directive in ("base-uri", "form-action", "frame-ancestors"):
        assert policy[directive] == ["'none'"], directive
    for name, sources in policy.items():
        for source in sources:
            assert source not in UNSAFE, (name, source)
            assert "*" not in source, (name, source)
            assert not SCHEME_ONLY.match(source), (name, source)  # https:, data:, blob:, ws:
            assert not source.startswith("'nonce-") and not source.startswith("'sha"), source
    # Nothing may run or load from elsewhere: only connect-src names a foreign origin.
    for name, sources in policy.items():
        if name != "connect-src":
            assert all(s.startswith("'") for s in sources), (name, sources)


@pytest.mark.parametrize(
    ("connection", "config", "api_origin", "ws_origin"),
    [
        (Connection(), GA_CONFIG, "https://api.openai.com", "wss://api.openai.com"),
        (
            Connection("https://my-res.openai.azure.com/openai/v1", Provider.AZURE),
            SessionConfig(model="my-realtime-deployment"),
            "https://my-res.openai.azure.com",
            "wss://my-res.openai.azure.com",
        ),
        (
            Connection("https://gateway.example.com:8443/proxy/v1"),
            SessionConfig(api=ApiShape.BETA, model="gpt-realtime"),
            "https://gateway.example.com:8443",
            "wss://gateway.example.com:8443",
        ),
    ],
    ids=["openai", "azure", "custom-base"],
)
def test_the_page_carries_a_strict_csp_naming_only_the_api(
    serve: StartServe,
    fake_api: FakeRealtimeApi,
    connection: Connection,
    config: SessionConfig,
    api_origin: str,
    ws_origin: str,
) -> None:
    server = serve(config, connection=connection)
    answer = httpx.get(server.url + "/")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert "access-control-allow-origin" not in answer.headers
    policy = parse_csp(answer.headers["content-security-policy"])
    assert_strict(policy)
    assert policy["connect-src"] == ["'self'", api_origin, ws_origin]
    # The static files carry the same headers (and nothing looser).
    for path in ("/playground.js", "/playground.css"):
        part = httpx.get(server.url + path)
        assert part.status_code == 200, path
        assert part.headers["x-content-type-options"] == "nosniff"
        assert parse_csp(part.headers["content-security-policy"]) == policy
    assert fake_api.requests == []  # showing the page mints nothing


def test_the_page_names_the_session_served_now(
    serve: StartServe, fake_api: FakeRealtimeApi
) -> None:
    server = serve()
    first = PageScan.of(httpx.get(server.url + "/").text).meta
    assert first["rtg-model"] == "gpt-realtime" and first["rtg-api"] == "ga"
    assert first["rtg-websocket-url"] == (
        f"ws://127.0.0.1:{fake_api.port}/v1/realtime?model=gpt-realtime"
    )
    assert first["rtg-calls-url"] == f"http://127.0.0.1:{fake_api.port}/v1/realtime/calls"
    # The window changes the session: the next page load shows the new one.
    server.set_session(SessionConfig(model="gpt-realtime-mini"), Connection(fake_api.base_url))
    second = PageScan.of(httpx.get(server.url + "/").text).meta
    assert second["rtg-model"] == "gpt-realtime-mini"


def test_values_in_the_page_are_escaped() -> None:
    # The model is validated before serving, but the page must not rely on that.
    hostile = '"><script>alert(1)</script><meta x="'
    page = render_index(SessionConfig(model=hostile), Connection())
    scan = PageScan.of(page)
    assert scan.meta["rtg-model"] == hostile  # an attribute value, decoded by the parser
    assert scan.scripts == [{"src": "/playground.js", "defer": None}]
    assert scan.inline_code == [] and "<script>alert" not in page


class PageScan(HTMLParser):
    """What the page's HTML holds: scripts, inline code or style, event handlers, ids, metas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.inline_code: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.ids: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.options: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self._in: str | None = None

    @classmethod
    def of(cls, page: str) -> PageScan:
        scan = cls()
        scan.feed(page)
        scan.close()
        return scan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name == "style":
                self.style_attributes.append(tag)
            if value and value.strip().lower().startswith("javascript:"):
                self.handlers.append((tag, name))
        element_id = values.get("id")
        if element_id:
            self.ids[element_id] = tag
        if tag == "script":
            self.scripts.append(values)
        if tag == "style":
            self.style_elements += 1
        if tag == "meta" and values.get("name"):
            self.meta[str(values["name"])] = values.get("content") or ""
        if tag == "option" and self.ids.get("mode") == "select":
            self.options.append(values.get("value") or "")
        if tag == "link":
            self.links.append(values)
        self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in in ("script", "style") and data.strip():
            self.inline_code.append(data)


def test_the_page_has_no_inline_code_and_the_automation_ids(serve: StartServe) -> None:
    server = serve()
    page = httpx.get(server.url + "/").text
    scan = PageScan.of(page)
    assert scan.scripts == [{"src": "/playground.js", "defer": None}]
    assert scan.inline_code == []
    assert scan.handlers == []
    assert scan.style_attributes == [] and scan.style_elements == 0
    assert [link["href"] for link in scan.links] == ["/playground.css"]
    assert scan.ids["mode"] == "select" and scan.options == ["voice", "text"]
    for element, tag in {"connect": "button", "disconnect": "button", "message": "input",
                         "send": "button", "log": "div", "transcript": "div"}.items():  # fmt: skip
        assert scan.ids[element] == tag, element
    # Served with the page's own address: the script and style come from this origin only.
    assert (
        httpx.get(server.url + "/playground.js")
        .headers["content-type"]
        .startswith("text/javascript")
    )


@pytest.mark.parametrize("path", ["/", "/playground.js", "/playground.css"])
def test_a_rebinding_host_or_a_foreign_origin_gets_no_page(serve: StartServe, path: str) -> None:
    recorder = Recorder()
    server = serve(policy=ServePolicy(token=TOKEN))
    server.subscribe(recorder)
    rebound = httpx.get(server.url + path, headers={"Host": f"evil.example:{server.port}"})
    assert rebound.status_code == 403
    assert rebound.json()["error"]["code"] == "host_not_allowed"
    assert "content-security-policy" not in rebound.headers
    foreign = httpx.get(server.url + path, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "origin_not_allowed"
    # The same page from loopback needs no token: it holds none.
    ok = httpx.get(server.url + path, headers={"Host": f"localhost:{server.port}"})
    assert ok.status_code == 200
    assert TOKEN not in ok.text
    assert recorder.statuses() == [403, 403, 200]  # each logged before it was answered


def test_only_get_reaches_the_page(serve: StartServe) -> None:
    server = serve()
    answer = httpx.post(server.url + "/", content=b"x")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"


def test_the_page_leaks_no_key_no_token_and_no_secret(
    serve: StartServe, fake_api: FakeRealtimeApi
) -> None:
    server = serve(policy=ServePolicy(token=TOKEN))
    minted = httpx.get(server.url + "/token", headers={"Authorization": f"Bearer {TOKEN}"})
    secret = minted.json()["value"]
    assert secret.startswith("ek_")
    for path in ("/", "/playground.js", "/playground.css"):
        body = httpx.get(server.url + path).text
        for value in (TEST_API_KEY, TOKEN, secret, "ek_" + secret[3:8]):
            assert value not in body, (path, value[:4])
