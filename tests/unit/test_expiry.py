"""The countdown text: mm:ss, h:mm:ss past an hour, rounded up, never negative."""

from __future__ import annotations

import pytest

from realtime_gui.core.expiry import (
    Deadline,
    ExpiryLevel,
    expiry_level,
    format_local_time,
    format_remaining,
)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00"),
        (0.0, "00:00"),
        (0.2, "00:01"),
        (1, "00:01"),
        (59, "00:59"),
        (59.5, "01:00"),
        (60, "01:00"),
        (61, "01:01"),
        (600, "10:00"),
        (3599, "59:59"),
        (3599.01, "1:00:00"),
        (3600, "1:00:00"),
        (3661, "1:01:01"),
        (7200, "2:00:00"),
        (36000 + 59, "10:00:59"),
        (-0.5, "00:00"),
        (-1, "00:00"),
        (-3600, "00:00"),
    ],
)
def test_format_remaining(seconds: float, text: str) -> None:
    assert format_remaining(seconds) == text


def test_format_local_time_has_date_time_and_zone() -> None:
    text = format_local_time(0)
    date, clock, *zone = text.split(" ")
    assert len(date) == 10
    assert date[4] == "-"
    assert date[7] == "-"
    assert len(clock) == 8
    assert clock.count(":") == 2
    assert zone


@pytest.mark.parametrize(
    ("remaining", "level"),
    [
        (600, ExpiryLevel.NORMAL),
        (30.5, ExpiryLevel.NORMAL),
        (30, ExpiryLevel.WARNING),
        (10.5, ExpiryLevel.WARNING),
        (10, ExpiryLevel.CRITICAL),
        (0.1, ExpiryLevel.CRITICAL),
        (0, ExpiryLevel.EXPIRED),
        (-5, ExpiryLevel.EXPIRED),
    ],
)
def test_expiry_level(remaining: float, level: ExpiryLevel) -> None:
    assert expiry_level(remaining) is level


def test_deadline_follows_the_monotonic_clock() -> None:
    deadline = Deadline.from_expiry(
        1_000_600, wall_now=lambda: 1_000_000.0, monotonic_now=lambda: 50.0
    )
    assert deadline.expires_at == 1_000_600
    assert deadline.monotonic_deadline == 650.0
    assert deadline.remaining(50.0) == 600.0
    assert deadline.remaining(649.5) == 0.5
    assert deadline.remaining(700.0) == 0.0


def test_deadline_of_an_already_expired_secret() -> None:
    deadline = Deadline.from_expiry(90, wall_now=lambda: 100.0, monotonic_now=lambda: 5.0)
    assert deadline.remaining(5.0) == 0.0
