"""Ways a window's life can end, each run in its own process by test_thread_lifetime.py.

``python -m tests.e2e.lifetime_scenarios NAME`` builds the real window against a real
local server, ends its life the way NAME says, and exits normally. It prints ``OK`` last
when every step went as expected, and ``BLOCKED_MS <n>`` for the longest the GUI thread
was held by a close or a quit. A crash (Qt aborting on a running QThread, a segfault)
shows as a non-zero exit code in the parent, failing one test instead of the whole run.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from realtime_gui.app import create_window
from realtime_gui.core.credentials import KeyStore
from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.worker_host import WorkerHost
from tests.conftest import TEST_API_KEY
from tests.doubles import HangingKeyring, InMemoryKeyring
from tests.fake_api import FakeRealtimeApi

HOLD_SECONDS = 20.0  # how long the server, a DNS lookup or the keyring hang: far past any wait
SLOW_HOST = "slow-dns.localhost"

blocked_ms: list[float] = []


def pump(app: QApplication, until: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Run the event loop until ``until()`` holds; False when ``timeout`` passed first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if until():
            return True
        time.sleep(0.005)
    return until()


def timed(action: Callable[[], Any]) -> None:
    start = time.perf_counter()
    action()
    blocked_ms.append((time.perf_counter() - start) * 1000)


def quit_and_time(app: QApplication, delay_ms: int = 0) -> None:
    """Quit the running application after ``delay_ms``; time the quit until exec() returns."""
    started: list[float] = []

    def quit_now() -> None:
        started.append(time.perf_counter())
        app.quit()

    QTimer.singleShot(delay_ms, quit_now)
    app.exec()
    blocked_ms.append((time.perf_counter() - started[0]) * 1000)


def new_window(api: FakeRealtimeApi, *, base_url: str | None = None, backend: Any = None,
               with_env_key: bool = True) -> MainWindow:  # fmt: skip
    env = {"OPENAI_BASE_URL": base_url or api.base_url}
    if with_env_key:
        env["OPENAI_API_KEY"] = TEST_API_KEY
    chosen = backend if backend is not None else InMemoryKeyring()
    config = Path(tempfile.mkdtemp(prefix="rtg-lifetime-"))
    window = create_window(
        env=env,
        settings_path=config / "settings.ini",
        key_store_factory=lambda e: KeyStore(chosen, env=e, timeout=HOLD_SECONDS * 2),
    )
    window.show()
    return window


def hold_next_request(api: FakeRealtimeApi) -> threading.Event:
    release = threading.Event()
    api.then(lambda handler: release.wait(HOLD_SECONDS))
    return release


def start_mint(app: QApplication, api: FakeRealtimeApi, window: MainWindow) -> None:
    window.mint()
    assert pump(app, lambda: len(api.requests) == 1), "the mint never reached the server"


def drop(holder: list[MainWindow]) -> None:
    """Let go of the window the way a test or an embedder does: no close(), no deleteLater."""
    holder.clear()
    gc.collect()


def all_hosts_stopped(app: QApplication) -> bool:
    return pump(app, lambda: not WorkerHost.live_hosts())


# -- scenarios ---------------------------------------------------------------------------
def drop_idle(app: QApplication, api: FakeRealtimeApi) -> None:
    holder = [new_window(api)]
    assert pump(app, lambda: "OPENAI_API_KEY" in holder[0].keyStatusLabel.text())
    timed(lambda: drop(holder))
    assert all_hosts_stopped(app), "the worker thread of a dropped window kept running"


def drop_mid_mint(app: QApplication, api: FakeRealtimeApi) -> None:
    holder = [new_window(api)]
    release = hold_next_request(api)
    start_mint(app, api, holder[0])
    timed(lambda: drop(holder))
    assert all_hosts_stopped(app), "the worker thread of a dropped window kept running"
    assert not release.is_set()
    release.set()


def drop_before_event_loop(app: QApplication, api: FakeRealtimeApi) -> None:
    # Never shown, never processed an event: Python's exit must still stop the thread.
    window = new_window(api)
    del window


def close_idle(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    assert pump(app, lambda: "OPENAI_API_KEY" in window.keyStatusLabel.text())
    timed(window.close)
    assert all_hosts_stopped(app)


def close_mid_mint(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    release = hold_next_request(api)
    start_mint(app, api, window)
    timed(window.close)
    assert all_hosts_stopped(app)
    assert not release.is_set(), "close() waited for the server instead of cancelling"
    release.set()


def close_during_dns(app: QApplication, api: FakeRealtimeApi) -> None:
    # getaddrinfo() cannot be interrupted; a resolver that does not answer is imitated by
    # one that sleeps (it runs in C in real life, in Python here: the worker cannot tell).
    entered = threading.Event()
    real = socket.getaddrinfo

    def slow_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == SLOW_HOST:
            entered.set()
            time.sleep(HOLD_SECONDS)
        return real(host, *args, **kwargs)

    socket.getaddrinfo = slow_getaddrinfo  # type: ignore[assignment]
    window = new_window(api, base_url=f"http://{SLOW_HOST}:{api.port}/v1")
    window.mint()
    assert pump(app, entered.is_set), "the mint never started its DNS lookup"
    timed(window.close)
    assert all_hosts_stopped(app), "the worker thread waited for the DNS lookup"


def quit_mid_mint(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    release = hold_next_request(api)
    start_mint(app, api, window)
    quit_and_time(app)
    assert not release.is_set()
    release.set()


def quit_during_keyring_hang(app: QApplication, api: FakeRealtimeApi) -> None:
    backend = HangingKeyring()
    window = new_window(api, backend=backend, with_env_key=False)
    assert pump(app, backend.entered.is_set), "the key status check never reached the keyring"
    quit_and_time(app)
    assert not window.isVisible()  # Qt 6 closes the windows when the application quits
    backend.release.set()


def quit_during_warm_up(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    # Right after the first paint asked the worker to load httpx, before it is done.
    assert pump(app, lambda: window._warmed_up), "the window never asked for its warm-up"
    quit_and_time(app)


def start_serving(app: QApplication, window: MainWindow) -> str:
    """Open the Serve tab, serve on a free port, and prove it answers; returns its URL."""
    from realtime_gui.ui.serve_panel import ServeState

    window.menus.serveAction.trigger()
    panel = window.serveLink.panel
    assert pump(app, lambda: panel.state is ServeState.STOPPED), "the server stack never loaded"
    panel.servePortInput.setValue(0)
    panel.serveToggle.click()
    assert pump(app, lambda: panel.state is ServeState.SERVING), "serving never started"
    url = panel.serveUrlField.text()
    assert httpx.get(f"{url}/token").status_code == 200
    return url


def refuses_connections(url: str) -> bool:
    try:
        httpx.get(f"{url}/health", timeout=1.0)
    except httpx.ConnectError:
        return True
    except httpx.TransportError:  # accepted, then reset: the server is mid-shutdown
        return False
    return False


def close_while_serving(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    url = start_serving(app, window)
    # The server's stop takes up to a second: it must run off the GUI thread.
    timed(window.close)
    assert all_hosts_stopped(app)
    assert pump(app, lambda: refuses_connections(url)), "the server outlived its window"


def drop_while_serving(app: QApplication, api: FakeRealtimeApi) -> None:
    holder = [new_window(api)]
    url = start_serving(app, holder[0])
    timed(lambda: drop(holder))
    assert all_hosts_stopped(app), "the worker thread of a dropped window kept running"
    assert pump(app, lambda: refuses_connections(url)), "the server outlived its window"


def quit_while_serving(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    url = start_serving(app, window)
    quit_and_time(app)
    assert pump(app, lambda: refuses_connections(url)), "the server outlived the application"


def start_connection_test(app: QApplication, api: FakeRealtimeApi, window: MainWindow) -> None:
    """Start a connection test that the server leaves hanging after the upgrade."""
    api.realtime.mode = "hang"
    button = window.connectionCheck.testConnectionButton
    assert pump(app, button.isEnabled), "Test connection never became enabled"
    button.click()
    assert pump(app, lambda: api.realtime.connections != []), "the test never connected"
    assert window.connectionCheck.is_testing


def close_mid_connection_test(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    start_connection_test(app, api, window)
    timed(window.close)
    assert all_hosts_stopped(app), "the connection test's thread outlived the window"


def drop_mid_connection_test(app: QApplication, api: FakeRealtimeApi) -> None:
    holder = [new_window(api)]
    start_connection_test(app, api, holder[0])
    timed(lambda: drop(holder))
    assert all_hosts_stopped(app), "the connection test's thread outlived a dropped window"


def quit_mid_connection_test(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    start_connection_test(app, api, window)
    quit_and_time(app)
    assert all_hosts_stopped(app)


def close_mid_connection_test_mint(app: QApplication, api: FakeRealtimeApi) -> None:
    window = new_window(api)
    release = hold_next_request(api)
    button = window.connectionCheck.testConnectionButton
    assert pump(app, button.isEnabled), "Test connection never became enabled"
    button.click()
    assert pump(app, lambda: len(api.requests) == 1), "the sibling mint never reached the server"
    timed(window.close)
    assert all_hosts_stopped(app)
    assert not release.is_set(), "close() waited for the sibling mint instead of cancelling"
    release.set()


SCENARIOS: dict[str, Callable[[QApplication, FakeRealtimeApi], None]] = {
    "drop-idle": drop_idle,
    "drop-mid-mint": drop_mid_mint,
    "drop-before-event-loop": drop_before_event_loop,
    "close-idle": close_idle,
    "close-mid-mint": close_mid_mint,
    "close-during-dns": close_during_dns,
    "quit-mid-mint": quit_mid_mint,
    "quit-during-keyring-hang": quit_during_keyring_hang,
    "quit-during-warm-up": quit_during_warm_up,
    "close-while-serving": close_while_serving,
    "drop-while-serving": drop_while_serving,
    "quit-while-serving": quit_while_serving,
    "close-mid-connection-test": close_mid_connection_test,
    "close-mid-connection-test-mint": close_mid_connection_test_mint,
    "drop-mid-connection-test": drop_mid_connection_test,
    "quit-mid-connection-test": quit_mid_connection_test,
}


def main(name: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(sys.argv[:1])
    api = FakeRealtimeApi(TEST_API_KEY).start()
    SCENARIOS[name](app, api)
    print(f"BLOCKED_MS {max(blocked_ms, default=0.0):.1f}", flush=True)
    print("OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
