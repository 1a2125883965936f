"""One window per user and config folder: a second launch raises the first one's window."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCryptographicHash,
    QDir,
    QLockFile,
    QObject,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from ..core.paths import config_dir

__all__ = [
    "ALREADY_RUNNING",
    "CONNECT_TIMEOUT_MS",
    "RAISED_NOTE",
    "HandedOff",
    "InstanceServer",
    "claim_instance",
    "raise_window",
    "server_name",
]

ALREADY_RUNNING = "realtime-gui is already running; raised its window."
RAISED_NOTE = "realtime-gui: a second launch raised this window."
# A running instance answers within milliseconds; these only bound a hung or dying one.
CONNECT_TIMEOUT_MS = 500
ANSWER_TIMEOUT_MS = 2000
HAND_OFF_WAIT_S = 5.0  # how long a launch waits for a starting instance to listen
_RAISE = b"raise\n"
_RAISED = b"raised\n"


def server_name(env: Mapping[str, str]) -> str:
    """The local socket's name: per user and per resolved config folder, so test runs with
    their own REALTIME_GUI_CONFIG_DIR (and other users) never meet."""
    # The user id on Unix (no passwd lookup, which may not exist in a container); the
    # login name on Windows, where local sockets are named pipes in a per-machine space.
    getuid = getattr(os, "getuid", None)
    user = str(getuid()) if getuid is not None else os.environ.get("USERNAME", "")
    folder = str(config_dir(env).resolve())
    # A short name: on Unix it becomes a socket path, limited to about 100 bytes.
    # Qt's SHA-256: hashlib would load OpenSSL's bindings before the window (2 ms).
    key = QByteArray(f"{user}\0{folder}".encode())
    digest = QCryptographicHash.hash(key, QCryptographicHash.Algorithm.Sha256).toHex()
    return f"realtime-gui-{bytes(digest.data()).decode()[:24]}"


def raise_window(window: QWidget) -> None:
    """Bring the window to the front: un-hide it (from the tray), un-minimise it, focus it."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()


def _raise_and_say(window: QWidget) -> None:
    raise_window(window)
    # One line for whoever watches this process (and the single-instance tests).
    sys.stderr.write(RAISED_NOTE + "\n")
    sys.stderr.flush()


def _hand_off(name: str) -> bool | None:
    """Ask a running instance to raise its window: True when it did, None when none runs,
    False when one is there but did not answer in time."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return None
    socket.write(_RAISE)
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    answer = b""
    # Bounded in size as in time: the answer is one short line.
    while b"\n" not in answer and len(answer) < 64:
        if not socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
            break
        answer += bytes(socket.readAll().data())
    socket.abort()
    return answer == _RAISED


class InstanceServer(QObject):
    """Listens for later launches; ``raiseRequested`` asks the window to come forward."""

    raiseRequested = Signal()

    def __init__(self, server: QLocalServer, lock: QLockFile) -> None:
        super().__init__(server)
        self._server = server
        self._lock = lock  # released when this object goes, with the server
        server.newConnection.connect(self._on_connection)

    @property
    def name(self) -> str:
        return self._server.serverName()

    def close(self) -> None:
        self._server.close()
        self._lock.unlock()

    def raise_on_request(self, window: QWidget) -> None:
        """Raise ``window`` (un-hiding it from the tray) whenever a later launch asks."""
        self.raiseRequested.connect(lambda: _raise_and_say(window))

    @Slot()
    def _on_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            # A client that connects and never speaks is dropped, not kept forever.
            QTimer.singleShot(ANSWER_TIMEOUT_MS, socket, socket.abort)
            socket.readyRead.connect(lambda socket=socket: self._on_ready_read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == _RAISE:
            self.raiseRequested.emit()
            socket.write(_RAISED)
            socket.flush()
        socket.disconnectFromServer()


@dataclass(frozen=True)
class HandedOff:
    """Another instance runs: print ``message`` on stderr and exit with ``status``."""

    message: str
    status: int


def claim_instance(env: Mapping[str, str]) -> InstanceServer | HandedOff | None:
    """Become the instance for this user and config folder, or hand off to the running one.

    Who is the instance is decided by a lock file, not by the socket: with owner-only
    access Qt binds the socket elsewhere and renames it into place, so two launches at
    once could both listen. The lock is taken atomically, and a crashed holder's lock is
    stale (its process is gone), so the next launch takes it over and replaces the
    socket. None when the socket cannot be made: the window opens anyway.
    """
    name = server_name(env)
    lock = QLockFile(str(Path(QDir.tempPath()) / f"{name}.lock"))
    # Held for the instance's whole life: never stale by age, only when its process is gone.
    lock.setStaleLockTime(0)
    deadline = time.monotonic() + HAND_OFF_WAIT_S
    while not lock.tryLock(0):
        if lock.error() != QLockFile.LockError.LockFailedError:
            return None  # the lock cannot be written at all (permissions): no instance
        # The holder takes the lock just before it listens: give it a moment to be there.
        handed = _hand_off(name)
        if handed:
            return HandedOff(ALREADY_RUNNING, 0)
        if handed is False or time.monotonic() > deadline:
            return HandedOff("realtime-gui is already running but did not answer; try again.", 1)
        time.sleep(0.05)
    QLocalServer.removeServer(name)  # the socket of an instance that crashed, if any
    server = QLocalServer()
    # Only this user may connect (on Unix the socket file is made owner-only).
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if not server.listen(name):
        server.deleteLater()
        lock.unlock()
        return None
    return InstanceServer(server, lock)
