"""``realtime-gui test`` as a subprocess against the fake API and its Realtime WebSocket."""

from __future__ import annotations

import json
import re
import socket

import pytest

from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import CliResult, run_cli
from tests.fake_api import FakeRealtimeApi


def conntest(
    fake_api: FakeRealtimeApi, env: dict[str, str], *args: str, key: bool = True
) -> CliResult:
    env = {**env, "OPENAI_API_KEY": TEST_API_KEY} if key else env
    result = run_cli("test", "--base-url", fake_api.base_url, *args, env=env)
    # Whatever happened, neither the key nor a secret reaches either stream.
    assert TEST_API_KEY not in result.stdout + result.stderr
    assert "ek_" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_ok_prints_time_session_and_model(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = conntest(fake_api, cli_env, "--model", "gpt-realtime-mini", "--voice", "marin")
    assert result.code == 0, result.stderr
    (connection,) = fake_api.realtime.connections
    session = connection.sent[0]["session"]
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"connected in \d+ ms", lines[0]), lines
    assert lines[1:] == [f"session {session['id']}", "model gpt-realtime-mini"]
    assert session["id"].startswith("sess_")
    # The socket it opened: the granted model, the GA header form, no Beta header.
    assert connection.path == "/v1/realtime"
    assert connection.query == {"model": ["gpt-realtime-mini"]}
    assert connection.headers["authorization"].startswith("Bearer ek_")
    assert "openai-beta" not in connection.headers
    assert connection.outcome == "closed by client"  # closed cleanly
    # It connected with the secret it minted itself (the one mint in this run).
    (minted,) = fake_api.realtime.issued()
    assert minted.used and connection.credential == minted.value
    assert fake_api.requests[0].body["session"]["audio"] == {"output": {"voice": "marin"}}


def test_say_prints_the_reply(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    result = conntest(fake_api, cli_env, "--say", "hello")
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "reply: You said: hello"
    received = fake_api.realtime.connections[-1].received
    assert received[0]["type"] == "conversation.item.create"
    assert received[0]["item"]["content"] == [{"type": "input_text", "text": "hello"}]
    assert received[1] == {"type": "response.create", "response": {"output_modalities": ["text"]}}


def test_json_output_shape(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    result = conntest(fake_api, cli_env, "--json", "--say", "hi", "--instructions", "Be brief.")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"connected", "connect_ms", "session_id", "model", "session", "reply"} <= set(data)
    session = fake_api.realtime.connections[-1].sent[0]["session"]
    assert data["connected"] is True
    assert isinstance(data["connect_ms"], int) and data["connect_ms"] >= 0
    assert data["session_id"] == session["id"] and data["model"] == session["model"]
    assert data["session"] == session
    assert data["reply"] == "You said: hi"
    assert data["differences"] == []
    plain = conntest(fake_api, cli_env, "--json")
    assert json.loads(plain.stdout)["reply"] is None


def test_beta_shape_asks_for_text_the_beta_way(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = conntest(
        fake_api, cli_env, "--api", "beta", "--model", "gpt-4o-realtime-preview",
        "--modality", "text", "--say", "hello",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "reply: You said: hello" in result.stdout
    connection = fake_api.realtime.connections[-1]
    assert "openai-beta" not in connection.headers
    assert connection.received[1]["response"] == {"modalities": ["text"]}


def test_azure_uses_its_websocket_path_and_api_key_header(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli(
        "test", "--provider", "azure", "--base-url", fake_api.azure_base_url,
        "--model", "my-deployment", env=env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    connection = fake_api.realtime.connections[-1]
    assert connection.path == "/openai/v1/realtime"
    assert connection.query == {"model": ["my-deployment"]}
    assert connection.headers["api-key"].startswith("ek_")
    assert "authorization" not in connection.headers


@pytest.mark.parametrize(("status", "code"), [(401, "invalid_api_key"), (403, "forbidden")])
def test_upgrade_refused(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], status: int, code: str
) -> None:
    fake_api.realtime.mode = "reject"
    fake_api.realtime.upgrade_status = status
    result = conntest(fake_api, cli_env)
    assert result.code == 4, result.stderr
    assert result.stdout == ""
    assert f"refused the connection (HTTP {status})" in result.stderr
    assert f"HTTP {status}, code {code}" in result.stderr


def test_error_event_code_verbatim(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    fake_api.realtime.mode = "error"
    fake_api.realtime.error_code = "session_limit_reached"
    fake_api.realtime.error_message = "Too many sessions."
    result = conntest(fake_api, cli_env)
    assert result.code == 4, result.stderr
    assert "code session_limit_reached: Too many sessions." in result.stderr


def test_hang_ends_at_the_connect_timeout(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    fake_api.realtime.mode = "hang"
    result = conntest(fake_api, cli_env, "--connect-timeout", "1")
    assert result.code == 5, result.stderr
    assert "No session.created from 127.0.0.1" in result.stderr and "within 1 s" in result.stderr
    assert "--connect-timeout" in result.stderr  # the hint names the way out


def test_close_names_code_and_reason(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    fake_api.realtime.mode = "close"
    fake_api.realtime.close_code = 4010
    fake_api.realtime.close_reason = "session quota exceeded"
    result = conntest(fake_api, cli_env)
    assert result.code == 4, result.stderr
    assert "code 4010 and reason “session quota exceeded”" in result.stderr


def test_drop_is_an_abnormal_close(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    fake_api.realtime.mode = "drop"
    result = conntest(fake_api, cli_env, "--say", "hello")
    assert result.code == 5, result.stderr
    assert "without a close frame (abnormal closure, 1006)" in result.stderr
    assert fake_api.realtime.connections[-1].outcome == "dropped"


def test_mint_refused_means_no_connection(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    fake_api.then_error(429, "Rate limit reached.", "rate_limit_exceeded")
    result = conntest(fake_api, cli_env)
    assert result.code == 4, result.stderr
    assert "rate_limit_exceeded" in result.stderr
    assert fake_api.realtime.connections == []


@pytest.mark.parametrize(
    "args",
    [["--ttl", "5"], ["--say", "  "], ["--connect-timeout", "0"], ["--modality", "loud"]],
    ids=["ttl", "empty-say", "zero-timeout", "modality"],
)
def test_bad_input_exits_2_and_sends_nothing(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], args: list[str]
) -> None:
    result = conntest(fake_api, cli_env, *args)
    assert result.code == 2, result.stderr
    assert fake_api.requests == [] and fake_api.realtime.connections == []


def test_no_key_exits_3_and_sends_nothing(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = conntest(fake_api, cli_env, key=False)
    assert result.code == 3, result.stderr
    assert "OPENAI_API_KEY" in result.stderr  # the way out
    assert fake_api.requests == [] and fake_api.realtime.connections == []


def test_unreachable_server_is_a_network_failure(cli_env: dict[str, str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli("test", "--base-url", f"http://127.0.0.1:{port}/v1", env=env)
    assert result.code == 5, result.stderr
    assert "Could not connect to 127.0.0.1" in result.stderr


def test_help_names_the_options(cli_env: dict[str, str]) -> None:
    result = run_cli("test", "--help", env=cli_env)
    assert result.code == 0
    for option in ("--say", "--json", "--connect-timeout", "--model", "--body-file"):
        assert option in result.stdout


def test_differences_from_what_was_asked_go_to_stderr(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    original = fake_api.realtime.issue

    def issue(value: str, session: dict, expires_at: int) -> None:  # type: ignore[type-arg]
        audio = {"output": {"voice": "alloy"}}  # the server starts another voice than asked
        original(value, {**session, "audio": audio}, expires_at)

    fake_api.realtime.issue = issue  # type: ignore[method-assign]
    result = conntest(fake_api, cli_env, "--voice", "marin")
    assert result.code == 0, result.stderr
    assert "note: granted differently from what was asked: audio.output.voice" in result.stderr
    assert len(result.stdout.splitlines()) == 3  # stdout keeps its three lines
