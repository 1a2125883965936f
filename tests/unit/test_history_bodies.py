"""Bodies in history records: stripped of MCP credentials in both shapes, old records still read."""

from __future__ import annotations

import json
from pathlib import Path

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.errors import NetworkError
from realtime_gui.core.history import HistoryFile, MintRecord, failure_record, recorded_body
from realtime_gui.core.request import prepare
from realtime_gui.core.session import ApiShape, SessionConfig

TOOL = {
    "type": "mcp",
    "server_label": "docs",
    "server_url": "https://mcp.example/sse",
    "authorization": "Bearer mcp-secret-1",
    "headers": {"X-Key": "mcp-secret-2"},
}
PLAIN_TOOL = {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example/sse"}


def test_ga_and_beta_bodies_lose_mcp_credentials_and_the_request_keeps_them() -> None:
    for api in (ApiShape.GA, ApiShape.BETA):
        config = SessionConfig(api=api, model="gpt-realtime", tools=(TOOL,))
        request = prepare(config, Connection())
        body = recorded_body(request)
        assert body is not None
        tools = body["session"]["tools"] if api is ApiShape.GA else body["tools"]
        assert tools == [PLAIN_TOOL], api
        assert b"mcp-secret" in request.content  # what is sent is untouched
        record = failure_record(NetworkError("x"), request, profile="p", source="cli")
        assert record.body == body and "mcp-secret" not in json.dumps(record.to_json())
        assert "body" not in repr(record)  # long: kept out of repr


def test_records_without_a_body_read_and_a_bad_body_is_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    old = {
        "time": "2025-01-01T00:00:00+00:00", "profile": "default", "api": "ga",
        "model": "gpt-realtime", "session_id": "sess_1", "expires_at": 1, "outcome": "ok",
        "source": "window",
    }  # fmt: skip
    lines = [old, {**old, "session_id": "sess_2", "body": [1]}, {**old, "body": {"session": {}}}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    newest, oldest = HistoryFile(path).read()
    assert (oldest.session_id, oldest.body) == ("sess_1", None)
    assert newest.body == {"session": {}}


def test_the_cap_holds_with_bodies(tmp_path: Path) -> None:
    history = HistoryFile(tmp_path / "history.jsonl", cap=20, margin=5)
    body = prepare(SessionConfig(instructions="x" * 500), Connection()).body
    for n in range(60):
        history.append(
            MintRecord("t", "default", "ga", "m", f"sess_{n}", None, "ok", "cli", body=dict(body))
        )
    records = history.read()
    assert 20 <= len(records) <= 25 and records[0].session_id == "sess_59"
    assert all(record.body == body for record in records)
