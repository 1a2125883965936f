"""Cyclic garbage is collected on the GUI thread only, the one thread that may delete widgets."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

__all__ = ["GuiThreadCollector"]

# Often enough that garbage never piles up between checks (a check that finds nothing to
# do costs a microsecond), rarely enough never to show in an idle profile.
CHECK_INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Turns automatic collection off and runs it from a timer on the GUI thread instead.

    CPython starts a cyclic collection on whichever thread allocates past the threshold:
    here that is as likely the mint worker (httpx), the connection test or serve's threads
    as the GUI thread. Closed dialogs and windows sit in reference cycles (slots bound to
    their parts), so such a collection would run Qt destructors off the GUI thread, which
    Qt does not allow (the symptom is a rare crash). The generations and thresholds stay
    CPython's own; only the thread changes. The PyQt/PySide community's long-standing
    recipe for the same problem.
    """

    def __init__(self, app: QCoreApplication, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(app)
        self.setObjectName("guiThreadCollector")
        self._thresholds = gc.get_threshold()
        self.collections = 0
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app.aboutToQuit.connect(self.restore)

    @Slot()
    def check(self) -> None:
        """Collect the generations whose count has passed its threshold, as CPython would."""
        counts = gc.get_count()
        if counts[0] <= self._thresholds[0]:
            return
        generation = 0
        if counts[1] > self._thresholds[1]:
            generation = 2 if counts[2] > self._thresholds[2] else 1
        gc.collect(generation)
        self.collections += 1

    @Slot()
    def restore(self) -> None:
        """Hand collection back to CPython (the event loop has ended; nothing runs on it)."""
        self._timer.stop()
        gc.enable()
