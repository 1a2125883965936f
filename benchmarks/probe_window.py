"""Child process of the window benchmarks: event-loop gaps and resident memory, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:  # not imported at run time: it would count in the memory probes
    from http.server import BaseHTTPRequestHandler

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

KEY = "sk-bench-0000"
STALL = 1.0  # seconds the server (or the keyring) takes to answer
INITIAL_KEY_STATUS = "Checking the keyring…"


class GapMeter(QObject):
    """A 5 ms timer on the GUI thread recording the longest wait between its ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1

    def stop(self) -> float:
        """Stop; the longest gap in ms (the stretch since the last tick counts too)."""
        self._timer.stop()
        self.longest = max(self.longest, time.perf_counter() - self._last)
        return self.longest * 1000


def pump(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(max(0, round(seconds * 1000)), loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Run the event loop until ``condition`` holds (checked every 10 ms)."""
    if condition():
        return
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(10)

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")


def idle_gap(seconds: float) -> tuple[float, int]:
    """Baseline: the same meter over an idle event loop for ``seconds``."""
    meter = GapMeter()
    pump(seconds)
    return meter.stop(), meter.ticks


def send_mint(handler: BaseHTTPRequestHandler) -> None:
    """A valid GA answer (copied from tests/gui/test_main_window.py's _send_mint)."""
    body = b'{"value": "ek_slow_secret", "expires_at": %d, "session": {"id": "sess_slow"}}' % (
        time.time() + 600
    )
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def memory_kib() -> dict[str, float]:
    """VmRSS and its anonymous and file-backed parts, from /proc/self/status, in KiB."""
    fields = {"VmRSS:": "rss_kib", "RssAnon:": "anon_kib", "RssFile:": "file_kib"}
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        name, _, rest = line.partition("\t")
        if name in fields:
            found[fields[name]] = int(rest.split()[0])
    if "rss_kib" not in found:
        raise RuntimeError("no VmRSS in /proc/self/status")
    return found


def _window(env: dict[str, str], settings: Path, backend: Any = None, store_env: Any = None) -> Any:
    from realtime_gui.app import create_window
    from realtime_gui.core.credentials import KeyStore
    from tests.doubles import InMemoryKeyring

    chosen = backend if backend is not None else InMemoryKeyring()

    def factory(window_env: Any) -> KeyStore:
        return KeyStore(chosen, env=window_env if store_env is None else store_env)

    window = create_window(env=env, settings_path=settings, key_store_factory=factory)
    window.show()
    return window


def gap_mint(settings: Path) -> dict[str, float]:
    """(i) A mint whose answer takes STALL seconds; the server runs in this process."""
    from tests.fake_api import FakeRealtimeApi

    fake = FakeRealtimeApi(KEY).start()
    try:
        window = _window({"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": fake.base_url}, settings)
        wait_until(
            lambda: window.keyStatusLabel.text() == "Key from OPENAI_API_KEY", 15, "key status"
        )
        pump(0.2)
        fake.then(lambda handler: (time.sleep(STALL), send_mint(handler)))
        start = time.perf_counter()
        meter = GapMeter()
        window.mint()
        wait_until(lambda: window.secretField.text().startswith("ek_"), 15, "the secret")
        worst = meter.stop()
        duration = time.perf_counter() - start
        ticks = meter.ticks
        baseline, baseline_ticks = idle_gap(duration)
        window.close()
    finally:
        fake.stop()
    return {
        "worst_ms": worst,
        "baseline_ms": baseline,
        "duration_s": duration,
        "ticks": ticks,
        "baseline_ticks": baseline_ticks,
    }


class _Entered(QObject):
    """Tells the GUI thread (queued) when the keyring read started, and when exactly."""

    entered = Signal(float)


def gap_keyring(settings: Path) -> dict[str, float]:
    """(ii) The window's key status check stuck in a keyring for STALL seconds."""
    from tests.doubles import HangingKeyring
    from tests.fake_api import FakeRealtimeApi

    notifier = _Entered()

    class TimedHangingKeyring(HangingKeyring):
        """HangingKeyring released by a threading.Timer STALL seconds after the first read."""

        def get_password(self, service: str, username: str) -> str | None:
            if not self.entered.is_set():
                notifier.entered.emit(time.perf_counter())
                threading.Timer(STALL, self.release.set).start()
            return super().get_password(service, username)

    state: dict[str, Any] = {}

    @Slot(float)
    def on_entered(at: float) -> None:
        # If the GUI thread itself were stuck in the keyring, this would run only after the
        # release: the delay is counted as a gap, so a blocking read cannot go unnoticed.
        state["lag"] = (time.perf_counter() - at) * 1000
        state["at"] = at
        state["meter"] = GapMeter()

    notifier.entered.connect(on_entered)
    backend = TimedHangingKeyring()
    fake = FakeRealtimeApi(KEY).start()
    try:
        window = _window({"OPENAI_BASE_URL": fake.base_url}, settings, backend, store_env={})
        wait_until(lambda: "meter" in state, 15, "the keyring read")
        wait_until(lambda: window.keyStatusLabel.text() != INITIAL_KEY_STATUS, 15, "the key status")
        meter: GapMeter = state["meter"]
        worst = max(state["lag"], meter.stop())
        duration = time.perf_counter() - state["at"]
        ticks = meter.ticks
        baseline, baseline_ticks = idle_gap(duration)
        window.close()
    finally:
        backend.release.set()
        fake.stop()
    return {
        "worst_ms": worst,
        "baseline_ms": baseline,
        "duration_s": duration,
        "ticks": ticks,
        "baseline_ticks": baseline_ticks,
        "lag_ms": state["lag"],
    }


def rss_app(settings: Path, base_url: str) -> dict[str, float]:
    """RSS after the window has minted once (the server runs in the parent process).

    Nothing from tests/ is imported here: the window gets the app's own key store (the key
    comes from OPENAI_API_KEY; PYTHON_KEYRING_BACKEND names the fail backend), so the
    figure is the app's alone.
    """
    import realtime_gui.launch  # noqa: F401 - the real start imports it (python -m realtime_gui)
    from realtime_gui.app import create_window

    window = create_window(
        env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": base_url}, settings_path=settings
    )
    window.show()
    wait_until(lambda: window.keyStatusLabel.text() == "Key from OPENAI_API_KEY", 15, "key status")
    window.mint()
    wait_until(lambda: window.secretField.text().startswith("ek_"), 15, "the secret")
    result = memory_kib()
    window.close()
    return result


def rss_bare() -> dict[str, float]:
    """RSS of the bare baseline window right after its first paint."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from baseline_window import AfterFirstPaint, make_window

    result: dict[str, float] = {}
    window = make_window()

    def measure() -> None:
        result.update(memory_kib())

    window.installEventFilter(AfterFirstPaint(window, measure))
    window.show()
    wait_until(lambda: "rss_kib" in result, 15, "the first paint")
    window.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["gap-mint", "gap-keyring", "rss-app", "rss-bare"])
    parser.add_argument("--base-url", help="the fake server (rss-app)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="realtime-gui-bench-") as tmp:
        settings = Path(tmp) / "settings.ini"
        if args.mode == "gap-mint":
            result = gap_mint(settings)
        elif args.mode == "gap-keyring":
            result = gap_keyring(settings)
        elif args.mode == "rss-app":
            result = rss_app(settings, args.base_url)
        else:
            result = rss_bare()
    app.processEvents()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
