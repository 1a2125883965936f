"""Runs the Serve panel: builds it on first use, drives the worker's server, follows the form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from ..core.errors import InvalidInput

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from ..core.serve import ServeEvent
    from ..core.session import SessionConfig
    from .main_window import MainWindow
    from .serve_panel import ServeOptions, ServePanel
    from .serve_runner import (
        ServeDefaults,
        ServeSession,
        ServeSessionApplied,
        ServeStarted,
        ServeStartFailed,
    )
    from .worker import MintWorker

__all__ = ["SERVE_TAB_TITLE", "ServeLink"]

SERVE_TAB_TITLE = "Serve"
_LAST_VALID = "The form has problems; the server keeps minting the last valid session."


class ServeLink(QObject):
    """Between the Serve panel, the worker (which owns the server) and the window's form.

    Nothing of ``core.serve`` is imported on the GUI thread before the worker has loaded
    it: the panel is built when the View menu first shows it, and asks the worker to load
    the server stack then; the window's first paint loads neither.
    """

    loadServing = Signal()
    startServing = Signal(object)  # ServeStart
    stopServing = Signal(int)
    updateServing = Signal(object)  # ServeSession
    playgroundRequested = Signal()  # the panel's Open playground (ui/playground_opener.py)
    stateChanged = Signal(str)  # the panel's ServeState value, once the panel exists (tray)

    def __init__(self, window: MainWindow, worker: MintWorker, action: QAction) -> None:
        super().__init__(window)
        self._window = window
        self._action = action
        self._serving_profile: str | None = None  # a running server keeps its profile
        self._panel: ServePanel | None = None
        self._job_id = 0
        self._sent: ServeSession | None = None  # the session last sent to the server
        # The session the server is known to mint (for automation and tests).
        self.served_config: SessionConfig | None = None
        action.toggled.connect(self.set_shown)
        self.loadServing.connect(worker.load_serving)
        self.startServing.connect(worker.start_serving)
        self.stopServing.connect(worker.stop_serving)
        self.updateServing.connect(worker.update_serving)
        worker.serveReady.connect(self._on_ready)
        worker.serveStarted.connect(self._on_started)
        worker.serveFailed.connect(self._on_failed)
        worker.serveStopped.connect(self._on_stopped)
        worker.serveSessionApplied.connect(self._on_session_applied)
        worker.serveEvent.connect(self._on_event)
        window.refreshed.connect(self._on_form_refreshed)

    @property
    def built(self) -> ServePanel | None:
        """The panel if it has been built, else None (nothing is built)."""
        return self._panel

    @property
    def panel(self) -> ServePanel:
        """The Serve panel, built (as a tab of the request pane, hidden) on first use."""
        if self._panel is None:
            from .serve_panel import ServePanel

            pane = self._window.requestPane
            panel = ServePanel(pane)
            pane.setTabVisible(pane.addTab(panel, SERVE_TAB_TITLE), False)
            panel.startRequested.connect(self._on_start_requested)
            panel.stopRequested.connect(self._on_stop_requested)
            panel.message.connect(self._window.statusBar().showMessage)
            panel.playgroundRequested.connect(self.playgroundRequested)
            panel.stateChanged.connect(self.stateChanged)
            self._panel = panel
            self.loadServing.emit()
        return self._panel

    @Slot(bool)
    def set_shown(self, shown: bool) -> None:
        """Show the Serve tab and select it, or hide it (a running server keeps running)."""
        if self._action.isChecked() != shown:
            self._action.setChecked(shown)  # comes back here through toggled
            return
        if not shown and self._panel is None:
            return
        panel, pane = self.panel, self._window.requestPane
        pane.setTabVisible(pane.indexOf(panel), shown)
        if shown:
            pane.setCurrentWidget(panel)
            panel.serveToggle.setFocus()

    # -- from the panel -------------------------------------------------------------------
    @Slot(object)
    def _on_start_requested(self, options: ServeOptions) -> None:
        from .serve_runner import ServeSession, ServeStart  # only once serving is asked for

        panel, window = self.panel, self._window
        problems = window.problems()
        if problems:
            panel.show_failed(InvalidInput(problems))
            return
        session = ServeSession(window.session_config(), window.connection())
        self._job_id += 1
        self._sent = panel.served_session = session
        self._serving_profile = window.profile
        panel.show_starting()
        self.startServing.emit(
            ServeStart(
                self._job_id,
                session.config,
                session.connection,
                window.profile,
                options.port,
                options.origins,
                options.require_token,
            )
        )

    @Slot()
    def _on_stop_requested(self) -> None:
        self.panel.show_stopping()
        self.stopServing.emit(self._job_id)

    def stop_serving(self) -> None:
        """Stop the server as the panel's Stop serving does (the tray's Serve off)."""
        if self._panel is not None and self._panel.serving:
            self._on_stop_requested()

    # -- from the worker -----------------------------------------------------------------
    @Slot(object)
    def _on_ready(self, defaults: ServeDefaults) -> None:
        self.panel.show_defaults(defaults)

    @Slot(object)
    def _on_started(self, started: ServeStarted) -> None:
        if started.job_id != self._job_id:
            return
        self.served_config = self._sent.config if self._sent is not None else None
        self.panel.show_serving(started)
        self._follow_form()  # the form may have changed while the server was starting

    @Slot(object)
    def _on_failed(self, failed: ServeStartFailed) -> None:
        if failed.job_id in (0, self._job_id):  # 0: loading the server stack failed
            self.panel.show_failed(failed.error)

    @Slot(int)
    def _on_stopped(self, job_id: int) -> None:
        if job_id == self._job_id:
            self.served_config = self._sent = None
            self.panel.show_stopped()

    @Slot(object)
    def _on_session_applied(self, applied: ServeSessionApplied) -> None:
        if applied.error is not None:
            note = f"{_LAST_VALID} {applied.error.user_message}"
            self.panel.show_session_note(note, problem=True)
        elif self._sent is not None and applied.config == self._sent.config:
            self.served_config = applied.config
            self.panel.show_session_note("")

    @Slot(object)
    def _on_event(self, event: ServeEvent) -> None:
        if self._panel is not None:
            self._panel.add_event(event)

    def profile_changed(self, profile: str) -> None:
        """A running server keeps the profile it started with (its key); say so until restarted."""
        panel = self._panel
        if panel is None:
            return
        serving = self._serving_profile
        if panel.serving and serving is not None and serving != profile:
            note = (
                f"Serving with profile '{serving}' (its key and base URL) until restarted; "
                f"stop and start to serve with '{profile}'."
            )
        else:
            note = f"Serves with profile '{profile}' (its key and base URL)."
        panel.setToolTip(note)
        panel.serveToggle.setToolTip(f"Start or stop the local token endpoint. {note}")

    # -- from the form ---------------------------------------------------------------------
    @Slot(bool)
    def _on_form_refreshed(self, sendable: bool) -> None:
        panel = self._panel
        if panel is None or not panel.serving:
            return
        if not sendable:
            panel.show_session_note(_LAST_VALID, problem=True)
            return
        self._follow_form()

    def _follow_form(self) -> None:
        """Send the form's session to the server if it is valid and not the one served."""
        from .serve_runner import ServeSession

        window, panel = self._window, self.panel
        if window.problems():
            panel.show_session_note(_LAST_VALID, problem=True)
            return
        connection = window.connection()
        if self._sent is not None and self._serving_profile != window.profile:
            # The server holds the old profile's key: it keeps that profile's base URL too.
            connection = self._sent.connection
        session = ServeSession(window.session_config(), connection)
        if session == self._sent:
            if self.served_config == session.config:
                panel.show_session_note("")
            return
        self._sent = panel.served_session = session
        self.updateServing.emit(session)
