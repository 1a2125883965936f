"""The app collects cyclic garbage on the GUI thread, never on a worker that allocates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from realtime_gui.app import QUIT_AFTER_PAINT_ENV
from tests.conftest import PYTHON


def probe(mode: str) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "tests.gui.gc_policy_probe", mode],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-1]


def test_without_the_collector_a_worker_thread_deletes_qt_objects() -> None:
    """The hazard is real: CPython collects on whichever thread allocates."""
    assert probe("plain") == "worker"


def test_with_the_collector_the_gui_thread_deletes_them() -> None:
    assert probe("with-collector") == "main"


def test_the_app_runs_with_the_collector(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        QUIT_AFTER_PAINT_ENV: "1",
    }
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run(
        [PYTHON, "-m", "tests.gui.gc_policy_probe", "app"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "automatic-gc False collector True" in done.stdout
