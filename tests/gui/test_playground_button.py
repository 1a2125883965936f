"""Open playground in the real window: it starts serving the form's session and opens the page."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.serve_panel import ServePanel, ServeState
from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory

WAIT_MS = 10_000


class Opened:
    """Stands in for the desktop's browser: records each URL it was asked to open."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.answer = True

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url.toString())
        return self.answer


@pytest.fixture
def window(make_window: WindowFactory) -> Iterator[tuple[MainWindow, Opened]]:
    window = make_window()
    opened = Opened()
    window.playground.open_url = opened
    window.modelInput.setEditText("gpt-realtime")
    window.voiceInput.setEditText("marin")
    yield window, opened


def _meta(page: str, name: str) -> str:
    marker = f'<meta name="{name}" content="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_the_shortcut_starts_serving_and_opens_the_page(
    qtbot: QtBot,
    window: tuple[MainWindow, Opened],
    fake_api: FakeRealtimeApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    win, opened = window
    caplog.set_level(logging.DEBUG)
    assert win.serveLink.built is None  # nothing built or served before it is asked for
    with qtbot.waitActive(win):
        win.activateWindow()
    qtbot.keyClick(
        win, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    panel = win.serveLink.panel
    panel.servePortInput.setValue(0)  # set while the stack loads: the start uses it
    qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=WAIT_MS)
    assert panel.state is ServeState.SERVING
    url = opened.urls[0]
    assert url == panel.serveUrlField.text() + "/"  # no token required: no fragment at all
    assert "#" not in url
    pane = win.requestPane
    assert pane.currentWidget() is panel  # the Serve tab shows what runs
    page = httpx.get(url)
    assert page.status_code == 200
    assert _meta(page.text, "rtg-model") == "gpt-realtime"  # the form's session
    assert _meta(page.text, "rtg-calls-url") == fake_api.base_url + "/realtime/calls"
    secret = httpx.get(url + "token").json()["value"]
    assert fake_api.requests[-1].body["session"]["audio"]["output"]["voice"] == "marin"
    assert "Opened the playground at " + url in win.statusBar().currentMessage()
    for text in (page.text, url, win.statusBar().currentMessage(), caplog.text):
        assert secret not in text and TEST_API_KEY not in text


def test_the_button_adds_the_required_token_to_the_fragment_only(
    qtbot: QtBot, window: tuple[MainWindow, Opened], caplog: pytest.LogCaptureFixture
) -> None:
    win, opened = window
    caplog.set_level(logging.DEBUG)
    win.menus.serveAction.trigger()
    panel: ServePanel = win.serveLink.panel
    qtbot.waitUntil(lambda: panel.state is ServeState.STOPPED, timeout=WAIT_MS)
    panel.servePortInput.setValue(0)
    panel.serveRequireToken.setChecked(True)
    assert panel.playgroundButton.accessibleName() == "Open playground"
    assert "browser" in panel.playgroundButton.toolTip()
    qtbot.mouseClick(panel.playgroundButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=WAIT_MS)
    token = panel.serveTokenField.text()
    assert len(token) >= 32
    base = panel.serveUrlField.text() + "/"
    assert opened.urls == [base + "#token=" + token]
    # What the page does with it: the token goes in Authorization, /token mints.
    assert httpx.get(base + "token").status_code == 401
    authorized = httpx.get(base + "token", headers={"Authorization": f"Bearer {token}"})
    assert authorized.status_code == 200
    page = httpx.get(base).text
    message = win.statusBar().currentMessage()
    assert base in message
    for text in (page, message, caplog.text):
        assert token not in text


def test_when_serving_already_it_opens_the_same_server(
    qtbot: QtBot, window: tuple[MainWindow, Opened]
) -> None:
    win, opened = window
    win.menus.serveAction.trigger()
    panel = win.serveLink.panel
    qtbot.waitUntil(lambda: panel.state is ServeState.STOPPED, timeout=WAIT_MS)
    panel.servePortInput.setValue(0)
    panel.serveToggle.click()
    qtbot.waitUntil(lambda: panel.state is ServeState.SERVING, timeout=WAIT_MS)
    served_url = panel.serveUrlField.text()
    events = []
    panel.stateChanged.connect(events.append)
    win.menus.playgroundAction.trigger()
    assert opened.urls == [served_url + "/"]  # at once, without a restart
    assert events == []
    opened.answer = False  # no browser on this desktop: the window says what to open
    panel.playgroundButton.click()
    assert "Could not open a browser; open " + served_url + "/ yourself." in (
        win.statusBar().currentMessage()
    )


def test_a_form_that_cannot_be_served_opens_nothing_until_fixed(
    qtbot: QtBot, window: tuple[MainWindow, Opened], fake_api: FakeRealtimeApi
) -> None:
    win, opened = window
    win.menus.serveAction.trigger()
    panel = win.serveLink.panel
    qtbot.waitUntil(lambda: panel.state is ServeState.STOPPED, timeout=WAIT_MS)
    panel.servePortInput.setValue(0)
    win.baseUrlInput.setText("http://example.com/v1")  # plain http off loopback: refused
    qtbot.waitUntil(lambda: bool(win.problems()), timeout=WAIT_MS)
    panel.playgroundButton.click()
    qtbot.waitUntil(panel.serveErrorLabel.isVisible, timeout=WAIT_MS)
    assert panel.state is ServeState.STOPPED and opened.urls == []
    assert "see the Serve tab" in win.statusBar().currentMessage()
    win.baseUrlInput.setText(fake_api.base_url)
    qtbot.waitUntil(lambda: not win.problems(), timeout=WAIT_MS)
    panel.playgroundButton.click()
    qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=WAIT_MS)
    assert opened.urls[0].startswith(panel.serveUrlField.text())
