"""The main window: the session form, the secret, the request pane and the key line, wired."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QSettings, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.credentials import DEFAULT_PROFILE
from ..core.endpoint import Connection
from ..core.errors import CredentialError, FieldProblem, InvalidInput, NoApiKey, RealtimeGuiError
from ..core.request import PreparedRequest, prepare
from ..core.session import ApiShape, SessionConfig, SessionType
from .advanced_section import AdvancedSection
from .automation_names import AutomationNames, find_building, forward_names
from .connection_check import ConnectionCheck
from .extra_note import ExtraNote
from .key_status import KeyStatusLine
from .menus import WindowMenus
from .mint_bar import MintBar
from .playground_opener import PlaygroundOpener
from .preset_bar import PresetBar
from .profile_switcher import ProfileSwitcher
from .request_pane import ImportedConfig, RequestPane
from .secret_view import SecretView
from .serve_link import ServeLink
from .session_form import SessionForm
from .window_state import restore_window_state, save_window_state
from .worker import MintFailed, MintJob, MintSucceeded, MintWorker
from .worker_host import WorkerHost

if TYPE_CHECKING:
    from ..core.credentials import KeyStatus
    from ..core.responses import MintedSecret
    from .advanced_panel import AdvancedPanel
    from .banner import StatusBanner
    from .body_dialogs import EditJsonDialog, ImportDialog
    from .granted_view import GrantedSessionView
    from .key_dialog import ApiKeyDialog
    from .tray import WindowTray

__all__ = ["MainWindow"]

_T = TypeVar("_T", bound=QObject)
_Prepared = tuple[PreparedRequest | None, list[FieldProblem]]
# The window names its own action where core's hints name the command line's.
_WINDOW_HINTS: Mapping[type[RealtimeGuiError], str] = {
    NoApiKey: "Use Set key… (Ctrl+K) to enter a key, or set OPENAI_API_KEY.",
}


class MainWindow(QMainWindow, AutomationNames):
    """The form and the result; all I/O goes through the worker on its own thread.

    Each part is a widget with a narrow interface (signals out, a few methods in); the window
    wires them to each other and to the worker, and keeps the mint bookkeeping. To add a
    part: build it in ``_build_parts`` (or on first use behind a property, like the banner),
    place it in ``_layout``, connect it in ``_connect_parts``, forward what automation uses
    (ui/automation_names.py).
    The Serve tab is run by ``ServeLink`` (ui/serve_link.py); the History tab lives in the
    request pane; the profile switcher sits in the key line's row and the preset bar above
    the form; the tray icon (ui/tray.py, ``tray``) is added by app.py after the first paint
    and decides closes. A part that needs the worker after start-up connects to
    ``warmUpRequested`` (queued after the warm-up, so after the first paint).
    """

    mintRequested = Signal(object)  # MintJob
    keyStatusRequested = Signal(str)
    keyActionRequested = Signal(object)  # KeyAction
    warmUpRequested = Signal(str)
    refreshed = Signal(bool)  # after each refresh: whether the form can be sent
    _ready = False  # False while building or loading: no refresh in between
    tray: WindowTray | None = None  # the tray icon (ui/tray.py), added after the first paint

    def __init__(
        self,
        *,
        host: WorkerHost[MintWorker],
        settings: QSettings,
        env: Mapping[str, str],
        profile: str = DEFAULT_PROFILE,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("realtime-gui — Realtime client secrets")
        self._host = host
        self._worker = host.worker
        self._settings = settings
        self._env = env
        self._profile = profile
        self._job_id = 0
        self._in_flight: int | None = None
        self._shut_down = False
        self._warmed_up = False
        self._banner: StatusBanner | None = None
        # The request the form describes, prepared once per refresh; None while invalid.
        self._prepared: PreparedRequest | None = None
        self._problems: list[FieldProblem] = []
        self.importNotes: tuple[str, ...] = ()
        # The last mint failure shown in the banner (for automation and tests).
        self.last_error: RealtimeGuiError | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh)

        self._build_parts()
        forward_names(self)
        self._build_actions()
        self._layout()
        self._connect_worker()
        self._restore_settings()
        self.sessionForm.start()
        self.advancedSection.set_shape(self.api, self.session_type)  # the restored shape
        self._connect_parts()
        self._ready = True
        self._refresh()

    # -- construction -----------------------------------------------------------------
    def _build_parts(self) -> None:
        self.keyStatus = KeyStatusLine(self._profile, self)
        self.presetBar = PresetBar(self._settings, self.session_config, self.refreshed, self)
        self.sessionForm = SessionForm(self._env, self)
        self.secretView = SecretView(self)
        self.requestPane = RequestPane(self.session_config, self)
        self.advancedSection = AdvancedSection(self)
        self.extraNote = ExtraNote(self)
        self.mintBar = MintBar(self)
        self.connectionCheck = ConnectionCheck(self, self._worker)
        self.profileSwitcher = ProfileSwitcher(self, self._worker, self._settings, self._profile)

    def _build_actions(self) -> None:
        self.menus = WindowMenus(self)
        self.mintAction = self.menus.mintAction
        self.keyAction = self.menus.keyAction
        self.copyAction = self.menus.copyAction
        self.mintAction.triggered.connect(self.mint)
        self.keyAction.triggered.connect(self.open_key_dialog)
        self.menus.quitAction.triggered.connect(self.close)
        self.copyAction.triggered.connect(self.secretView.copy_secret)
        self.menus.testAction.triggered.connect(self.connectionCheck.start)
        self.menus.add_profile_menu(self.profileSwitcher.actions_for_menu())

    def _layout(self) -> None:
        form_column = QVBoxLayout()
        form_column.addWidget(self.presetBar)
        form_column.addWidget(self.sessionForm)
        form_column.addWidget(self.advancedSection)
        form_column.addWidget(self.extraNote)
        form_column.addStretch(1)
        form_host = QWidget(self)
        form_host.setLayout(form_column)
        scroll = QScrollArea(self)
        scroll.setObjectName("formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form_host)

        left = QVBoxLayout()
        left.addWidget(scroll, 1)
        left.addWidget(self.mintBar)

        right = QVBoxLayout()
        right.addWidget(self.secretView)
        right.addWidget(self.connectionCheck)
        right.addWidget(self.requestPane, 1)

        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        column = QVBoxLayout()
        column.addWidget(self.keyStatus)
        # The error banner is inserted here (index 1) when the first error shows.
        column.addLayout(columns, 1)
        self._column = column
        central = QWidget(self)
        central.setLayout(column)
        self.setCentralWidget(central)
        self.resize(1180, 780)

        order: list[QWidget] = [
            *self.profileSwitcher.tab_order(),
            self.keyStatus.apiKeyButton,
            *self.presetBar.tab_order(),
            *self.sessionForm.tab_order(),
            self.advancedToggle,
            self.mintButton,
            *self.secretView.tab_order(),
            *self.connectionCheck.tab_order(),
            *self.requestPane.tab_order(),
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect_parts(self) -> None:
        self.sessionForm.changed.connect(self._schedule_refresh)
        self.sessionForm.shapeChanged.connect(self._on_shape_changed)
        self.advancedSection.changed.connect(self._schedule_refresh)
        self.mintButton.clicked.connect(self.mint)
        self.secretView.copied.connect(self._on_copied)
        self.secretView.copyableChanged.connect(self.copyAction.setEnabled)
        self.requestPane.configEdited.connect(self.load_config)
        self.requestPane.requestImported.connect(self._on_imported)
        self.requestPane.loadFailed.connect(self._show_error)
        self.requestPane.message.connect(self._show_message)
        self.presetBar.chosen.connect(self.load_config)
        self.presetBar.message.connect(self._show_message)
        self.presetBar.failed.connect(self._show_error)

    def _connect_worker(self) -> None:
        self.mintRequested.connect(self._worker.mint)
        self.keyStatusRequested.connect(self._worker.refresh_key_status)
        self.keyActionRequested.connect(self._worker.apply_key_action)
        self.warmUpRequested.connect(self._worker.warm_up)
        self.keyStatus.statusRequested.connect(self.keyStatusRequested)
        self.keyStatus.actionRequested.connect(self.keyActionRequested)
        self._worker.minted.connect(self._on_minted)
        self._worker.failed.connect(self._on_failed)
        self._worker.keyStatusChanged.connect(self._on_key_status)
        self._worker.keyActionDone.connect(self.keyStatus.show_result)
        self._worker.recorded.connect(self.requestPane.history_changed)
        self.serveLink = ServeLink(self, self._worker, self.menus.serveAction)
        self.playground = PlaygroundOpener(self, self.serveLink, self.menus.playgroundAction)

    # -- parts built on first use ---------------------------------------------------------
    @property
    def advancedPanel(self) -> AdvancedPanel:
        """The advanced settings, built on first use (``advancedSection.built`` tells)."""
        return self.advancedSection.panel

    @property
    def statusBanner(self) -> StatusBanner:
        """The error banner, built when the first error shows (hidden until then)."""
        if self._banner is None:
            from .banner import StatusBanner

            self._banner = StatusBanner(self, hints=_WINDOW_HINTS)
            self._column.insertWidget(1, self._banner)
        return self._banner

    @Slot(object)
    def _show_error(self, error: RealtimeGuiError) -> None:
        self.statusBanner.show_error(error)

    def _hide_banner(self) -> None:
        if self._banner is not None:
            self._banner.hide()

    @property
    def grantedSessionView(self) -> GrantedSessionView:
        return self.requestPane.grantedSessionView

    def findChild(self, kind: type[_T], name: str = "", *args: Any) -> _T | None:
        """QObject.findChild that builds the parts built on first use when a name is missing."""
        return find_building(self, super().findChild, kind, name, *args)

    def build_all_parts(self) -> None:
        """Build every part that is otherwise built on first use (for a named lookup)."""
        _ = self.advancedSection.panel, self.statusBanner, self.requestPane.grantedSessionView

    # -- reading the form -----------------------------------------------------------
    @property
    def api(self) -> ApiShape:
        return self.sessionForm.api

    @property
    def session_type(self) -> SessionType:
        return self.sessionForm.session_type

    def session_config(self) -> SessionConfig:
        """The SessionConfig the whole form describes: basics, advanced settings, kept extras."""
        config = self.advancedSection.apply(self.sessionForm.basic_config())
        extra = self.extraNote.extra
        return replace(config, extra=extra) if extra else config

    def connection(self) -> Connection:
        return self.profileSwitcher.connection(self.sessionForm.connection())

    def problems(self) -> list[FieldProblem]:
        """Everything that keeps Mint disabled, each naming its field."""
        return self._prepare(self.session_config(), self.connection())[1]

    def _prepare(self, config: SessionConfig, connection: Connection) -> _Prepared:
        """The request Mint would send and no problems, or None and every problem."""
        problems = self.advancedSection.local_problems()
        try:
            prepared = prepare(config, connection)
        except InvalidInput as exc:
            return None, [*problems, *exc.problems]
        return (None, problems) if problems else (prepared, [])

    # -- live validation and preview ----------------------------------------------------
    @Slot()
    def _schedule_refresh(self) -> None:
        # Several signals fire for one edit; coalesce them into one refresh.
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    @Slot()
    def _refresh(self) -> None:
        """Re-validate, show each problem next to its field, gate Mint, redraw the preview."""
        if not self._ready:
            return
        config = self.session_config()
        self._prepared, self._problems = self._prepare(config, self.connection())
        problems = self._problems
        self.advancedSection.show_problems(self.sessionForm.show_problems(problems))
        can_mint = self.mintBar.show_state(problems, busy=self.is_minting, closed=self._shut_down)
        self.mintAction.setEnabled(can_mint)
        self.requestPane.show_request(self._prepared, config, problems)
        self.refreshed.emit(self._prepared is not None)

    @Slot(object, object)
    def _on_shape_changed(self, api: ApiShape, kind: SessionType) -> None:
        self.advancedSection.set_shape(api, kind)
        self._refresh()

    def focus_field(self, field: str) -> None:
        """Focus the input that edits ``field``, opening the advanced settings if it is there."""
        if not self.sessionForm.focus_field(field):
            self.advancedSection.focus_field(field)

    # -- loading a whole config -------------------------------------------------------
    @Slot(object)
    def load_config(self, config: SessionConfig) -> None:
        """Put a whole config into the form: shape, basics, advanced settings, kept extras."""
        self._load(config)

    def _load(self, config: SessionConfig, notes: tuple[str, ...] = ()) -> None:
        self._ready = False
        try:
            self.sessionForm.load(config)
            self.advancedSection.load(config)
            self.extraNote.show_extra(config.extra, notes)
        finally:
            self._ready = True
        self._refresh()

    @Slot(object)
    def _on_imported(self, imported: ImportedConfig) -> None:
        self._load(imported.config, imported.notes)
        self.importNotes = imported.notes

    def edit_json(self) -> EditJsonDialog:
        """Open the JSON editor on the current body; OK loads it back into the form."""
        return self.requestPane.edit_json()

    def import_request(self) -> ImportDialog:
        """Open the import dialog; a Beta body or curl command is converted to GA."""
        return self.requestPane.import_request()

    # -- minting ----------------------------------------------------------------------------
    @property
    def is_minting(self) -> bool:
        return self._in_flight is not None

    @Slot()
    def mint(self) -> None:
        """Validate and send. A click while a mint is in flight is ignored (no second request)."""
        if self._in_flight is not None or self._shut_down:
            return
        if self._refresh_timer.isActive():  # an edit whose refresh has not run yet
            self._refresh_timer.stop()
            self._refresh()
        prepared = self._prepared
        if prepared is None:
            self._show_error(InvalidInput(self._problems))
            self.focus_field(self._problems[0].field)
            return
        self._hide_banner()
        self._job_id += 1
        self._in_flight = self._job_id
        self._set_busy(True)
        # Exactly the request the preview shows; the worker sends it as it is.
        job = MintJob(self._job_id, prepared, self._profile, self.presetBar.preset_name)
        self.mintRequested.emit(job)

    def _set_busy(self, busy: bool) -> None:
        self._refresh()  # reads is_minting: Mint's text, progress and enabled state follow it
        if busy:
            self.statusBar().showMessage("Minting a client secret…")
        else:
            self.statusBar().clearMessage()

    @Slot(object)
    def _on_minted(self, outcome: MintSucceeded) -> None:
        if outcome.job_id != self._in_flight:
            return
        self._in_flight = None
        self._set_busy(False)
        self.show_secret(outcome.secret)
        self.statusBar().showMessage(f"Minted ({outcome.key_description})", 4000)
        request = outcome.secret.request
        requested = request.requested_session if request is not None else {}
        self.requestPane.show_granted(requested, outcome.secret.session)

    @Slot(object)
    def _on_failed(self, outcome: MintFailed) -> None:
        if outcome.job_id != self._in_flight:
            return
        self._in_flight = None
        self.last_error = outcome.error
        self._set_busy(False)
        self._show_error(outcome.error)

    def show_secret(self, secret: MintedSecret) -> None:
        """Show a minted secret with its countdown."""
        self.secretView.show_secret(secret)

    @Slot()
    def _on_copied(self) -> None:
        self.statusBar().showMessage("Secret copied to the clipboard", 3000)

    @Slot(str, int)
    def _show_message(self, text: str, timeout_ms: int) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    # -- the key ----------------------------------------------------------------------------
    @Slot(object)
    def _on_key_status(self, status: KeyStatus) -> None:
        self.keyStatus.show_status(status)
        # A key has arrived (saved in the dialog, say): a "no key" banner is out of date.
        banner = self._banner
        if banner is not None and status.has_key and isinstance(banner.error, CredentialError):
            banner.hide()

    @property
    def profile(self) -> str:
        return self._profile

    @Slot(str)
    def set_profile(self, name: str) -> None:
        """Mint, test, serve (once restarted) and the key line use ``name`` from now on."""
        self._profile = name
        self.profileSwitcher.apply(name)  # the key line, the form, the serve panel follow

    @Slot()
    def open_key_dialog(self) -> ApiKeyDialog:
        return self.keyStatus.open_dialog()

    # -- start-up and shut-down ------------------------------------------------------------
    @Slot()
    def start_background_work(self) -> None:
        """Load httpx and keyring on the worker and fetch the key status (once)."""
        if not self._warmed_up:
            self._warmed_up = True
            self.warmUpRequested.emit(self._profile)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._warmed_up:
            # Right after the first paint, not before: nothing slow delays the window.
            QTimer.singleShot(0, self.start_background_work)

    def _restore_settings(self) -> None:
        restore_window_state(self, self._settings)

    def save_settings(self) -> None:
        """Remember the non-secret form values and the geometry; never a key or secret."""
        save_window_state(self, self._settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tray is not None and self.tray.hide_instead_of_close():
            event.ignore()
            return
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel what is in flight and stop the worker thread (waits 50 ms at most)."""
        if self._shut_down:
            return
        self._shut_down = True
        self.secretView.stop()
        self.connectionCheck.shutdown()
        self.requestPane.shutdown()
        self._host.stop()
