"""Shared pieces of the benchmarks: paths, result rows, medians and interleaved timing."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
_VENV_PYTHON = REPO / ".venv" / "bin" / "python"
# The project's interpreter: .venv/bin/python when it exists (make bench), else this one.
PYTHON = str(_VENV_PYTHON) if _VENV_PYTHON.exists() else sys.executable
# A made-up key; the fake server accepts only this one.
BENCH_KEY = "sk-bench-0000"
QUIT_AFTER_PAINT = {"REALTIME_GUI_QUIT_AFTER_FIRST_PAINT": "1"}
CHILD_TIMEOUT = 120.0
# Children cache bytecode here (git-ignored), never next to the sources: a user's install
# has .pyc files, and PYTHONDONTWRITEBYTECODE=1 in a developer shell must not make every
# timed start recompile realtime_gui from source.
PYCACHE = BENCH_DIR / "results" / "pycache"

if str(REPO) not in sys.path:
    # tests.fake_api and tests.doubles live in the repository, not in the package.
    sys.path.insert(0, str(REPO))


class BenchmarkError(RuntimeError):
    """A benchmark could not measure (a child crashed, output unreadable): not a missed target."""


@dataclass
class Row:
    """One line of the results table."""

    name: str
    unit: str
    value: float | None
    baseline: float | None = None
    baseline_name: str = ""
    target: str = "report only"
    # None: nothing to pass (report only, or not measured).
    passed: bool | None = None
    status: str = ""  # overrides pass/miss in the table, e.g. "not built (run make package)"
    detail: str = ""
    runs: int = 0
    samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def verdict(self) -> str:
        if self.status:
            return self.status
        if self.passed is None:
            return "—"
        return "pass" if self.passed else "**miss**"

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "unit": self.unit,
            "median": self.value,
            "baseline": self.baseline_name or None,
            "baseline_median": self.baseline,
            "ratio": self.ratio,
            "target": self.target,
            "passed": self.passed,
            "status": self.verdict.strip("*"),
            "detail": self.detail,
            "runs": self.runs,
            "samples": self.samples,
            "baseline_samples": self.baseline_samples,
        }


def median(values: Sequence[float]) -> float:
    if not values:
        raise BenchmarkError("no samples")
    return float(statistics.median(values))


def child_env(config_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every child: offscreen Qt, a throwaway config, no keyring, no key."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "REALTIME_GUI_"))
        and k not in ("PYTHON_KEYRING_BACKEND", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }
    env.update(
        PYTHONPYCACHEPREFIX=str(PYCACHE),
        QT_QPA_PLATFORM="offscreen",
        REALTIME_GUI_CONFIG_DIR=str(config_dir),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        NO_PROXY="*",
    )
    env.update(extra or {})
    return env


def run_child(
    command: Sequence[str], env: Mapping[str, str], *, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    """Run a child to completion; BenchmarkError if it fails."""
    try:
        done = subprocess.run(
            list(command),
            env=dict(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"{' '.join(command)} timed out after {CHILD_TIMEOUT:g} s") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BenchmarkError(f"{' '.join(command)} exited {done.returncode}: " + " | ".join(tail))
    return done


def time_child(command: Sequence[str], env: Mapping[str, str]) -> float:
    """Wall time of one whole child process, in seconds."""
    start = time.perf_counter()
    run_child(command, env)
    return time.perf_counter() - start


def interleaved(
    commands: Mapping[str, Sequence[str]],
    env: Mapping[str, str],
    runs: int,
    *,
    warmup: int = 1,
) -> dict[str, list[float]]:
    """Wall times in ms of each command, run A,B,A,B… after ``warmup`` untimed rounds."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(warmup):
        for command in commands.values():
            time_child(command, env)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(time_child(command, env) * 1000)
    return times


def interleaved_calls(
    calls: Mapping[str, Callable[[], object]], runs: int, *, warmup: int
) -> dict[str, list[float]]:
    """In-process version of ``interleaved``: per-call time in ms, A,B,A,B…"""
    for _ in range(warmup):
        for call in calls.values():
            call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def last_json_line(output: str) -> dict[str, float]:
    """The JSON object a probe child prints as its last line of stdout."""
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            data: dict[str, float] = json.loads(line)
            return data
    raise BenchmarkError(f"no JSON result in the child's output: {output[-300:]!r}")


def temp_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="realtime-gui-bench-")
