"""The real Secret Service keyring: KeyStore and the CLI's key commands, then a mint."""

from __future__ import annotations

import json
import os
from pathlib import Path

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
    added = run_cli("profile", "add", profile, "--provider", "openai", env=env)
    assert added.code == 0, added.stderr
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


def test_two_profiles_keep_their_own_keys_in_the_real_keyring(
    secret_service_env: dict[str, str], tmp_path: Path
) -> None:
    """Each profile's key, stored in the Secret Service, reaches only that profile's API."""
    keys = {"pytest-work": "sk-test-ss-work", "pytest-home": "sk-test-ss-home"}
    apis = {name: FakeRealtimeApi(key).start() for name, key in keys.items()}
    env = {**secret_service_env, "REALTIME_GUI_CONFIG_DIR": str(tmp_path / "config")}
    try:
        for name, key in keys.items():
            url = apis[name].base_url
            added = run_cli(
                "profile", "add", name, "--provider", "custom", "--base-url", url, env=env
            )
            assert added.code == 0, added.stderr
            stored = run_cli("key", "set", "--profile", name, env=env, stdin=key + "\n")
            assert stored.code == 0 and "Secret Service" in stored.stderr
        listed = json.loads(run_cli("profile", "list", "--json", env=env).stdout)
        assert {row["name"]: row["key"] for row in listed} == {
            "default": "none", "pytest-home": "stored", "pytest-work": "stored",
        }  # fmt: skip
        for name in keys:
            minted = run_cli("mint", env={**env, "REALTIME_GUI_PROFILE": name})
            assert minted.code == 0, minted.stderr
        for name, key in keys.items():
            (request,) = apis[name].requests
            assert request.headers["authorization"] == f"Bearer {key}"
        removed = run_cli("profile", "remove", "pytest-home", "--delete-key", env=env)
        assert removed.code == 0, removed.stderr
        import keyring

        assert keyring.get_password(SERVICE_NAME, "pytest-home") is None
        assert keyring.get_password(SERVICE_NAME, "pytest-work") == keys["pytest-work"]
    finally:
        for api in apis.values():
            api.stop()
        run_cli("key", "delete", "--profile", "pytest-work", env=env)
        run_cli("key", "delete", "--profile", "pytest-home", env=env)
