"""Run as a process: which thread collects a dropped Qt cycle, with or without the collector.

Prints ``collected-on main`` or ``collected-on worker``. Separate process because the
collector turns automatic collection off for the whole interpreter.
"""

from __future__ import annotations

import gc
import sys
import threading
import time

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from realtime_gui.ui.gc_policy import GuiThreadCollector

collected_on: list[str] = []
results: list[object] = []


class Part:
    """A window's part as the garbage collector sees it: a cycle that owns a Qt object."""

    def __init__(self) -> None:
        self.qt_object = QObject()
        self.cycle = self

    def __del__(self) -> None:
        name = threading.current_thread().name
        collected_on.append("main" if name == "MainThread" else "worker")


def main(use_collector: bool) -> None:
    app = QApplication([])
    if use_collector:
        GuiThreadCollector(app, interval_ms=20)
    gc.collect()
    part = Part()
    del part

    def allocate() -> None:  # what the mint worker does: build a response's objects
        results.append([{"event": [i]} for i in range(20_000)])  # handed back, alive

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    deadline = time.monotonic() + 5
    while not collected_on and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    print("collected-on", collected_on[0] if collected_on else "never", flush=True)


def app_main() -> None:
    """The real entry point: report whether collection is the collector's by first paint."""
    from realtime_gui import app as app_module

    real_create = app_module.create_window

    def create_and_report(**options: object) -> object:
        window = real_create(**options)  # type: ignore[arg-type]
        owner = QApplication.instance()
        assert owner is not None
        found = owner.findChild(QObject, "guiThreadCollector")
        print("automatic-gc", gc.isenabled(), "collector", found is not None, flush=True)
        return window

    app_module.create_window = create_and_report  # type: ignore[assignment]
    sys.exit(app_module.main())


if __name__ == "__main__":
    if sys.argv[1] == "app":
        app_main()
    main(sys.argv[1] == "with-collector")
