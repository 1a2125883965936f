"""Cold start to the first painted window: `python -m realtime_gui` vs a bare QMainWindow."""

from __future__ import annotations

from pathlib import Path

from common import (
    BENCH_DIR,
    PYTHON,
    QUIT_AFTER_PAINT,
    Row,
    child_env,
    interleaved,
    median,
    temp_dir,
)

NAME = "startup"
TARGET_RATIO = 1.25


def run(quick: bool) -> list[Row]:
    runs = 3 if quick else 10
    with temp_dir() as tmp:
        env = child_env(Path(tmp), QUIT_AFTER_PAINT)
        times = interleaved(
            {
                "app": [PYTHON, "-m", "realtime_gui"],
                "baseline": [PYTHON, str(BENCH_DIR / "baseline_window.py")],
            },
            env,
            runs,
        )
    row = Row(
        name="cold start to first paint (source)",
        unit="ms",
        value=median(times["app"]),
        baseline=median(times["baseline"]),
        baseline_name="bare QMainWindow + QLabel",
        target=f"ratio ≤ {TARGET_RATIO}",
        runs=runs,
        samples=times["app"],
        baseline_samples=times["baseline"],
        detail="wall time of the whole process, offscreen, quit after the first paint",
    )
    row.passed = row.ratio is not None and row.ratio <= TARGET_RATIO
    return [row]
