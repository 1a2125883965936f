"""The tray icon: Mint & copy with a countdown, presets, Serve, Show window, Keep running, Quit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Slot
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from ..core.errors import InvalidInput, RealtimeGuiError
from .single_instance import raise_window

if TYPE_CHECKING:
    from ..core.expiry import Deadline
    from ..core.presets import Preset
    from .main_window import MainWindow
    from .worker import MintFailed, MintJob, MintSucceeded, MintWorker

__all__ = ["KEEP_RUNNING_KEY", "TRAY_TICK_MS", "WindowTray"]

KEEP_RUNNING_KEY = "tray/keep_running"
TRAY_TICK_MS = 1000  # the tooltip shows whole seconds
IDLE_TIP = "realtime-gui"
# ServeState values, by value: importing serve_panel here would load it with the tray.
_STOPPED, _STARTING, _SERVING, _STOPPING = "stopped", "starting", "serving", "stopping"
_Reason = QSystemTrayIcon.ActivationReason


class WindowTray(QObject):
    """The window's tray icon and its menu; built after the window's first paint.

    Mint & copy goes through the window's own mint (``window.mint()``): the result shows
    in the window as usual, then the secret goes on the clipboard the way Copy puts it
    there (cleared at expiry), and the tooltip counts down. Closing the window only hides
    it while "Keep running in the tray when closed" is on (``hide_instead_of_close``).
    """

    def __init__(
        self,
        window: MainWindow,
        *,
        worker: MintWorker,
        icon: QIcon,
        settings: QSettings,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._last_job: MintJob | None = None  # the window's latest mint request
        self._awaited: int | None = None  # the job whose secret Mint & copy copies
        self._deadline: Deadline | None = None
        self._serve_wanted = False  # Serve was switched on here and is not up yet
        self._serve_asked = False  # this tray asked the panel to start
        self._quitting = False
        self._told_hidden = False
        self._hidden_here = False  # a close hid the window (it has not closed for real)
        self._presets: dict[str, Preset] = {}
        self._ticker = QTimer(self)
        self._ticker.setInterval(TRAY_TICK_MS)
        self._ticker.timeout.connect(self._tick)

        self.trayIcon = QSystemTrayIcon(icon, self)
        self.trayIcon.setObjectName("trayIcon")
        self.trayIcon.setToolTip(IDLE_TIP)
        self._build_menu()
        self.trayIcon.setContextMenu(self.trayMenu)
        self.trayIcon.activated.connect(self._on_activated)

        window.mintRequested.connect(self._on_mint_requested)
        worker.minted.connect(self._on_minted)
        worker.failed.connect(self._on_failed)
        window.serveLink.stateChanged.connect(self._on_serve_state)
        # File > Quit really quits too (rather than closing, which may only hide).
        window.menus.quitAction.triggered.disconnect(window.close)
        window.menus.quitAction.triggered.connect(self.quit)
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):
            # The session is ending: let the window close for real, and save it.
            app.commitDataRequest.connect(self._on_session_end)
            app.aboutToQuit.connect(self._on_about_to_quit)
        self.trayIcon.show()

    def _build_menu(self) -> None:
        window = self._window
        self.trayMenu = menu = QMenu(window)
        menu.setObjectName("trayMenu")
        self.trayMintAction = self._action("Mint && copy", "trayMintAction", self.mint_and_copy)
        self.trayMintAction.setToolTip(
            "Mint with the window's profile and form, copy the secret (cleared at expiry)"
        )
        self.trayPresetsMenu = QMenu("&Presets", menu)
        self.trayPresetsMenu.setObjectName("trayPresetsMenu")
        self.trayPresetsMenu.setToolTipsVisible(True)
        self.trayPresetsMenu.aboutToShow.connect(self.refresh_presets)
        self.trayPresetsMenu.triggered.connect(self._on_preset_chosen)
        self.trayServeAction = self._action("&Serve", "trayServeAction", None)
        self.trayServeAction.setCheckable(True)
        self.trayServeAction.setToolTip("Start or stop the local token endpoint (Serve tab)")
        self.trayServeAction.triggered.connect(self.set_serving)
        self.trayShowAction = self._action("Show &window", "trayShowAction", self.show_window)
        self.trayQuitAction = self._action("&Quit", "trayQuitAction", self.quit)
        keep = self.keepInTrayAction = window.menus.keepInTrayAction
        keep.setChecked(_as_bool(self._settings.value(KEEP_RUNNING_KEY, False)))
        keep.setEnabled(True)
        keep.setToolTip("Closing the window hides it; Quit (tray or File menu) ends the app")
        keep.toggled.connect(self._on_keep_toggled)

        menu.addAction(self.trayMintAction)
        menu.addMenu(self.trayPresetsMenu)
        menu.addAction(self.trayServeAction)
        menu.addSeparator()
        menu.addAction(self.trayShowAction)
        menu.addAction(keep)
        menu.addSeparator()
        menu.addAction(self.trayQuitAction)

    def _action(self, text: str, name: str, slot: Callable[[], None] | None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    # -- Mint & copy -------------------------------------------------------------------
    @Slot()
    def mint_and_copy(self) -> None:
        """Mint as the window's Mint does, then copy the secret when it arrives."""
        window = self._window
        problems = [] if window.is_minting else window.problems()
        window.mint()  # a form problem shows in the banner and focuses the field, as usual
        if window.is_minting and self._last_job is not None:
            self._awaited = self._last_job.job_id  # also a mint already in flight
        elif problems:
            self._notify_failure(InvalidInput(problems))

    @Slot(object)
    def _on_mint_requested(self, job: MintJob) -> None:
        self._last_job = job

    @Slot(object)
    def _on_minted(self, outcome: MintSucceeded) -> None:
        if outcome.job_id != self._awaited:
            return
        self._awaited = None
        from ..core.expiry import Deadline

        # The window has shown this secret already (its slot ran first): Copy copies it,
        # and the view clears the clipboard at expiry if the secret is still there.
        self._window.secretView.copy_secret()
        self._deadline = Deadline.from_expiry(outcome.secret.expires_at)
        self._tick()
        self._ticker.start()

    @Slot(object)
    def _on_failed(self, outcome: MintFailed) -> None:
        if outcome.job_id != self._awaited:
            return
        self._awaited = None
        self._notify_failure(outcome.error)

    def _notify_failure(self, error: RealtimeGuiError) -> None:
        # The user message and the upstream code never hold a secret (core/errors.py); the
        # server's full words are in the window's banner.
        text = error.user_message
        code = error.upstream.code if error.upstream is not None else None
        if code:
            text = f"{text}\nServer code: {code}"
        self.trayIcon.showMessage("Mint failed", text, QSystemTrayIcon.MessageIcon.Warning, 8000)

    @Slot()
    def _tick(self) -> None:
        # Recomputed from the deadline on every tick, like the window's countdown.
        from ..core.expiry import format_remaining

        if self._deadline is None:
            return
        remaining = self._deadline.remaining()
        if remaining > 0:
            self.trayIcon.setToolTip(f"Secret expires in {format_remaining(remaining)}")
        else:
            self.trayIcon.setToolTip("Secret expired")
            self._ticker.stop()

    # -- presets -------------------------------------------------------------------------
    @Slot()
    def refresh_presets(self) -> None:
        """List the built-in and saved presets afresh (called as the submenu opens).

        From the preset combo's own folder, so the two never list different presets.
        """
        listing = self._window.presetBar.store.list()
        menu = self.trayPresetsMenu
        menu.clear()
        self._presets = {preset.name: preset for preset in listing.presets}
        for preset in listing.presets:
            action = menu.addAction(preset.name)
            action.setData(preset.name)
            action.setToolTip("Built-in preset" if preset.built_in else str(preset.path))
        if listing.problems:
            note = menu.addAction(f"{len(listing.problems)} preset file(s) could not be read")
            note.setEnabled(False)
            note.setToolTip("\n".join(listing.problems))

    @Slot(QAction)
    def _on_preset_chosen(self, action: QAction) -> None:
        preset = self._presets.get(str(action.data()))
        if preset is not None:
            self.load_preset(preset)

    def load_preset(self, preset: Preset) -> None:
        """Choose ``preset`` in the window's preset combo, which loads it into the form.

        Through the combo, so the mint records the preset and "modified" follows the form.
        """
        self._window.presetBar.choose(preset.name)
        self._window.statusBar().showMessage(f"Loaded preset {preset.name}", 4000)

    # -- Serve -----------------------------------------------------------------------------
    @Slot(bool)
    def set_serving(self, on: bool) -> None:
        """Start serving the form's session as the Serve tab does, or stop serving."""
        link = self._window.serveLink
        panel = link.panel  # built on first use; it loads the server stack on the worker
        self._serve_wanted = on
        if on and panel.state.value == _STOPPED:
            self._start_serving()
        elif not on:
            self._serve_asked = False
            link.stop_serving()
        # Loading: _on_serve_state starts once the stack is there.
        self._on_serve_state(panel.state.value)

    def _start_serving(self) -> None:
        self._serve_asked = True
        if not self._window.serveLink.panel.request_start():  # origins need fixing first
            self._serve_wanted = self._serve_asked = False
            self._notify_serve("Fix the allowed origins in the Serve tab, then start serving.")

    @Slot(str)
    def _on_serve_state(self, state: str) -> None:
        if state == _SERVING:
            self._serve_wanted = self._serve_asked = False
        elif state == _STOPPED and self._serve_wanted:
            if self._serve_asked:  # the start asked for here failed: the panel says why
                self._serve_wanted = self._serve_asked = False
                self._notify_serve(self._window.serveLink.panel.serveErrorLabel.text())
            else:  # the server stack has just loaded
                self._start_serving()
                return
        action = self.trayServeAction
        action.setChecked(self._serve_wanted or state in (_STARTING, _SERVING))
        action.setEnabled(state not in (_STARTING, _STOPPING))

    def _notify_serve(self, text: str) -> None:
        self.trayIcon.showMessage(
            "Serving failed", text or "See the Serve tab.", QSystemTrayIcon.MessageIcon.Warning
        )

    # -- the window, keep running, quit ------------------------------------------------------
    @Slot()
    def show_window(self) -> None:
        raise_window(self._window)

    @Slot(_Reason)
    def _on_activated(self, reason: _Reason) -> None:
        if reason in (_Reason.Trigger, _Reason.DoubleClick):
            self.show_window()

    @Slot(bool)
    def _on_keep_toggled(self, keep: bool) -> None:
        self._settings.setValue(KEEP_RUNNING_KEY, keep)
        self._settings.sync()

    def hide_instead_of_close(self) -> bool:
        """True (and the window hidden) when a close should leave the app in the tray."""
        if self._quitting or not self.keepInTrayAction.isChecked():
            return False
        if not self.trayIcon.isVisible():
            return False
        self._window.hide()
        self._hidden_here = True
        if not self._told_hidden:
            self._told_hidden = True
            self.trayIcon.showMessage(
                "realtime-gui keeps running",
                "Secrets keep counting down here. Quit from this menu ends the app.",
                QSystemTrayIcon.MessageIcon.Information,
                5000,
            )
        return True

    @Slot()
    def quit(self) -> None:
        """Close the window for real (settings saved, workers stopped) and end the app."""
        self._quitting = True
        self._window.close()
        self.trayIcon.hide()
        QApplication.quit()

    @Slot()
    def _on_session_end(self) -> None:
        self._quitting = True

    @Slot()
    def _on_about_to_quit(self) -> None:
        # Quit while hidden in the tray (a session end, a signal): the window never got its
        # close, so it closes now, saving its state and stopping its workers.
        self._quitting = True
        if self._hidden_here and self._window.isHidden():
            self._window.close()
        self.trayIcon.hide()


def _as_bool(value: object) -> bool:
    # QSettings' INI files give booleans back as the strings "true" / "false".
    return value is True or str(value).lower() == "true"
