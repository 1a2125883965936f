"""Open playground: start serving the form's session if needed, then open the browser at it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from .main_window import MainWindow
    from .serve_link import ServeLink
    from .serve_panel import ServePanel
    from .serve_runner import ServeStarted

__all__ = ["PlaygroundOpener", "playground_url"]

# ServeState values, by value: importing serve_panel here would load it at window start.
_SERVING, _STOPPED = "serving", "stopped"


def playground_url(started: ServeStarted) -> str:
    """The page's address; a required token rides in the fragment, which is never sent."""
    url = started.url + "/"
    return url + "#token=" + started.token if started.token else url


class PlaygroundOpener(QObject):
    """The View menu's Open playground and the Serve panel's ``playgroundButton``.

    Serving starts the way the panel's Start serving does (its port, origins and token
    choice, the form's session); the browser opens once the server listens. ``open_url``
    is what opens it (``QDesktopServices.openUrl``): tests put a recorder there.
    """

    def __init__(
        self,
        window: MainWindow,
        link: ServeLink,
        action: QAction,
        *,
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(window)
        self._window, self._link = window, link
        self.open_url = open_url
        self._pending = False  # Open playground was asked for and the server is not up yet
        self._asked = False  # this opener asked the panel to start serving
        self._watched: ServePanel | None = None
        action.triggered.connect(self.open)
        link.playgroundRequested.connect(self.open)

    @Slot()
    def open(self) -> None:
        panel = self._link.panel  # built on first use; it loads the server stack itself
        if self._watched is not panel:
            panel.stateChanged.connect(self._on_state)
            self._watched = panel
        self._link.set_shown(True)
        if panel.serving and panel.started is not None:
            self._open(panel.started)
            return
        self._pending = True
        self._status("Starting the token server for the playground…")
        if panel.state.value == _STOPPED:
            self._start(panel)
        # Loading, starting or stopping: _on_state goes on when the panel gets there.

    def _start(self, panel: ServePanel) -> None:
        self._asked = True
        if not panel.request_start():  # the allowed origins need fixing first
            self._pending = self._asked = False
            self._status("Fix the allowed origins in the Serve tab, then open the playground.")

    @Slot(str)
    def _on_state(self, state: str) -> None:
        panel = self._watched
        if not self._pending or panel is None:
            return
        if state == _SERVING and panel.started is not None:
            self._pending = self._asked = False
            self._open(panel.started)
        elif state == _STOPPED:
            if self._asked:  # the start this opener asked for failed: the panel says why
                self._pending = self._asked = False
                self._status("The playground needs the token server; see the Serve tab.")
            else:  # the stack has loaded, or an earlier server has stopped: start now
                self._start(panel)

    def _open(self, started: ServeStarted) -> None:
        shown = started.url + "/"  # never the token: the status bar is not a secret store
        if self.open_url(QUrl(playground_url(started))):
            self._status(f"Opened the playground at {shown} in your browser.")
        else:
            token = " and add #token= with the token from the Serve tab" if started.token else ""
            self._status(f"Could not open a browser; open {shown} yourself{token}.")

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)
