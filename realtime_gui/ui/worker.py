"""The worker that owns the HTTP client and the keyring, living on one long-lived QThread."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot

from ..core.credentials import KeyStatus
from ..core.errors import CredentialError, MintCancelled, RealtimeGuiError
from ..core.responses import MintedSecret
from .worker_host import HostedWorker

if TYPE_CHECKING:
    from ..core.client import MintClient
    from ..core.credentials import KeyStore
    from ..core.request import PreparedRequest
    from .profile_switcher import ProfileChange
    from .serve_runner import ServeRunner, ServeSession, ServeStart

__all__ = [
    "KeyAction",
    "KeyActionKind",
    "KeyActionResult",
    "MintFailed",
    "MintJob",
    "MintSucceeded",
    "MintWorker",
]


@dataclass(frozen=True)
class MintJob:
    """What the window asks the worker to send; the key is looked up on the worker."""

    job_id: int
    request: PreparedRequest
    profile: str
    preset: str | None = None  # the preset the form was chosen from, for the history


@dataclass(frozen=True)
class MintSucceeded:
    """A minted secret; ``secret.request`` is the PreparedRequest that was sent for it."""

    job_id: int
    secret: MintedSecret
    key_description: str


@dataclass(frozen=True)
class MintFailed:
    job_id: int
    error: RealtimeGuiError


class KeyActionKind(str, Enum):
    STORE = "store"
    DELETE = "delete"
    SESSION_ONLY = "session_only"


@dataclass(frozen=True)
class KeyAction:
    """A change to the key from the key dialog; the value never shows in repr."""

    kind: KeyActionKind
    profile: str
    value: str = field(default="", repr=False)


@dataclass(frozen=True)
class KeyActionResult:
    """How a key action went: a message for the dialog, or the error."""

    action: KeyActionKind
    message: str
    error: RealtimeGuiError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _default_key_store(env: Mapping[str, str]) -> KeyStore:
    from ..core.credentials import KeyStore

    return KeyStore(env=env)


def _default_client() -> MintClient:
    from ..core.client import MintClient

    return MintClient()


class MintWorker(HostedWorker):
    """Mints and touches the keyring off the GUI thread; results come back as signals.

    httpx and keyring are imported here, on the worker thread, the first time they are
    needed (``warm_up`` right after the first paint), so the window appears without them.
    """

    minted = Signal(object)  # MintSucceeded
    failed = Signal(object)  # MintFailed
    keyStatusChanged = Signal(object)  # KeyStatus
    keyActionDone = Signal(object)  # KeyActionResult
    profilesListed = Signal(object)  # ProfileRoster
    profileChangeDone = Signal(object)  # ProfileChangeResult
    recorded = Signal()  # a window mint was appended to the history (the History tab reloads)
    serveReady = Signal(object)  # ServeDefaults
    serveStarted = Signal(object)  # ServeStarted
    serveFailed = Signal(object)  # ServeStartFailed
    serveStopped = Signal(int)  # the job id of the start it ends
    serveSessionApplied = Signal(object)  # ServeSessionApplied
    # Emitted on the server's own thread; Qt queues it to the window's thread.
    serveEvent = Signal(object)  # core.serve.ServeEvent

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        key_store_factory: Callable[[Mapping[str, str]], KeyStore] = _default_key_store,
        client_factory: Callable[[], MintClient] = _default_client,
        profiles_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self._env = os.environ if env is None else env
        self._key_store_factory = key_store_factory
        self._client_factory = client_factory
        self._store: KeyStore | None = None
        self._store_lock = threading.Lock()  # the connection test's thread asks for it too
        self._client: MintClient | None = None
        self._profiles_folder = profiles_folder  # None: core.paths' config folder
        self._runner: ServeRunner | None = None  # made when the Serve panel is first used
        # Set from the GUI thread by cancel(); the worker is finished for good then.
        self._cancelled = False

    def key_store(self) -> KeyStore:
        """The one KeyStore (a session-only key lives in it); from any worker thread."""
        with self._store_lock:
            if self._store is None:
                self._store = self._key_store_factory(self._env)
                if self._cancelled:
                    self._store.cancel()
            return self._store

    _key_store = key_store

    def _mint_client(self) -> MintClient:
        if self._client is None:
            self._client = self._client_factory()
            if self._cancelled:
                # cancel() came while the client was being made (httpx still loading).
                self._client.cancel()
        return self._client

    @Slot(str)
    def warm_up(self, profile: str) -> None:
        """Load the network stack and report the key status; runs after the first paint."""
        if self._cancelled:  # the window closed before its first paint was followed up
            return
        self._mint_client()
        self._report_status(profile, quick=True)

    @Slot(str)
    def refresh_key_status(self, profile: str) -> None:
        """Report the full key status, asking the keyring (the key dialog shows it all)."""
        self._report_status(profile, quick=False)

    def _report_status(self, profile: str, *, quick: bool) -> None:
        try:
            status = self._key_store().status(profile, quick=quick)
        except CredentialError as exc:
            status = KeyStatus(profile, "none", None, False, False, exc)
        self.keyStatusChanged.emit(status)

    @Slot(object)
    def mint(self, job: MintJob) -> None:
        if self._cancelled:  # queued before the window closed: never start it
            self.failed.emit(MintFailed(job.job_id, MintCancelled("The mint was cancelled.")))
            return
        key = None
        try:
            key = self._key_store().resolve(job.profile)
            secret = self._mint_client().send(job.request, key.value)
        except Exception as exc:
            error = exc if isinstance(exc, RealtimeGuiError) else _unexpected(exc)
            self.failed.emit(MintFailed(job.job_id, error))
            # Only a request that went out is a mint; no key or a closing window is not.
            if key is not None and not isinstance(exc, MintCancelled):
                _record(job, error=exc)
                self.recorded.emit()
            return
        self.minted.emit(MintSucceeded(job.job_id, secret, key.describe()))
        _record(job, minted=secret)  # after the emit: the window shows the secret first
        self.recorded.emit()

    @Slot(object)
    def apply_key_action(self, action: KeyAction) -> None:
        store = self._key_store()
        try:
            if action.kind is KeyActionKind.STORE:
                backend = store.store(action.value, action.profile)
                message = f"Saved in {backend}."
            elif action.kind is KeyActionKind.DELETE:
                backend = store.backend_name()
                removed = store.delete(action.profile)
                message = f"Deleted from {backend}." if removed else "No key was stored."
            else:
                store.use_for_session(action.value, action.profile)
                message = "Using the key for this session only; it is not saved anywhere."
            result = KeyActionResult(action.kind, message)
        except RealtimeGuiError as exc:
            result = KeyActionResult(action.kind, exc.user_message, exc)
        except Exception as exc:
            error = _unexpected(exc)
            result = KeyActionResult(action.kind, error.user_message, error)
        self.keyActionDone.emit(result)
        self.refresh_key_status(action.profile)

    # -- profiles (ui/profile_switcher.py) ---------------------------------------------------
    @Slot()
    def list_profiles(self) -> None:
        """Read every profile and its key status here, never on the GUI thread."""
        if self._cancelled:
            return
        from .profile_switcher import list_profiles

        self.profilesListed.emit(list_profiles(self._profiles_folder, self._env, self._key_store()))

    @Slot(object)
    def apply_profile_change(self, change: ProfileChange) -> None:
        """Save or remove a profile (and maybe its key), then list the profiles again."""
        if self._cancelled:
            return
        from .profile_switcher import apply_change

        self.profileChangeDone.emit(
            apply_change(change, self._profiles_folder, self._env, self._key_store())
        )
        self.list_profiles()

    # -- the token server (the window's Serve panel) -----------------------------------
    @property
    def _serving(self) -> ServeRunner:
        # Imported on first use: most sessions never serve, and start-up pays for each module.
        if self._runner is None:
            from .serve_runner import ServeRunner

            self._runner = ServeRunner()
        return self._runner

    @Slot()
    def load_serving(self) -> None:
        """Import the server stack here, not on the GUI thread, and report its defaults."""
        try:
            self.serveReady.emit(self._serving.load())
        except Exception as exc:  # a broken install must not kill the thread
            self.serveFailed.emit(_start_failed(0, _unexpected(exc)))

    @Slot(object)
    def start_serving(self, job: ServeStart) -> None:
        """Resolve the key and start the server; the answer is serveStarted or serveFailed."""
        if self._cancelled:
            return
        try:
            key = self._key_store().resolve(job.profile)
            started = self._serving.start(job, key.value, self.serveEvent.emit)
        except RealtimeGuiError as exc:
            self.serveFailed.emit(_start_failed(job.job_id, exc))
            return
        except Exception as exc:
            self.serveFailed.emit(_start_failed(job.job_id, _unexpected(exc)))
            return
        if self._cancelled:  # the window closed while the server was starting
            self._serving.stop()
            return
        self.serveStarted.emit(started)

    @Slot(object)
    def update_serving(self, session: ServeSession) -> None:
        self.serveSessionApplied.emit(self._serving.set_session(session))

    @Slot(int)
    def stop_serving(self, job_id: int) -> None:
        """Stop the server (up to about 1 s, here rather than on the GUI thread)."""
        self._serving.stop()
        self.serveStopped.emit(job_id)

    def cancel(self) -> None:
        """Called from the GUI thread when the window closes: end in-flight work now.

        Sticky: a client or key store made after this (warm-up still running) starts
        cancelled, and a mint still queued is refused, so the thread ends promptly.
        """
        self._cancelled = True
        if self._client is not None:
            self._client.cancel()
        if self._store is not None:
            self._store.cancel()
        # The GUI thread must not wait up to a second for it: a thread of its own stops it.
        if self._runner is not None:
            self._runner.stop_in_background()

    @Slot()
    def shutdown(self) -> None:
        """Close the HTTP client on its own thread."""
        if self._client is not None:
            self._client.close()
            self._client = None


def _record(
    job: MintJob, *, minted: MintedSecret | None = None, error: Exception | None = None
) -> None:
    """Append the mint to the history, here on the worker thread; never raises."""
    # Imported on the first mint, not at start-up: the window's start time is measured.
    from ..core.history import failure_record, record_mint, success_record

    where: dict[str, Any] = {"profile": job.profile, "preset": job.preset, "source": "window"}
    if minted is not None:
        record_mint(None, success_record(minted, request=job.request, **where))
    elif error is not None:
        record_mint(None, failure_record(error, job.request, **where))


def _start_failed(job_id: int, error: RealtimeGuiError) -> object:
    from .serve_runner import ServeStartFailed

    return ServeStartFailed(job_id, error)


def _unexpected(exc: Exception) -> RealtimeGuiError:
    return RealtimeGuiError(
        f"Unexpected internal error ({type(exc).__name__}).",
        hint="Please report it, with what you did (never your key).",
    )
