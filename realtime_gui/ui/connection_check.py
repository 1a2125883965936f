"""Test connection: a sibling secret opens a Realtime session; its outcome, below the secret."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import ConnectionTestCancelled, InvalidInput, RealtimeGuiError

if TYPE_CHECKING:
    from PySide6.QtGui import QShortcut

    from ..core.connection_test import ConnectionTestResult
    from ..core.credentials import KeyStatus
    from .banner import StatusBanner
    from .connection_worker import ConnectionTestFailed, ConnectionTestPassed, ConnectionTestWorker
    from .main_window import MainWindow
    from .worker import MintWorker
    from .worker_host import WorkerHost

__all__ = ["ConnectionCheck"]

# The same default as ``realtime-gui test --connect-timeout`` (core.connection_test), kept
# here so the window does not import the core module before a test is asked for.
_CONNECT_TIMEOUT = 15.0
# The window's close may hold the GUI thread 100 ms in all; the mint worker takes half.
_STOP_WAIT_MS = 25
_TIP = (
    "Mint a sibling secret with this form's session (the secret shown above stays unused: "
    "a secret opens one session only), open the Realtime WebSocket with it and wait for "
    "session.created (Ctrl+T)"
)


class ConnectionCheck(QGroupBox):
    """The Test connection button, an optional text to say, progress, and the outcome.

    The test runs on a worker and thread of its own (made on the first test), so a test
    that hangs until its timeout never holds up a mint, nor a mint the test. The key comes
    from the mint worker's KeyStore, the one a session-only key lives in.
    """

    runRequested = Signal(object)  # ConnectionTestJob

    def __init__(self, window: MainWindow, mint_worker: MintWorker) -> None:
        super().__init__("Connection test", window)
        self.setObjectName("connectionCheck")
        self.setAccessibleName("Connection test")
        self._window = window
        self._mint_worker = mint_worker
        self._host: WorkerHost[ConnectionTestWorker] | None = None
        self._job_id = 0
        self._running: int | None = None
        self._form_ok = False
        self._has_key = False
        self._closed = False
        self._banner: StatusBanner | None = None
        # The last outcome (for automation and tests).
        self.last_result: ConnectionTestResult | None = None
        self.last_error: RealtimeGuiError | None = None

        self.testConnectionButton = QPushButton("Test co&nnection", self)
        self.testConnectionButton.setObjectName("testConnectionButton")
        self.testConnectionButton.setAccessibleName("Test connection")
        self.testConnectionButton.setToolTip(_TIP)
        self.testSayInput = QLineEdit(self)
        self.testSayInput.setObjectName("testSayInput")
        self.testSayInput.setAccessibleName("Text to say after connecting")
        self.testSayInput.setPlaceholderText("Say (optional): a text message to send")
        self.testSayInput.setToolTip(
            "When set, the test sends this as a user message and shows the model's text reply"
        )
        self.testCancelButton = QPushButton("Cancel", self)
        self.testCancelButton.setObjectName("testCancelButton")
        self.testCancelButton.setToolTip("Cancel the connection test (Esc)")
        self.testCancelButton.setVisible(False)
        self.testProgress = QProgressBar(self)
        self.testProgress.setObjectName("testProgress")
        self.testProgress.setAccessibleName("Connection test in progress")
        self.testProgress.setRange(0, 0)  # busy: the test has no measurable progress
        self.testProgress.setMaximumHeight(6)
        self.testProgress.setTextVisible(False)
        self.testProgress.setVisible(False)
        self.testResultLabel = QLabel("", self)
        self.testResultLabel.setObjectName("testResultLabel")
        self.testResultLabel.setAccessibleName("Connection test result")
        self.testResultLabel.setWordWrap(True)
        self._escape: QShortcut | None = None  # made on the first test, with the label's flags

        row = QHBoxLayout()
        row.addWidget(self.testConnectionButton)
        row.addWidget(self.testSayInput, 1)
        row.addWidget(self.testCancelButton)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(self.testProgress)
        column.addWidget(self.testResultLabel)

        self.testConnectionButton.clicked.connect(self.start)
        self.testSayInput.returnPressed.connect(self.start)
        self.testCancelButton.clicked.connect(self.cancel)
        window.refreshed.connect(self._on_form_refreshed)
        mint_worker.keyStatusChanged.connect(self._on_key_status)
        self._update()

    def tab_order(self) -> list[QWidget]:
        return [self.testConnectionButton, self.testSayInput, self.testCancelButton]

    @property
    def is_testing(self) -> bool:
        return self._running is not None

    # -- state ----------------------------------------------------------------------------
    @Slot(bool)
    def _on_form_refreshed(self, valid: bool) -> None:
        self._form_ok = valid
        self._update()

    @Slot(object)
    def _on_key_status(self, status: KeyStatus) -> None:
        # A keyring that could not be asked (locked, say) may still have the key: the test
        # then asks it and names the problem if it fails. Only a definite "no key" disables.
        if status.profile != self._window.profile:  # about the profile before a switch
            return
        self._has_key = status.has_key or status.stored is None
        self._update()

    def _update(self) -> None:
        busy = self._running is not None
        ready = self._form_ok and self._has_key and not busy and not self._closed
        self.testConnectionButton.setEnabled(ready)
        self.testConnectionButton.setText("Testing…" if busy else "Test co&nnection")
        if busy or ready:
            tip = _TIP
        elif not self._has_key:
            tip = "Disabled: no API key (Set key…, Ctrl+K)"
        else:
            tip = "Disabled: the form has problems (see Mint)"
        self.testConnectionButton.setToolTip(tip)
        self.testCancelButton.setVisible(busy)
        self.testProgress.setVisible(busy)
        if self._escape is not None:
            self._escape.setEnabled(busy)

    def _first_use(self) -> None:
        # Not at start-up: the first Qt-namespace enum touched builds them all (about 12 ms
        # before the first paint, see menus.py), and most sessions never test.
        if self._escape is not None:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut

        label = self.testResultLabel
        label.setTextFormat(Qt.TextFormat.PlainText)  # a close reason is not markup
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._escape = QShortcut(QKeySequence("Esc"), self._window)  # window-wide by default
        self._escape.activated.connect(self.cancel)

    # -- running --------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Test the form's session; ignored while a test runs or when it cannot be sent."""
        if self._running is not None or self._closed:
            return
        self._first_use()
        if not self.testConnectionButton.isEnabled():
            problems = self._window.problems()
            if problems:  # the menu's Ctrl+T on an invalid form: say why, as Mint does
                self._show_failure(InvalidInput(problems))
            return
        from ..core.request import prepare  # cheap: already loaded by the form
        from .connection_worker import ConnectionTestJob

        window = self._window
        try:
            prepared = prepare(window.session_config(), window.connection())
        except InvalidInput as exc:
            self._show_failure(exc)
            return
        say = self.testSayInput.text().strip() or None
        self._job_id += 1
        self._running = self._job_id
        self._hide_own_banner()
        self.testResultLabel.setText("Minting a sibling secret and connecting…")
        window.statusBar().showMessage("Testing the connection…")
        self._update()
        self._worker_host()  # the thread starts on the first test, not with the window
        self.runRequested.emit(
            ConnectionTestJob(
                self._job_id, prepared, window.connection(), window.profile, say, _CONNECT_TIMEOUT
            )
        )

    def _worker_host(self) -> WorkerHost[ConnectionTestWorker]:
        if self._host is None:
            from .connection_worker import ConnectionTestWorker
            from .worker_host import WorkerHost

            worker = ConnectionTestWorker(self._mint_worker.key_store)
            worker.passed.connect(self._on_passed)
            worker.failed.connect(self._on_failed)
            self.runRequested.connect(worker.run)
            self._host = WorkerHost(worker, name="realtime-gui-connection-test")
            # Dropped without close(): the thread is still stopped (as app.py does for mint).
            self._window.destroyed.connect(self._host.request_stop)
        return self._host

    @Slot()
    def cancel(self) -> None:
        """Cancel the running test (Esc or Cancel); its outcome reads "Cancelled"."""
        if self._running is None or self._host is None:
            return
        self.testResultLabel.setText("Cancelling…")
        self._host.worker.cancel_job(self._running)

    @Slot(object)
    def _on_passed(self, outcome: ConnectionTestPassed) -> None:
        if outcome.job_id != self._running:
            return
        self._finish()
        result = outcome.result
        self.last_result, self.last_error = result, None
        self.testResultLabel.setText(describe_result(result))
        self._window.statusBar().showMessage(f"Connected in {result.connect_ms} ms", 4000)

    @Slot(object)
    def _on_failed(self, outcome: ConnectionTestFailed) -> None:
        if outcome.job_id != self._running:
            return
        self._finish()
        self._window.statusBar().clearMessage()
        if isinstance(outcome.error, ConnectionTestCancelled):
            self.testResultLabel.setText("Cancelled.")
            return
        self._show_failure(outcome.error)

    def _finish(self) -> None:
        self._running = None
        self._update()

    def _show_failure(self, error: RealtimeGuiError) -> None:
        self.last_result, self.last_error = None, error
        self.testResultLabel.setText("Failed: " + " ".join(error.lines()[:2]))
        self._banner = self._window.statusBanner
        self._banner.show_error(error)

    def _hide_own_banner(self) -> None:
        # Only a banner this test put up: a mint's error stays until the mint is redone.
        if self._banner is not None and self._banner.error is self.last_error:
            self._banner.hide()

    def shutdown(self) -> None:
        """The window closes: cancel a running test and stop the thread (waits 25 ms at most)."""
        self._closed = True
        self._update()
        if self._host is not None:
            self._host.stop(_STOP_WAIT_MS)


def describe_result(result: ConnectionTestResult) -> str:
    """Connected in N ms · sess_… · model, then the reply and any differences."""
    head = " · ".join(
        part
        for part in (f"Connected in {result.connect_ms} ms", result.session_id, result.model)
        if part
    )
    lines = [head]
    if result.reply is not None:
        lines.append(f"Reply: {result.reply}")
    differences = result.differences
    if differences:
        lines.append("Granted differently from what was asked: " + ", ".join(differences))
    else:
        lines.append("Granted as asked.")
    return "\n".join(lines)
