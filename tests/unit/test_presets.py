"""Presets in core: names, files, built-ins, stripped credentials, kept unknown keys, bad files."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from realtime_gui.cli import main
from realtime_gui.core.bodies import build_body
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.presets import BUILT_IN, PresetStore, check_name, config_dir
from realtime_gui.core.request import encode_body
from realtime_gui.core.session import ApiShape, SessionConfig

CONFIG = SessionConfig(
    model="gpt-realtime", voice="cedar", instructions="Be brief.", ttl_seconds=300
)
MCP = {
    "type": "mcp",
    "server_label": "docs",
    "server_url": "https://mcp.example/sse",
    "authorization": "sk-mcp-secret-1234",
    "headers": {"X-Token": "ek_header_secret"},
}


@pytest.fixture
def presets(tmp_path: Path) -> PresetStore:
    return PresetStore(tmp_path / "presets")


@pytest.mark.parametrize("name", ["a", "my-preset_2.v1", "x" * 64, "Voice.Agent"])
def test_valid_names(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize(
    "name", ["", "x" * 65, "../evil", "a/b", "a\\b", ".hidden", "..", "sp ace", "é"]
)
def test_invalid_names_name_the_field(name: str, presets: PresetStore) -> None:
    with pytest.raises(InvalidInput) as caught:
        presets.save(name, CONFIG)
    assert caught.value.problems[0].field == "name"
    assert repr(name) in caught.value.user_message
    assert not presets.folder.exists() or list(presets.folder.iterdir()) == []


def test_save_writes_the_exact_mint_body_and_loads_it_back(presets: PresetStore) -> None:
    saved = presets.save("support", CONFIG)
    assert saved.path == presets.folder / "support.json" and saved.notes == ()
    assert saved.path.read_bytes() == encode_body(build_body(CONFIG))
    loaded = presets.load("support")
    assert loaded.config == CONFIG and not loaded.built_in
    assert loaded.text() == saved.path.read_text(encoding="utf-8")
    assert [p.name for p in presets.list().presets][-1] == "support"
    assert presets.delete("support") == saved.path
    assert not saved.path.exists()
    with pytest.raises(InvalidInput, match="no preset 'support'"):
        presets.load("support")
    with pytest.raises(InvalidInput, match="no saved preset 'support'"):
        presets.delete("support")


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_built_ins_are_listed_and_read_only(name: str, presets: PresetStore) -> None:
    listed = {p.name: p for p in presets.list().presets}
    assert listed[name].built_in
    with pytest.raises(InvalidInput, match="built-in preset and cannot be saved over"):
        presets.save(name, CONFIG)
    with pytest.raises(InvalidInput, match="built-in preset and cannot be deleted"):
        presets.delete(name)
    assert not (presets.folder / f"{name}.json").exists()
    # Each built-in is a valid session (build_body validates).
    assert build_body(presets.load(name).config)["session"]


def test_built_in_shapes() -> None:
    voice = build_body(BUILT_IN["voice-agent"])["session"]
    assert (voice["model"], voice["audio"]["output"]["voice"], voice["output_modalities"]) == (
        "gpt-realtime", "marin", ["audio"],
    )  # fmt: skip
    assert build_body(BUILT_IN["text-chat"])["session"]["output_modalities"] == ["text"]
    transcription = build_body(BUILT_IN["transcription"])["session"]
    assert transcription["type"] == "transcription"
    assert transcription["audio"]["input"]["turn_detection"]["type"] == "server_vad"
    assert "mini" in build_body(BUILT_IN["low-latency"])["session"]["model"]


def test_mcp_credentials_are_stripped_on_save(presets: PresetStore) -> None:
    saved = presets.save("tools", replace(CONFIG, tools=(MCP,)))
    text = saved.path.read_text(encoding="utf-8")
    for needle in ("authorization", "headers", "sk-", "ek_", "X-Token"):
        assert needle not in text
    assert json.loads(text)["session"]["tools"] == [
        {k: v for k, v in MCP.items() if k not in ("authorization", "headers")}
    ]
    assert saved.notes == (
        "left out session.tools[0].authorization: a preset never stores credentials",
        "left out session.tools[0].headers: a preset never stores credentials",
    )
    assert "sk-mcp" not in repr(presets.load("tools"))


def test_unknown_keys_are_kept(presets: PresetStore) -> None:
    presets.folder.mkdir(parents=True)
    body = {"session": {"type": "realtime", "model": "gpt-realtime", "future_knob": {"x": 1}}}
    (presets.folder / "hand.json").write_text(json.dumps(body), encoding="utf-8")
    loaded = presets.load("hand")
    assert loaded.config.extra == {"session": {"future_knob": {"x": 1}}}
    assert loaded.body() == body
    presets.save("copy", loaded.config)
    assert json.loads((presets.folder / "copy.json").read_text())["session"]["future_knob"] == {
        "x": 1
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{broken", "not valid JSON"),
        (b"[1, 2]", "not a GA request body"),
        (b'{"session": "realtime"}', "not a GA request body"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_a_corrupt_file_is_moved_aside_and_the_rest_still_lists(
    content: bytes, reason: str, presets: PresetStore
) -> None:
    presets.save("good", CONFIG)
    broken = presets.folder / "broken.json"
    broken.write_bytes(content)
    listing = presets.list()
    assert [p.name for p in listing.presets] == [*BUILT_IN, "good"]
    (problem,) = listing.problems
    assert str(broken) in problem and reason in problem
    (moved,) = presets.folder.glob("broken.json.corrupt-*")
    assert moved.name in problem and moved.read_bytes() == content
    assert not broken.exists()
    # Loading it by name says the same and names the file.
    broken.write_bytes(content)
    with pytest.raises(InvalidInput, match="moved it aside") as caught:
        presets.load("broken")
    assert str(broken) in caught.value.user_message
    assert len(list(presets.folder.glob("broken.json.corrupt-*"))) == 2


def test_config_dir_override_and_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config_dir({"REALTIME_GUI_CONFIG_DIR": str(tmp_path)}) == tmp_path
    if not sys.platform.startswith("linux"):
        return  # XDG_CONFIG_HOME is the Linux convention; elsewhere platformdirs ignores it
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir({}) == tmp_path / "xdg" / "realtime-gui"


def _cli(env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=env, stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_preset_file_is_a_valid_body_file(tmp_path: Path) -> None:
    env = {"REALTIME_GUI_CONFIG_DIR": str(tmp_path)}
    flags = ("--model", "gpt-realtime", "--voice", "cedar", "--ttl", "300", "--speed", "1.1")
    assert _cli(env, "preset", "save", "p", *flags)[0] == 0
    file = tmp_path / "presets" / "p.json"
    by_flags = _cli(env, "preview", *flags)
    by_file = _cli(env, "preview", "--body-file", str(file))
    by_preset = _cli(env, "preview", "--preset", "p")
    assert by_flags[0] == by_file[0] == by_preset[0] == 0
    assert by_flags[1] == by_file[1] == by_preset[1]
    assert by_flags[1].endswith(file.read_text(encoding="utf-8"))


def test_preset_flags_override_fields_and_set_applies_last(tmp_path: Path) -> None:
    env = {"REALTIME_GUI_CONFIG_DIR": str(tmp_path)}
    code, out, err = _cli(
        env, "preview", "--preset", "voice-agent", "--voice", "cedar",
        "--set", "session.instructions=Hi",
    )  # fmt: skip
    assert code == 0, err
    body = json.loads(out.split("\n\n", 1)[1])
    assert body == {
        "session": {
            "type": "realtime",
            "model": "gpt-realtime",
            "instructions": "Hi",
            "output_modalities": ["audio"],
            "audio": {"output": {"voice": "cedar"}},
        }
    }
    code, out, err = _cli(
        env, "preview", "--preset", "transcription", "--model", "whisper-1", "--language", "de"
    )
    assert code == 0, err
    audio = json.loads(out.split("\n\n", 1)[1])["session"]["audio"]["input"]
    assert audio["transcription"] == {"model": "whisper-1", "language": "de"}
    assert audio["turn_detection"] == {"type": "server_vad"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--preset", "nope"), "no preset 'nope'"),
        (("--preset", "text-chat", "--body-file", "x.json"), "does not mix with --body-file"),
        (("--preset", "text-chat", "--api", "beta"), "does not mix with --api beta"),
        (("--preset", "text-chat", "--temperature", "0.8"), "temperature"),
    ],
)
def test_preset_refusals_exit_2(tmp_path: Path, argv: tuple[str, ...], message: str) -> None:
    code, out, err = _cli({"REALTIME_GUI_CONFIG_DIR": str(tmp_path)}, "preview", *argv)
    assert code == 2 and out == "" and message in err


def test_a_beta_session_is_saved_as_its_ga_body_with_notes(presets: PresetStore) -> None:
    beta = SessionConfig(
        api=ApiShape.BETA, model="gpt-realtime", voice="marin", modalities=("text", "audio"),
        temperature=0.8,
    )  # fmt: skip
    saved = presets.save("from-beta", beta)
    body = json.loads(saved.path.read_text(encoding="utf-8"))
    assert body["session"]["type"] == "realtime"
    assert body["session"]["audio"]["output"]["voice"] == "marin"
    assert "temperature" not in json.dumps(body)
    assert any("temperature" in note for note in saved.notes)
    assert presets.load("from-beta").config.api is ApiShape.GA
