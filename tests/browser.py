"""Headless Chromium (Debian's chromium + chromium-driver), driven over the WebDriver protocol.

The protocol is a handful of JSON calls to ChromeDriver (W3C WebDriver: new session, go to
a URL, run a script, end the session), made here with httpx, which the app already uses.
Selenium would bring trio and its friends into the environment, and httpcore imports trio
whenever it is installed: the app's memory and its package would grow for a test tool.

CI installs both programs (.ci/run) and sets CI=true, so a missing browser fails the run
there; on a developer machine without them the browser tests are skipped with the command
that installs them.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# A browser that must not phone home: this machine's network is closed, and background
# connections would only slow the start and fill the log.
_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
# For pages that call getUserMedia: a synthetic microphone, granted without a prompt.
FAKE_MEDIA_FLAGS = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")
_START_TIMEOUT = 30.0
_SCRIPT_TIMEOUT_MS = 30_000


class Browser:
    """One WebDriver session: ``get(url)``, ``execute_async_script(script, *args)``, ``click``,
    ``type`` and ``screenshot``."""

    def __init__(self, driver: httpx.Client, session_id: str) -> None:
        self._driver = driver
        self._session = f"/session/{session_id}"

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        response = self._driver.request(method, self._session + path, json=payload)
        value = response.json().get("value")
        if response.status_code != 200:
            raise AssertionError(f"WebDriver {method} {path}: {response.status_code} {value}")
        return value

    def get(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    def execute_async_script(self, script: str, *args: Any) -> Any:
        """Run ``script`` in the page; it finishes by calling its last argument with a value."""
        return self._call("POST", "/execute/async", {"script": script, "args": list(args)})

    def find(self, css: str) -> str:
        """The WebDriver id of the first element matching ``css`` (fails if none)."""
        found = self._call("POST", "/element", {"using": "css selector", "value": css})
        return str(next(iter(found.values())))

    def click(self, css: str) -> None:
        """Click the element as a user would (WebDriver element click)."""
        self._call("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css: str, text: str) -> None:
        """Type ``text`` into the element, key by key (WebDriver element send keys)."""
        self._call("POST", f"/element/{self.find(css)}/value", {"text": text})

    def screenshot(self) -> bytes:
        """A PNG of the viewport (WebDriver take screenshot)."""
        return base64.b64decode(self._call("GET", "/screenshot"))

    def set_window_size(self, width: int, height: int) -> None:
        self._call("POST", "/window/rect", {"width": width, "height": height})

    def quit(self) -> None:
        self._driver.delete(self._session)


def require_browser() -> None:
    """Skip (or, under CI, fail) when Chromium or ChromeDriver is not installed."""
    if shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER):
        return
    message = (
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(driver: httpx.Client, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"chromedriver exited with {process.returncode}")
        try:
            if driver.get("/status").json()["value"]["ready"]:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"chromedriver did not answer within {_START_TIMEOUT:g} s")


@contextmanager
def headless_chromium(extra_flags: tuple[str, ...] = ()) -> Iterator[Browser]:
    """A fresh headless browser with a throwaway profile; ended and cleaned up afterwards."""
    require_browser()
    port = _free_port()
    profile = tempfile.mkdtemp(prefix="rtg-chromium-")
    process = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}", "--allowed-ips=127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as driver:
            _wait_until_ready(driver, process)
            options = {
                "binary": CHROMIUM,
                "args": [*_FLAGS, *extra_flags, f"--user-data-dir={profile}"],
            }
            capabilities = {"browserName": "chrome", "goog:chromeOptions": options}
            created = driver.post("/session", json={"capabilities": {"alwaysMatch": capabilities}})
            session_id = created.json()["value"]["sessionId"]
            browser = Browser(driver, session_id)
            try:
                browser._call("POST", "/timeouts", {"script": _SCRIPT_TIMEOUT_MS})
                yield browser
            finally:
                browser.quit()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
