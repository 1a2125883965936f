"""A real system tray for tests: Xvfb on a free display with Debian's ``trayer`` docked on it.

CI installs both programs (.ci/run) and sets CI=true, so a missing one fails the run there;
on a developer machine without them the tray tests are skipped with the command that
installs them. The X server and the tray are this module's children and are ended by
their process ids, never by name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

XVFB = "Xvfb"
TRAYER = "trayer"
START_TIMEOUT = 30.0  # only a bound for waiting: both are up in well under a second
# Asks Qt, on the xcb platform, whether a tray host owns the display's tray selection.
_PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
app = QApplication(sys.argv[:1])
sys.exit(0 if QSystemTrayIcon.isSystemTrayAvailable() else 3)
"""


def require_tray_host() -> None:
    """Skip (or, under CI, fail) when Xvfb or trayer is not installed."""
    if shutil.which(XVFB) and shutil.which(TRAYER):
        return
    message = "needs Xvfb and trayer (apt-get install xvfb xauth trayer)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a display it picks itself (-displayfd): no guessing, no collisions."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [XVFB, "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    number = b""
    with os.fdopen(read_end, "rb") as pipe:
        # Xvfb writes the display number and a newline once it accepts connections.
        while not number.endswith(b"\n"):
            chunk = pipe.read(1)
            if not chunk:
                server.kill()
                server.wait()
                raise RuntimeError(f"Xvfb exited with {server.poll()} before it was ready")
            number += chunk
    return server, f":{number.decode().strip()}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tray_env(display: str) -> dict[str, str]:
    """The environment for a Qt process on the tray host's display."""
    env = dict(os.environ)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    return env


@contextmanager
def tray_host() -> Iterator[str]:
    """Run Xvfb and trayer; yields the DISPLAY once Qt sees a system tray there."""
    require_tray_host()
    server, display = _start_xvfb()
    tray: subprocess.Popen[bytes] | None = None
    try:
        env = tray_env(display)
        tray = subprocess.Popen(
            [TRAYER, "--edge", "top", "--height", "24", "--widthtype", "request"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            probe = subprocess.run(
                [sys.executable, "-c", _PROBE], env=env, capture_output=True, timeout=60
            )
            if probe.returncode == 0:
                break
            if tray.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"no system tray on {display}: {probe.stderr.decode()[-500:]}")
            time.sleep(0.2)
        yield display
    finally:
        if tray is not None:
            _stop(tray)
        _stop(server)
