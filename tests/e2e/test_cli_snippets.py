"""``mint --as KIND`` and ``snippet KIND`` as subprocesses against the fake API."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from realtime_gui.core.snippets import ENV_NAME, KINDS, SERVE_KINDS
from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import CliResult, run_cli
from tests.e2e.snippet_support import run_python
from tests.fake_api import FakeRealtimeApi


def mint(fake_api: FakeRealtimeApi, env: dict[str, str], *args: str) -> CliResult:
    env = {**env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli("mint", "--base-url", fake_api.base_url, *args, env=env)
    assert TEST_API_KEY not in result.stdout + result.stderr
    return result


def _issued(fake_api: FakeRealtimeApi) -> str:
    (issued,) = fake_api.realtime.issued()
    return issued.value


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_mint_as_each_kind_prints_it_with_the_fresh_secret(
    kind: str, fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = mint(fake_api, cli_env, "--model", "gpt-realtime", "--as", kind)
    assert result.code == 0, result.stderr
    secret = _issued(fake_api)
    assert secret in result.stdout
    assert secret not in result.stderr  # the summary line names the session, not the secret
    assert "Minted a GA client secret" in result.stderr
    out = result.stdout
    if kind == "value":
        assert out == secret + "\n"
    elif kind == "json":
        assert json.loads(out)["value"] == secret
    elif kind == "env":
        assert shlex.split(out, comments=True) == ["export", f"{ENV_NAME}={secret}"]
    elif kind == "dotenv":
        assert out.splitlines()[1] == f"{ENV_NAME}={secret}"
    elif kind == "python":
        assert f"SECRET = {secret!r}" in out and "ws://127.0.0.1:" in out
    else:
        assert f'const SECRET = "{secret}";' in out


def test_as_json_is_exactly_json(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    via_as = mint(fake_api, cli_env, "--as", "json")
    via_flag = mint(fake_api, cli_env, "--json", "--as", "json")
    first, second = json.loads(via_as.stdout), json.loads(via_flag.stdout)
    assert (
        set(first)
        == set(second)
        == {"value", "expires_at", "session_id", "model", "api", "session"}
    )
    assert via_as.stdout == json.dumps(first, indent=2) + "\n"  # the --json layout


def test_mint_as_python_prints_a_script_that_opens_the_session(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = mint(fake_api, cli_env, "--as", "python")
    done = run_python(result.stdout, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("session.created\n")


def test_an_env_line_exports_the_secret_in_a_shell(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = mint(fake_api, cli_env, "--as", "env")
    shell = subprocess.run(
        ["sh", "-c", f'eval $(cat) && printf %s "${ENV_NAME}"'],
        input=result.stdout,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert shell.stdout == _issued(fake_api)


@pytest.mark.parametrize(
    "args",
    [("--as", "bogus"), ("--json", "--as", "env"), ("--as", "js-webrtc", "--api", "beta",
     "--provider", "azure", "--model", "dep")],
    ids=["unknown-kind", "json-with-another-kind", "webrtc-on-azure-preview"],
)  # fmt: skip
def test_an_invalid_as_exits_2_and_sends_nothing(
    args: tuple[str, ...], fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    result = mint(fake_api, cli_env, *args)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    assert fake_api.requests == [] and fake_api.realtime.issued() == []
    assert "--as" in result.stderr or "snippet" in result.stderr


@pytest.mark.parametrize("kind", [k.name for k in SERVE_KINDS])
def test_snippet_prints_a_serve_snippet_without_a_key_or_network(
    kind: str, cli_env: dict[str, str]
) -> None:
    # No OPENAI_API_KEY and an unroutable base URL: nothing is read or sent.
    result = run_cli(
        "snippet", kind, "--serve-url", "http://127.0.0.1:9", "--require-token",
        "--base-url", "https://example.invalid/v1", "--model", "gpt-realtime", env=cli_env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "http://127.0.0.1:9/token" in result.stdout
    expected = (
        "https://example.invalid/v1/realtime/calls"
        if kind == "js-webrtc"
        else ("wss://example.invalid/v1/realtime?model=")
    )
    assert expected in result.stdout
    assert not re.search(r"ek_|sk-", result.stdout) and result.stderr == ""


def test_snippet_refuses_a_kind_with_a_secret_and_a_bad_url(cli_env: dict[str, str]) -> None:
    assert run_cli("snippet", "env", env=cli_env).code == 2
    bad = run_cli("snippet", "python", "--serve-url", "ftp://x", env=cli_env)
    assert bad.code == 2 and "serve_url" in bad.stderr
