"""The API key: keyring storage, the OPENAI_API_KEY override, session keys, keyring trouble."""

from __future__ import annotations

import threading
import time

import pytest
from keyring.backends import fail, null

from realtime_gui.core.credentials import (
    DEFAULT_PROFILE,
    ENV_VAR,
    NOT_CHECKED,
    SERVICE_NAME,
    ApiKey,
    KeySource,
    KeyStatus,
    KeyStore,
    backend_display_name,
    check_key,
    check_profile,
)
from realtime_gui.core.errors import (
    InvalidInput,
    KeyringLocked,
    KeyringUnavailable,
    NoApiKey,
)
from tests.doubles import (
    API_KEY,
    ENV_API_KEY,
    OTHER_API_KEY,
    BrokenKeyring,
    HangingKeyring,
    InMemoryKeyring,
    LockedKeyring,
    unregister_backend,
)


@unregister_backend
class PlaintextKeyring(InMemoryKeyring):
    """Named like keyrings.alt's file backend, which keeps keys in a readable file."""


@unregister_backend
class LockedByMessageKeyring(InMemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("Collection is Locked")


class PromptDismissedException(Exception):
    pass


@unregister_backend
class DismissedKeyring(InMemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise PromptDismissedException("Prompt dismissed.")


@unregister_backend
class ReadFailsKeyring(InMemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise OSError("dbus went away")


# -- storing, reading, deleting ----------------------------------------------------------------


def test_store_get_and_delete(store: KeyStore, backend: InMemoryKeyring) -> None:
    assert store.get_stored() is None
    name = store.store(API_KEY)
    assert name == backend_display_name(backend)
    assert backend.passwords == {(SERVICE_NAME, DEFAULT_PROFILE): API_KEY}
    assert store.get_stored() == API_KEY
    assert store.delete() is True
    assert backend.passwords == {}
    assert store.get_stored() is None
    assert store.delete() is False


def test_store_strips_the_key(store: KeyStore, backend: InMemoryKeyring) -> None:
    store.store(f"  {API_KEY}\n")
    assert backend.passwords[(SERVICE_NAME, DEFAULT_PROFILE)] == API_KEY


@pytest.mark.parametrize("key", ["", "   \n", "sk-test unit", "sk-test\tunit"])
def test_store_refuses_empty_or_spaced_keys(
    store: KeyStore, backend: InMemoryKeyring, key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        store.store(key)
    assert caught.value.problems[0].field == "api_key"
    assert backend.passwords == {}


def test_profiles_are_separate(store: KeyStore, backend: InMemoryKeyring) -> None:
    store.store(API_KEY, "work")
    store.store(OTHER_API_KEY, "home")
    assert store.get_stored("work") == API_KEY
    assert store.get_stored("home") == OTHER_API_KEY
    assert store.get_stored() is None
    assert store.delete("work") is True
    assert store.get_stored("home") == OTHER_API_KEY
    assert set(backend.passwords) == {(SERVICE_NAME, "home")}


@pytest.mark.parametrize("profile", ["", "a b", "../etc", "-x", "x" * 65, "ümlaut"])
def test_bad_profile_is_refused_before_the_keyring(
    store: KeyStore, backend: InMemoryKeyring, profile: str
) -> None:
    for action in (
        lambda: store.store(API_KEY, profile),
        lambda: store.get_stored(profile),
        lambda: store.delete(profile),
        lambda: store.resolve(profile),
        lambda: store.status(profile),
        lambda: store.use_for_session(API_KEY, profile),
    ):
        with pytest.raises(InvalidInput):
            action()
    assert backend.passwords == {}


def test_delete_also_forgets_the_session_key(store: KeyStore) -> None:
    store.use_for_session(API_KEY)
    assert store.delete() is False  # nothing was stored in the keyring
    with pytest.raises(NoApiKey):
        store.resolve()


def test_store_replaces_the_session_key(store: KeyStore) -> None:
    store.use_for_session(OTHER_API_KEY)
    store.store(API_KEY)
    key = store.resolve()
    assert key.source is KeySource.KEYRING
    assert key.value == API_KEY


# -- resolution order -----------------------------------------------------------------------


def test_resolve_from_keyring(backend: InMemoryKeyring) -> None:
    store = KeyStore(backend, env={})
    store.store(API_KEY)
    key = store.resolve()
    assert key == ApiKey(API_KEY, KeySource.KEYRING, backend_display_name(backend))
    assert key.describe() == f"Key stored in {backend_display_name(backend)}"


def test_session_key_wins_over_keyring(backend: InMemoryKeyring) -> None:
    store = KeyStore(backend, env={})
    store.store(API_KEY)
    store.use_for_session(f" {OTHER_API_KEY} ")
    key = store.resolve()
    assert key.value == OTHER_API_KEY
    assert key.source is KeySource.SESSION
    assert key.describe() == "Key for this session only"
    assert store.get_stored() == API_KEY  # the keyring is untouched


def test_environment_wins_over_session_and_keyring(backend: InMemoryKeyring) -> None:
    store = KeyStore(backend, env={ENV_VAR: f"  {ENV_API_KEY}  "})
    store.store(API_KEY)
    store.use_for_session(OTHER_API_KEY)
    key = store.resolve()
    assert key.value == ENV_API_KEY
    assert key.source is KeySource.ENVIRONMENT
    assert key.describe() == "Key from OPENAI_API_KEY"


def test_blank_environment_variable_is_ignored(backend: InMemoryKeyring) -> None:
    store = KeyStore(backend, env={ENV_VAR: "   "})
    store.store(API_KEY)
    assert store.resolve().source is KeySource.KEYRING


def test_session_keys_are_per_profile(store: KeyStore) -> None:
    store.use_for_session(API_KEY, "work")
    assert store.resolve("work").value == API_KEY
    with pytest.raises(NoApiKey):
        store.resolve()


def test_no_key_anywhere(store: KeyStore) -> None:
    with pytest.raises(NoApiKey) as caught:
        store.resolve("work")
    error = caught.value
    assert "'work'" in error.user_message
    assert error.exit_code == 3
    # Front-end neutral: the CLI and the window each name their own way to store a key.
    assert "realtime-gui key set" not in (error.hint or "")
    assert "Set key" not in (error.hint or "")
    assert ENV_VAR in (error.hint or "")


def test_environment_key_needs_no_keyring() -> None:
    store = KeyStore(fail.Keyring(), env={ENV_VAR: ENV_API_KEY})
    assert store.resolve().value == ENV_API_KEY


def test_api_key_describe_without_backend_name() -> None:
    assert ApiKey(API_KEY, KeySource.KEYRING).describe() == "Key stored in the keyring"


# -- status ---------------------------------------------------------------------------------


def test_status_without_key(store: KeyStore, backend: InMemoryKeyring) -> None:
    status = store.status()
    assert status == KeyStatus(
        profile=DEFAULT_PROFILE,
        backend=backend_display_name(backend),
        stored=False,
        environment_override=False,
        session_key=False,
    )
    assert status.has_key is False
    assert status.describe() == "No key"


def test_status_with_stored_key(store: KeyStore, backend: InMemoryKeyring) -> None:
    store.store(API_KEY)
    status = store.status()
    assert status.stored is True
    assert status.has_key is True
    assert status.problem is None
    assert status.describe() == f"Key stored in {backend_display_name(backend)}"


def test_status_with_session_key(store: KeyStore) -> None:
    store.use_for_session(API_KEY)
    status = store.status()
    assert status.session_key is True
    assert status.stored is False
    assert status.has_key is True
    assert status.describe() == "Key for this session only"


def test_status_with_environment_override(backend: InMemoryKeyring) -> None:
    store = KeyStore(backend, env={ENV_VAR: ENV_API_KEY})
    store.store(API_KEY)
    store.use_for_session(OTHER_API_KEY)
    status = store.status()
    assert status.environment_override is True
    assert status.session_key is True
    assert status.stored is True
    assert status.describe() == "Key from OPENAI_API_KEY"


def test_status_reports_keyring_problems_instead_of_raising() -> None:
    status = KeyStore(fail.Keyring(), env={}).status()
    assert status.backend == "none"
    assert status.stored is None
    assert isinstance(status.problem, KeyringUnavailable)
    assert status.has_key is False
    assert status.describe() == f"No key ({status.problem.user_message})"


# -- unusable, locked, hung and failing keyrings ----------------------------------------------


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (fail.Keyring(), "no keyring backend was found"),
        (null.Keyring(), "null backend"),
        (PlaintextKeyring(), "plain-text file"),
    ],
    ids=["fail", "null", "plaintext"],
)
def test_unusable_backends_are_refused(backend: object, reason: str) -> None:
    store = KeyStore(backend, env={})  # type: ignore[arg-type]
    for action in (store.backend, store.get_stored, lambda: store.store(API_KEY), store.resolve):
        with pytest.raises(KeyringUnavailable) as caught:
            action()
        error = caught.value
        assert reason in error.user_message
        assert error.exit_code == 3
        assert error.hint
        assert ENV_VAR in error.hint  # a fix that works everywhere
    assert store.backend_name().startswith("none (No usable OS keyring")


def test_unusable_backend_hint_names_a_platform_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    for platform, fix in (
        ("linux", "gnome-keyring"),
        ("darwin", "Keychain Access"),
        ("win32", "Windows Credential Manager"),
    ):
        monkeypatch.setattr("sys.platform", platform)
        with pytest.raises(KeyringUnavailable) as caught:
            KeyStore(fail.Keyring(), env={}).backend()
        assert fix in (caught.value.hint or "")


def test_locked_keyring() -> None:
    store = KeyStore(LockedKeyring(), env={})
    with pytest.raises(KeyringLocked) as caught:
        store.get_stored()
    assert "locked" in caught.value.user_message.lower()
    assert "Unlock" in (caught.value.hint or "")
    with pytest.raises(KeyringLocked):
        store.store(API_KEY)
    with pytest.raises(KeyringLocked):
        store.resolve()
    status = store.status()
    assert isinstance(status.problem, KeyringLocked)


def test_locked_keyring_still_resolves_a_session_key() -> None:
    store = KeyStore(LockedKeyring(), env={})
    store.use_for_session(API_KEY)
    assert store.resolve().value == API_KEY


def test_locked_keyring_error_does_not_echo_the_key() -> None:
    store = KeyStore(LockedKeyring(), env={})
    with pytest.raises(KeyringLocked) as caught:
        store.store(API_KEY)
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("backend", "fragment"),
    [(LockedByMessageKeyring(), "locked"), (DismissedKeyring(), "dismissed")],
    ids=["locked-message", "prompt-dismissed"],
)
def test_other_lock_failures(backend: InMemoryKeyring, fragment: str) -> None:
    with pytest.raises(KeyringLocked) as caught:
        KeyStore(backend, env={}).get_stored()
    assert fragment in caught.value.user_message.lower()


def test_hung_keyring_times_out(hanging_backend: HangingKeyring) -> None:
    store = KeyStore(hanging_backend, env={}, timeout=0.2)
    with pytest.raises(KeyringLocked) as caught:
        store.get_stored()
    assert hanging_backend.entered.is_set()
    assert "did not answer within 0.2 s" in caught.value.user_message
    assert "unlock" in (caught.value.hint or "").lower()


def test_cancel_ends_a_wait_for_a_hung_keyring(hanging_backend: HangingKeyring) -> None:
    store = KeyStore(hanging_backend, env={}, timeout=30.0)
    store.cancel()
    started = time.monotonic()
    with pytest.raises(KeyringLocked) as caught:
        store.get_stored()
    assert time.monotonic() - started < 5.0
    assert "cancelled" in caught.value.user_message


def test_hung_keyring_in_status_is_a_problem(hanging_backend: HangingKeyring) -> None:
    status = KeyStore(hanging_backend, env={}, timeout=0.2).status()
    assert isinstance(status.problem, KeyringLocked)
    assert status.stored is None


def test_failing_backend_is_unavailable_and_redacted() -> None:
    store = KeyStore(BrokenKeyring(), env={})
    with pytest.raises(KeyringUnavailable) as caught:
        store.store(API_KEY)
    text = str(caught.value)
    assert "The keyring failed" in text
    assert API_KEY not in text
    assert "[redacted]" in text


def test_failing_read_is_unavailable() -> None:
    with pytest.raises(KeyringUnavailable) as caught:
        KeyStore(ReadFailsKeyring(), env={}).get_stored()
    assert "dbus went away" in caught.value.user_message


# -- checks, names and reprs --------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["default", "work", "a", "A.b-c_d", "x" * 64, "9lives"])
def test_check_profile_accepts(profile: str) -> None:
    assert check_profile(profile) == profile


@pytest.mark.parametrize("profile", ["", " work", "work ", "a/b", ".hidden", "x" * 65, "a:b"])
def test_check_profile_refuses(profile: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_profile(profile)
    assert caught.value.problems[0].field == "profile"
    assert repr(profile) in str(caught.value)


def test_check_profile_refuses_a_trailing_newline() -> None:
    with pytest.raises(InvalidInput):
        check_profile("default\n")


def test_check_key() -> None:
    assert check_key(f"\t{API_KEY}\r\n") == API_KEY
    with pytest.raises(InvalidInput, match="is empty"):
        check_key("  ")
    with pytest.raises(InvalidInput, match="white space"):
        check_key("sk-test unit")


def test_reprs_never_contain_the_key(store: KeyStore) -> None:
    store.store(API_KEY)
    store.use_for_session(OTHER_API_KEY, "work")
    text = repr(store)
    assert API_KEY not in text
    assert OTHER_API_KEY not in text
    assert "work" in text  # the profile names are fine to show
    for key in (store.resolve(), store.resolve("work"), ApiKey(API_KEY, KeySource.ENVIRONMENT)):
        assert key.value not in repr(key)
        assert key.value not in str(key)


def test_backend_display_names() -> None:
    assert backend_display_name(InMemoryKeyring()) == InMemoryKeyring.name
    assert backend_display_name(fail.Keyring()) == fail.Keyring.name


def test_secret_service_display_name() -> None:
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
    except Exception as exc:
        pytest.skip(f"SecretService.Keyring() cannot be constructed here: {exc}")
    assert backend_display_name(backend) == "Secret Service"


def test_backend_name_of_a_usable_store(store: KeyStore, backend: InMemoryKeyring) -> None:
    assert store.backend() is backend
    assert store.backend_name() == backend_display_name(backend)


# -- the quick status and a hung backend lookup --------------------------------------------------


def test_quick_status_with_an_override_never_asks_the_keyring(
    hanging_backend: HangingKeyring,
) -> None:
    store = KeyStore(hanging_backend, env={ENV_VAR: ENV_API_KEY}, timeout=30.0)
    status = store.status(quick=True)
    assert not hanging_backend.entered.is_set()
    assert status.has_key and status.describe() == "Key from OPENAI_API_KEY"
    assert status.backend == NOT_CHECKED and status.stored is None


def test_quick_status_without_an_override_asks_the_keyring(backend: InMemoryKeyring) -> None:
    store = KeyStore(backend, env={})
    store.store(API_KEY)
    status = store.status(quick=True)
    assert status.stored is True and status.backend != NOT_CHECKED


def test_a_hung_backend_lookup_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    release = threading.Event()
    monkeypatch.setattr(keyring, "get_keyring", lambda: release.wait(30))
    try:
        status = KeyStore(env={}, timeout=0.2).status()
    finally:
        release.set()
    assert isinstance(status.problem, KeyringLocked)
    assert "did not answer within 0.2 s (lookup)" in status.problem.user_message
