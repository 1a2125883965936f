"""The request-log event: one printable line, no secret, nothing a caller can forge."""

from __future__ import annotations

import dataclasses

import pytest

from realtime_gui.core.serve import ServeEvent


def test_log_line_has_every_part() -> None:
    event = ServeEvent(0.0, "GET", "/token", "http://localhost:5173", 200, session_id="sess_1")
    assert event.log_line() == (
        "1970-01-01T00:00:00Z GET /token origin=http://localhost:5173 200 sess_1"
    )
    refused = ServeEvent(0.0, "POST", "/token", None, 401, error_code="invalid_token")
    assert refused.log_line().endswith("origin=- 401 error=invalid_token")


def test_a_caller_cannot_forge_a_log_line() -> None:
    event = ServeEvent(0.0, "GET", "/x\n2026 GET /token", "http://a\r\nb", 404)
    line = event.log_line()
    assert "\n" not in line and "\r" not in line


def test_the_event_is_frozen() -> None:
    event = ServeEvent(0.0, "GET", "/token", None, 200)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.status = 500  # type: ignore[misc]
