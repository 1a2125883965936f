"""Copy as…: the secret view's menu after a real mint, and the Serve panel's while serving."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QToolButton
from pytestqt.qtbot import QtBot

from realtime_gui.core.endpoint import Connection, Provider
from realtime_gui.core.request import prepare
from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import ApiShape, SessionConfig
from realtime_gui.core.snippets import KINDS, SERVE_KINDS
from realtime_gui.ui.secret_view import SecretView
from tests.e2e.snippet_support import run_python
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret
from tests.gui.test_serve_panel import open_panel, start_serving

WAIT_MS = 10_000


def _menu(button: QToolButton) -> QMenu:
    menu = button.menu()
    assert menu is not None
    return menu


def _pick(button: QToolButton, kind: str) -> str:
    (action,) = [a for a in _menu(button).actions() if a.data() == kind]
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    return QGuiApplication.clipboard().text()


def test_copy_as_is_disabled_until_a_mint_then_offers_every_kind(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    button = window.secretView.copyAsButton
    assert button.objectName() == "copyAsButton" and window.findChild(QToolButton, "copyAsButton")
    assert button.accessibleName() and button.toolTip() and not button.isEnabled()
    assert button.text().replace("&", "") == "Copy as…"
    window.mint()
    wait_for_secret(qtbot, window)
    assert button.isEnabled()
    actions = _menu(button).actions()
    assert [a.data() for a in actions] == [k.name for k in KINDS]
    assert [a.text() for a in actions] == [k.label for k in KINDS]
    assert all(a.isEnabled() and a.toolTip() for a in actions)
    assert [a.objectName() for a in actions] == [f"copyAsButton-{k.name}" for k in KINDS]


def test_each_kind_copies_the_rendered_snippet_after_a_mint(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi, tmp_path: Path
) -> None:
    window = make_window()
    window.mint()
    secret = wait_for_secret(qtbot, window)
    button = window.secretView.copyAsButton
    assert _pick(button, "value") == secret
    assert json.loads(_pick(button, "json"))["value"] == secret
    assert "Secret copied to the clipboard" in window.statusBar().currentMessage()
    websocket = f"ws://127.0.0.1:{fake_api.port}/v1/realtime?model=gpt-realtime"
    assert json.dumps(websocket) in _pick(button, "js-websocket")
    assert f"{fake_api.base_url}/realtime/calls" in _pick(button, "js-webrtc")
    python = _pick(button, "python")
    assert f"SECRET = {secret!r}" in python
    # What was copied really opens the session the window minted.
    done = run_python(python, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("session.created\n")


def test_the_snippet_follows_the_request_sent_not_a_later_edit_of_the_form(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.mint()
    wait_for_secret(qtbot, window)
    window.baseUrlInput.setText("https://elsewhere.example/v1")  # after the mint
    assert fake_api.base_url in _pick(window.secretView.copyAsButton, "js-webrtc")


def _secret(seconds_left: float, connection: Connection, api: ApiShape) -> MintedSecret:
    return MintedSecret(
        value="ek_copy_as_view",
        expires_at=int(time.time() + seconds_left),
        session_id="sess_view",
        model="dep",
        session={"model": "dep"},
        api=api,
        request=prepare(SessionConfig(api=api, model="dep"), connection),
    )


def test_expiry_disables_copy_as_and_clears_a_copied_snippet(qtbot: QtBot) -> None:
    view = SecretView()
    qtbot.addWidget(view)
    view.show_secret(_secret(2, Connection(), ApiShape.GA))
    copied = _pick(view.copyAsButton, "env")
    assert "ek_copy_as_view" in copied
    qtbot.waitUntil(lambda: not view.copyAsButton.isEnabled(), timeout=WAIT_MS)
    assert QGuiApplication.clipboard().text() == ""  # the snippet held the secret
    view.copy_as("python")  # expired: nothing is put on the clipboard
    assert QGuiApplication.clipboard().text() == ""
    view.stop()


def test_a_kind_the_connection_cannot_have_is_disabled_with_the_reason(qtbot: QtBot) -> None:
    view = SecretView()
    qtbot.addWidget(view)
    azure_preview = Connection("https://res.openai.azure.com/openai", Provider.AZURE)
    view.show_secret(_secret(300, azure_preview, ApiShape.BETA))
    actions = {a.data(): a for a in _menu(view.copyAsButton).actions()}
    assert not actions["js-webrtc"].isEnabled()
    assert "regional host" in actions["js-webrtc"].toolTip()
    assert "api-version=" in _pick(view.copyAsButton, "js-websocket")
    view.stop()


def test_serve_copy_as_offers_the_code_kinds_while_serving_without_any_secret(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    panel = open_panel(qtbot, window)
    button = panel.serveCopyAsButton
    assert button.objectName() == "serveCopyAsButton" and button in panel.tab_order()
    assert not button.isEnabled()
    panel.serveRequireToken.setChecked(True)
    url = start_serving(qtbot, panel)
    token = panel.serveTokenField.text()
    assert button.isEnabled() and token
    assert [a.data() for a in _menu(button).actions()] == [k.name for k in SERVE_KINDS]
    for kind in SERVE_KINDS:
        text = _pick(button, kind.name)
        assert f"{url}/token" in text and f"127.0.0.1:{fake_api.port}/v1/realtime" in text
        assert token not in text and not re.search(r"ek_|sk-", text)
        assert "SERVE_TOKEN" in text  # a required token is left for the user to supply
    assert "no secret" in window.statusBar().currentMessage()
    panel.serveToggle.click()
    qtbot.waitUntil(lambda: not button.isEnabled(), timeout=WAIT_MS)
