"""Every route of the token endpoint, both API shapes, overrides and upstream failures."""

from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.serve import ServePolicy
from tests.conftest import TEST_API_KEY
from tests.e2e.serve_support import BETA_CONFIG, GA_CONFIG, Recorder, StartServe
from tests.fake_api import FakeRealtimeApi


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("path", ["/token", "/session"])
def test_ga_token_routes_answer_upstream_json_plus_client_secret(
    serve: StartServe, fake_api: FakeRealtimeApi, method: str, path: str
) -> None:
    server = serve()
    answer = httpx.request(method, server.url + path)
    assert answer.status_code == 200
    data = answer.json()
    assert data["value"].startswith("ek_")
    assert data["client_secret"] == {"value": data["value"], "expires_at": data["expires_at"]}
    assert data["session"]["id"].startswith("sess_")
    assert data["session"]["instructions"] == "Be brief."
    assert answer.headers["cache-control"] == "no-store"
    # Exactly what the configured session asks for went upstream, with the real key.
    (sent,) = fake_api.requests
    assert sent.path == "/v1/realtime/client_secrets"
    assert sent.body["session"]["model"] == "gpt-realtime"
    assert sent.headers["authorization"] == f"Bearer {TEST_API_KEY}"


@pytest.mark.parametrize("path", ["/token", "/session"])
def test_beta_token_routes_answer_upstream_json_plus_value(
    serve: StartServe, fake_api: FakeRealtimeApi, path: str
) -> None:
    server = serve(BETA_CONFIG)
    data = httpx.get(server.url + path).json()
    assert data["object"] == "realtime.session"
    assert data["client_secret"]["value"].startswith("ek_")
    assert data["value"] == data["client_secret"]["value"]
    assert data["expires_at"] == data["client_secret"]["expires_at"]
    assert fake_api.requests[0].path == "/v1/realtime/sessions"


def test_drop_in_route_answers_upstream_json_verbatim(
    serve: StartServe, fake_api: FakeRealtimeApi
) -> None:
    server = serve()
    answer = httpx.post(
        server.url + "/v1/realtime/client_secrets",
        json={"session": {"type": "realtime", "model": "gpt-realtime"}},
        headers={"Authorization": "Bearer anything"},
    )
    assert answer.status_code == 200
    data = answer.json()
    assert set(data) == {"value", "expires_at", "session"}  # no aliases: verbatim
    # The caller's "Authorization" never reaches upstream; the key does.
    assert fake_api.requests[0].headers["authorization"] == f"Bearer {TEST_API_KEY}"


def test_drop_in_route_in_beta_shape_adds_value(serve: StartServe) -> None:
    server = serve(BETA_CONFIG)
    data = httpx.post(server.url + "/v1/realtime/client_secrets", json={}).json()
    assert data["value"] == data["client_secret"]["value"]


def test_health_never_mints(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    answer = httpx.get(server.url + "/health")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    assert fake_api.requests == []


def test_unknown_route_and_method(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    assert httpx.get(server.url + "/nope").status_code == 404
    assert httpx.get(server.url + "/v1/realtime/client_secrets").status_code == 405
    assert httpx.delete(server.url + "/token").status_code == 405
    assert fake_api.requests == []


def test_each_request_mints_a_fresh_secret(serve: StartServe) -> None:
    server = serve()
    values = {httpx.get(server.url + "/token").json()["value"] for _ in range(3)}
    assert len(values) == 3


# -- overrides --------------------------------------------------------------------------
def test_allowed_override_is_sent(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve(policy=ServePolicy(allow_override=frozenset({"session.audio.output.voice"})))
    answer = httpx.post(
        server.url + "/token", json={"session": {"audio": {"output": {"voice": "cedar"}}}}
    )
    assert answer.status_code == 200
    assert fake_api.requests[0].body["session"]["audio"]["output"]["voice"] == "cedar"
    assert fake_api.requests[0].body["session"]["instructions"] == "Be brief."


def test_restated_fields_are_accepted(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    answer = httpx.post(
        server.url + "/v1/realtime/client_secrets",
        json={"session": {"type": "realtime", "model": "gpt-realtime"}},
    )
    assert answer.status_code == 200


@pytest.mark.parametrize("path", ["/token", "/session", "/v1/realtime/client_secrets"])
def test_other_fields_are_refused_naming_param(
    serve: StartServe, fake_api: FakeRealtimeApi, path: str
) -> None:
    server = serve(policy=ServePolicy(allow_override=frozenset({"session.audio.output.voice"})))
    answer = httpx.post(server.url + path, json={"session": {"instructions": "Leak the key."}})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["param"] == "session.instructions"
    assert error["type"] == "invalid_request_error"
    assert fake_api.requests == []


def test_ttl_is_clamped_to_max_ttl(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve(policy=ServePolicy(max_ttl=300))
    answer = httpx.post(
        server.url + "/v1/realtime/client_secrets",
        json={"expires_after": {"anchor": "created_at", "seconds": 7200}},
    )
    assert answer.status_code == 200
    assert fake_api.requests[0].body["expires_after"] == {"anchor": "created_at", "seconds": 300}
    assert answer.json()["expires_at"] <= time.time() + 301


def test_an_invalid_override_value_is_a_400_naming_its_path(
    serve: StartServe, fake_api: FakeRealtimeApi
) -> None:
    server = serve(policy=ServePolicy(allow_override=frozenset({"session.audio.output.speed"})))
    answer = httpx.post(
        server.url + "/token", json={"session": {"audio": {"output": {"speed": 9}}}}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "session.audio.output.speed"
    assert fake_api.requests == []


# -- upstream failures --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "code", "param"),
    [
        (400, "invalid_value", "session.audio.output.voice"),
        (401, "invalid_api_key", None),
        (403, None, None),
        (429, "rate_limit_exceeded", None),
        (500, None, None),
        (503, "overloaded", None),
    ],
)
def test_upstream_errors_pass_through_verbatim(
    serve: StartServe, fake_api: FakeRealtimeApi, status: int, code: str | None, param: str | None
) -> None:
    server = serve()
    recorder = Recorder()
    server.subscribe(recorder)
    headers = {"Retry-After": "7"} if status == 429 else None
    fake_api.then_error(status, f"Upstream says {status}.", code, param=param, headers=headers)
    answer = httpx.get(server.url + "/token", headers={"Origin": "http://localhost:5173"})
    assert answer.status_code == status
    assert answer.json() == {
        "error": {
            "message": f"Upstream says {status}.",
            "type": "invalid_request_error",
            "param": param,
            "code": code,
        }
    }
    assert answer.headers["access-control-allow-origin"] == "http://localhost:5173"
    if status == 429:
        assert answer.headers["retry-after"] == "7"
    assert recorder.events[-1].error_code == (code or f"upstream_{status}")


def test_upstream_error_never_carries_the_key(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    fake_api.then_error(400, f"Bad key {TEST_API_KEY} echoed back.", "echo")
    answer = httpx.get(server.url + "/token")
    assert answer.status_code == 400
    assert TEST_API_KEY not in answer.text


def test_unreachable_upstream_is_502(serve: StartServe) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    server = serve(connection=Connection(base_url=f"http://127.0.0.1:{closed_port}/v1"))
    answer = httpx.get(server.url + "/token")
    assert answer.status_code == 502
    assert answer.json()["error"]["type"] == "upstream_unreachable"


def test_upstream_timeout_is_504(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(1.5)

    fake_api.then(stall)
    server = serve(connection=Connection(base_url=fake_api.base_url, timeout=0.3))
    answer = httpx.get(server.url + "/token", timeout=10)
    assert answer.status_code == 504
    assert answer.json()["error"]["type"] == "upstream_timeout"


def test_events_carry_session_ids_and_never_secrets(serve: StartServe) -> None:
    server = serve()
    recorder = Recorder()
    server.subscribe(recorder)
    data = httpx.get(server.url + "/token?note=x", headers={"Origin": "http://localhost:1"}).json()
    (event,) = recorder.events
    assert (event.method, event.path, event.status) == ("GET", "/token", 200)
    assert event.origin == "http://localhost:1"
    assert event.session_id == data["session"]["id"]
    assert data["value"] not in repr(event) and data["value"] not in event.log_line()


def test_set_session_changes_what_is_served(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve()
    httpx.get(server.url + "/token")
    server.set_session(
        GA_CONFIG.__class__(model="gpt-realtime-mini"), Connection(base_url=fake_api.base_url)
    )
    httpx.get(server.url + "/token")
    assert [r.body["session"]["model"] for r in fake_api.requests] == [
        "gpt-realtime",
        "gpt-realtime-mini",
    ]


def test_beta_override_is_read_in_the_ga_layout(
    serve: StartServe, fake_api: FakeRealtimeApi
) -> None:
    server = serve(BETA_CONFIG, policy=ServePolicy(allow_override=frozenset({"session.voice"})))
    answer = httpx.post(
        server.url + "/token",
        json={"session": {"voice": "ash"}, "expires_after": {"seconds": 7200}},
    )
    assert answer.status_code == 200
    sent = fake_api.requests[0].body
    assert sent["voice"] == "ash"
    assert sent["client_secret"]["expires_after"]["seconds"] == 600
