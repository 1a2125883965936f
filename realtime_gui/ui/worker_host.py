"""The worker thread's owner: starts it, and stops it without blocking the GUI or crashing.

Qt aborts the process when a running ``QThread`` is destroyed. If the thread were a child
of the window, letting the window go out of scope (a test, an embedder) or quitting the
application mid-mint would do exactly that. So the thread belongs to a ``WorkerHost`` that
is kept alive by this module until its thread has really finished, whatever happens to
the window, and every live host is stopped when the application quits or Python exits.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QThread, Slot

__all__ = ["STOP_WAIT_MS", "HostedWorker", "WorkerHost"]

# How long stop() may block the GUI thread (half of the 100 ms a close may take in all,
# so saving the settings and the rest fit too). Cancelled work ends within a few tens of
# milliseconds (sockets are shut down, DNS lookups and keyring calls run on helper
# threads that are abandoned); a worker still busy after this is joined later.
STOP_WAIT_MS = 50
# At interpreter exit nothing is left to keep responsive, and a thread that is still
# running when PySide6 tears down its objects aborts the process: wait for it. Every
# blocking step of the worker has its own timeout, so this is a bound, not a hang.
_EXIT_WAIT_MS = 30_000


class HostedWorker(QObject):
    """What a host runs: a QObject that can be cancelled from the GUI thread and shut down."""

    def cancel(self) -> None:
        """Called from the GUI thread: end in-flight work now (sticky)."""

    def shutdown(self) -> None:
        """Called once the thread has finished: release what the worker holds."""


_W = TypeVar("_W", bound=HostedWorker)


class WorkerHost(QObject, Generic[_W]):
    """Owns one worker (``MintWorker``, or the connection test's) on its own ``QThread``.

    Safe to drop at any moment.
    """

    _live: ClassVar[set[WorkerHost[Any]]] = set()

    def __init__(self, worker: _W, *, name: str = "realtime-gui-worker") -> None:
        super().__init__()  # no parent: a window's lifetime must not decide the thread's
        self.worker = worker
        self.worker_thread = QThread()
        self.worker_thread.setObjectName(name)
        worker.moveToThread(self.worker_thread)
        self._stopping = False
        self._finished = False
        WorkerHost._live.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.request_stop)
        self.worker_thread.start()

    @property
    def stopped(self) -> bool:
        """True once the thread has finished and the worker's client is closed."""
        return self._finished

    @Slot()
    def request_stop(self) -> None:
        """Slot form of stop(): for signals such as aboutToQuit and a window's destroyed."""
        self.stop()

    def stop(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """Cancel in-flight work and end the thread; True if it ended within ``wait_ms``.

        Safe to call any number of times, from the window's close, its destruction or the
        application quitting. A thread still busy (an import that cannot be interrupted,
        say) is joined when it finishes; until then this module keeps it alive.
        """
        if self._finished:
            return True
        if not self._stopping:
            self._stopping = True
            self.worker.cancel()
            self.worker_thread.finished.connect(self._on_thread_finished)
            self.worker_thread.quit()
        if self.worker_thread.wait(wait_ms):
            self._on_thread_finished()
            return True
        return False

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._finished:
            return
        # ``finished`` is emitted from the thread just before it really ends; the host may
        # be dropped right after this (it leaves _live), and destroying a QThread that is
        # still running aborts the process. The rest of its exit takes microseconds.
        self.worker_thread.wait()
        self._finished = True
        # The worker thread has ended, so its client can be closed from this one.
        self.worker.shutdown()
        WorkerHost._live.discard(self)

    @classmethod
    def live_hosts(cls) -> frozenset[WorkerHost[Any]]:
        """Hosts whose thread has not finished yet (for tests and shutdown)."""
        return frozenset(cls._live)


@atexit.register
def _stop_all_at_exit() -> None:
    # atexit runs the last-registered handler first, and PySide6 registers its clean-up
    # (which destroys every remaining QObject) before this module is imported, so the
    # threads are stopped while Qt is still intact.
    for host in list(WorkerHost._live):
        if not host.stop(_EXIT_WAIT_MS):
            # Destroying the running thread would abort with a core dump; leave at once
            # instead. Settings were saved when the window closed.
            sys.stderr.write("realtime-gui: the worker did not stop; exiting without clean-up\n")
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(1)
