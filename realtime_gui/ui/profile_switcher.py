"""The profile switcher in the key row: which account the window mints, tests and serves with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from ..core.credentials import DEFAULT_PROFILE, KeyStatus
from ..core.profiles import Profile, ProfileListing, ProfileStore

if TYPE_CHECKING:
    from ..core.credentials import KeyStore
    from ..core.endpoint import Connection
    from ..core.errors import RealtimeGuiError
    from .main_window import MainWindow
    from .profiles_dialog import ProfilesDialog
    from .worker import MintWorker

__all__ = [
    "PROFILE_SETTING",
    "ProfileChange",
    "ProfileChangeResult",
    "ProfileRoster",
    "ProfileSwitcher",
    "apply_change",
    "list_profiles",
]

PROFILE_SETTING = "window/profile"


# -- the worker's side (runs on the worker thread) --------------------------------------------
@dataclass(frozen=True)
class ProfileRoster:
    """Every profile with its key status, as the worker read them; problems name bad files."""

    listing: ProfileListing
    statuses: Mapping[str, KeyStatus]


@dataclass(frozen=True)
class ProfileChange:
    """Save ``profile`` (replacing ``original`` when renamed), or remove ``remove``."""

    profile: Profile | None = None
    original: str | None = None
    remove: str | None = None
    delete_key: bool = False


@dataclass(frozen=True)
class ProfileChangeResult:
    change: ProfileChange
    message: str
    error: RealtimeGuiError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _store(folder: Path | None, env: Mapping[str, str]) -> ProfileStore:
    return ProfileStore(folder) if folder is not None else ProfileStore.from_env(env)


def _status(keys: KeyStore, name: str) -> KeyStatus:
    from ..core.errors import CredentialError

    try:
        return keys.status(name, quick=True)
    except CredentialError as exc:
        return KeyStatus(name, "none", None, False, False, exc)


def list_profiles(folder: Path | None, env: Mapping[str, str], keys: KeyStore) -> ProfileRoster:
    listing = _store(folder, env).list()
    return ProfileRoster(listing, {p.name: _status(keys, p.name) for p in listing.profiles})


def apply_change(
    change: ProfileChange, folder: Path | None, env: Mapping[str, str], keys: KeyStore
) -> ProfileChangeResult:
    """Do what the Profiles dialog asked; the key is deleted first, so a failure changes nothing."""
    from ..core.errors import InvalidInput, RealtimeGuiError

    store = _store(folder, env)
    try:
        if change.remove is not None:
            if change.delete_key and change.remove != DEFAULT_PROFILE:
                keys.delete(change.remove)
            path = store.remove(change.remove)
            kept = "" if change.delete_key else " Its key (if any) stays in the keyring."
            return ProfileChangeResult(change, f"Removed {path.name}.{kept}")
        if change.profile is None:
            raise InvalidInput.single("profile", "nothing to save")
        is_new = change.original is None or change.original != change.profile.name
        path = store.save(change.profile, replace_existing=not is_new)
        return ProfileChangeResult(change, f"Saved {path}.")
    except RealtimeGuiError as exc:
        return ProfileChangeResult(change, exc.user_message, exc)


# -- the widget ---------------------------------------------------------------------------------
def status_text(status: KeyStatus | None) -> str:
    if status is None:
        return "checking…"
    if status.environment_override:
        return "key from OPENAI_API_KEY"
    if status.session_key:
        return "session key"
    if status.stored:
        return "key stored"
    if status.problem is not None:
        return "keyring unavailable"
    return "no key"


class ProfileSwitcher(QWidget):
    """``profileInput`` and ``profilesButton``; the profile files are read on the worker.

    Before the first paint it knows only the chosen name (no file or keyring I/O); the
    full list with key statuses arrives once the window has warmed up.
    """

    profileChosen = Signal(str)
    listRequested = Signal()
    changeRequested = Signal(object)  # ProfileChange

    def __init__(
        self, window: MainWindow, worker: MintWorker, settings: QSettings, profile: str
    ) -> None:
        super().__init__(window)
        self.setObjectName("profileSwitcher")
        window.keyStatus.add_leading(self)
        self._window = window
        self._settings = settings
        # The profile the restored form was saved with (0.1 files: default, after migration).
        self._form_profile = str(settings.value(PROFILE_SETTING, DEFAULT_PROFILE))
        settings.setValue(PROFILE_SETTING, profile)  # written with the rest on close
        self._env_base_url = bool(window._env.get("OPENAI_BASE_URL"))
        self._profiles: dict[str, Profile] = {}
        self._statuses: dict[str, KeyStatus] = {}
        self._dialog: ProfilesDialog | None = None
        self.problems: tuple[str, ...] = ()
        self.profileInput = QComboBox(self)
        self.profileInput.setObjectName("profileInput")
        self.profileInput.setAccessibleName("Profile")
        self.profileInput.setToolTip(
            "The account this window mints, tests and serves with: its base URL, ids and "
            "key (Ctrl+Shift+O)"
        )
        self.profileInput.addItem(profile, profile)
        # No mnemonic of its own: every free letter is taken; Alt+O, M reaches it by the menu.
        self.profilesButton = QPushButton("Profiles…", self)
        self.profilesButton.setObjectName("profilesButton")
        self.profilesButton.setAccessibleName("Manage profiles")
        self.profilesButton.setToolTip(
            "Add, edit or remove profiles (Profile → Manage profiles…, Alt+O then M)"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.profileInput)
        layout.addWidget(self.profilesButton)

        self.focusAction = QAction("Choose &profile", window)
        self.focusAction.setShortcuts([QKeySequence("Ctrl+Shift+O")])
        self.focusAction.triggered.connect(self._focus)
        self.manageAction = QAction("&Manage profiles…", window)
        self.manageAction.triggered.connect(self.open_dialog)
        self.profilesButton.clicked.connect(self.open_dialog)
        self.profileInput.activated.connect(self._on_activated)
        self.listRequested.connect(worker.list_profiles)
        self.changeRequested.connect(worker.apply_profile_change)
        # Queued after warm_up on the worker thread: the list comes after the first paint.
        window.warmUpRequested.connect(worker.list_profiles)
        worker.profilesListed.connect(self.show_roster)
        worker.profileChangeDone.connect(self._on_change_done)
        worker.keyStatusChanged.connect(self.show_status)

    def actions_for_menu(self) -> list[QAction]:
        return [self.focusAction, self.manageAction]

    def tab_order(self) -> list[QWidget]:
        return [self.profileInput, self.profilesButton]

    @property
    def current(self) -> str:
        return str(self.profileInput.currentData() or DEFAULT_PROFILE)

    @property
    def profiles(self) -> Mapping[str, Profile]:
        return dict(self._profiles)

    def connection(self, form: Connection) -> Connection:
        """The form's connection with the profile's ids unless OPENAI_ORG_ID/PROJECT_ID say."""
        profile = self._profiles.get(self.current)
        if profile is None:
            return form
        return replace(
            form,
            organization=form.organization or profile.organization,
            project=form.project or profile.project,
        )

    @Slot()
    def _focus(self) -> None:
        # Focus only: the arrow keys then switch, Alt+Down opens the list.
        self.profileInput.setFocus()

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        name = str(self.profileInput.itemData(index))
        self._window.set_profile(name)

    def apply(self, name: str) -> None:
        """Make ``name`` current: remember it, fill the form's Provider and Base URL from it,
        and point the key line and the Serve panel at it (window.set_profile calls this)."""
        self._select(name)
        self._settings.setValue(PROFILE_SETTING, name)
        self._fill_form(name)
        self._window.keyStatus.set_profile(name)
        self._window.serveLink.profile_changed(name)
        self.profileChosen.emit(name)

    def _fill_form(self, name: str) -> None:
        profile = self._profiles.get(name)
        if profile is None:
            return
        window = self._window
        index = window.providerInput.findData(profile.provider.value)
        if index >= 0:
            window.providerInput.setCurrentIndex(index)
        # OPENAI_BASE_URL wins over a profile's base URL: leave the field to it.
        if not self._env_base_url:
            window.baseUrlInput.setText(profile.stored_base_url() or "")

    def _select(self, name: str) -> None:
        index = self.profileInput.findData(name)
        if index < 0:
            self.profileInput.addItem(name, name)
            index = self.profileInput.count() - 1
        self.profileInput.setCurrentIndex(index)

    def _label(self, name: str) -> str:
        return f"{name} — {status_text(self._statuses.get(name))}"

    @Slot(object)
    def show_roster(self, roster: ProfileRoster) -> None:
        """Fill the list; a remembered profile that no longer exists falls back to default."""
        first = not self._profiles
        self._profiles = {p.name: p for p in roster.listing.profiles}
        self._statuses.update(roster.statuses)
        self.problems = roster.listing.problems
        current = self.current
        self.profileInput.blockSignals(True)
        self.profileInput.clear()
        for name in self._profiles:
            self.profileInput.addItem(self._label(name), name)
        self.profileInput.blockSignals(False)
        if self._dialog is not None:
            self._dialog.show_roster(roster)
        if current in self._profiles:
            self._select(current)
            if first and current != self._form_profile:
                # The restored form is another profile's (REALTIME_GUI_PROFILE chose this
                # one, or the saved one is gone): its key must not go to that base URL.
                self._fill_form(current)
        else:
            self._window.set_profile(DEFAULT_PROFILE)
        if self.problems:
            self._window.statusBar().showMessage(" ".join(self.problems), 15_000)

    @Slot(object)
    def show_status(self, status: KeyStatus) -> None:
        self._statuses[status.profile] = status
        index = self.profileInput.findData(status.profile)
        if index >= 0 and status.profile in self._profiles:
            self.profileInput.setItemText(index, self._label(status.profile))
        if self._dialog is not None:
            self._dialog.show_status(status)

    @Slot()
    def open_dialog(self) -> ProfilesDialog:
        """Open the Profiles dialog (built the first time) on a fresh list."""
        if self._dialog is None:
            from .profiles_dialog import ProfilesDialog

            dialog = ProfilesDialog(self._window)
            dialog.changeRequested.connect(self.changeRequested)
            self._dialog = dialog
        self._dialog.show_roster(
            ProfileRoster(
                ProfileListing(tuple(self._profiles.values()), self.problems), self._statuses
            )
        )
        self.listRequested.emit()
        self._dialog.open()
        return self._dialog

    @Slot(object)
    def _on_change_done(self, result: ProfileChangeResult) -> None:
        if self._dialog is not None:
            self._dialog.show_result(result)
        change = result.change
        if not result.ok:
            return
        if change.remove is not None and change.remove == self.current:
            self._window.set_profile(DEFAULT_PROFILE)
        elif change.profile is not None and change.profile.name == self.current:
            self._profiles[change.profile.name] = change.profile
            self._window.set_profile(change.profile.name)  # the form follows the edit
