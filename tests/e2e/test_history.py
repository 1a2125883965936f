"""Every mint lands in the history: CLI mints (ok and failed), serve mints with their Origin."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from realtime_gui.core.history import HistoryFile, history_path
from realtime_gui.core.serve import ServePolicy
from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import CliResult, run_cli
from tests.e2e.serve_support import StartServe
from tests.fake_api import FakeRealtimeApi


def cli_history_file(cli_env: dict[str, str]) -> HistoryFile:
    return HistoryFile(Path(cli_env["XDG_DATA_HOME"]) / "realtime-gui" / "history.jsonl")


def mint(fake_api: FakeRealtimeApi, env: dict[str, str], *args: str) -> CliResult:
    env = {**env, "OPENAI_API_KEY": TEST_API_KEY}
    return run_cli("mint", "--base-url", fake_api.base_url, "--json", *args, env=env)


def test_a_cli_mint_appends_one_record_with_the_session_id(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    history = cli_history_file(cli_env)
    result = mint(fake_api, cli_env, "--model", "gpt-realtime-mini")
    assert result.code == 0, result.stderr
    minted = json.loads(result.stdout)
    (record,) = history.read()
    assert minted["session_id"].startswith("sess_")
    assert (record.session_id, record.expires_at) == (minted["session_id"], minted["expires_at"])
    assert (record.outcome, record.api, record.model) == ("ok", "ga", "gpt-realtime-mini")
    assert (record.profile, record.source, record.origin, record.preset) == (
        "default", "cli", None, None,
    )  # fmt: skip
    assert record.time.endswith("+00:00")


def test_a_mint_from_a_preset_records_the_preset_name(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    history = cli_history_file(cli_env)
    assert mint(fake_api, cli_env, "--preset", "text-chat").code == 0
    fake_api.then_error(429, "Slow down.", "rate_limit_exceeded")
    assert mint(fake_api, cli_env, "--preset", "voice-agent").code == 4
    failed, succeeded = history.read()
    assert (succeeded.preset, succeeded.outcome) == ("text-chat", "ok")
    assert (failed.preset, failed.outcome) == ("voice-agent", "rate_limit_exceeded")


def test_a_failed_mint_records_the_upstream_code(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    fake_api.then_error(401, "Incorrect API key provided.", "invalid_api_key")
    failed = mint(fake_api, cli_env, "--api", "beta", "--model", "gpt-realtime")
    assert failed.code == 4, failed.stderr
    unreachable = run_cli(
        "mint", "--base-url", "http://127.0.0.1:9/v1",
        env={**cli_env, "OPENAI_API_KEY": TEST_API_KEY},
    )  # fmt: skip
    assert unreachable.code == 5, unreachable.stderr
    newest, oldest = cli_history_file(cli_env).read()
    assert (oldest.outcome, oldest.api, oldest.model) == ("invalid_api_key", "beta", "gpt-realtime")
    assert (oldest.session_id, oldest.expires_at) == (None, None)
    assert newest.outcome == "ConnectionFailed"  # no upstream code: the error class


def test_no_key_sends_nothing_and_records_nothing(cli_env: dict[str, str]) -> None:
    result = run_cli("mint", "--base-url", "http://127.0.0.1:9/v1", env=cli_env)
    assert result.code == 3
    assert cli_history_file(cli_env).read() == []


def test_history_lists_newest_first_as_json_and_as_lines(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    empty = run_cli("history", env=cli_env)
    assert (empty.code, empty.stdout) == (0, "")
    assert "No mints recorded yet" in empty.stderr
    ids = [json.loads(mint(fake_api, cli_env).stdout)["session_id"] for _ in range(3)]
    fake_api.then_error(429, "Slow down.", "rate_limit_exceeded")
    assert mint(fake_api, cli_env).code == 4

    listed = run_cli("history", "--json", env=cli_env)
    assert listed.code == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert [r["session_id"] for r in data] == [None, *reversed(ids)]
    assert [r["outcome"] for r in data] == ["rate_limit_exceeded", "ok", "ok", "ok"]
    assert set(data[0]) == {
        "time", "profile", "preset", "api", "model", "session_id", "expires_at",
        "outcome", "origin", "source", "body",
    }  # fmt: skip

    limited = run_cli("history", "--json", "--limit", "2", env=cli_env)
    assert [r["session_id"] for r in json.loads(limited.stdout)] == [None, ids[2]]
    lines = run_cli("history", "--limit", "2", env=cli_env).stdout.splitlines()
    assert len(lines) == 2
    assert "rate_limit_exceeded" in lines[0] and "profile default" in lines[0]
    assert ids[2] in lines[1] and " ok " in lines[1] and lines[1].endswith("cli")
    assert (
        f"expires {datetime.fromtimestamp(data[1]['expires_at'], timezone.utc).isoformat()}"
        in (lines[1])
    )
    bad = run_cli("history", "--limit", "-1", env=cli_env)
    assert bad.code == 2 and "limit" in bad.stderr


def test_an_unwritable_data_folder_does_not_fail_the_mint(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result = mint(fake_api, {**cli_env, "XDG_DATA_HOME": str(blocker)})
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["value"].startswith("ek_")
    assert "Could not record the mint in the history (NotADirectoryError)" in result.stderr
    assert TEST_API_KEY not in result.stderr and "ek_" not in result.stderr


def test_serve_mints_record_the_origin(serve: StartServe, fake_api: FakeRealtimeApi) -> None:
    server = serve(policy=ServePolicy())
    origin = "http://localhost:5173"
    answer = httpx.get(server.url + "/token", headers={"Origin": origin})
    assert answer.status_code == 200, answer.text
    plain = httpx.get(server.url + "/token")
    assert plain.status_code == 200
    fake_api.then_error(401, "Incorrect API key provided.", "invalid_api_key")
    failed = httpx.post(server.url + "/token", json={}, headers={"Origin": origin})
    assert failed.status_code == 401
    refused = httpx.get(server.url + "/token", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403  # refused before anything went upstream: no record

    failure, without_origin, with_origin = HistoryFile(history_path()).read()
    session_id = answer.json()["session"]["id"]
    assert (with_origin.session_id, with_origin.origin) == (session_id, origin)
    assert (with_origin.source, with_origin.outcome, with_origin.api) == ("serve", "ok", "ga")
    assert (without_origin.origin, without_origin.outcome) == (None, "ok")
    assert (failure.outcome, failure.origin, failure.session_id) == (
        "invalid_api_key", origin, None,
    )  # fmt: skip


def test_serve_still_answers_when_the_history_cannot_be_written(
    serve: StartServe,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    server = serve(policy=ServePolicy())
    answer = httpx.get(server.url + "/token")
    assert answer.status_code == 200, answer.text
    assert "Could not record the mint in the history (NotADirectoryError)" in caplog.text
    assert "ek_" not in caplog.text and TEST_API_KEY not in caplog.text
