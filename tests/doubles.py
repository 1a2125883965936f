"""Made-up values and keyring backends shared by the tests (unit and window alike).

Kept in a plain module rather than conftest.py so tests import it as tests.doubles
instead of importing a conftest. Every value is short and obviously fake.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

API_KEY = "sk-test-unit-0000"
OTHER_API_KEY = "sk-test-unit-1111"
ENV_API_KEY = "sk-test-unit-env"
SECRET = "ek_unit_secret"
SESSION_ID = "sess_unit_0001"
NOW = 1_700_000_000.0
EXPIRES_AT = 1_700_000_600


def unregister_backend(cls: type[KeyringBackend]) -> type[KeyringBackend]:
    """Keep a test backend out of keyring's registry so keyring.get_keyring() never picks it."""
    KeyringBackend._classes.discard(cls)  # type: ignore[attr-defined]
    return cls


@unregister_backend
class InMemoryKeyring(KeyringBackend):
    """A keyring backend holding passwords in a dict; nothing leaves the process."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password for {username!r}") from None


@unregister_backend
class LockedKeyring(InMemoryKeyring):
    """Every call fails the way a locked Secret Service collection does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


@unregister_backend
class HangingKeyring(InMemoryKeyring):
    """get_password blocks until ``release`` is set, like a keyring waiting on a prompt."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.entered.set()
        self.release.wait(30)
        return None


@unregister_backend
class BrokenKeyring(InMemoryKeyring):
    """A backend failing with an unexpected error whose text echoes what it was given."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"cannot write {password} to the vault")
