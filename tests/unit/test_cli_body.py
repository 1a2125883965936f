"""mint/preview with --body-file and --set, and the preview command's output."""

from __future__ import annotations

import io
import json
from pathlib import Path

from realtime_gui.cli import main
from realtime_gui.core.credentials import KeyStore
from tests.doubles import InMemoryKeyring


def run(*argv: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = env or {}
    code = main(
        list(argv),
        env=env,
        store=KeyStore(InMemoryKeyring(), env=env),
        stdin=io.StringIO(stdin),
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def body_of(preview: str) -> dict[str, object]:
    return json.loads(preview.split("\n\n", 1)[1])


def test_preview_prints_endpoint_redacted_auth_and_body() -> None:
    code, out, err = run(
        "preview", "--model", "gpt-realtime", "--ttl", "90",
        env={"OPENAI_ORG_ID": "org_x", "OPENAI_API_KEY": "sk-test-preview-0"},
    )  # fmt: skip
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "POST https://api.openai.com/v1/realtime/client_secrets"
    assert "Authorization: Bearer [redacted]" in lines
    assert "OpenAI-Organization: org_x" in lines
    assert "sk-test-preview-0" not in out
    assert body_of(out) == {
        "expires_after": {"anchor": "created_at", "seconds": 90},
        "session": {"type": "realtime", "model": "gpt-realtime"},
    }


def test_preview_invalid_exits_2_and_needs_no_key() -> None:
    code, out, err = run("preview", "--speed", "9")
    assert code == 2 and out == ""
    assert "speed (session.audio.output.speed)" in err


def test_set_reaches_any_path_and_parses_json() -> None:
    code, out, _ = run(
        "preview",
        "--set", "session.audio.input.turn_detection.type=semantic_vad",
        "--set", "session.audio.input.turn_detection.eagerness=high",
        "--set", "session.audio.output.speed=1.25",
        "--set", "session.instructions=Be kind",
    )  # fmt: skip
    assert code == 0
    session = body_of(out)["session"]
    assert session == {  # type: ignore[comparison-overlap]
        "type": "realtime",
        "instructions": "Be kind",
        "audio": {
            "input": {"turn_detection": {"type": "semantic_vad", "eagerness": "high"}},
            "output": {"speed": 1.25},
        },
    }


def test_set_values_are_validated() -> None:
    code, _, err = run("preview", "--set", "session.audio.input.turn_detection.threshold=2")
    assert code == 2 and "turn_detection.threshold" in err


def test_body_file_is_validated_and_unknown_keys_noted(tmp_path: Path) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps({"session": {"type": "realtime", "model": "m", "beta_thing": 1}}))
    code, out, err = run("preview", "--body-file", str(path))
    assert code == 0
    assert body_of(out) == {"session": {"type": "realtime", "model": "m", "beta_thing": 1}}
    assert "session.beta_thing" in err
    path.write_text('{"session": {"type": "realtime", "temperature": 0.7}}')
    code, _, err = run("preview", "--body-file", str(path))
    assert code == 2 and "temperature" in err and "Beta only" in err


def test_body_file_from_stdin_with_set_and_beta_shape() -> None:
    code, out, _ = run(
        "preview", "--api", "beta", "--body-file", "-", "--set", "voice=verse",
        stdin='{"model": "gpt-4o-realtime-preview", "modalities": ["text"]}',
    )  # fmt: skip
    assert code == 0
    assert out.startswith("POST https://api.openai.com/v1/realtime/sessions\n")
    assert body_of(out) == {
        "model": "gpt-4o-realtime-preview",
        "modalities": ["text"],
        "voice": "verse",
    }


def test_body_file_problems(tmp_path: Path) -> None:
    assert run("preview", "--body-file", str(tmp_path / "missing.json"))[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    code, _, err = run("preview", "--body-file", str(bad))
    assert code == 2 and "is not valid JSON" in err
    code, _, err = run("preview", "--body-file", str(bad), "--model", "x")
    assert code == 2 and "--model" in err and "--set" in err


def test_a_flag_the_shape_lacks_is_refused_even_with_set() -> None:
    code, _, err = run("preview", "--temperature", "0.8", "--set", "session.model=m")
    assert code == 2 and "temperature" in err
