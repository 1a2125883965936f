"""The granted-versus-requested session comparison."""

from __future__ import annotations

from realtime_gui.core.session import ApiShape
from realtime_gui.core.session_diff import (
    DiffStatus,
    diff_session,
    differing_paths,
    requested_session,
)


def test_rows_say_same_changed_default_and_missing() -> None:
    requested = {
        "type": "realtime",
        "model": "gpt-realtime",
        "audio": {"output": {"voice": "marin", "speed": 1}},
        "x": 1,
    }
    granted = {
        "type": "realtime",
        "model": "gpt-realtime-2025-08-28",
        "id": "sess_1",
        "audio": {"output": {"voice": "marin", "speed": 1.0}},
    }
    rows = {row.path: row for row in diff_session(requested, granted)}
    assert rows["type"].status is DiffStatus.SAME
    assert rows["model"].status is DiffStatus.CHANGED
    assert (rows["model"].requested, rows["model"].granted) == (
        "gpt-realtime",
        "gpt-realtime-2025-08-28",
    )
    assert rows["id"].status is DiffStatus.DEFAULT and rows["id"].requested is None
    assert rows["audio.output.speed"].status is DiffStatus.SAME  # 1 == 1.0
    assert rows["x"].status is DiffStatus.MISSING


def test_requested_session_per_shape() -> None:
    assert requested_session(
        ApiShape.GA, {"expires_after": {}, "session": {"type": "realtime"}}
    ) == {"type": "realtime"}
    beta = {"model": "m", "client_secret": {"expires_after": {"seconds": 60}}}
    assert requested_session(ApiShape.BETA, beta) == {"model": "m"}


def test_a_float_echoed_with_rounding_noise_is_the_same() -> None:
    # Servers echo floats through float32 and back: 0.8 comes back as 0.8000001.
    rows = {row.path: row for row in diff_session({"speed": 0.8}, {"speed": 0.8000001})}
    assert rows["speed"].status is DiffStatus.SAME


def test_a_real_change_of_a_float_is_still_changed() -> None:
    rows = {row.path: row for row in diff_session({"speed": 0.8}, {"speed": 0.81})}
    assert rows["speed"].status is DiffStatus.CHANGED
    rows = {row.path: row for row in diff_session({"threshold": 0}, {"threshold": 1e-9})}
    assert rows["threshold"].status is DiffStatus.CHANGED


def test_differing_paths_are_the_changed_and_the_missing() -> None:
    requested = {"model": "a", "audio": {"output": {"voice": "marin"}}, "instructions": "x"}
    granted = {"model": "a-2025", "audio": {"output": {"voice": "marin"}}, "tools": []}
    assert differing_paths(requested, granted) == ["model", "instructions"]
