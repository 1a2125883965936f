"""The window's worker thread never crashes the process or holds the GUI, however it ends.

Each case runs in its own process (tests/e2e/lifetime_scenarios.py): Qt aborts the whole
process when a running QThread is destroyed, which would otherwise end this test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.lifetime_scenarios import HOLD_SECONDS, SCENARIOS

ROOT = Path(__file__).resolve().parents[2]


def run_scenario(name: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(variable, None)
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.lifetime_scenarios", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, time.monotonic() - start


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_process_survives_and_exits_cleanly(name: str) -> None:
    done, elapsed = run_scenario(name)
    report = f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, report
    assert "QThread: Destroyed while thread" not in done.stderr, report
    assert done.stdout.splitlines()[-1:] == ["OK"], report
    # The server, the DNS lookup or the keyring hang for HOLD_SECONDS: a process that ended
    # well before that was never waiting for them (a behaviour, not a speed, check).
    assert elapsed < HOLD_SECONDS * 0.75, report
