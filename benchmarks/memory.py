"""Resident memory (VmRSS) of the window after its first mint vs a bare QMainWindow."""

from __future__ import annotations

from pathlib import Path

from common import (
    BENCH_DIR,
    BENCH_KEY,
    PYTHON,
    Row,
    child_env,
    last_json_line,
    median,
    run_child,
    temp_dir,
)

NAME = "memory"
TARGET_MB = 90.0
MB = 1_000_000
MIB = 1024 * 1024


def run(quick: bool) -> list[Row]:
    from tests.fake_api import FakeRealtimeApi

    repetitions = 1 if quick else 3
    probe = str(BENCH_DIR / "probe_window.py")
    app_mb: list[float] = []
    bare_mb: list[float] = []
    app_anon: list[float] = []
    bare_anon: list[float] = []
    # The server runs here, in the parent, so the child's RSS is the app's alone.
    fake = FakeRealtimeApi(BENCH_KEY).start()
    try:
        with temp_dir() as tmp:
            env = child_env(Path(tmp))
            for _ in range(repetitions):
                done = run_child([PYTHON, probe, "rss-app", "--base-url", fake.base_url], env)
                app = last_json_line(done.stdout)
                done = run_child([PYTHON, probe, "rss-bare"], env)
                bare = last_json_line(done.stdout)
                app_mb.append(app["rss_kib"] * 1024 / MB)
                bare_mb.append(bare["rss_kib"] * 1024 / MB)
                app_anon.append(app["anon_kib"] / 1024)
                bare_anon.append(bare["anon_kib"] / 1024)
    finally:
        fake.stop()
    value = median(app_mb)
    row = Row(
        name="resident memory after the first mint",
        unit="MB",
        value=value,
        baseline=median(bare_mb),
        baseline_name="bare QMainWindow after its first paint",
        target=f"≤ {TARGET_MB:g} MB",
        runs=repetitions,
        samples=app_mb,
        baseline_samples=bare_mb,
        detail=f"VmRSS {value * MB / MIB:.1f} MiB (baseline {median(bare_mb) * MB / MIB:.1f} MiB); "
        f"of it anonymous {median(app_anon):.1f} MiB (baseline {median(bare_anon):.1f} MiB), "
        "the rest file-backed (shared libraries); MB = 10^6 bytes",
    )
    row.passed = value <= TARGET_MB
    return [row]
