"""One window per user and config folder: real ``python -m realtime_gui`` processes.

The first process opens the window (offscreen) and listens; a second launch with the same
config folder hands off to it and exits 0. The first prints a line on stderr when it has
raised its window, which is what these tests watch for.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from realtime_gui.ui.single_instance import ALREADY_RUNNING, RAISED_NOTE, server_name
from tests.conftest import PYTHON, TEST_API_KEY
from tests.e2e.cli_runner import run_cli
from tests.fake_api import FakeRealtimeApi

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix local sockets")
ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0  # only how long to wait for a process to get somewhere, never a measurement
RAISED = RAISED_NOTE


def wait_for(until: Callable[[], bool], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until():
            return True
        time.sleep(0.05)
    return until()


class Window:
    """A running ``python -m realtime_gui`` (the window) whose stderr is read as it comes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.name = server_name(env)
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [PYTHON, "-m", "realtime_gui"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def listening(self) -> bool:
        return self.process.poll() is None and accepts(self.name)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(WAIT)
        self._reader.join(WAIT)
        assert self.process.stderr is not None
        self.process.stderr.close()


def socket_path(name: str) -> Path:
    # QLocalServer on Unix: a socket file of that name in the temporary folder.
    return Path(tempfile.gettempdir()) / name


def lock_path(name: str) -> Path:
    # Who is the instance is decided by this lock file, next to the socket.
    return Path(tempfile.gettempdir()) / f"{name}.lock"


def accepts(name: str) -> bool:
    """True when something listens on the instance socket (connects and leaves at once)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        try:
            probe.connect(str(socket_path(name)))
        except OSError:
            return False
    return True


@pytest.fixture
def gui_env(cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A window's environment: offscreen, its own config folder, no real keyring."""
    return {
        **cli_env,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "REALTIME_GUI_CONFIG_DIR": str(tmp_path / "config"),
    }


@pytest.fixture
def windows() -> Iterator[Callable[[dict[str, str]], Window]]:
    started: list[Window] = []

    def start(env: dict[str, str]) -> Window:
        window = Window(env)
        started.append(window)
        assert wait_for(window.listening), f"the window never listened: {window.lines}"
        return window

    yield start
    for window in started:
        window.stop()
    # SIGTERM ends Python without Qt's clean-up, so the socket file stays, as after a crash.
    for name in {window.name for window in started}:
        if not accepts(name):
            socket_path(name).unlink(missing_ok=True)
            lock_path(name).unlink(missing_ok=True)


def launch_again(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "realtime_gui"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def test_a_second_launch_raises_the_first_window_and_exits_0(
    gui_env: dict[str, str], windows: Callable[[dict[str, str]], Window]
) -> None:
    first = windows(gui_env)
    second = launch_again(gui_env)
    assert second.returncode == 0, second.stderr
    assert second.stderr == ALREADY_RUNNING + "\n"
    assert second.stdout == ""
    assert wait_for(lambda: RAISED in first.lines), first.lines
    assert first.process.poll() is None, "the first window ended"
    # And again: the first instance keeps answering.
    assert launch_again(gui_env).returncode == 0
    assert wait_for(lambda: first.lines.count(RAISED) == 2), first.lines
    assert first.listening()


def test_a_stale_socket_is_removed_and_the_launch_becomes_the_instance(
    gui_env: dict[str, str], windows: Callable[[dict[str, str]], Window]
) -> None:
    # What a crashed instance leaves behind: the socket file, with nobody listening.
    name = server_name(gui_env)
    path = socket_path(name)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()
    assert path.exists() and not accepts(name)

    first = windows(gui_env)  # it listens: the stale name was recovered
    second = launch_again(gui_env)
    assert (second.returncode, second.stderr) == (0, ALREADY_RUNNING + "\n")
    assert wait_for(lambda: RAISED in first.lines), first.lines


def test_a_crashed_instance_is_replaced(
    gui_env: dict[str, str], windows: Callable[[dict[str, str]], Window]
) -> None:
    crashed = windows(gui_env)
    crashed.process.kill()  # SIGKILL: no clean-up at all
    crashed.process.wait(WAIT)
    assert socket_path(crashed.name).exists() and not accepts(crashed.name)
    assert lock_path(crashed.name).exists()  # a stale lock: its process is gone
    replacement = windows(gui_env)
    assert launch_again(gui_env).returncode == 0
    assert wait_for(lambda: RAISED in replacement.lines), replacement.lines


def test_two_launches_at_once_make_one_instance(gui_env: dict[str, str]) -> None:
    racers = [Window(gui_env), Window(gui_env)]
    try:
        assert wait_for(lambda: any(racer.process.poll() is not None for racer in racers))
        ended = next(racer for racer in racers if racer.process.poll() is not None)
        (running,) = [racer for racer in racers if racer is not ended]
        assert ended.process.returncode == 0
        assert wait_for(lambda: ALREADY_RUNNING in ended.lines), ended.lines
        assert wait_for(lambda: RAISED in running.lines), running.lines
        assert running.listening()
    finally:
        for racer in racers:
            racer.stop()
        socket_path(racers[0].name).unlink(missing_ok=True)
        lock_path(racers[0].name).unlink(missing_ok=True)


def test_an_instance_that_does_not_answer_is_reported_not_waited_for(
    gui_env: dict[str, str],
) -> None:
    # A live process (this one) holds the lock and a socket that accepts and never answers.
    from PySide6.QtCore import QLockFile

    name = server_name(gui_env)
    lock = QLockFile(str(lock_path(name)))
    lock.setStaleLockTime(0)
    assert lock.tryLock(0)
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        mute.bind(str(socket_path(name)))
        mute.listen(4)
        second = launch_again(gui_env)
        assert second.returncode == 1, second.stderr
        assert second.stderr == ("realtime-gui is already running but did not answer; try again.\n")
    finally:
        mute.close()
        socket_path(name).unlink(missing_ok=True)
        lock.unlock()


def test_two_config_folders_are_two_instances(
    gui_env: dict[str, str], tmp_path: Path, windows: Callable[[dict[str, str]], Window]
) -> None:
    other_env = {**gui_env, "REALTIME_GUI_CONFIG_DIR": str(tmp_path / "other")}
    assert server_name(other_env) != server_name(gui_env)
    first = windows(gui_env)
    other = windows(other_env)  # it listens too: it did not hand off to the first
    assert first.process.poll() is None and other.process.poll() is None
    assert launch_again(other_env).returncode == 0
    assert wait_for(lambda: RAISED in other.lines), other.lines
    assert RAISED not in first.lines


def test_the_name_is_per_user_and_per_resolved_folder(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    link = tmp_path / "link"
    link.symlink_to(folder)
    name = server_name({"REALTIME_GUI_CONFIG_DIR": str(folder)})
    assert name == server_name({"REALTIME_GUI_CONFIG_DIR": str(link)})
    assert name != server_name({"REALTIME_GUI_CONFIG_DIR": str(tmp_path)})
    assert len(str(socket_path(name))) < 100  # a Unix socket path's limit is about 107


def test_the_command_line_is_unaffected_by_a_running_window(
    gui_env: dict[str, str],
    windows: Callable[[dict[str, str]], Window],
    fake_api: FakeRealtimeApi,
) -> None:
    first = windows(gui_env)
    version = run_cli("--version", env=gui_env)
    assert version.code == 0 and version.stdout.startswith("realtime-gui "), version
    env = {**gui_env, "OPENAI_API_KEY": TEST_API_KEY}
    minted = run_cli("mint", "--base-url", fake_api.base_url, env=env)
    assert minted.code == 0, minted.stderr
    assert minted.stdout.startswith("ek_"), "mint did not print a secret"
    assert len(fake_api.requests) == 1
    assert ALREADY_RUNNING not in version.stderr + minted.stderr
    assert first.lines.count(RAISED) == 0 and first.process.poll() is None


def test_the_instance_socket_is_for_this_user_only(
    gui_env: dict[str, str], windows: Callable[[dict[str, str]], Window]
) -> None:
    first = windows(gui_env)
    mode = socket_path(first.name).stat().st_mode & 0o777
    assert mode & 0o077 == 0, oct(mode)


def test_quit_after_first_paint_still_works(gui_env: dict[str, str]) -> None:
    """The start-up benchmark's switch: the window opens, paints, closes, the process ends."""
    env = {**gui_env, "REALTIME_GUI_QUIT_AFTER_FIRST_PAINT": "1"}
    done = launch_again(env)
    assert done.returncode == 0, done.stderr
    name = server_name(env)
    assert not os.path.exists(socket_path(name)), "the socket outlived the app"
    assert not os.path.exists(lock_path(name)), "the lock outlived the app"
