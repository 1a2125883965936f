"""``realtime-gui preset`` and ``--preset`` as subprocesses against the local fake API."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from realtime_gui.core.presets import BUILT_IN
from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import CliResult, run_cli
from tests.e2e.test_serve_cli import serving
from tests.fake_api import FakeRealtimeApi

# Every session flag mint has, and advanced fields through --set, so the trip carries each.
OPTIONS = (
    "--model", "gpt-realtime", "--voice", "cedar", "--instructions", "Answer in haiku.",
    "--modality", "audio", "--ttl", "900", "--speed", "1.2", "--max-output-tokens", "512",
    "--input-format", "pcm", "--output-format", "pcmu", "--noise-reduction", "near_field",
    "--transcription-model", "gpt-4o-mini-transcribe", "--language", "en",
    "--transcription-prompt", "Names: Ada.",
    "--set", "session.audio.input.turn_detection.type=semantic_vad",
    "--set", "session.tracing=auto",
    "--set", 'session.tools=[{"type": "function", "name": "now", "parameters": {"type": "object"}}]',
)  # fmt: skip


def cli(env: dict[str, str], *args: str, stdin: str = "") -> CliResult:
    result = run_cli(*args, env={**env, "OPENAI_API_KEY": TEST_API_KEY}, stdin=stdin)
    assert TEST_API_KEY not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def presets_dir(env: dict[str, str]) -> Path:
    return Path(env["XDG_CONFIG_HOME"]) / "realtime-gui" / "presets"


def test_round_trip_save_export_import_mint_sends_the_same_bytes(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    base = ("--base-url", fake_api.base_url)
    direct = cli(cli_env, "mint", *base, *OPTIONS)
    assert direct.code == 0, direct.stderr
    sent_directly = fake_api.requests[-1].raw_body

    saved = cli(cli_env, "preset", "save", "mine", *OPTIONS)
    assert saved.code == 0, saved.stderr
    assert (presets_dir(cli_env) / "mine.json").read_bytes() == sent_directly
    shared = tmp_path / "shared.json"
    exported = cli(cli_env, "preset", "export", "mine", str(shared))
    assert exported.code == 0, exported.stderr
    imported = cli(cli_env, "preset", "import", str(shared), "--name", "other")
    assert imported.code == 0, imported.stderr
    assert "Imported a ga body as preset 'other'" in imported.stderr

    minted = cli(cli_env, "mint", *base, "--preset", "other")
    assert minted.code == 0, minted.stderr
    assert minted.stdout.startswith("ek_")
    assert fake_api.requests[-1].raw_body == sent_directly
    assert len(fake_api.requests) == 2

    listed = cli(cli_env, "preset", "list", "--json")
    rows = {row["name"]: row["built_in"] for row in json.loads(listed.stdout)}
    assert rows == {**dict.fromkeys(BUILT_IN, True), "mine": False, "other": False}
    shown = cli(cli_env, "preset", "show", "other")
    assert shown.stdout.encode() == sent_directly
    assert cli(cli_env, "preset", "delete", "other").code == 0
    assert not (presets_dir(cli_env) / "other.json").exists()


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_every_built_in_mints(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], name: str
) -> None:
    result = cli(cli_env, "mint", "--base-url", fake_api.base_url, "--preset", name, "--json")
    assert result.code == 0, result.stderr
    (request,) = fake_api.requests
    session = request.body["session"]
    assert json.loads(result.stdout)["value"].startswith("ek_")
    assert session["type"] == ("transcription" if name == "transcription" else "realtime")
    shown = cli(cli_env, "preset", "show", name)
    assert shown.stdout.encode() == request.raw_body


def test_explicit_voice_overrides_the_preset(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = cli(
        cli_env, "mint", "--base-url", fake_api.base_url, "--preset", "voice-agent",
        "--voice", "cedar",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    session = fake_api.requests[-1].body["session"]
    assert session["audio"]["output"]["voice"] == "cedar"
    assert session["model"] == "gpt-realtime" and session["output_modalities"] == ["audio"]


def test_preview_with_a_preset_sends_nothing(cli_env: dict[str, str]) -> None:
    result = run_cli("preview", "--preset", "text-chat", "--instructions", "Hi.", env=cli_env)
    assert result.code == 0, result.stderr
    head, body = result.stdout.split("\n\n", 1)
    assert head.startswith("POST https://api.openai.com/v1/realtime/client_secrets")
    assert json.loads(body)["session"] == {
        "type": "realtime", "model": "gpt-realtime", "instructions": "Hi.",
        "output_modalities": ["text"],
    }  # fmt: skip


@pytest.mark.parametrize("command", ["mint", "preview", "test", "serve"])
def test_an_unknown_preset_exits_2_and_sends_nothing(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], command: str
) -> None:
    result = cli(cli_env, command, "--base-url", fake_api.base_url, "--preset", "nope")
    assert result.code == 2
    assert "there is no preset 'nope'" in result.stderr
    assert fake_api.requests == []


def test_connection_test_with_a_preset(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    result = cli(cli_env, "test", "--base-url", fake_api.base_url, "--preset", "low-latency")
    assert result.code == 0, result.stderr
    assert "model gpt-realtime-mini" in result.stdout
    assert fake_api.requests[0].body["session"]["model"] == "gpt-realtime-mini"


def test_serve_with_a_preset(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    with serving("--base-url", fake_api.base_url, "--preset", "text-chat", env=env) as served:
        answer = httpx.get(served.url + "/token", headers={"Origin": "http://localhost:3000"})
        assert answer.status_code == 200
        served.stop()
    assert fake_api.requests[0].body["session"]["output_modalities"] == ["text"]


def test_import_converts_a_beta_body_and_reports_notes(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    beta = tmp_path / "beta-agent.json"
    beta.write_text(
        json.dumps({"model": "gpt-realtime", "voice": "marin", "modalities": ["text", "audio"]})
    )
    result = cli(cli_env, "preset", "import", str(beta))
    assert result.code == 0, result.stderr
    assert "Imported a beta body as preset 'beta-agent'" in result.stderr
    assert "note: " in result.stderr
    minted = cli(cli_env, "mint", "--base-url", fake_api.base_url, "--preset", "beta-agent")
    assert minted.code == 0, minted.stderr
    session = fake_api.requests[-1].body["session"]
    assert session["audio"]["output"]["voice"] == "marin"


def test_read_only_built_ins_and_bad_names_exit_2(cli_env: dict[str, str]) -> None:
    for args in (
        ("preset", "save", "voice-agent", "--voice", "cedar"),
        ("preset", "delete", "transcription"),
        ("preset", "save", "../escape", "--model", "gpt-realtime"),
    ):
        result = run_cli(*args, env=cli_env)
        assert result.code == 2, result.stderr
        assert "Invalid name" in result.stderr
    assert not presets_dir(cli_env).exists() or list(presets_dir(cli_env).iterdir()) == []


def test_a_hand_broken_file_is_moved_aside_and_list_still_works(cli_env: dict[str, str]) -> None:
    folder = presets_dir(cli_env)
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text('{"session": {"type": "realtime",')
    result = run_cli("preset", "list", env=cli_env)
    assert result.code == 0
    assert f"{folder / 'broken.json'} is unreadable" in result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(BUILT_IN)
    assert [p.name.split(".corrupt-")[0] for p in folder.iterdir()] == ["broken.json"]
