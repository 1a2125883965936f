"""The connection test's worker: runs one test at a time on a thread of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot

from ..core.errors import ConnectionTestCancelled, RealtimeGuiError
from .worker_host import HostedWorker

if TYPE_CHECKING:
    from ..core.connection_test import ConnectionTester, ConnectionTestResult
    from ..core.credentials import KeyStore
    from ..core.endpoint import Connection
    from ..core.request import PreparedRequest

__all__ = [
    "ConnectionTestFailed",
    "ConnectionTestJob",
    "ConnectionTestPassed",
    "ConnectionTestWorker",
]


@dataclass(frozen=True)
class ConnectionTestJob:
    """What to test: the request the form describes, where, and what to say (if anything)."""

    job_id: int
    request: PreparedRequest
    connection: Connection
    profile: str
    say: str | None
    connect_timeout: float


@dataclass(frozen=True)
class ConnectionTestPassed:
    job_id: int
    result: ConnectionTestResult


@dataclass(frozen=True)
class ConnectionTestFailed:
    job_id: int
    error: RealtimeGuiError


def _default_tester() -> ConnectionTester:
    # Here, on the worker thread: core.connection_test (and websockets, when it connects)
    # load only once a test is asked for.
    from ..core.connection_test import ConnectionTester

    return ConnectionTester()


class ConnectionTestWorker(HostedWorker):
    """Resolves the key through the mint worker's KeyStore and runs the test.

    A test may hang up to its connect timeout and then its reply timeout; on its own
    thread it never delays a mint, and a mint never delays it.
    """

    passed = Signal(object)  # ConnectionTestPassed
    failed = Signal(object)  # ConnectionTestFailed

    def __init__(
        self,
        key_store: Callable[[], KeyStore],
        *,
        tester_factory: Callable[[], ConnectionTester] = _default_tester,
    ) -> None:
        super().__init__()
        self._key_store = key_store
        self._tester_factory = tester_factory
        self._lock = threading.Lock()
        self._current: ConnectionTester | None = None
        self._stop_job: int | None = None  # a job cancelled before its tester existed
        self._closed = False

    @Slot(object)
    def run(self, job: ConnectionTestJob) -> None:
        if self._closed or self._stop_job == job.job_id:
            self.failed.emit(ConnectionTestFailed(job.job_id, _cancelled()))
            return
        try:
            key = self._key_store().resolve(job.profile)
            tester = self._tester_factory()
            with self._lock:
                self._current = tester
                stop = self._closed or self._stop_job == job.job_id
            if stop:
                tester.cancel()
            result = tester.run(
                job.request,
                job.connection,
                key.value,
                say=job.say,
                connect_timeout=job.connect_timeout,
            )
        except RealtimeGuiError as exc:
            self.failed.emit(ConnectionTestFailed(job.job_id, exc))
            return
        except Exception as exc:  # a bug must become a message, not a dead thread
            error = RealtimeGuiError(
                f"Unexpected internal error ({type(exc).__name__}).",
                hint="Please report it, with what you did (never your key).",
            )
            self.failed.emit(ConnectionTestFailed(job.job_id, error))
            return
        finally:
            with self._lock:
                self._current = None
        self.passed.emit(ConnectionTestPassed(job.job_id, result))

    def cancel_job(self, job_id: int) -> None:
        """From the GUI thread: end test ``job_id`` (running or still queued) now."""
        with self._lock:
            self._stop_job = job_id
            tester = self._current
        if tester is not None:
            tester.cancel()

    def cancel(self) -> None:
        """From the GUI thread when the window closes: end the test and refuse any more."""
        with self._lock:
            self._closed = True
            tester = self._current
        if tester is not None:
            tester.cancel()


def _cancelled() -> ConnectionTestCancelled:
    return ConnectionTestCancelled("The connection test was cancelled.")
