"""How long closing, dropping or quitting holds the GUI thread, in the states that used to hang."""

from __future__ import annotations

from pathlib import Path

from common import PYTHON, REPO, BenchmarkError, Row, child_env, median, run_child, temp_dir

NAME = "shutdown"
TARGET_MS = 100.0
# Each is a scenario of tests/e2e/lifetime_scenarios.py; the idle close is the baseline.
BASELINE = "close-idle"
SCENARIOS = {
    "close-mid-mint": "close during a mint the server holds",
    "close-during-dns": "close during a DNS lookup that never answers",
    "drop-mid-mint": "drop the window (no close) during a mint",
    "quit-mid-mint": "quit the application during a mint",
    "quit-during-keyring-hang": "quit while the keyring hangs",
    "quit-during-warm-up": "quit while the worker loads httpx",
}


def _blocked_ms(name: str, env: dict[str, str]) -> float:
    done = run_child([PYTHON, "-m", "tests.e2e.lifetime_scenarios", name], env, cwd=REPO)
    for line in done.stdout.splitlines():
        if line.startswith("BLOCKED_MS "):
            return float(line.split()[1])
    raise BenchmarkError(f"{name}: no BLOCKED_MS line in {done.stdout!r}")


def run(quick: bool) -> list[Row]:
    repetitions = 1 if quick else 5
    rows: list[Row] = []
    with temp_dir() as tmp:
        env = child_env(Path(tmp), {"PYTHONPATH": str(REPO)})
        baseline = [_blocked_ms(BASELINE, env) for _ in range(repetitions)]
        for name, label in SCENARIOS.items():
            # Interleaved with the baseline, so a load spike hits both alike.
            samples: list[float] = []
            for _ in range(repetitions):
                samples.append(_blocked_ms(name, env))
                baseline.append(_blocked_ms(BASELINE, env))
            worst = max(samples)
            row = Row(
                name=f"GUI thread held: {label}",
                unit="ms",
                value=worst,
                baseline=median(baseline),
                baseline_name="closing an idle window",
                target=f"worst ≤ {TARGET_MS:g} ms",
                runs=repetitions,
                samples=samples,
                baseline_samples=baseline,
                detail=f"worst of {repetitions} fresh processes (median {median(samples):.1f} ms); "
                f"`python -m tests.e2e.lifetime_scenarios {name}`",
            )
            row.passed = worst <= TARGET_MS
            rows.append(row)
    return rows
