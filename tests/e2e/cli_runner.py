"""Runs ``python -m realtime_gui`` as a real subprocess, as a user's shell would."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from tests.conftest import PYTHON


@dataclass(frozen=True)
class CliResult:
    """Exit code and the two streams of one CLI run."""

    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str], stdin: str = "", timeout: float = 60) -> CliResult:
    done = subprocess.run(
        [PYTHON, "-m", "realtime_gui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def modules_after(code: str) -> set[str]:
    """The modules loaded by a fresh interpreter that ran ``code`` (import boundary tests)."""
    done = subprocess.run(
        [PYTHON, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(done.stdout.split())
