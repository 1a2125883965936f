"""The fake's Realtime WebSocket, each mode proven with the plain websockets client."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi


def mint(api: FakeRealtimeApi) -> str:
    answer = httpx.post(
        f"{api.base_url}/realtime/client_secrets",
        headers={"Authorization": f"Bearer {TEST_API_KEY}"},
        json={"session": {"type": "realtime", "model": "gpt-realtime"}},
    )
    assert answer.status_code == 200, answer.text
    value: str = answer.json()["value"]
    return value


def open_socket(api: FakeRealtimeApi, secret: str, **options: Any) -> ClientConnection:
    url = api.base_url.replace("http://", "ws://") + "/realtime?model=gpt-realtime"
    headers = options.pop("headers", [("Authorization", f"Bearer {secret}")])
    return connect(url, additional_headers=headers, open_timeout=5, legacy=True, **options)


def event(ws: ClientConnection) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ws.recv(timeout=5))
    return data


def test_ok_sends_session_created_and_answers_text(fake_api: FakeRealtimeApi) -> None:
    with open_socket(fake_api, mint(fake_api)) as ws:
        created = event(ws)
        assert created["type"] == "session.created"
        assert created["session"]["model"] == "gpt-realtime"
        item = {"type": "message", "role": "user",
                "content": [{"type": "input_text", "text": "ping"}]}  # fmt: skip
        ws.send(json.dumps({"type": "conversation.item.create", "item": item}))
        ws.send(json.dumps({"type": "response.create"}))
        kinds, text = [], ""
        while not kinds or kinds[-1] != "response.done":
            received = event(ws)
            kinds.append(received["type"])
            text += received.get("delta", "")
        assert text == "You said: ping"


def test_browser_subprotocol_auth_selects_realtime(fake_api: FakeRealtimeApi) -> None:
    secret = mint(fake_api)
    protocols = ["realtime", f"openai-insecure-api-key.{secret}"]
    with open_socket(fake_api, secret, headers=[], subprotocols=protocols) as ws:
        assert ws.subprotocol == "realtime"
        assert event(ws)["type"] == "session.created"


def test_reject_refuses_the_upgrade(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "reject"
    with pytest.raises(InvalidStatus) as caught:
        open_socket(fake_api, mint(fake_api))
    assert caught.value.response.status_code == 401
    assert json.loads(caught.value.response.body or b"")["error"]["code"] == "invalid_api_key"


def test_a_secret_is_redeemed_once(fake_api: FakeRealtimeApi) -> None:
    secret = mint(fake_api)
    with open_socket(fake_api, secret) as ws:
        assert event(ws)["type"] == "session.created"
    with open_socket(fake_api, secret) as ws:
        assert event(ws)["error"]["code"] == "ephemeral_token_already_used"


def test_error_mode_sends_an_error_event_then_closes_4000(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "error"
    with open_socket(fake_api, mint(fake_api)) as ws:
        assert event(ws)["error"]["code"] == "beta_api_shape_disabled"
        with pytest.raises(ConnectionClosed) as caught:
            ws.recv(timeout=5)
    assert caught.value.rcvd is not None and caught.value.rcvd.code == 4000


def test_hang_sends_nothing(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "hang"
    with open_socket(fake_api, mint(fake_api)) as ws, pytest.raises(TimeoutError):
        ws.recv(timeout=0.3)


def test_close_mode_sends_the_close_frame(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "close"
    with open_socket(fake_api, mint(fake_api)) as ws, pytest.raises(ConnectionClosed) as caught:
        ws.recv(timeout=5)
    assert caught.value.rcvd is not None
    assert (caught.value.rcvd.code, caught.value.rcvd.reason) == (1011, "upstream session ended")


def test_drop_cuts_the_connection_without_a_close_frame(fake_api: FakeRealtimeApi) -> None:
    fake_api.realtime.mode = "drop"
    with open_socket(fake_api, mint(fake_api)) as ws:
        assert event(ws)["type"] == "session.created"
        ws.send(json.dumps({"type": "response.create"}))
        with pytest.raises(ConnectionClosed) as caught:
            ws.recv(timeout=5)
    assert caught.value.rcvd is None  # abnormal closure, 1006
