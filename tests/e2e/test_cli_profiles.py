"""Profiles through the CLI: which key and base URL reach which local fake API, and the profile commands."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from realtime_gui.cli import main
from realtime_gui.core.credentials import SERVICE_NAME, KeyStore
from tests.doubles import InMemoryKeyring
from tests.e2e.cli_runner import CliResult, run_cli
from tests.fake_api import FakeRealtimeApi

WORK_KEY = "sk-test-prof-work"
HOME_KEY = "sk-test-prof-home"
ENV_KEY = "sk-test-prof-env"


@pytest.fixture
def work_api() -> Iterator[FakeRealtimeApi]:
    server = FakeRealtimeApi(WORK_KEY).start()
    yield server
    server.stop()


@pytest.fixture
def home_api() -> Iterator[FakeRealtimeApi]:
    server = FakeRealtimeApi(HOME_KEY).start()
    yield server
    server.stop()


@dataclass
class Cli:
    """The CLI in process, with one in-memory keyring shared by every run (as one OS keyring)."""

    env: dict[str, str]
    backend: InMemoryKeyring = field(default_factory=InMemoryKeyring)

    def __call__(self, *argv: str, env: dict[str, str] | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        run_env = self.env if env is None else {**self.env, **env}
        code = main(
            list(argv),
            env=run_env,
            store=KeyStore(self.backend, env=run_env, timeout=5.0),
            stdin=io.StringIO(""),
            stdout=out,
            stderr=err,
        )
        result = CliResult(code, out.getvalue(), err.getvalue())
        for key in (WORK_KEY, HOME_KEY, ENV_KEY):
            assert key not in result.stdout + result.stderr
        return result


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli({"REALTIME_GUI_CONFIG_DIR": str(tmp_path / "config")})


@pytest.fixture
def two_profiles(cli: Cli, work_api: FakeRealtimeApi, home_api: FakeRealtimeApi) -> Cli:
    """Profiles work and home, each at its own fake API with its own key in the keyring."""
    for name, api, key in (("work", work_api, WORK_KEY), ("home", home_api, HOME_KEY)):
        added = cli("profile", "add", name, "--provider", "custom", "--base-url", api.base_url)
        assert added.code == 0, added.stderr
        cli.backend.passwords[(SERVICE_NAME, name)] = key
    return cli


def _auth(api: FakeRealtimeApi) -> list[str]:
    return [request.headers["authorization"] for request in api.requests]


def test_each_profile_sends_its_own_key_to_its_own_base_url(
    two_profiles: Cli, work_api: FakeRealtimeApi, home_api: FakeRealtimeApi
) -> None:
    cli = two_profiles
    assert cli("mint", "--profile", "work").code == 0
    assert _auth(work_api) == [f"Bearer {WORK_KEY}"] and home_api.requests == []
    # The environment variable chooses the profile; the flag wins over it.
    assert cli("mint", env={"REALTIME_GUI_PROFILE": "home"}).code == 0
    assert _auth(home_api) == [f"Bearer {HOME_KEY}"]
    flagged = cli("mint", "--profile", "work", env={"REALTIME_GUI_PROFILE": "home"})
    assert flagged.code == 0, flagged.stderr
    assert _auth(work_api) == [f"Bearer {WORK_KEY}"] * 2 and len(home_api.requests) == 1
    # preview shows the profile's endpoint, and sends nothing.
    preview = cli("preview", "--profile", "home")
    assert f"POST {home_api.base_url}/realtime/client_secrets" in preview.stdout
    assert len(home_api.requests) == 1


def test_a_snippet_for_serve_uses_the_profiles_base_url(two_profiles: Cli) -> None:
    snippet = two_profiles("snippet", "js-websocket", "--profile", "home")
    assert snippet.code == 0, snippet.stderr
    home = json.loads(two_profiles("profile", "show", "home", "--json").stdout)["base_url"]
    assert home.replace("http://", "ws://") + "/realtime?model=" in snippet.stdout


def test_the_history_names_the_profile(two_profiles: Cli) -> None:
    cli = two_profiles
    assert cli("mint", "--profile", "work").code == 0
    assert cli("mint", "--profile", "home").code == 0
    records = json.loads(cli("history", "--json").stdout)
    assert [r["profile"] for r in records] == ["home", "work"]
    only = json.loads(cli("history", "--json", "--profile", "work").stdout)
    assert [r["profile"] for r in only] == ["work"]


def test_environment_precedence_over_the_profile(
    two_profiles: Cli, work_api: FakeRealtimeApi, home_api: FakeRealtimeApi
) -> None:
    cli = two_profiles
    # OPENAI_BASE_URL wins over the profile's base URL; the key is still the profile's.
    moved = cli("mint", "--profile", "work", env={"OPENAI_BASE_URL": home_api.base_url})
    assert moved.code == 4  # home's fake refuses work's key: it arrived there, unchanged
    assert _auth(home_api) == [f"Bearer {WORK_KEY}"] and work_api.requests == []
    # OPENAI_API_KEY wins over the profile's stored key.
    home_api.api_key = ENV_KEY
    overridden = cli(
        "mint",
        "--profile",
        "work",
        env={"OPENAI_BASE_URL": home_api.base_url, "OPENAI_API_KEY": ENV_KEY},
    )
    assert overridden.code == 0, overridden.stderr
    assert _auth(home_api)[-1] == f"Bearer {ENV_KEY}"
    # An explicit --base-url wins over OPENAI_BASE_URL.
    flagged = cli(
        "mint", "--profile", "work", "--base-url", work_api.base_url,
        env={"OPENAI_BASE_URL": home_api.base_url},
    )  # fmt: skip
    assert flagged.code == 0 and _auth(work_api) == [f"Bearer {WORK_KEY}"]


def test_org_and_project_come_from_the_profile_unless_the_environment_says(
    cli: Cli, work_api: FakeRealtimeApi
) -> None:
    cli.backend.passwords[(SERVICE_NAME, "work")] = WORK_KEY
    added = cli(
        "profile", "add", "work", "--provider", "openai", "--base-url", work_api.base_url,
        "--org", "org-profile", "--project", "proj-profile",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    assert cli("mint", "--profile", "work").code == 0
    assert cli("mint", "--profile", "work", env={"OPENAI_ORG_ID": "org-env"}).code == 0
    first, second = work_api.requests
    assert first.headers["openai-organization"] == "org-profile"
    assert first.headers["openai-project"] == "proj-profile"
    assert second.headers["openai-organization"] == "org-env"


def test_an_azure_profile_uses_the_api_key_header(cli: Cli, work_api: FakeRealtimeApi) -> None:
    cli.backend.passwords[(SERVICE_NAME, "az")] = WORK_KEY
    added = cli(
        "profile", "add", "az", "--provider", "azure", "--base-url", work_api.azure_base_url
    )
    assert added.code == 0, added.stderr
    minted = cli("mint", "--profile", "az")
    assert minted.code == 0, minted.stderr
    (request,) = work_api.requests
    assert request.headers["api-key"] == WORK_KEY and "authorization" not in request.headers
    assert request.path == "/openai/v1/realtime/client_secrets"


def test_a_profile_without_a_key_exits_3_and_sends_nothing(
    two_profiles: Cli, work_api: FakeRealtimeApi
) -> None:
    cli = two_profiles
    del cli.backend.passwords[(SERVICE_NAME, "work")]
    for command in ("mint", "test", "serve"):
        result = (
            cli(command, "--profile", "work", "--port", "0")
            if command == "serve"
            else (cli(command, "--profile", "work"))
        )
        assert result.code == 3, result.stderr
        assert "No API key for profile 'work'" in result.stderr
    assert work_api.requests == [] and work_api.realtime.connections == []


@pytest.mark.parametrize("command", ["mint", "preview", "test", "serve", "snippet"])
def test_an_unknown_profile_exits_2_naming_it(cli: Cli, command: str) -> None:
    argv = [command, "python"] if command == "snippet" else [command]
    for result in (
        cli(*argv, "--profile", "nope"),
        cli(*argv, env={"REALTIME_GUI_PROFILE": "nope"}),
    ):
        assert result.code == 2, result.stderr
        assert "'nope'" in result.stderr and "realtime-gui profile list" in result.stderr
    assert cli.backend.passwords == {}


def test_profile_commands_as_a_user_runs_them(cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "REALTIME_GUI_CONFIG_DIR": str(tmp_path / "cfg")}
    listed = run_cli("profile", "list", "--json", env=env)
    assert listed.code == 0, listed.stderr
    (default,) = json.loads(listed.stdout)
    assert default["name"] == "default" and default["provider"] == "openai"
    assert default["key"] == "unknown"  # no usable keyring in this environment

    added = run_cli(
        "profile", "add", "azure-prod", "--provider", "azure", "--resource", "contoso",
        "--deployment", "rt-1", env=env,
    )  # fmt: skip
    assert added.code == 0, added.stderr
    again = run_cli("profile", "add", "azure-prod", "--provider", "openai", env=env)
    assert again.code == 2 and "exists already" in again.stderr
    shown = json.loads(run_cli("profile", "show", "azure-prod", "--json", env=env).stdout)
    assert shown["base_url"] == "https://contoso.openai.azure.com/openai/v1"
    assert shown["azure_deployment"] == "rt-1"
    edited = run_cli("profile", "edit", "azure-prod", "--deployment", "rt-2", env=env)
    assert edited.code == 0, edited.stderr
    plain = run_cli("profile", "show", "azure-prod", env=env)
    assert "azure_deployment: rt-2" in plain.stdout and "azure_resource: contoso" in plain.stdout
    text = run_cli("profile", "list", env=env, stdin="")
    assert [line.split("\t")[0] for line in text.stdout.splitlines()] == ["default", "azure-prod"]

    kept = run_cli("profile", "remove", "default", env=env)
    assert kept.code == 2 and "default profile cannot be removed" in kept.stderr
    removed = run_cli("profile", "remove", "azure-prod", env=env)
    assert removed.code == 0 and "stays in the keyring" in removed.stderr
    missing = run_cli("profile", "show", "azure-prod", env=env)
    assert missing.code == 2 and "realtime-gui profile list" in missing.stderr
    refused = run_cli("profile", "add", "gw", "--provider", "custom", env=env)
    assert refused.code == 2 and "needs a base URL" in refused.stderr


def test_no_key_in_a_subprocess_exits_3_with_zero_requests(
    cli_env: dict[str, str], tmp_path: Path, work_api: FakeRealtimeApi
) -> None:
    env = {**cli_env, "REALTIME_GUI_CONFIG_DIR": str(tmp_path / "cfg")}
    add = run_cli(
        "profile", "add", "w", "--provider", "custom", "--base-url", work_api.base_url, env=env
    )
    assert add.code == 0, add.stderr
    result = run_cli("mint", "--profile", "w", env=env)
    assert result.code == 3 and work_api.requests == []
    with_env = run_cli("mint", env={**env, "REALTIME_GUI_PROFILE": "w", "OPENAI_API_KEY": WORK_KEY})
    assert with_env.code == 0, with_env.stderr
    assert _auth(work_api) == [f"Bearer {WORK_KEY}"]


def test_remove_with_delete_key_deletes_only_that_key(two_profiles: Cli) -> None:
    cli = two_profiles
    kept = cli("profile", "remove", "home")
    assert kept.code == 0 and (SERVICE_NAME, "home") in cli.backend.passwords
    cli("profile", "add", "home", "--provider", "openai")
    gone = cli("profile", "remove", "home", "--delete-key")
    assert gone.code == 0, gone.stderr
    assert (SERVICE_NAME, "home") not in cli.backend.passwords
    assert cli.backend.passwords[(SERVICE_NAME, "work")] == WORK_KEY
    listed = json.loads(cli("profile", "list", "--json").stdout)
    assert {row["name"]: row["key"] for row in listed} == {"default": "none", "work": "stored"}


def test_a_corrupt_profile_is_moved_aside_and_the_command_goes_on(
    two_profiles: Cli, tmp_path: Path, work_api: FakeRealtimeApi
) -> None:
    cli = two_profiles
    broken = tmp_path / "config" / "profiles" / "broken.json"
    broken.write_text("{ not json")
    listed = cli("profile", "list")
    assert listed.code == 0
    assert str(broken) in listed.stderr and "moved it aside" in listed.stderr
    assert "broken" not in listed.stdout
    assert list(broken.parent.glob("broken.json.corrupt-*"))
    minted = cli("mint", "--profile", "work")
    assert minted.code == 0 and len(work_api.requests) == 1
    # A hand-broken profile that a command asks for: moved aside, named, then exit 2.
    home = broken.parent / "home.json"
    home.write_text("[]")
    asked = cli("mint", "--profile", "home")
    assert asked.code == 2 and str(home) in asked.stderr and "'home'" in asked.stderr
    assert len(work_api.requests) == 1
