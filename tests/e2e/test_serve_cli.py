"""``realtime-gui serve`` as a user runs it: a real subprocess, its lines, signals, exit codes."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import PYTHON, TEST_API_KEY
from tests.e2e.cli_runner import run_cli
from tests.fake_api import FakeRealtimeApi

STOP_BOUND = 5.0  # generous: the command stops within about 1 s


class Serving:
    """A running ``serve`` subprocess and the lines it printed at start."""

    def __init__(self, proc: subprocess.Popen[str], lines: list[str]) -> None:
        self.proc = proc
        self.lines = lines

    @property
    def url(self) -> str:
        return next(line.split(" ", 1)[1] for line in self.lines if line.startswith("URL "))

    @property
    def token(self) -> str | None:
        found = [line.split(" ", 1)[1] for line in self.lines if line.startswith("TOKEN ")]
        return found[0] if found else None

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, float, str]:
        """Send ``signum``; the exit code, how long it took, and everything on stderr."""
        started = time.monotonic()
        self.proc.send_signal(signum)
        try:
            self.proc.wait(STOP_BOUND)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"serve did not stop within {STOP_BOUND} s of signal {signum}")
        took = time.monotonic() - started
        assert self.proc.stderr is not None
        return self.proc.returncode, took, self.proc.stderr.read()


def _read_start_lines(
    proc: subprocess.Popen[str], want_token: bool
) -> tuple[list[str], threading.Thread]:
    """The first stdout lines, read on a helper thread so the wait is time-bounded."""
    assert proc.stdout is not None
    stdout = proc.stdout
    found: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stdout:
            found.put(line.rstrip("\n"))
        found.put(None)

    pumping = threading.Thread(target=pump, daemon=True)
    pumping.start()
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(line.startswith("URL ") for line in lines) and (
            not want_token or any(line.startswith("TOKEN ") for line in lines)
        ):
            break
        try:
            line = found.get(timeout=0.2)
        except queue.Empty:
            continue
        if line is None:
            break
        lines.append(line)
    return lines, pumping


@contextmanager
def serving(*args: str, env: dict[str, str], want_token: bool = False) -> Iterator[Serving]:
    proc = subprocess.Popen(
        [PYTHON, "-m", "realtime_gui", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    lines, pumping = _read_start_lines(proc, want_token)
    try:
        if not any(line.startswith("URL ") for line in lines):
            proc.kill()
            _, err = proc.communicate(timeout=10)
            pytest.fail(f"serve printed no URL line: {lines!r}, stderr: {err!r}")
        yield Serving(proc, lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pumping.join(10)  # it reads to the end of stdout, which the exit closed
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def key_env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}


def _flags(fake_api: FakeRealtimeApi) -> list[str]:
    return ["--model", "gpt-realtime", "--base-url", fake_api.base_url]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serves_logs_and_stops_on_a_signal(
    fake_api: FakeRealtimeApi, key_env: dict[str, str], signum: int
) -> None:
    with serving(*_flags(fake_api), env=key_env) as served:
        assert served.lines[0].startswith("URL http://127.0.0.1:")
        assert served.token is None
        data = httpx.get(served.url + "/token", headers={"Origin": "http://localhost:3000"}).json()
        port = int(served.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.sendall(b"NOT HTTP AT ALL\r\n\r\n")  # uvicorn would log this; serve does not
            raw.recv(1024)
        with httpx.Client() as keep_alive:  # a connection still open when the signal comes
            keep_alive.get(served.url + "/health")
            code, took, stderr = served.stop(signum)
    assert code == 0
    assert took < STOP_BOUND
    assert "Stopped." in stderr
    log = [line for line in stderr.splitlines() if " /token " in line]
    assert len(log) == 1
    assert "GET /token origin=http://localhost:3000 200 " + data["session"]["id"] in log[0]
    assert data["value"] not in stderr and TEST_API_KEY not in stderr
    assert "Traceback" not in stderr and "Invalid HTTP" not in stderr


def test_require_token_prints_it_and_enforces_it(
    fake_api: FakeRealtimeApi, key_env: dict[str, str]
) -> None:
    with serving(*_flags(fake_api), "--require-token", env=key_env, want_token=True) as served:
        token = served.token
        assert token is not None and len(token) >= 22  # at least 128 bits
        assert httpx.get(served.url + "/token").status_code == 401
        ok = httpx.get(served.url + "/token", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        code, _, stderr = served.stop()
    assert code == 0
    assert "error=invalid_token" in stderr
    assert token not in stderr  # printed once on stdout, never logged


def test_token_file(fake_api: FakeRealtimeApi, key_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("token-from-a-file-0123456789\n", encoding="utf-8")
    with serving(*_flags(fake_api), "--token-file", str(path), env=key_env, want_token=True) as s:
        assert s.token == "token-from-a-file-0123456789"
        s.stop()


def test_a_non_loopback_host_forces_a_token_and_warns(
    fake_api: FakeRealtimeApi, key_env: dict[str, str]
) -> None:
    # Bound to every interface for a moment; only 127.0.0.1 is ever called.
    with serving(*_flags(fake_api), "--host", "0.0.0.0", env=key_env, want_token=True) as s:  # noqa: S104
        assert s.token is not None
        port = s.url.rsplit(":", 1)[1]
        local = f"http://127.0.0.1:{port}"
        assert httpx.get(local + "/token").status_code == 401
        ok = httpx.get(local + "/token", headers={"Authorization": f"Bearer {s.token}"})
        assert ok.status_code == 200
        code, _, stderr = s.stop()
    assert code == 0
    assert "warning: listening on 0.0.0.0, not loopback" in stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--origin", "*"], "origin"),
        (["--origin", "http://*.example"], "origin"),
        (["--rate", "0"], "--rate"),
        (["--port", "70000"], "--port"),
        (["--max-ttl", "5"], "--max-ttl"),
        (["--speed", "9"], "speed"),
        (["--allow-override", "session..x"], "allow_override"),
        (["--token-file", "/nonexistent/token"], "token_file"),
    ],
)
def test_invalid_options_exit_2_before_the_key_is_read(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], args: list[str], words: str
) -> None:
    # No key anywhere: exit 2 (not 3) shows the options were checked first.
    result = run_cli("serve", "--port", "0", *_flags(fake_api), *args, env=cli_env)
    assert result.code == 2, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_no_key_exits_3(fake_api: FakeRealtimeApi, cli_env: dict[str, str]) -> None:
    result = run_cli("serve", "--port", "0", *_flags(fake_api), env=cli_env)
    assert result.code == 3
    assert "keyring" in result.stderr and "OPENAI_API_KEY" in result.stderr
    assert result.stdout == ""


def test_a_port_in_use_is_named(fake_api: FakeRealtimeApi, key_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", *_flags(fake_api), "--port", str(port), env=key_env, timeout=60)
    assert result.code == 1
    assert f"Port {port} is already in use" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
