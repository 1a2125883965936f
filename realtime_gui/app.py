"""Composition root: wires the worker thread, the settings file and the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from .core.credentials import DEFAULT_PROFILE
from .core.paths import APP_NAME, CONFIG_DIR_ENV, config_dir, icon_dir
from .core.profiles import FOLDER as PROFILES_FOLDER
from .ui.gc_policy import GuiThreadCollector
from .ui.main_window import MainWindow
from .ui.profile_switcher import PROFILE_SETTING
from .ui.single_instance import HandedOff, claim_instance
from .ui.worker import MintWorker
from .ui.worker_host import WorkerHost

if TYPE_CHECKING:
    from .core.client import MintClient
    from .core.credentials import KeyStore

__all__ = [
    "APP_NAME",
    "CONFIG_DIR_ENV",
    "QUIT_AFTER_PAINT_ENV",
    "app_icon",
    "create_window",
    "icon_dir",
    "main",
    "settings_file",
]

# Set to 1 to close the window right after its first paint (start-up timing, smoke tests).
QUIT_AFTER_PAINT_ENV = "REALTIME_GUI_QUIT_AFTER_FIRST_PAINT"


def settings_file(env: Mapping[str, str]) -> Path:
    """settings.ini in $REALTIME_GUI_CONFIG_DIR or the platform's user config folder."""
    return config_dir(env) / "settings.ini"


def app_icon() -> QIcon:
    """The application icon at every size shipped; empty if the files are not installed."""
    icon = QIcon()
    folder = icon_dir()
    if folder is not None:
        for png in sorted(folder.glob("realtime-gui-*.png")):
            icon.addFile(str(png))
    return icon


def create_window(
    *,
    env: Mapping[str, str] | None = None,
    settings_path: Path | None = None,
    key_store_factory: Callable[[Mapping[str, str]], KeyStore] | None = None,
    client_factory: Callable[[], MintClient] | None = None,
    tray: bool = True,
) -> MainWindow:
    """The fully wired main window, ready to show; the event loop is not started.

    A QApplication must exist. The worker thread starts here; it is stopped when the
    window closes, is destroyed, or the application quits (ui/worker_host.py). With
    ``tray``, a tray icon (``window.tray``) is added after the first paint where the
    desktop has a system tray.
    """
    env = os.environ if env is None else env
    options: dict[str, object] = {}
    if key_store_factory is not None:
        options["key_store_factory"] = key_store_factory
    if client_factory is not None:
        options["client_factory"] = client_factory
    path = settings_path or settings_file(env)
    # The profiles live next to settings.ini (one folder for the window's config).
    folder = path.parent / PROFILES_FOLDER
    host = WorkerHost(MintWorker(env=env, profiles_folder=folder, **options))  # type: ignore[arg-type]
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    profile = choose_profile(settings, folder, env)
    window = MainWindow(host=host, settings=settings, env=env, profile=profile)
    window.setWindowIcon(app_icon())
    # Dropped without close() (a test, an embedder): the thread is still stopped. The host
    # outlives the window on its own, so the window's C++ destructor cannot take the
    # running thread down with it.
    window.destroyed.connect(host.request_stop)
    if tray:
        worker = host.worker

        def attach(painted: QWidget) -> None:
            if isinstance(painted, MainWindow):
                _attach_tray(painted, worker, settings)

        window.installEventFilter(_AfterFirstPaint(window, attach))
    return window


def choose_profile(settings: QSettings, folder: Path, env: Mapping[str, str]) -> str:
    """$REALTIME_GUI_PROFILE, else the remembered one; default if it is gone.

    On the first run with profiles, a 0.1 form's provider and base URL become the
    ``default`` profile (settings.ini keeps them as the last-used form). Costs a stat or
    two; the profile list itself is read on the worker after the first paint.
    """
    from .core.errors import InvalidInput
    from .core.profiles import PROFILE_ENV, ProfileStore, migrate_form

    store = ProfileStore(folder)
    if settings.contains("form/provider") and not settings.contains(PROFILE_SETTING):
        message = migrate_form(
            store, str(settings.value("form/provider")), str(settings.value("form/base_url", ""))
        )
        if message:
            sys.stderr.write(f"realtime-gui: {message}\n")
    name = env.get(PROFILE_ENV, "").strip() or str(settings.value(PROFILE_SETTING, ""))
    try:
        chosen = name if name and store.exists(name) else DEFAULT_PROFILE
    except InvalidInput:  # a hand-edited name that is no profile name
        chosen = DEFAULT_PROFILE
    return chosen


def _attach_tray(window: MainWindow, worker: MintWorker, settings: QSettings) -> None:
    """Give ``window`` its tray icon, where the desktop has a tray and the window is open."""
    from PySide6.QtWidgets import QStyle, QSystemTrayIcon

    if window.tray is not None or not window.isVisible():
        return
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return
    from .ui.tray import WindowTray

    icon = window.windowIcon()
    if icon.isNull():  # the icon files are not installed: a tray icon must still show
        icon = window.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
    window.tray = WindowTray(window, worker=worker, icon=icon, settings=settings)


class _AfterFirstPaint(QObject):
    """Calls ``then(window)`` once the window has painted, from the event loop.

    Work that can wait (the tray icon; a close for start-up benchmarks) never delays
    the first paint.
    """

    def __init__(self, parent: QWidget, then: Callable[[QWidget], object]) -> None:
        super().__init__(parent)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            window, then = watched.window(), self._then
            QTimer.singleShot(0, window, lambda: then(window))
        return False


def main() -> int:
    """Open the window and run until it closes; a second launch raises the first window."""
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName("realtime-gui")
    QApplication.setDesktopFileName(APP_NAME)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    instance = claim_instance(os.environ)
    if isinstance(instance, HandedOff):
        sys.stderr.write(instance.message + "\n")
        return instance.status
    GuiThreadCollector(app)
    window = create_window()
    if instance is not None:
        instance.raise_on_request(window)
    if os.environ.get(QUIT_AFTER_PAINT_ENV) == "1":
        window.installEventFilter(_AfterFirstPaint(window, QWidget.close))
    window.show()
    try:
        return app.exec()
    finally:
        if instance is not None:
            instance.close()  # the socket and the lock go now, not whenever Python exits
