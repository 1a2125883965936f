"""The tray icon's menu, driven in the real window under a real tray host (test_tray.py).

``python -m tests.e2e.tray_scenarios NAME`` (DISPLAY set to a display with a tray, on the
xcb platform) builds the real window with app.create_window against the local fake API,
waits for its tray icon, and runs the scenario NAME. It prints ``OK`` last when every step
went as expected; what it checks is in each scenario. No secret is ever printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QPoint, QSettings, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from realtime_gui.app import create_window
from realtime_gui.core.credentials import KeyStore
from realtime_gui.core.presets import BUILT_IN, PresetStore
from realtime_gui.core.session import SessionConfig
from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.single_instance import ALREADY_RUNNING, InstanceServer, claim_instance
from realtime_gui.ui.tray import KEEP_RUNNING_KEY, WindowTray
from realtime_gui.ui.worker_host import WorkerHost
from tests.conftest import TEST_API_KEY
from tests.doubles import InMemoryKeyring
from tests.fake_api import FakeRealtimeApi

ROOT = Path(__file__).resolve().parents[2]
WAIT = 20.0  # generous: only how long a step may take before the scenario gives up
COUNTDOWN = re.compile(r"^Secret expires in (\d\d):(\d\d)$")


def pump(until: Callable[[], bool], timeout: float = WAIT) -> bool:
    """Run the event loop until ``until()`` holds; False when ``timeout`` passed first."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if until():
            return True
        time.sleep(0.01)
    return until()


class Scene:
    """The fake API, a config folder of its own and the window with its tray icon."""

    def __init__(self, app: QApplication, *, api_key: str = TEST_API_KEY) -> None:
        self.app = app  # alive as long as the window
        self.api = FakeRealtimeApi(TEST_API_KEY).start()
        self.config = Path(tempfile.mkdtemp(prefix="rtg-tray-"))
        self.env = {
            "OPENAI_BASE_URL": self.api.base_url,
            "OPENAI_API_KEY": api_key,
            "REALTIME_GUI_CONFIG_DIR": str(self.config),
        }
        backend = InMemoryKeyring()
        self.window: MainWindow = create_window(
            env=self.env,
            settings_path=self.config / "settings.ini",
            key_store_factory=lambda e: KeyStore(backend, env=e, timeout=10),
        )
        self.window.show()
        assert pump(lambda: self.window.tray is not None), "no tray icon after the first paint"
        self.tray: WindowTray = self.window.tray  # type: ignore[assignment]
        self.messages: list[tuple[str, str]] = []
        # Notifications are bubbles the tray host draws; the calls are what the app controls.
        self.tray.trayIcon.showMessage = self._record  # type: ignore[method-assign]

    def _record(self, title: str, text: str, *args: Any) -> None:
        self.messages.append((title, text))

    def setting(self) -> object:
        settings = QSettings(str(self.config / "settings.ini"), QSettings.Format.IniFormat)
        return settings.value(KEEP_RUNNING_KEY)


def clipboard() -> str:
    return QGuiApplication.clipboard().text()


def tray_is_docked(scene: Scene) -> None:
    icon = scene.tray.trayIcon
    assert icon.isVisible()
    # The tray host (trayer) has embedded the icon: it has a place on the screen.
    assert pump(lambda: not icon.geometry().isEmpty()), "the tray host never embedded the icon"
    names = [action.objectName() for action in scene.tray.trayMenu.actions()]
    assert names[0] == "trayMintAction", names
    assert scene.window.findChild(QSystemTrayIcon, "trayIcon") is icon
    assert scene.window.findChild(QAction, "trayMintAction") is scene.tray.trayMintAction
    print("docked at", icon.geometry().getRect(), flush=True)


# -- scenarios ---------------------------------------------------------------------------
def mint_and_copy(scene: Scene) -> None:
    """One mint reaches the fake; the secret is on the clipboard; the tooltip counts down."""
    tray_is_docked(scene)
    window = scene.window
    window.ttlInput.setValue(10)  # the shortest the API allows: expiry within the test
    QGuiApplication.clipboard().setText("something else")
    assert scene.tray.trayIcon.toolTip() == "realtime-gui"
    scene.tray.trayMintAction.trigger()
    assert pump(lambda: clipboard().startswith("ek_")), "the secret never reached the clipboard"
    assert len(scene.api.requests) == 1, f"{len(scene.api.requests)} mints for one click"
    assert clipboard() == window.secretField.text(), "the clipboard holds another value"
    assert window.countdownLabel.text() != "--:--"  # the result arrived in the window as usual
    first = COUNTDOWN.match(scene.tray.trayIcon.toolTip())
    assert first is not None, scene.tray.trayIcon.toolTip()
    seen = {scene.tray.trayIcon.toolTip()}
    assert pump(lambda: seen.add(scene.tray.trayIcon.toolTip()) or len(seen) > 1)
    later = COUNTDOWN.match(sorted(seen)[0])
    assert later is not None and later.groups() < first.groups(), seen
    print("tooltips", sorted(seen), flush=True)
    assert pump(lambda: scene.tray.trayIcon.toolTip() == "Secret expired"), "never expired"
    assert pump(lambda: clipboard() == ""), "the clipboard still holds the expired secret"
    assert scene.messages == []


def mint_failure(scene: Scene) -> None:
    """A refused key: a notification with the server's message, the banner as usual."""
    scene.tray.trayMintAction.trigger()
    assert pump(lambda: bool(scene.messages)), "no notification for a failed mint"
    title, text = scene.messages[0]
    assert title == "Mint failed"
    assert text == "The server did not accept the API key (401).\nServer code: invalid_api_key", (
        text
    )
    assert "sk-" not in text and "ek_" not in text
    assert scene.window.last_error is not None
    assert scene.window.statusBanner.isVisible()
    assert scene.tray.trayIcon.toolTip() == "realtime-gui"
    assert not clipboard().startswith("ek_")
    print("notified:", title, "/", text, flush=True)


def mint_invalid_form(scene: Scene) -> None:
    """A form Mint refuses: nothing is sent; the notification names the problem."""
    scene.window.baseUrlInput.setText("ftp://example.com")
    scene.tray.trayMintAction.trigger()
    assert [title for title, _ in scene.messages] == ["Mint failed"], scene.messages
    assert "must be an http(s) URL" in scene.messages[0][1], scene.messages
    assert scene.api.requests == []
    assert scene.window.statusBanner.isVisible()


def mint_in_flight(scene: Scene) -> None:
    """Mint & copy during the window's own mint copies that secret; no second request."""
    scene.api.delay = 1.0
    scene.window.mint()
    assert scene.window.is_minting
    scene.tray.trayMintAction.trigger()
    assert pump(lambda: clipboard().startswith("ek_")), "the secret never reached the clipboard"
    assert len(scene.api.requests) == 1
    assert clipboard() == scene.window.secretField.text()
    assert COUNTDOWN.match(scene.tray.trayIcon.toolTip())


def presets(scene: Scene) -> None:
    """The submenu lists built-ins and saved presets, refreshed on show; one loads."""
    store = PresetStore.from_env(scene.env)
    menu = scene.tray.trayPresetsMenu
    menu.popup(QPoint(20, 20))  # the real aboutToShow
    assert pump(menu.isVisible)
    names = [action.text() for action in menu.actions()]
    assert names == list(BUILT_IN), names
    menu.hide()
    store.save("team-voice", SessionConfig(model="gpt-realtime-mini", voice="cedar"))
    menu.popup(QPoint(20, 20))
    assert pump(menu.isVisible)
    actions = {action.text(): action for action in menu.actions()}
    assert list(actions) == [*BUILT_IN, "team-voice"], list(actions)
    before = scene.window.session_config()
    actions["text-chat"].trigger()
    after = scene.window.session_config()
    assert after != before and after.modalities == ("text",), after
    assert scene.window.modalityText.isChecked() and not scene.window.modalityAudio.isChecked()
    # Through the window's preset combo: it shows the choice, and a mint records it.
    assert scene.window.presetBar.preset_name == "text-chat"
    assert scene.window.presetInput.currentData() == "text-chat"
    actions["team-voice"].trigger()
    assert scene.window.modelInput.currentText() == "gpt-realtime-mini"
    assert scene.window.voiceInput.currentText() == "cedar"
    assert scene.window.presetInput.currentData() == "team-voice"
    menu.hide()
    (store.folder / "broken.json").write_text("{not json", encoding="utf-8")
    menu.popup(QPoint(20, 20))
    assert pump(menu.isVisible)
    note = menu.actions()[-1]
    assert note.text() == "1 preset file(s) could not be read" and not note.isEnabled()
    assert "broken.json" in note.toolTip()
    menu.hide()


def serve(scene: Scene) -> None:
    """Serve on and off from the tray; the tray follows a start and stop in the window."""
    from realtime_gui.ui.serve_panel import ServeState

    window, action = scene.window, scene.tray.trayServeAction
    panel = window.serveLink.panel
    panel.servePortInput.setValue(0)  # a free port
    assert not action.isChecked()
    action.trigger()  # on, while the server stack may still be loading
    assert action.isChecked()
    assert pump(lambda: panel.state is ServeState.SERVING), "serving never started"
    url = panel.serveUrlField.text()
    assert httpx.get(f"{url}/token", timeout=10).status_code == 200
    assert len(scene.api.requests) == 1
    assert action.isChecked() and action.isEnabled()
    action.trigger()  # off
    assert pump(lambda: panel.state is ServeState.STOPPED), "serving never stopped"
    assert not action.isChecked()
    assert refuses(url)
    panel.serveToggle.click()  # from the window: the tray follows
    assert pump(lambda: panel.state is ServeState.SERVING and action.isChecked())
    panel.serveToggle.click()
    assert pump(lambda: panel.state is ServeState.STOPPED and not action.isChecked())
    assert scene.messages == []


def refuses(url: str) -> bool:
    try:
        httpx.get(f"{url}/health", timeout=2)
    except httpx.TransportError:
        return True
    return False


def show_window(scene: Scene) -> None:
    """Show window (menu and a click on the icon) un-hides and raises it."""
    window = scene.window
    window.hide()
    scene.tray.trayShowAction.trigger()
    assert pump(window.isVisible)
    window.hide()
    scene.tray.trayIcon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert pump(window.isVisible)
    window.showMinimized()
    assert pump(window.isMinimized)
    scene.tray.trayShowAction.trigger()
    assert pump(lambda: not window.isMinimized())


def second_launch_unhides(scene: Scene) -> None:
    """Hidden in the tray, the window comes back when realtime-gui is launched again."""
    instance = claim_instance(scene.env)
    assert isinstance(instance, InstanceServer), instance
    instance.raise_on_request(scene.window)  # as app.main() does
    scene.tray.keepInTrayAction.trigger()
    scene.window.close()
    assert scene.window.isHidden() and scene.tray.trayIcon.isVisible()
    env = {**os.environ, **scene.env, "PYTHONPATH": str(ROOT)}
    second = subprocess.Popen(
        [sys.executable, "-m", "realtime_gui"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The event loop runs while the second process waits for this one's answer.
    assert pump(lambda: second.poll() is not None, timeout=60), "the second launch hung"
    out, err = second.communicate()
    assert (second.returncode, out, err) == (0, "", ALREADY_RUNNING + "\n"), (out, err)
    assert pump(scene.window.isVisible), "the hidden window was not raised"
    instance.close()


def run_until_quit(steps: list[tuple[int, Callable[[], None]]]) -> float:
    """Run the real event loop, taking each step at its time; seconds until exec() returns."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for at_ms, step in steps:
        QTimer.singleShot(at_ms, step)
    # Backstop: a close that fails to quit is reported, not waited for.
    QTimer.singleShot(int(WAIT * 1000), lambda: app.exit(7))
    start = time.monotonic()
    code = app.exec()
    assert code == 0, f"the event loop was ended by the backstop (exit {code})"
    return time.monotonic() - start


def keep_off_close_quits(scene: Scene) -> None:
    """Keep running off (the default): closing the window ends the application."""
    keep = scene.tray.keepInTrayAction
    assert keep.isEnabled() and not keep.isChecked()
    run_until_quit([(200, scene.window.close)])
    assert pump(lambda: not WorkerHost.live_hosts()), "a worker thread outlived the quit"


def keep_on_close_hides(scene: Scene) -> None:
    """Keep running on: close hides the window, the app and countdown go on until Quit."""
    window, tray = scene.window, scene.tray
    tray.keepInTrayAction.trigger()
    assert tray.keepInTrayAction.isChecked()
    assert scene.setting() in (True, "true"), scene.setting()
    window.ttlInput.setValue(60)
    tray.trayMintAction.trigger()
    assert pump(lambda: clipboard().startswith("ek_"))
    observed: dict[str, Any] = {}

    def after_close() -> None:
        observed["hidden"] = window.isHidden()
        observed["tray"] = tray.trayIcon.isVisible()
        observed["hosts"] = len(WorkerHost.live_hosts())
        observed["tip"] = tray.trayIcon.toolTip()

    def second_close() -> None:  # closing the hidden window again still only hides it
        window.close()
        observed["still_hidden"] = window.isHidden()

    run_until_quit(
        [
            (100, window.close),
            (1500, after_close),
            (1600, second_close),
            (2500, tray.trayQuitAction.trigger),
        ]
    )
    assert observed["hidden"] and observed["tray"], observed
    assert observed["hosts"] >= 1, "the worker stopped while the app kept running in the tray"
    assert COUNTDOWN.match(observed["tip"]), observed
    assert observed["still_hidden"]
    assert [title for title, _ in scene.messages] == ["realtime-gui keeps running"]
    assert pump(lambda: not WorkerHost.live_hosts()), "a worker thread outlived Quit"
    assert not tray.trayIcon.isVisible()
    saved = (scene.config / "settings.ini").read_text(encoding="utf-8")
    assert "keep_running=true" in saved
    assert "ek_" not in saved and "sk-" not in saved, "a secret reached settings.ini"
    texts = [text for message in scene.messages for text in message]
    assert not any("ek_" in text or "sk-" in text for text in [*texts, observed["tip"]])
    print("after close:", observed["tip"], flush=True)


def keep_on_file_quit(scene: Scene) -> None:
    """Keep running on, but File > Quit (Ctrl+Q) still ends the application."""
    scene.tray.keepInTrayAction.trigger()
    run_until_quit([(200, scene.window.menus.quitAction.trigger)])
    assert pump(lambda: not WorkerHost.live_hosts())
    assert scene.messages == [], "Quit hid the window first"
    assert not scene.tray.trayIcon.isVisible()


def keep_on_quit_while_hidden(scene: Scene) -> None:
    """Hidden in the tray when the app is told to quit (a session end): the window still
    closes for real, saving its state, and the workers stop."""
    scene.tray.keepInTrayAction.trigger()
    settings = scene.config / "settings.ini"
    assert "geometry" not in settings.read_text(encoding="utf-8")
    app = QApplication.instance()
    assert app is not None
    run_until_quit([(100, scene.window.close), (600, app.quit)])
    assert scene.window.isHidden()
    assert "geometry" in settings.read_text(encoding="utf-8"), "the window never closed"
    assert pump(lambda: not WorkerHost.live_hosts()), "a worker thread outlived the quit"


SCENARIOS: dict[str, Callable[[Scene], None]] = {
    "mint-and-copy": mint_and_copy,
    "mint-failure": mint_failure,
    "mint-invalid-form": mint_invalid_form,
    "mint-in-flight": mint_in_flight,
    "presets": presets,
    "serve": serve,
    "show-window": show_window,
    "second-launch-unhides": second_launch_unhides,
    "keep-off-close-quits": keep_off_close_quits,
    "keep-on-close-hides": keep_on_close_hides,
    "keep-on-file-quit": keep_on_file_quit,
    "keep-on-quit-while-hidden": keep_on_quit_while_hidden,
}


def main(name: str) -> int:
    scene = Scene(
        QApplication(sys.argv[:1]),
        api_key="sk-wrong-0000" if name == "mint-failure" else TEST_API_KEY,
    )
    try:
        SCENARIOS[name](scene)
    finally:
        scene.api.stop()
    print("OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
