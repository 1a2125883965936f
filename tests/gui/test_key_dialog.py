"""The API key dialog: save, replace, delete, session-only, and keyring trouble."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from realtime_gui.core.credentials import SERVICE_NAME, KeyStore
from realtime_gui.ui.key_dialog import ApiKeyDialog
from tests.conftest import TEST_API_KEY
from tests.doubles import InMemoryKeyring, LockedKeyring
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret


def open_dialog(qtbot: QtBot, window: object) -> ApiKeyDialog:
    with qtbot.waitActive(window):  # type: ignore[arg-type]
        window.activateWindow()  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # type: ignore[arg-type]
    dialog = window.findChild(ApiKeyDialog, "apiKeyDialog")  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_save_key_then_mint_with_it(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    backend = InMemoryKeyring()
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=backend)
    qtbot.waitUntil(lambda: window.keyStatusLabel.text() == "No key — Set key…")
    dialog = open_dialog(qtbot, window)
    assert dialog.apiKeyInput.echoMode() is dialog.apiKeyInput.EchoMode.Password
    assert not dialog.saveKeyButton.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.apiKeyInput, TEST_API_KEY)
    qtbot.mouseClick(dialog.saveKeyButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert backend.passwords[(SERVICE_NAME, "default")] == TEST_API_KEY
    qtbot.waitUntil(lambda: window.keyStatusLabel.text().startswith("Key stored in"))
    window.mint()
    wait_for_secret(qtbot, window)
    assert fake_api.requests[0].headers["authorization"] == f"Bearer {TEST_API_KEY}"


def test_replace_and_delete(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    backend = InMemoryKeyring()
    backend.set_password(SERVICE_NAME, "default", "sk-old-key-0000")
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=backend)
    dialog = open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: "a key is stored" in dialog.backendLabel.text())
    qtbot.waitUntil(dialog.deleteKeyButton.isEnabled)
    dialog.apiKeyInput.setText(TEST_API_KEY)
    qtbot.mouseClick(dialog.saveKeyButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert backend.passwords[(SERVICE_NAME, "default")] == TEST_API_KEY

    dialog = open_dialog(qtbot, window)
    qtbot.waitUntil(dialog.deleteKeyButton.isEnabled)
    qtbot.mouseClick(dialog.deleteKeyButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.messageLabel.text().startswith("Deleted"))
    assert (SERVICE_NAME, "default") not in backend.passwords
    qtbot.waitUntil(lambda: window.keyStatusLabel.text() == "No key — Set key…")


def test_locked_keyring_offers_the_session_only_path(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=LockedKeyring())
    dialog = open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: "unavailable" in dialog.backendLabel.text())
    dialog.apiKeyInput.setText(TEST_API_KEY)
    qtbot.mouseClick(dialog.saveKeyButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.messageLabel.isVisible)
    qtbot.waitUntil(lambda: "locked" in dialog.messageLabel.text())
    assert "session only" in dialog.messageLabel.text()
    assert dialog.isVisible() and dialog.sessionOnlyButton.isEnabled()
    qtbot.mouseClick(dialog.sessionOnlyButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.keyStatusLabel.text() == "Key for this session only")
    window.mint()
    wait_for_secret(qtbot, window)


def test_whitespace_key_is_refused_in_the_dialog(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    backend = InMemoryKeyring()
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=backend)
    dialog = open_dialog(qtbot, window)
    dialog.apiKeyInput.setText("sk-two words")
    qtbot.mouseClick(dialog.saveKeyButton, Qt.MouseButton.LeftButton)
    assert "white space" in dialog.messageLabel.text()
    assert backend.passwords == {}


@pytest.mark.secret_service
def test_saved_key_survives_a_restart_on_the_real_secret_service(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    env = {"OPENAI_BASE_URL": fake_api.base_url}
    store_factory = lambda e: KeyStore(env=e)  # noqa: E731 - the real default backend
    window = make_window(env=env, store_factory=store_factory)
    dialog = open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: "Secret Service" in dialog.backendLabel.text())
    dialog.apiKeyInput.setText(TEST_API_KEY)
    qtbot.mouseClick(dialog.saveKeyButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15_000)
    window.close()

    restarted = make_window(env=env, store_factory=store_factory)
    qtbot.waitUntil(
        lambda: restarted.keyStatusLabel.text() == "Key stored in Secret Service", timeout=15_000
    )
    restarted.mint()
    wait_for_secret(qtbot, restarted)
    assert fake_api.requests[-1].headers["authorization"] == f"Bearer {TEST_API_KEY}"
    assert os.environ.get("PYTHON_KEYRING_BACKEND") == "keyring.backends.SecretService.Keyring"
    KeyStore(env=env).delete()
