"""Composition root: builds the main window and runs the Qt event loop."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from . import __version__

__all__ = ["create_window", "main"]


def create_window() -> QMainWindow:
    """The main window, ready to show; the event loop is not started."""
    window = QMainWindow()
    window.setObjectName("mainWindow")
    window.setWindowTitle(f"realtime-gui {__version__}")
    label = QLabel(
        "Minting from the window is on its way. Meanwhile: realtime-gui mint --help", window
    )
    label.setMargin(24)
    window.setCentralWidget(label)
    return window


def main() -> int:
    """Open the window and run until it closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    window = create_window()
    window.show()
    return app.exec()
