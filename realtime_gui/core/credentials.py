"""The API key: OS keyring storage, the OPENAI_API_KEY override and session-only keys."""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from .errors import CredentialError, InvalidInput, KeyringLocked, KeyringUnavailable, NoApiKey

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = [
    "DEFAULT_PROFILE",
    "ENV_VAR",
    "NOT_CHECKED",
    "SERVICE_NAME",
    "ApiKey",
    "KeySource",
    "KeyStatus",
    "KeyStore",
    "backend_display_name",
    "check_profile",
]

SERVICE_NAME = "realtime-gui"
DEFAULT_PROFILE = "default"
ENV_VAR = "OPENAI_API_KEY"
DEFAULT_KEYRING_TIMEOUT = 15.0
# KeyStatus.backend when the keyring was not asked (a quick status with an override).
NOT_CHECKED = "not checked"

_PROFILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_T = TypeVar("_T")

# Backends that exist but keep nothing safe: refused rather than used silently.
_UNUSABLE_BACKENDS = {
    "keyring.backends.fail.Keyring": "no keyring backend was found",
    "keyring.backends.null.Keyring": "the keyring is disabled (null backend)",
}
_DISPLAY_NAMES = {
    "keyring.backends.SecretService.Keyring": "Secret Service",
    "keyring.backends.libsecret.Keyring": "Secret Service (libsecret)",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet 4",
}


class KeySource(str, Enum):
    """Where the key for a mint came from."""

    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SESSION = "session"


@dataclass(frozen=True)
class ApiKey:
    """An API key and where it came from; the value never shows in repr."""

    value: str = field(repr=False)
    source: KeySource
    backend: str | None = None

    def describe(self) -> str:
        if self.source is KeySource.ENVIRONMENT:
            return f"Key from {ENV_VAR}"
        if self.source is KeySource.SESSION:
            return "Key for this session only"
        return f"Key stored in {self.backend or 'the keyring'}"


@dataclass(frozen=True)
class KeyStatus:
    """What a status line shows: backend, whether a key is stored, and what overrides it."""

    profile: str
    backend: str
    stored: bool | None
    environment_override: bool
    session_key: bool
    problem: CredentialError | None = None

    @property
    def has_key(self) -> bool:
        return self.environment_override or self.session_key or bool(self.stored)

    def describe(self) -> str:
        if self.environment_override:
            return f"Key from {ENV_VAR}"
        if self.session_key:
            return "Key for this session only"
        if self.stored:
            return f"Key stored in {self.backend}"
        if self.problem is not None:
            return f"No key ({self.problem.user_message})"
        return "No key"


def backend_display_name(backend: KeyringBackend) -> str:
    """A name a user recognises: Secret Service, macOS Keychain, Windows Credential Manager."""
    cls = type(backend)
    qualified = f"{cls.__module__}.{cls.__qualname__}"
    if qualified == "keyring.backends.chainer.ChainerBackend":
        inner = getattr(backend, "backends", [])
        names = [backend_display_name(b) for b in inner]
        return " + ".join(names) if names else "no backend"
    if qualified in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[qualified]
    name = getattr(backend, "name", None)
    return name if isinstance(name, str) and name else qualified


def _platform_fix() -> str:
    if sys.platform == "darwin":
        return "Allow realtime-gui in Keychain Access, or set OPENAI_API_KEY."
    if sys.platform == "win32":
        return "Check that Windows Credential Manager is running, or set OPENAI_API_KEY."
    return (
        "Install and unlock a Secret Service provider (GNOME Keyring or KWallet; on "
        "Debian/Ubuntu: sudo apt install gnome-keyring), or set OPENAI_API_KEY, or use the "
        "key for this session only."
    )


def check_profile(profile: str) -> str:
    """Return ``profile`` or raise InvalidInput: letters, digits, dot, dash, underscore."""
    if not isinstance(profile, str) or not _PROFILE.fullmatch(profile):
        raise InvalidInput.single(
            "profile", f"must be 1-64 letters, digits, '.', '-' or '_', got {profile!r}"
        )
    return profile


def _translate(exc: Exception, secret: str | None = None) -> CredentialError:
    """A keyring library exception as a CredentialError a user can act on."""
    from keyring import errors as keyring_errors

    detail = str(exc) or type(exc).__name__
    if secret:
        detail = detail.replace(secret, "[redacted]")
    if isinstance(exc, keyring_errors.KeyringLocked) or "locked" in detail.lower():
        return KeyringLocked(
            f"The keyring is locked: {detail}",
            hint="Unlock it (log in to the desktop session or open your password manager) "
            "and try again, or use the key for this session only.",
        )
    if type(exc).__name__ in ("PromptDismissedException", "ItemNotFoundException"):
        return KeyringLocked(
            "The keyring unlock prompt was dismissed.",
            hint="Unlock the keyring and try again, or use the key for this session only.",
        )
    return KeyringUnavailable(f"The keyring failed: {detail}", hint=_platform_fix())


class KeyStore:
    """API keys per profile in the OS keyring (service ``realtime-gui``), never in a file.

    ``OPENAI_API_KEY`` in ``env`` overrides the keyring; a session-only key lives in memory.
    Every keyring call runs with a timeout, so a locked or hung keyring cannot block forever.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_KEYRING_TIMEOUT,
    ) -> None:
        self._backend = backend
        self._env = os.environ if env is None else env
        self._timeout = timeout
        self._session_keys: dict[str, str] = {}
        self._lock = threading.Lock()
        self._cancelled = threading.Event()

    def __repr__(self) -> str:
        return f"KeyStore(backend={self._backend!r}, session_profiles={sorted(self._session_keys)})"

    # -- backend -----------------------------------------------------------------
    def backend(self) -> KeyringBackend:
        """The keyring backend in use; raises KeyringUnavailable for an unusable one."""
        with self._lock:
            backend = self._backend
        if backend is None:
            import keyring

            # Backend detection talks to D-Bus and friends: bounded and cancellable like
            # every other keyring call.
            detected = self._call("lookup", keyring.get_keyring)
            with self._lock:
                if self._backend is None:
                    self._backend = detected
                backend = self._backend
        cls = type(backend)
        qualified = f"{cls.__module__}.{cls.__qualname__}"
        if qualified in _UNUSABLE_BACKENDS or "plaintext" in qualified.lower():
            reason = _UNUSABLE_BACKENDS.get(qualified, "it stores keys in a plain-text file")
            raise KeyringUnavailable(f"No usable OS keyring: {reason}.", hint=_platform_fix())
        return backend

    def backend_name(self) -> str:
        """The backend's display name, or a short reason why there is none."""
        try:
            return backend_display_name(self.backend())
        except CredentialError as exc:
            return f"none ({exc.user_message})"

    def cancel(self) -> None:
        """From any thread: stop waiting for the keyring (on shutdown); calls then fail."""
        self._cancelled.set()

    def _call(self, action: str, fn: Callable[[], _T], secret: str | None = None) -> _T:
        """Run one keyring call on a daemon thread and wait at most the timeout for it."""
        outcome: list[_T] = []
        failure: list[Exception] = []
        done = threading.Event()

        def run() -> None:
            try:
                outcome.append(fn())
            except Exception as exc:  # every backend raises its own types
                failure.append(exc)
            finally:
                done.set()

        threading.Thread(target=run, name=f"keyring-{action}", daemon=True).start()
        deadline = time.monotonic() + self._timeout
        # Short waits, so cancel() (window closing) is noticed at once.
        while not done.wait(0.05):
            if self._cancelled.is_set():
                raise KeyringLocked(f"The keyring {action} was cancelled.")
            if time.monotonic() > deadline:
                raise KeyringLocked(
                    f"The keyring did not answer within {self._timeout:g} s ({action}).",
                    hint="It may be waiting for an unlock prompt; unlock it and try again, "
                    "or use the key for this session only.",
                )
        if failure:
            if isinstance(failure[0], CredentialError):
                raise failure[0]
            raise _translate(failure[0], secret) from None
        return outcome[0]

    # -- keyring operations --------------------------------------------------------
    def get_stored(self, profile: str = DEFAULT_PROFILE) -> str | None:
        """The key stored for ``profile``, or None."""
        check_profile(profile)
        backend = self.backend()
        return self._call("read", lambda: backend.get_password(SERVICE_NAME, profile))

    def store(self, key: str, profile: str = DEFAULT_PROFILE) -> str:
        """Save ``key`` for ``profile``; returns the backend's display name."""
        check_profile(profile)
        key = check_key(key)
        backend = self.backend()
        self._call("save", lambda: backend.set_password(SERVICE_NAME, profile, key), key)
        with self._lock:
            self._session_keys.pop(profile, None)
        return backend_display_name(backend)

    def delete(self, profile: str = DEFAULT_PROFILE) -> bool:
        """Remove the stored key and any session key; True if a stored key was removed."""
        check_profile(profile)
        with self._lock:
            self._session_keys.pop(profile, None)
        backend = self.backend()

        def remove() -> bool:
            from keyring.errors import PasswordDeleteError

            if backend.get_password(SERVICE_NAME, profile) is None:
                return False
            try:
                backend.delete_password(SERVICE_NAME, profile)
            except PasswordDeleteError:
                return False
            return True

        return self._call("delete", remove)

    # -- session-only keys -------------------------------------------------------------
    def use_for_session(self, key: str, profile: str = DEFAULT_PROFILE) -> None:
        """Keep ``key`` in memory for this process only; nothing is written anywhere."""
        check_profile(profile)
        key = check_key(key)
        with self._lock:
            self._session_keys[profile] = key

    # -- resolution ------------------------------------------------------------------
    def resolve(self, profile: str = DEFAULT_PROFILE) -> ApiKey:
        """The key a mint should use: environment, then session, then keyring."""
        check_profile(profile)
        env_key = self._env.get(ENV_VAR, "").strip()
        if env_key:
            return ApiKey(env_key, KeySource.ENVIRONMENT)
        with self._lock:
            session_key = self._session_keys.get(profile)
        if session_key:
            return ApiKey(session_key, KeySource.SESSION)
        stored = self.get_stored(profile)
        if stored:
            return ApiKey(stored, KeySource.KEYRING, self.backend_name())
        raise NoApiKey(f"No API key for profile '{profile}'.")

    def status(self, profile: str = DEFAULT_PROFILE, *, quick: bool = False) -> KeyStatus:
        """Backend, stored or not, overrides; keyring problems are reported, not raised.

        With ``quick``, a key from OPENAI_API_KEY or this session is reported without
        asking the keyring (it would not be used anyway): the keyring library and its
        backend detection then stay unloaded until something needs them.
        """
        check_profile(profile)
        env_override = bool(self._env.get(ENV_VAR, "").strip())
        with self._lock:
            session_key = profile in self._session_keys
        if quick and (env_override or session_key):
            return KeyStatus(profile, NOT_CHECKED, None, env_override, session_key)
        backend = "none"
        try:
            backend = backend_display_name(self.backend())
            stored: bool | None = self.get_stored(profile) is not None
            problem = None
        except CredentialError as exc:
            stored, problem = None, exc
        return KeyStatus(profile, backend, stored, env_override, session_key, problem)


def check_key(key: str) -> str:
    """Strip surrounding white space; refuse an empty key or one with inner white space."""
    key = key.strip()
    if not key:
        raise InvalidInput.single("api_key", "is empty")
    if any(c.isspace() for c in key):
        raise InvalidInput.single("api_key", "contains white space; paste the key alone")
    if not (key.isascii() and key.isprintable()):
        raise InvalidInput.single(
            "api_key", "contains characters an API key never has (non-ASCII or control)"
        )
    return key
