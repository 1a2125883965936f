"""One window per user and config folder: a second launch raises the first one's window."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCryptographicHash,
    QDir,
    QLockFile,
    QObject,
    QSocketNotifier,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QWidget

from ..core.paths import config_dir

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

# Unix and macOS: a Unix socket from Python's own socket module, watched by a
# QSocketNotifier; QtNetwork (2.9 MiB resident, ≈ 5 ms to import) stays unloaded. Windows
# has no such socket in every Python, so there QLocalServer (a named pipe) is used.
_UNIX = os.name == "posix"

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


def socket_path(name: str) -> Path:
    """Where the Unix socket lives: the temporary folder, as QLocalServer would put it."""
    return Path(QDir.tempPath()) / name


def _hand_off(name: str) -> bool | None:
    """Ask a running instance to raise its window: True when it did, None when none runs,
    False when one is there but did not answer in time."""
    return _hand_off_unix(name) if _UNIX else _hand_off_qt(name)


def _hand_off_unix(name: str) -> bool | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            client.connect(str(socket_path(name)))
        except OSError:  # no socket, or nobody listening on it
            return None
        client.settimeout(ANSWER_TIMEOUT_MS / 1000)
        answer = b""
        try:
            client.sendall(_RAISE)
            # Bounded in size as in time: the answer is one short line.
            while b"\n" not in answer and len(answer) < 64:
                chunk = client.recv(64)
                if not chunk:
                    break
                answer += chunk
        except OSError:  # a timeout, or the instance went away mid-answer
            pass
        return answer == _RAISED
    finally:
        client.close()


def _hand_off_qt(name: str) -> bool | None:
    from PySide6.QtNetwork import QLocalSocket

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

    def __init__(self, name: str, lock: QLockFile) -> None:
        super().__init__()
        self._name = name
        self._lock = lock  # held for the instance's whole life

    @property
    def name(self) -> str:
        return self._name

    def close(self) -> None:
        """Stop listening and let the next launch be the instance (the socket and lock go)."""
        self._stop()
        self._lock.unlock()

    def _stop(self) -> None:
        raise NotImplementedError

    def raise_on_request(self, window: QWidget) -> None:
        """Raise ``window`` (un-hiding it from the tray) whenever a later launch asks."""
        self.raiseRequested.connect(lambda: _raise_and_say(window))

    def _answer(self, line: bytes) -> bytes | None:
        """What to send back for one request line (None: nothing, hang up)."""
        if line != _RAISE:
            return None
        self.raiseRequested.emit()
        return _RAISED


class _UnixInstanceServer(InstanceServer):
    """A listening Unix socket watched by QSocketNotifiers on the GUI thread (no QtNetwork)."""

    def __init__(self, name: str, lock: QLockFile, listener: socket.socket) -> None:
        super().__init__(name, lock)
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_connection)
        self._clients: dict[int, tuple[socket.socket, QSocketNotifier, bytearray]] = {}
        self._next_id = 0

    def _stop(self) -> None:
        self._notifier.setEnabled(False)
        for client_id in list(self._clients):
            self._drop(client_id)
        self._listener.close()
        socket_path(self._name).unlink(missing_ok=True)

    @Slot()
    def _on_connection(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # nothing more to accept now (or the listener is closed)
                return
            client.setblocking(False)
            self._next_id += 1
            client_id = self._next_id
            notifier = QSocketNotifier(client.fileno(), QSocketNotifier.Type.Read, self)
            notifier.activated.connect(lambda *_, c=client_id: self._on_ready_read(c))
            self._clients[client_id] = (client, notifier, bytearray())
            # A client that connects and never speaks is dropped, not kept forever.
            QTimer.singleShot(ANSWER_TIMEOUT_MS, self, lambda c=client_id: self._drop(c))

    def _on_ready_read(self, client_id: int) -> None:
        entry = self._clients.get(client_id)
        if entry is None:
            return
        client, _, buffer = entry
        try:
            chunk = client.recv(64)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        buffer += chunk
        if chunk and b"\n" not in buffer and len(buffer) < 64:
            return  # the rest of the line is still on its way
        answer = self._answer(bytes(buffer[: buffer.find(b"\n") + 1]))
        if answer is not None:
            with contextlib.suppress(OSError):  # the launch gave up waiting
                client.send(answer)  # a few bytes into an empty socket buffer: never blocks
        self._drop(client_id)

    def _drop(self, client_id: int) -> None:
        entry = self._clients.pop(client_id, None)
        if entry is not None:
            client, notifier, _ = entry
            notifier.setEnabled(False)  # before the descriptor closes under it
            notifier.deleteLater()
            client.close()


class _QtInstanceServer(InstanceServer):
    """QLocalServer (a named pipe on Windows)."""

    def __init__(self, name: str, lock: QLockFile, server: QLocalServer) -> None:
        super().__init__(name, lock)
        server.setParent(self)
        self._server = server
        server.newConnection.connect(self._on_connection)

    def _stop(self) -> None:
        self._server.close()

    @Slot()
    def _on_connection(self) -> None:
        while (client := self._server.nextPendingConnection()) is not None:
            # A client that connects and never speaks is dropped, not kept forever.
            QTimer.singleShot(ANSWER_TIMEOUT_MS, client, client.abort)
            client.readyRead.connect(lambda client=client: self._on_ready_read(client))
            client.disconnected.connect(client.deleteLater)

    def _on_ready_read(self, client: QLocalSocket) -> None:
        if not client.canReadLine():
            return
        answer = self._answer(bytes(client.readLine().data()))
        if answer is not None:
            client.write(answer)
            client.flush()
        client.disconnectFromServer()


@dataclass(frozen=True)
class HandedOff:
    """Another instance runs: print ``message`` on stderr and exit with ``status``."""

    message: str
    status: int


def claim_instance(env: Mapping[str, str]) -> InstanceServer | HandedOff | None:
    """Become the instance for this user and config folder, or hand off to the running one.

    Who is the instance is decided by a lock file, not by the socket: binding a socket
    over a stale one, or Qt's owner-only socket (bound elsewhere and renamed into place),
    would let two launches at once both listen. The lock is taken atomically, and a
    crashed holder's lock is stale (its process is gone), so the next launch takes it over
    and replaces the socket. None when the socket cannot be made: the window opens anyway.
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
    return _listen_unix(name, lock) if _UNIX else _listen_qt(name, lock)


def _listen_unix(name: str, lock: QLockFile) -> InstanceServer | None:
    path = socket_path(name)
    path.unlink(missing_ok=True)  # the socket of an instance that crashed: we hold the lock
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Only this user may connect: the socket file is born owner-only (no chmod window).
    previous = os.umask(0o177)
    try:
        listener.bind(str(path))
        listener.listen(8)
    except OSError:
        listener.close()
        lock.unlock()
        return None
    finally:
        os.umask(previous)
    listener.setblocking(False)
    return _UnixInstanceServer(name, lock, listener)


def _listen_qt(name: str, lock: QLockFile) -> InstanceServer | None:
    from PySide6.QtNetwork import QLocalServer

    QLocalServer.removeServer(name)  # the socket of an instance that crashed, if any
    server = QLocalServer()
    # Only this user may connect.
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if not server.listen(name):
        server.deleteLater()
        lock.unlock()
        return None
    return _QtInstanceServer(name, lock, server)
