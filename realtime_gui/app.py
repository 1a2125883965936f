"""Composition root: wires the worker thread, the settings file and the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QApplication

from .ui.main_window import MainWindow
from .ui.worker import MintWorker

if TYPE_CHECKING:
    from .core.client import MintClient
    from .core.credentials import KeyStore

__all__ = ["APP_NAME", "CONFIG_DIR_ENV", "create_window", "main", "settings_file"]

APP_NAME = "realtime-gui"
CONFIG_DIR_ENV = "REALTIME_GUI_CONFIG_DIR"


def settings_file(env: Mapping[str, str]) -> Path:
    """settings.ini in $REALTIME_GUI_CONFIG_DIR or the platform's user config folder."""
    override = env.get(CONFIG_DIR_ENV)
    if override:
        return Path(override) / "settings.ini"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.ini"


def create_window(
    *,
    env: Mapping[str, str] | None = None,
    settings_path: Path | None = None,
    key_store_factory: Callable[[Mapping[str, str]], KeyStore] | None = None,
    client_factory: Callable[[], MintClient] | None = None,
) -> MainWindow:
    """The fully wired main window, ready to show; the event loop is not started.

    A QApplication must exist. The worker thread starts here and is joined when the
    window closes.
    """
    env = os.environ if env is None else env
    options: dict[str, object] = {}
    if key_store_factory is not None:
        options["key_store_factory"] = key_store_factory
    if client_factory is not None:
        options["client_factory"] = client_factory
    worker = MintWorker(env=env, **options)  # type: ignore[arg-type]
    thread = QThread()
    thread.setObjectName("realtime-gui-worker")
    worker.moveToThread(thread)
    thread.start()
    path = settings_path or settings_file(env)
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    window = MainWindow(worker=worker, thread=thread, settings=settings, env=env)
    # The window owns the thread's lifetime; keep Python references with it.
    thread.setParent(window)
    return window


def main() -> int:
    """Open the window and run until it closes."""
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName("realtime-gui")
    QApplication.setDesktopFileName(APP_NAME)
    app = QApplication.instance() or QApplication(sys.argv)
    window = create_window()
    window.show()
    return app.exec()
