"""``realtime-gui mint`` as a subprocess against the real local API server."""

from __future__ import annotations

import json
import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import CliResult, run_cli
from tests.fake_api import Canned, FakeRealtimeApi


def mint(fake_api: FakeRealtimeApi, env: dict[str, str], *args: str) -> CliResult:
    env = {**env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli("mint", "--base-url", fake_api.base_url, *args, env=env)
    # Whatever happened, the key never reaches either stream.
    assert TEST_API_KEY not in result.stdout + result.stderr
    return result


def test_ga_mint_prints_only_the_secret(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    result = mint(
        fake_api, cli_env, "--model", "gpt-realtime", "--voice", "marin", "--ttl", "120",
        "--instructions", "Be brief.", "--modality", "audio",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    secret = result.stdout.strip()
    assert secret.startswith("ek_") and result.stdout == secret + "\n"
    assert secret not in result.stderr
    assert "Minted a GA client secret" in result.stderr and "model gpt-realtime" in result.stderr

    (request,) = fake_api.requests
    assert request.path == "/v1/realtime/client_secrets"
    assert request.headers["authorization"] == f"Bearer {TEST_API_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert "openai-beta" not in request.headers
    assert request.body == {
        "expires_after": {"anchor": "created_at", "seconds": 120},
        "session": {
            "type": "realtime",
            "model": "gpt-realtime",
            "instructions": "Be brief.",
            "output_modalities": ["audio"],
            "audio": {"output": {"voice": "marin"}},
        },
    }


def test_ga_json_output(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    before = time.time()
    result = mint(fake_api, cli_env, "--model", "gpt-realtime-mini", "--json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"value", "expires_at", "session_id", "model", "api", "session"}
    assert data["api"] == "ga" and data["model"] == "gpt-realtime-mini"
    assert data["session_id"] == data["session"]["id"] and data["session_id"].startswith("sess_")
    # No lifetime was asked for, so nothing was sent and the server's default of 600 s applied.
    assert "expires_after" not in fake_api.requests[0].body
    assert before + 590 <= data["expires_at"] <= time.time() + 610


def test_ga_transcription_model_goes_into_transcription(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = mint(
        fake_api, cli_env, "--type", "transcription", "--model", "gpt-4o-transcribe",
        "--language", "de", "--noise-reduction", "near_field", "--input-format", "pcmu", "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert fake_api.requests[0].body == {
        "session": {
            "type": "transcription",
            "audio": {
                "input": {
                    "format": {"type": "audio/pcmu"},
                    "transcription": {"model": "gpt-4o-transcribe", "language": "de"},
                    "noise_reduction": {"type": "near_field"},
                }
            },
        }
    }
    assert json.loads(result.stdout)["model"] == "gpt-4o-transcribe"


def test_beta_mint(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    result = mint(
        fake_api, cli_env, "--api", "beta", "--model", "gpt-4o-realtime-preview",
        "--modality", "audio", "--modality", "text", "--voice", "verse", "--temperature", "0.7",
        "--output-format", "pcma", "--ttl", "300", "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    (request,) = fake_api.requests
    assert request.path == "/v1/realtime/sessions"
    assert request.body == {
        "model": "gpt-4o-realtime-preview",
        "modalities": ["text", "audio"],
        "voice": "verse",
        "output_audio_format": "g711_alaw",
        "temperature": 0.7,
        "client_secret": {"expires_after": {"anchor": "created_at", "seconds": 300}},
    }
    data = json.loads(result.stdout)
    assert data["api"] == "beta" and data["value"].startswith("ek_")
    assert "client_secret" not in data["session"] and data["session"]["voice"] == "verse"


def test_instructions_file(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "prompt.txt"
    path.write_text("Ünïcode\nsecond line", encoding="utf-8")
    result = mint(fake_api, cli_env, "--instructions-file", str(path))
    assert result.code == 0, result.stderr
    assert fake_api.requests[0].body["session"]["instructions"] == "Ünïcode\nsecond line"


def test_missing_instructions_file_is_invalid_input(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = mint(fake_api, cli_env, "--instructions-file", str(tmp_path / "nope.txt"))
    assert result.code == 2
    assert "instructions_file" in result.stderr and "nope.txt" in result.stderr
    assert fake_api.requests == []


def test_beta_rejected_by_ga_only_server(cli_env: dict[str, str]) -> None:
    server = FakeRealtimeApi(TEST_API_KEY, beta_disabled=True).start()
    try:
        result = mint(server, cli_env, "--api", "beta", "--model", "gpt-realtime")
    finally:
        server.stop()
    assert result.code == 4
    assert "beta_api_shape_disabled" in result.stderr
    assert "The beta API shape is no longer supported" in result.stderr
    assert "use the GA API" in result.stderr
    assert result.stdout == ""


def test_azure_ga_uses_api_key_header(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli(
        "mint", "--provider", "azure", "--base-url", fake_api.azure_base_url,
        "--model", "my-deployment", env=env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    (request,) = fake_api.requests
    assert request.path == "/openai/v1/realtime/client_secrets" and request.query == ""
    assert request.headers["api-key"] == TEST_API_KEY and "authorization" not in request.headers


def test_azure_preview_beta_path(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli(
        "mint", "--provider", "azure", "--api", "beta", "--base-url", fake_api.azure_base_url,
        "--model", "my-deployment", env=env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    (request,) = fake_api.requests
    assert request.path == "/openai/realtimeapi/sessions"
    assert request.query == "api-version=2025-04-01-preview"


def test_org_and_project_headers(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "OPENAI_ORG_ID": "org_test", "OPENAI_PROJECT_ID": "proj_test"}
    assert mint(fake_api, env).code == 0
    headers = fake_api.requests[0].headers
    assert headers["openai-organization"] == "org_test"
    assert headers["openai-project"] == "proj_test"


def test_base_url_from_environment(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": fake_api.base_url}
    result = run_cli("mint", env=env)
    assert result.code == 0, result.stderr
    assert len(fake_api.requests) == 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--modality", "audio", "--modality", "text"), "modalities"),
        (("--ttl", "5"), "ttl_seconds"),
        (("--temperature", "0.8"), "temperature"),
        (("--speed", "3"), "speed"),
        (("--api", "beta", "--voice", "voice_abc123", "--model", "m"), "voice"),
        (("--base-url", "http://example.com/v1"), "base_url"),
    ],
)
def test_invalid_input_exits_2_and_sends_nothing(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], args: tuple[str, ...], field: str
) -> None:
    result = mint(fake_api, cli_env, *args)
    assert result.code == 2
    assert field in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert fake_api.requests == []


def test_wrong_key_is_401_with_server_text(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OPENAI_API_KEY": "sk-wrong-key-9999"}
    result = run_cli("mint", "--base-url", fake_api.base_url, env=env)
    assert result.code == 4
    assert "401" in result.stderr and "invalid_api_key" in result.stderr
    assert "Incorrect API key provided" in result.stderr
    assert "sk-wrong-key-9999" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2


@pytest.mark.parametrize(
    ("status", "code", "headers", "expected"),
    [
        (403, None, {}, "403"),
        (404, None, {}, "--api beta"),
        (429, "rate_limit_exceeded", {"Retry-After": "7"}, "Retry in 7 s"),
        (500, "server_error", {}, "The server failed (500)"),
    ],
)
def test_api_errors_exit_4(
    fake_api: FakeRealtimeApi,
    cli_env: dict[str, str],
    status: int,
    code: str | None,
    headers: dict[str, str],
    expected: str,
) -> None:
    fake_api.then_error(status, f"upstream says {status}", code, headers=headers)
    result = mint(fake_api, cli_env)
    assert result.code == 4
    assert expected in result.stderr
    assert f"upstream says {status}" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_response_without_secret_exits_4(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    fake_api.then(Canned(200, b'{"expires_at": 1, "session": {}}'))
    result = mint(fake_api, cli_env)
    assert result.code == 4 and "no client secret" in result.stderr


def test_connection_refused_exits_5(cli_env: dict[str, str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli("mint", "--base-url", f"http://127.0.0.1:{port}/v1", env=env)
    assert result.code == 5
    assert "Could not connect" in result.stderr and "Traceback" not in result.stderr


def test_slow_server_times_out_exits_5(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3)

    fake_api.then(stall)
    started = time.monotonic()
    result = mint(fake_api, cli_env, "--timeout", "0.5")
    assert result.code == 5
    assert "Timed out after 0.5 s" in result.stderr
    # Only a sanity bound against hanging forever, far above the timeout itself.
    assert time.monotonic() - started < 30


def test_no_key_exits_3(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    result = run_cli("mint", "--base-url", fake_api.base_url, env=cli_env)
    assert result.code == 3
    assert "No usable OS keyring" in result.stderr or "No API key" in result.stderr
    assert "hint:" in result.stderr
    assert fake_api.requests == []


def test_https_to_a_plain_http_server_is_a_tls_error_exit_5(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = mint(fake_api, cli_env, "--base-url", f"https://127.0.0.1:{fake_api.port}/v1")
    assert result.code == 5
    assert "TLS handshake with 127.0.0.1" in result.stderr
    assert "https://" in result.stderr  # the hint names the likely mix-up
    assert fake_api.requests == []


def test_mint_with_body_file_and_set(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps({"session": {"type": "realtime", "model": "gpt-realtime"}}))
    result = mint(
        fake_api, cli_env, "--body-file", str(path),
        "--set", "session.audio.input.turn_detection.type=semantic_vad",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert fake_api.requests[0].body == {
        "session": {
            "type": "realtime",
            "model": "gpt-realtime",
            "audio": {"input": {"turn_detection": {"type": "semantic_vad"}}},
        }
    }


def test_convert_then_mint_a_beta_body_on_the_ga_endpoint(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    beta = tmp_path / "beta.json"
    beta.write_text(
        json.dumps({
            "model": "gpt-realtime", "modalities": ["text", "audio"], "voice": "marin",
            "temperature": 0.8, "input_audio_format": "pcm16",
        })
    )  # fmt: skip
    converted = run_cli("convert", str(beta), env=cli_env)
    assert converted.code == 0, converted.stderr
    assert "temperature 0.8 was dropped" in converted.stderr
    ga = tmp_path / "ga.json"
    ga.write_text(converted.stdout)
    result = mint(fake_api, cli_env, "--body-file", str(ga))
    assert result.code == 0, result.stderr  # the fake server checks the GA shape
    assert fake_api.requests[0].body["session"]["audio"]["input"]["format"] == {
        "type": "audio/pcm",
        "rate": 24000,
    }
