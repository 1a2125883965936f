"""realtime_gui.cli.main called in-process: validation, exit codes and the key commands.

Nothing here reaches the network: every mint below fails validation or key lookup first.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from keyring.backends import fail

from realtime_gui.cli import build_parser, config_from_args, main
from realtime_gui.core.credentials import DEFAULT_PROFILE, SERVICE_NAME, KeyStore
from realtime_gui.core.session import (
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
)
from tests.doubles import API_KEY, ENV_API_KEY, InMemoryKeyring, unregister_backend


@unregister_backend
class TrackingKeyring(InMemoryKeyring):
    """Counts every read, so a test can prove the key was never looked up."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        return super().get_password(service, username)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@dataclass
class Cli:
    backend: TrackingKeyring = field(default_factory=TrackingKeyring)
    env: dict[str, str] = field(default_factory=dict)

    def store(self) -> KeyStore:
        return KeyStore(self.backend, env=self.env, timeout=5.0)

    def __call__(self, *argv: str, stdin: str = "", store: KeyStore | None = None) -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = main(
            list(argv),
            env=self.env,
            store=store or self.store(),
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
        )
        return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> Cli:
    return Cli()


# -- invalid input: exit 2 before the key is looked up -------------------------------------------


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (
            ["--api", "ga", "--modality", "audio", "--modality", "text"],
            ["modalities", "session.output_modalities"],
        ),
        (["--ttl", "5"], ["ttl_seconds", "expires_after.seconds", "10 to 7200"]),
        (["--ttl", "7201"], ["ttl_seconds"]),
        (["--api", "ga", "--temperature", "0.8"], ["temperature", "Beta only"]),
        (["--speed", "2"], ["speed", "session.audio.output.speed"]),
        (["--api", "beta"], ["model", "required"]),
        (["--api", "beta", "--model", "m", "--voice", "voice_abc"], ["voice", "GA"]),
        (["--api", "beta", "--model", "m", "--modality", "audio"], ["modalities"]),
        (["--type", "transcription", "--voice", "marin"], ["voice", "transcription"]),
        (["--max-output-tokens", "5000"], ["max_output_tokens"]),
        (["--language", "english"], ["transcription.language"]),
        (["--base-url", "http://api.openai.com/v1"], ["base_url", "https://"]),
        (["--base-url", "https://api.openai.com/v1?x=1"], ["base_url"]),
        (
            ["--type", "transcription", "--model", "whisper-1", "--transcription-model", "x"],
            ["model", "--transcription-model"],
        ),
    ],
)
def test_invalid_input_exits_2_before_any_key_lookup(
    cli: Cli, argv: list[str], fragments: list[str]
) -> None:
    cli.backend.set_password(SERVICE_NAME, DEFAULT_PROFILE, API_KEY)
    run = cli("mint", *argv)
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("realtime-gui: error: Invalid ")
    for fragment in fragments:
        assert fragment in run.stderr
    assert cli.backend.reads == 0
    assert API_KEY not in run.stderr


def test_every_invalid_field_is_named_at_once(cli: Cli) -> None:
    run = cli("mint", "--ttl", "5", "--speed", "9", "--temperature", "0.8")
    assert run.code == 2
    for name in ("ttl_seconds", "speed", "temperature"):
        assert name in run.stderr


def test_unreadable_instructions_file_exits_2(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    run = cli("mint", "--instructions-file", str(missing))
    assert run.code == 2
    assert "instructions_file" in run.stderr
    assert cli.backend.reads == 0


def test_no_key_exits_3_with_a_hint(cli: Cli) -> None:
    run = cli("mint", "--model", "gpt-realtime")
    assert run.code == 3
    assert run.stdout == ""
    assert "realtime-gui: error: No API key for profile 'default'." in run.stderr
    assert "hint: Run 'realtime-gui key set'" in run.stderr
    assert cli.backend.reads == 1


def test_unusable_keyring_exits_3(cli: Cli) -> None:
    run = cli("mint", store=KeyStore(fail.Keyring(), env={}))
    assert run.code == 3
    assert "No usable OS keyring" in run.stderr
    assert "hint: " in run.stderr


# -- key set / status / delete ------------------------------------------------------------------


def test_key_set_reads_stdin_and_stores(cli: Cli) -> None:
    run = cli("key", "set", stdin=f"  {API_KEY}  \nsecond line ignored\n")
    assert run.code == 0
    assert cli.backend.passwords == {(SERVICE_NAME, DEFAULT_PROFILE): API_KEY}
    assert f"Saved the key for profile 'default' in {TrackingKeyring.name}." in run.stderr
    assert "overrides" not in run.stderr
    assert API_KEY not in run.stdout + run.stderr


def test_key_set_with_profile_and_environment_note(cli: Cli) -> None:
    cli.env["OPENAI_API_KEY"] = ENV_API_KEY
    run = cli("key", "set", "--profile", "work", stdin=API_KEY + "\n")
    assert run.code == 0
    assert cli.backend.passwords == {(SERVICE_NAME, "work"): API_KEY}
    assert "Note: OPENAI_API_KEY is set and overrides the stored key." in run.stderr
    assert ENV_API_KEY not in run.stdout + run.stderr


@pytest.mark.parametrize("stdin", ["", "\n", "   \n", "sk-test unit\n"])
def test_key_set_refuses_empty_or_spaced_input(cli: Cli, stdin: str) -> None:
    run = cli("key", "set", stdin=stdin)
    assert run.code == 2
    assert "api_key" in run.stderr
    assert cli.backend.passwords == {}


def test_key_set_with_bad_profile_exits_2(cli: Cli) -> None:
    run = cli("key", "set", "--profile", "a b", stdin=API_KEY)
    assert run.code == 2
    assert "profile" in run.stderr
    assert cli.backend.passwords == {}


def test_key_status_with_stored_key(cli: Cli) -> None:
    cli("key", "set", stdin=API_KEY)
    run = cli("key", "status")
    assert run.code == 0
    assert run.stdout.splitlines() == [
        f"Backend: {TrackingKeyring.name}",
        "Profile: default",
        "Stored key: yes",
        "OPENAI_API_KEY: not set",
    ]
    assert API_KEY not in run.stdout + run.stderr


def test_key_status_without_key_exits_3(cli: Cli) -> None:
    run = cli("key", "status", "--profile", "work")
    assert run.code == 3
    assert "Profile: work" in run.stdout
    assert "Stored key: no" in run.stdout


def test_key_status_with_environment_key(cli: Cli) -> None:
    cli.env["OPENAI_API_KEY"] = ENV_API_KEY
    run = cli("key", "status")
    assert run.code == 0
    assert "OPENAI_API_KEY: set (overrides the stored key)" in run.stdout
    assert "Stored key: no" in run.stdout
    assert ENV_API_KEY not in run.stdout + run.stderr


def test_key_status_with_unusable_keyring(cli: Cli) -> None:
    run = cli("key", "status", store=KeyStore(fail.Keyring(), env={}))
    assert run.code == 3
    assert "Backend: none" in run.stdout
    assert "Stored key: unknown" in run.stdout
    assert "realtime-gui: error: No usable OS keyring" in run.stderr
    assert "hint: " in run.stderr


def test_key_delete(cli: Cli) -> None:
    cli("key", "set", stdin=API_KEY)
    run = cli("key", "delete")
    assert run.code == 0
    assert f"Deleted the key for profile 'default' from {TrackingKeyring.name}." in run.stderr
    assert cli.backend.passwords == {}
    again = cli("key", "delete")
    assert again.code == 0
    assert "No key was stored for profile 'default'" in again.stderr


def test_key_delete_leaves_other_profiles(cli: Cli) -> None:
    cli("key", "set", "--profile", "work", stdin=API_KEY)
    cli("key", "set", stdin=API_KEY)
    assert cli("key", "delete", "--profile", "work").code == 0
    assert cli.backend.passwords == {(SERVICE_NAME, DEFAULT_PROFILE): API_KEY}


# -- argparse errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["mint", "--modality", "video"],
        ["mint", "--api", "gamma"],
        ["mint", "--ttl", "ten"],
        ["mint", "--timeout", "0"],
        ["mint", "--timeout", "601"],
        ["mint", "--max-output-tokens", "lots"],
        ["mint", "--input-format", "pcm16"],
        ["mint", "--instructions", "a", "--instructions-file", "b"],
        ["key"],
        ["key", "rotate"],
        ["launch"],
    ],
)
def test_argparse_errors_exit_2(
    cli: Cli, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli(*argv)
    assert caught.value.code == 2
    assert "error:" in capsys.readouterr().err
    assert cli.backend.reads == 0


# -- flags to SessionConfig ------------------------------------------------------------------------


def parse(*argv: str) -> SessionConfig:
    return config_from_args(build_parser().parse_args(["mint", *argv]), io.StringIO("from stdin"))


def test_flags_become_a_session_config() -> None:
    config = parse(
        "--api", "beta", "--model", "m", "--voice", "verse", "--modality", "text",
        "--modality", "audio", "--ttl", "60", "--speed", "1.1", "--temperature", "0.7",
        "--max-output-tokens", "inf", "--input-format", "pcmu", "--output-format", "pcma",
        "--noise-reduction", "far_field", "--transcription-model", "whisper-1",
        "--language", "de", "--transcription-prompt", "p", "--instructions", "Be brief.",
    )  # fmt: skip
    assert config.api is ApiShape.BETA
    assert config.model == "m"
    assert config.voice == "verse"
    assert config.modalities == ("text", "audio")
    assert config.ttl_seconds == 60
    assert config.speed == 1.1
    assert config.temperature == 0.7
    assert config.max_output_tokens == "inf"
    assert config.input_audio_format == "pcmu"
    assert config.output_audio_format == "pcma"
    assert config.noise_reduction == "far_field"
    assert config.transcription == TranscriptionSettings("whisper-1", "de", "p")
    assert config.instructions == "Be brief."


def test_defaults_set_nothing() -> None:
    config = parse()
    assert config.api is ApiShape.GA
    assert config.session_type is SessionType.REALTIME
    assert config.model is None
    assert config.modalities == ()
    assert config.transcription is None
    assert config.ttl_seconds is None
    assert config.max_output_tokens is None


def test_transcription_model_flag_moves_into_transcription_settings() -> None:
    config = parse("--type", "transcription", "--model", "gpt-4o-transcribe")
    assert config.session_type is SessionType.TRANSCRIPTION
    assert config.model is None
    assert config.transcription == TranscriptionSettings("gpt-4o-transcribe")


def test_instructions_from_stdin_and_file(tmp_path: Path) -> None:
    assert parse("--instructions-file", "-").instructions == "from stdin"
    path = tmp_path / "instructions.txt"
    path.write_text("Speak slowly.\n", encoding="utf-8")
    assert parse("--instructions-file", str(path)).instructions == "Speak slowly.\n"


def test_max_output_tokens_number() -> None:
    assert parse("--max-output-tokens", "100").max_output_tokens == 100
