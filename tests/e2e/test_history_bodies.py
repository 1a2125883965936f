"""Each record keeps the body as sent (MCP credentials stripped), from the CLI and from serve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from realtime_gui.core.history import HistoryFile, history_path
from realtime_gui.core.serve import ServePolicy
from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import run_cli
from tests.e2e.serve_support import StartServe
from tests.fake_api import FakeRealtimeApi

MCP_TOOL = {
    "type": "mcp",
    "server_label": "docs",
    "server_url": "https://mcp.example/sse",
    "authorization": "mcp-token-body-check-41",
    "headers": {"X-Api-Key": "mcp-header-body-check-42"},
}


def without_credentials(body: Any, *, beta: bool = False) -> Any:
    stripped = json.loads(json.dumps(body))
    for tool in (stripped if beta else stripped["session"]).get("tools", []):
        tool.pop("authorization", None)
        tool.pop("headers", None)
    return stripped


def test_cli_records_hold_the_sent_body_without_mcp_credentials(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    base = ("mint", "--base-url", fake_api.base_url)
    tools = ("--set", f"session.tools={json.dumps([MCP_TOOL])}")
    assert run_cli(*base, "--instructions", "Kept.", *tools, env=env).code == 0
    sent_ok = fake_api.requests[-1].body
    assert sent_ok["session"]["tools"][0]["authorization"] == MCP_TOOL["authorization"]
    fake_api.then_error(400, "No.", "invalid_value")
    assert run_cli(*base, "--api", "beta", "--model", "gpt-realtime", env=env).code == 4
    sent_failed = fake_api.requests[-1].body

    history = HistoryFile(Path(cli_env["XDG_DATA_HOME"]) / "realtime-gui" / "history.jsonl")
    failed, ok = history.read()
    assert ok.body == without_credentials(sent_ok)
    assert ok.body is not None and ok.body["session"]["tools"] == [
        {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example/sse"}
    ]
    assert (failed.api, failed.outcome, failed.body) == ("beta", "invalid_value", sent_failed)
    text = history.path.read_text(encoding="utf-8")
    assert "mcp-token-body-check" not in text and "mcp-header-body-check" not in text

    # The lines are what they were; --json carries the body.
    lines = run_cli("history", env=env)
    assert "Kept." not in lines.stdout and "session" not in lines.stdout
    listed = json.loads(run_cli("history", "--json", env=env).stdout)
    assert listed[1]["body"] == ok.body


def test_serve_records_hold_the_sent_body(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve(policy=ServePolicy())
    answer = httpx.get(server.url + "/token")
    assert answer.status_code == 200, answer.text
    (record,) = HistoryFile(history_path()).read()
    assert record.source == "serve" and record.body == fake_api.requests[-1].body
