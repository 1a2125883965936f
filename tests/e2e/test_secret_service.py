"""The real Secret Service keyring: KeyStore and the CLI's key commands, then a mint."""

from __future__ import annotations

import os

import pytest

from realtime_gui.core.credentials import SERVICE_NAME, KeySource, KeyStore
from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import run_cli
from tests.fake_api import FakeRealtimeApi

pytestmark = pytest.mark.secret_service


@pytest.fixture
def secret_service_env() -> dict[str, str]:
    """The environment the wrapper script set up, minus any key override."""
    env = dict(os.environ)
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    return env


def test_keystore_set_read_delete_on_the_real_backend(secret_service_env: dict[str, str]) -> None:
    import keyring

    store = KeyStore(env=secret_service_env)
    assert store.backend_name() == "Secret Service"
    profile = "pytest-keystore"
    assert store.store(TEST_API_KEY, profile) == "Secret Service"
    # Read it back through the keyring library itself, not only through our wrapper.
    assert keyring.get_password(SERVICE_NAME, profile) == TEST_API_KEY
    resolved = store.resolve(profile)
    assert resolved.value == TEST_API_KEY and resolved.source is KeySource.KEYRING
    assert resolved.describe() == "Key stored in Secret Service"
    assert store.status(profile).stored is True
    assert store.delete(profile) is True
    assert keyring.get_password(SERVICE_NAME, profile) is None
    assert store.delete(profile) is False


def test_cli_key_set_then_mint_without_the_env_var(
    fake_api: FakeRealtimeApi, secret_service_env: dict[str, str]
) -> None:
    env = secret_service_env
    profile = "pytest-cli"
    stored = run_cli("key", "set", "--profile", profile, env=env, stdin=TEST_API_KEY + "\n")
    assert stored.code == 0, stored.stderr
    assert "Secret Service" in stored.stderr

    status = run_cli("key", "status", "--profile", profile, env=env)
    assert status.code == 0, status.stderr
    assert "Backend: Secret Service" in status.stdout and "Stored key: yes" in status.stdout

    minted = run_cli("mint", "--profile", profile, "--base-url", fake_api.base_url, env=env)
    assert minted.code == 0, minted.stderr
    assert fake_api.requests[0].headers["authorization"] == f"Bearer {TEST_API_KEY}"

    deleted = run_cli("key", "delete", "--profile", profile, env=env)
    assert deleted.code == 0 and "Deleted" in deleted.stderr
    after = run_cli("mint", "--profile", profile, "--base-url", fake_api.base_url, env=env)
    assert after.code == 3 and "No API key for profile 'pytest-cli'" in after.stderr
    for result in (stored, status, minted, deleted, after):
        assert TEST_API_KEY not in result.stdout + result.stderr


def test_source_self_test_passes_with_the_real_keyring(secret_service_env: dict[str, str]) -> None:
    env = {**secret_service_env, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHON_KEYRING_BACKEND", None)  # found by discovery, as a user's install would
    done = run_cli("--self-test", env=env)
    assert done.code == 0, done.stdout + done.stderr
    assert "(source)" in done.stdout and "Keyring        Secret Service" in done.stdout
