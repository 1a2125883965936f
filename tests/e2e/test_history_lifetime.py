"""Closing, dropping or quitting the window mid history read or with a preset dialog open.

Each case runs in its own process (tests/e2e/history_lifetime_scenarios.py): a crash there
fails one test instead of ending the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.history_lifetime_scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parents[2]


def run_scenario(name: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(variable, None)
    return subprocess.run(
        [sys.executable, "-m", "tests.e2e.history_lifetime_scenarios", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_process_survives_and_exits_cleanly(name: str) -> None:
    done = run_scenario(name)
    report = f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, report
    assert "QThread: Destroyed while thread" not in done.stderr, report
    assert done.stdout.splitlines()[-1:] == ["OK"], report
