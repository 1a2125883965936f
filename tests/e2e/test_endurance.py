"""200 mints in a row through the window: no leaked threads, sockets, timers or fds."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

MINTS = 200
# The bound the memory check uses: 200 mints may not grow the resident set by more than
# this after warm-up (allocator noise is a few MB; a per-mint leak of 40 KB would fail).
RSS_GROWTH_LIMIT_MB = 8.0


@dataclass(frozen=True)
class Resources:
    fds: int
    sockets: int
    threads: int
    timers: int
    rss_mb: float


def measure(window: object) -> Resources:
    fds = os.listdir("/proc/self/fd")
    sockets = 0
    for fd in fds:
        try:
            sockets += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue  # closed between listing and reading
    with open("/proc/self/status") as status:
        rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    timers = len(window.findChildren(QTimer))  # type: ignore[attr-defined]
    return Resources(len(fds), sockets, threading.active_count(), timers, rss_kb / 1024)


def mint_once(qtbot: QtBot, window: object) -> str:
    before = window.secretField.text()  # type: ignore[attr-defined]
    window.mint()  # type: ignore[attr-defined]
    qtbot.waitUntil(
        lambda: not window.is_minting and window.secretField.text() != before,  # type: ignore[attr-defined]
        timeout=10_000,
    )
    return window.secretField.text()  # type: ignore[attr-defined,no-any-return]


def test_two_hundred_mints_leak_nothing(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    for _ in range(20):  # warm-up: imports, connection pool, caches
        mint_once(qtbot, window)
    before = measure(window)
    secrets = {mint_once(qtbot, window) for _ in range(MINTS)}
    after = measure(window)

    assert len(secrets) == MINTS  # every mint really happened and showed a new secret
    assert len(fake_api.requests) == MINTS + 20
    assert after.threads == before.threads, (before, after)
    assert after.timers == before.timers, (before, after)
    assert after.sockets <= before.sockets, (before, after)  # keep-alive reuses one
    assert after.fds <= before.fds, (before, after)
    assert after.rss_mb - before.rss_mb < RSS_GROWTH_LIMIT_MB, (before, after)
