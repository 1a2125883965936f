"""The mint history file: order, limit, the cap, bad lines, bad files, two writers at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from realtime_gui.core.endpoint import Connection
from realtime_gui.core.errors import ApiError, NetworkError, UpstreamError
from realtime_gui.core.history import (
    HistoryFile,
    MintRecord,
    failure_record,
    history_path,
    outcome_of,
    record_mint,
)
from realtime_gui.core.request import prepare
from realtime_gui.core.session import ApiShape, SessionConfig


def make_record(n: int, **changes: object) -> MintRecord:
    values: dict[str, object] = {
        "time": f"2026-01-01T00:00:{n % 60:02d}+00:00",
        "profile": "default",
        "api": "ga",
        "model": "gpt-realtime",
        "session_id": f"sess_{n}",
        "expires_at": 1_800_000_000 + n,
        "outcome": "ok",
        "source": "cli",
    }
    values.update(changes)
    return MintRecord(**values)  # type: ignore[arg-type]


def test_records_come_back_newest_first_and_limited(tmp_path: Path) -> None:
    history = HistoryFile(tmp_path / "h" / "history.jsonl")
    assert history.read() == []
    for n in range(5):
        history.append(make_record(n))
    assert [r.session_id for r in history.read()] == [f"sess_{n}" for n in (4, 3, 2, 1, 0)]
    assert [r.session_id for r in history.read(limit=2)] == ["sess_4", "sess_3"]
    assert history.read()[0] == make_record(4)


def test_the_cap_holds_and_the_oldest_go_first(tmp_path: Path) -> None:
    history = HistoryFile(tmp_path / "history.jsonl")
    # A real-size run: 5,000 kept, trimming only once the margin (500) is passed.
    for n in range(5_600):
        history.append(make_record(n))
    lines = history.path.read_text(encoding="utf-8").splitlines()
    assert 5_000 <= len(lines) <= 5_500
    records = history.read()
    assert records[0].session_id == "sess_5599"
    assert len(records) == len(lines)
    assert "sess_0" not in {r.session_id for r in records}
    # The trim kept exactly the newest 5,000 at the moment it ran.
    assert records[-1].session_id == f"sess_{5_600 - len(lines)}"


def test_a_small_cap_trims_to_exactly_the_cap(tmp_path: Path) -> None:
    history = HistoryFile(tmp_path / "history.jsonl", cap=10, margin=1)
    for n in range(12):
        history.append(make_record(n))
    assert [r.session_id for r in history.read()] == [f"sess_{n}" for n in range(11, 1, -1)]


def test_a_corrupt_line_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    history = HistoryFile(tmp_path / "history.jsonl")
    history.append(make_record(1))
    with history.path.open("a", encoding="utf-8") as handle:
        handle.write("{ hand-edited, broken\n")
        handle.write('{"time": 3}\n')
    history.append(make_record(2))
    assert [r.session_id for r in history.read()] == ["sess_2", "sess_1"]
    assert "Skipped 2 unreadable line(s)" in caplog.text
    assert history.path.exists()


def test_an_unparsable_file_is_moved_aside_with_a_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    history = HistoryFile(tmp_path / "history.jsonl")
    history.path.write_bytes(b"\x00\xffnot json at all\n[1, 2]\n")
    assert history.read() == []
    aside = list(tmp_path.glob("history.jsonl.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes().startswith(b"\x00\xff")
    assert not history.path.exists()
    assert str(history.path) in caplog.text and str(aside[0]) in caplog.text
    history.append(make_record(7))  # and a new history starts
    assert [r.session_id for r in history.read()] == ["sess_7"]


def test_an_unwritable_folder_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A file where the folder should be: unwritable even for root, unlike chmod.
    blocker = tmp_path / "data"
    blocker.write_text("not a folder", encoding="utf-8")
    record_mint(HistoryFile(blocker / "realtime-gui" / "history.jsonl"), make_record(1))
    assert "Could not record the mint in the history (NotADirectoryError)" in caplog.text
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_outcome_is_the_upstream_code_else_the_class_name() -> None:
    upstream = UpstreamError(401, "Incorrect API key", "invalid_request_error", "invalid_api_key")
    assert outcome_of(ApiError("The API refused the key.", status=401, upstream=upstream)) == (
        "invalid_api_key"
    )
    assert outcome_of(NetworkError("Could not connect.")) == "NetworkError"
    request = prepare(
        SessionConfig(api=ApiShape.BETA, model="gpt-realtime"),
        Connection.from_env({}, base_url="http://127.0.0.1:9/v1"),
    )
    record = failure_record(NetworkError("x"), request, profile="work", source="serve", origin="o")
    assert (record.api, record.model, record.outcome) == ("beta", "gpt-realtime", "NetworkError")
    assert (record.session_id, record.expires_at, record.origin) == (None, None, "o")


def test_the_file_lives_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
        assert history_path() == tmp_path / "realtime-gui" / "history.jsonl"
    assert history_path().name == "history.jsonl"


WRITER = """
import sys
from pathlib import Path
from realtime_gui.core.history import HistoryFile, MintRecord
history = HistoryFile(Path(sys.argv[1]))
tag = sys.argv[2]
for n in range(500):
    history.append(MintRecord(time="2026-01-01T00:00:00+00:00", profile=tag, api="ga",
        model="m" * 200, session_id=f"{tag}_{n}", expires_at=n, outcome="ok", source="cli"))
"""


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag]) for tag in ("a", "b")
    ]
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1_000
    ids = {json.loads(line)["session_id"] for line in lines}  # every line is valid JSON
    assert ids == {f"{tag}_{n}" for tag in ("a", "b") for n in range(500)}


def test_two_processes_trimming_at_once_keep_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    script = WRITER.replace("(Path(sys.argv[1]))", "(Path(sys.argv[1]), cap=300, margin=30)")
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(path), tag]) for tag in ("a", "b")
    ]
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert 300 <= len(lines) <= 330
    assert all(json.loads(line)["model"] == "m" * 200 for line in lines)
    assert json.loads(lines[-1])["session_id"] in {"a_499", "b_499"}


def test_records_never_hold_a_secret_field() -> None:
    assert {f for f in make_record(0).to_json()} == {
        "time", "profile", "preset", "api", "model", "session_id", "expires_at",
        "outcome", "origin", "source", "body",
    }  # fmt: skip
    assert "ek_" not in repr(make_record(0))
