"""The Serve panel: start and stop the local token endpoint, its URL, token, origins and log."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import InvalidInput, NoApiKey, RealtimeGuiError
from ..core.snippets import SERVE_KINDS, render_for_serve
from .copy_as import fill_copy_as_menu, make_copy_as_button
from .serve_log import ServeLog
from .style import paint_error

if TYPE_CHECKING:
    from ..core.serve import ServeEvent
    from .serve_runner import ServeDefaults, ServeSession, ServeStarted

__all__ = ["DEFAULT_PANEL_PORT", "ServeOptions", "ServePanel", "ServeState"]

DEFAULT_PANEL_PORT = 8787  # core.serve.DEFAULT_PORT; not imported: it loads uvicorn
_SPLIT = re.compile(r"[\s,]+")


class ServeState(str, Enum):
    LOADING = "loading"  # the server stack is being imported on the worker
    STOPPED = "stopped"
    STARTING = "starting"
    SERVING = "serving"
    STOPPING = "stopping"


@dataclass(frozen=True)
class ServeOptions:
    """What the panel's inputs ask for; the session comes from the form."""

    port: int
    origins: tuple[str, ...]
    require_token: bool


def _hint_for(error: RealtimeGuiError) -> str | None:
    # The core's hints name command-line flags; the panel names its own controls.
    hints: Mapping[type[RealtimeGuiError], str] = {
        NoApiKey: "Use Set key… (Ctrl+K) to enter a key, or set OPENAI_API_KEY.",
    }
    for kind, hint in hints.items():
        if isinstance(error, kind):
            return hint
    if "already in use" in error.user_message:
        return "Stop what uses it, or pick another port (0 picks a free one)."
    return error.hint


def describe_error(error: RealtimeGuiError) -> str:
    """What failed, what the server said, and what to do: the core's words, no traceback."""
    lines = [error.user_message]
    if error.upstream is not None and (error.upstream.message or error.upstream.code):
        lines.append(f"Server said: {error.upstream.describe()}")
    hint = _hint_for(error)
    if hint:
        lines.append(hint)
    return "\n".join(lines)


def _named(widget: QWidget, name: str, accessible: str, tip: str) -> None:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setToolTip(tip)


class ServePanel(QWidget):
    """Inputs, state and log of the token server; the link (serve_link.py) runs it.

    Signals out: ``startRequested(ServeOptions)``, ``stopRequested()``, ``message``. In:
    ``show_defaults``, ``show_starting``, ``show_serving``, ``show_failed``,
    ``show_stopping``, ``show_stopped``, ``show_session_note`` and ``add_event``.
    """

    startRequested = Signal(object)  # ServeOptions
    stopRequested = Signal()
    playgroundRequested = Signal()  # Open playground (ui/playground_opener.py)
    stateChanged = Signal(str)  # a ServeState value
    message = Signal(str, int)  # status bar text and how long to show it (ms)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("servePanel")
        self.state = ServeState.LOADING
        # What the server mints with (the link sets it), for Copy as…: a value, not a
        # callback into the link, so the panel never keeps the window alive.
        self.served_session: ServeSession | None = None
        self.started: ServeStarted | None = None  # the running server's URL and token
        self._origins_ready = False
        self.serveToggle = QPushButton("Start serving", self)
        self.serveToggle.setCheckable(True)
        _named(self.serveToggle, "serveToggle", "Serve", "Start or stop the local token endpoint")
        self.serveToggle.clicked.connect(self._on_toggle_clicked)
        self.playgroundButton = QPushButton("Open playground", self)
        _named(
            self.playgroundButton,
            "playgroundButton",
            "Open playground",
            "Try the form's session in your browser, by voice or text: starts serving if "
            "needed and opens the playground page (Ctrl+Shift+P)",
        )
        self.playgroundButton.clicked.connect(self.playgroundRequested)
        self.servePortInput = QSpinBox(self)
        self.servePortInput.setRange(0, 65535)
        self.servePortInput.setValue(DEFAULT_PANEL_PORT)
        _named(
            self.servePortInput,
            "servePortInput",
            "Port",
            "Port on 127.0.0.1 to listen on; 0 picks any free port",
        )
        self.serveRequireToken = QCheckBox("Require token", self)
        _named(
            self.serveRequireToken,
            "serveRequireToken",
            "Require token",
            "Callers must send Authorization: Bearer <token>; a new random token is made "
            "each time serving starts",
        )
        self.serveUrlField = QLineEdit(self)
        self.serveUrlField.setReadOnly(True)
        self.serveUrlField.setPlaceholderText("Not serving")
        _named(self.serveUrlField, "serveUrlField", "Server URL", "Where prototypes fetch /token")
        self.serveCopyUrlButton = QPushButton("Copy", self)
        _named(self.serveCopyUrlButton, "serveCopyUrlButton", "Copy URL", "Copy the server URL")
        self.serveCopyUrlButton.clicked.connect(lambda: self._copy(self.serveUrlField, "URL"))
        self.serveCopyAsButton = make_copy_as_button(
            self,
            text="Copy as…",
            name="serveCopyAsButton",
            accessible="Copy serve snippet",
            tip="Copy code that fetches a fresh secret from this server on every run and "
            "connects with it; it holds no secret (a required token is left to fill in)",
        )
        fill_copy_as_menu(self.serveCopyAsButton, SERVE_KINDS).triggered.connect(self._on_copy_as)
        self.serveTokenField = QLineEdit(self)
        self.serveTokenField.setReadOnly(True)
        self.serveTokenField.setEchoMode(QLineEdit.EchoMode.Password)
        self.serveTokenField.setPlaceholderText("No token required")
        _named(
            self.serveTokenField,
            "serveTokenField",
            "Server token",
            "The bearer token callers must send (masked; Reveal shows it)",
        )
        self.serveRevealTokenButton = QPushButton("Reveal", self)
        self.serveRevealTokenButton.setCheckable(True)
        _named(
            self.serveRevealTokenButton,
            "serveRevealTokenButton",
            "Reveal token",
            "Show or hide the token",
        )
        self.serveRevealTokenButton.toggled.connect(self._toggle_reveal)
        self.serveCopyTokenButton = QPushButton("Copy", self)
        _named(self.serveCopyTokenButton, "serveCopyTokenButton", "Copy token", "Copy the token")
        self.serveCopyTokenButton.clicked.connect(lambda: self._copy(self.serveTokenField, "Token"))
        self.serveOriginsInput = QLineEdit(self)
        _named(
            self.serveOriginsInput,
            "serveOriginsInput",
            "Allowed origins",
            "Browser origins allowed to call the server, separated by commas: "
            "scheme://host[:port], '*' only as the port. Requests without an Origin "
            "header (curl, a server) are not affected",
        )
        self.serveOriginsInput.textChanged.connect(self._check_origins)
        self.serveOriginsError = QLabel(self)
        self.serveOriginsError.setObjectName("serveOriginsError")
        self.serveOriginsError.setWordWrap(True)
        self.serveOriginsError.hide()
        self.serveStatusLabel = QLabel(self)
        self.serveStatusLabel.setWordWrap(True)
        _named(self.serveStatusLabel, "serveStatusLabel", "Serve status", "What the server does")
        self.serveErrorLabel = QLabel(self)
        self.serveErrorLabel.setWordWrap(True)
        _named(self.serveErrorLabel, "serveErrorLabel", "Serve error", "Why serving failed")
        self.serveErrorLabel.hide()
        self.serveSessionLabel = QLabel(self)
        self.serveSessionLabel.setWordWrap(True)
        _named(
            self.serveSessionLabel,
            "serveSessionLabel",
            "Served session",
            "Which session the server mints: the form's, or the last valid one",
        )
        self.serveSessionLabel.hide()
        self.log = ServeLog(self)
        self.serveLogView = self.log.serveLogView
        self.serveCountersLabel = self.log.serveCountersLabel
        self._layout()
        self._show_state(ServeState.LOADING, "Loading the server…")

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.serveToggle)
        top.addWidget(self.playgroundButton)
        top.addWidget(QLabel("Port", self))
        top.addWidget(self.servePortInput)
        top.addWidget(self.serveRequireToken)
        top.addStretch(1)
        url_row = QHBoxLayout()
        url_row.addWidget(self.serveUrlField, 1)
        url_row.addWidget(self.serveCopyUrlButton)
        url_row.addWidget(self.serveCopyAsButton)
        token_row = QHBoxLayout()
        token_row.addWidget(self.serveTokenField, 1)
        token_row.addWidget(self.serveRevealTokenButton)
        token_row.addWidget(self.serveCopyTokenButton)
        origins = QVBoxLayout()
        origins.addWidget(self.serveOriginsInput)
        origins.addWidget(self.serveOriginsError)
        form = QFormLayout()
        form.addRow("URL", url_row)
        form.addRow("Token", token_row)
        form.addRow("Allowed origins", origins)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.serveStatusLabel)
        layout.addWidget(self.serveErrorLabel)
        layout.addWidget(self.serveSessionLabel)
        layout.addLayout(form)
        layout.addWidget(self.log, 1)

    def tab_order(self) -> list[QWidget]:
        return [
            self.serveToggle,
            self.playgroundButton,
            self.servePortInput,
            self.serveRequireToken,
            self.serveUrlField,
            self.serveCopyUrlButton,
            self.serveCopyAsButton,
            self.serveTokenField,
            self.serveRevealTokenButton,
            self.serveCopyTokenButton,
            self.serveOriginsInput,
            self.serveLogView,
        ]

    @property
    def serving(self) -> bool:
        return self.state is ServeState.SERVING

    # -- methods in ----------------------------------------------------------------------
    def show_defaults(self, defaults: ServeDefaults) -> None:
        """The server stack is loaded: fill the default origins and allow starting."""
        self._origins_ready = True  # core.serve is imported now: parsing origins is cheap
        if not self.serveOriginsInput.text():
            self.serveOriginsInput.setText(", ".join(defaults.origins))
        self._check_origins()
        if self.state is ServeState.LOADING:
            self._show_state(ServeState.STOPPED, "Not serving.")

    def show_starting(self) -> None:
        self.serveErrorLabel.hide()
        self._show_state(ServeState.STARTING, "Starting…")

    def show_serving(self, started: ServeStarted) -> None:
        self.started = started
        self.serveUrlField.setText(started.url)
        self.serveTokenField.setText(started.token or "")
        self._show_state(ServeState.SERVING, f"Serving the form's session at {started.url}/token")

    def show_failed(self, error: RealtimeGuiError) -> None:
        """Serving could not start: the core's message and what to do, in the panel."""
        self.serveErrorLabel.setText(describe_error(error))
        paint_error(self.serveErrorLabel)
        self.serveErrorLabel.show()
        self._clear_address()
        self._show_state(ServeState.STOPPED, "Not serving.")

    def show_stopping(self) -> None:
        self._show_state(ServeState.STOPPING, "Stopping…")

    def show_stopped(self) -> None:
        self._clear_address()
        self.show_session_note("")
        self._show_state(ServeState.STOPPED, "Not serving.")

    def show_session_note(self, text: str, *, problem: bool = False) -> None:
        """Which session is served; ``problem`` when the form's own could not be."""
        self.serveSessionLabel.setText(text)
        self.serveSessionLabel.setProperty("problem", problem)
        if problem:
            paint_error(self.serveSessionLabel)
        else:
            self.serveSessionLabel.setStyleSheet("")
        self.serveSessionLabel.setVisible(bool(text))

    def add_event(self, event: ServeEvent) -> None:
        self.log.add_event(event)

    # -- inside ------------------------------------------------------------------------
    def _show_state(self, state: ServeState, text: str) -> None:
        self.state = state
        self.serveStatusLabel.setText(text)
        self.stateChanged.emit(state.value)
        busy = state in (ServeState.LOADING, ServeState.STARTING, ServeState.STOPPING)
        self.serveToggle.setEnabled(not busy)
        on = state in (ServeState.STARTING, ServeState.SERVING)
        self.serveToggle.setChecked(on)
        self.serveToggle.setText("Stop serving" if on else "Start serving")
        # The policy and the port are fixed while a server runs: stop, edit, start again.
        editable = state is ServeState.STOPPED
        for widget in (self.servePortInput, self.serveRequireToken, self.serveOriginsInput):
            widget.setEnabled(editable)
        self.serveCopyAsButton.setEnabled(state is ServeState.SERVING)

    def _clear_address(self) -> None:
        self.started = None
        self.serveUrlField.clear()
        self.serveTokenField.clear()

    @Slot(bool)
    def _on_toggle_clicked(self, checked: bool) -> None:
        if not checked:
            self.serveToggle.setChecked(True)  # until the server has really stopped
            self.stopRequested.emit()
            return
        self.request_start()

    def request_start(self) -> bool:
        """Ask to serve with the panel's options, as Start serving does; False if invalid."""
        origins = self._check_origins()
        if origins is None:
            self.serveToggle.setChecked(False)
            self.serveOriginsInput.setFocus()
            return False
        self.startRequested.emit(
            ServeOptions(self.servePortInput.value(), origins, self.serveRequireToken.isChecked())
        )
        return True

    def origin_entries(self) -> tuple[str, ...]:
        return tuple(part for part in _SPLIT.split(self.serveOriginsInput.text()) if part)

    @Slot()
    def _check_origins(self) -> tuple[str, ...] | None:
        """The origins typed, or None with the reason shown under the input."""
        if not self._origins_ready:
            return None
        from ..core.serve.policy import parse_origin

        entries = self.origin_entries()
        try:
            for entry in entries:
                parse_origin(entry)
        except InvalidInput as exc:
            self.serveOriginsError.setText(
                "; ".join(problem.message for problem in exc.problems) or str(exc)
            )
            paint_error(self.serveOriginsError)
            self.serveOriginsError.show()
            return None
        self.serveOriginsError.hide()
        self.serveOriginsError.clear()
        return entries

    @Slot(QAction)
    def _on_copy_as(self, action: QAction) -> None:
        self.copy_as(str(action.data()))

    def copy_as(self, kind: str) -> None:
        """Copy the serve snippet ``kind`` for the running server (it carries no secret)."""
        served = self.served_session
        if not self.serving or served is None or not self.serveUrlField.text():
            return
        try:
            text = render_for_serve(
                kind,
                self.serveUrlField.text(),
                served.connection,
                served.config.api,
                model=served.config.model,
                token_required=bool(self.serveTokenField.text()),
            )
        except InvalidInput as exc:
            self.message.emit(describe_error(exc).replace("\n", " "), 6000)
            return
        QGuiApplication.clipboard().setText(text)
        self.message.emit("Snippet copied to the clipboard (it holds no secret)", 3000)

    def _copy(self, field: QLineEdit, what: str) -> None:
        if field.text():
            QGuiApplication.clipboard().setText(field.text())
            self.message.emit(f"{what} copied to the clipboard", 3000)

    @Slot(bool)
    def _toggle_reveal(self, shown: bool) -> None:
        self.serveTokenField.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.serveRevealTokenButton.setText("Hide" if shown else "Reveal")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for label in (self.serveErrorLabel, self.serveOriginsError):
                paint_error(label)
            if self.serveSessionLabel.property("problem"):
                paint_error(self.serveSessionLabel)
