"""Baseline window: a bare PySide6 QMainWindow with one QLabel, closed after its first paint."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget


class AfterFirstPaint(QObject):
    """Runs ``then`` (default: close the window) once the watched widget has painted.

    The same mechanism as the app's REALTIME_GUI_QUIT_AFTER_FIRST_PAINT: an event filter
    on Paint, then QTimer.singleShot(0, ...).
    """

    def __init__(self, parent: QObject, then: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then or watched.window().close)
        return False


def make_window() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("baseline")
    window.setCentralWidget(QLabel("Hello from a bare QMainWindow", window))
    return window


def main() -> int:
    app = QApplication(sys.argv)
    window = make_window()
    window.installEventFilter(AfterFirstPaint(window))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
