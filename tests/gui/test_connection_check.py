"""The window's Test connection part, driven with pytest-qt against the fake Realtime API."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from realtime_gui.core.errors import RealtimeClosed, RealtimeErrorEvent
from realtime_gui.ui.worker_host import WorkerHost
from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret
from tests.gui.test_main_window import GapMeter


@pytest.fixture(autouse=True)
def every_thread_joined(qtbot: QtBot) -> Iterator[None]:
    """After the windows closed: the connection test's thread too has ended (none leaks on).

    Closing mid-test is a crash-prone case and runs in a subprocess instead
    (tests/e2e/lifetime_scenarios.py, close-mid-connection-test).
    """
    yield
    qtbot.waitUntil(lambda: not WorkerHost.live_hosts(), timeout=10_000)
    # Collect the closed windows' Python wrappers here, on the GUI thread: a cyclic
    # collection started later by an allocation on some other thread must not be the one
    # that deletes Qt objects.
    gc.collect()


NAMES = ["connectionCheck", "testConnectionButton", "testSayInput", "testCancelButton",
         "testProgress", "testResultLabel"]  # fmt: skip


def ready(qtbot: QtBot, window: QWidget) -> QPushButton:
    button = window.findChild(QPushButton, "testConnectionButton")
    assert button is not None
    qtbot.waitUntil(button.isEnabled, timeout=10_000)  # the key status has come in
    return button


def result_label(window: QWidget) -> QLabel:
    label = window.findChild(QLabel, "testResultLabel")
    assert label is not None
    return label


def wait_done(qtbot: QtBot, window: QWidget) -> str:
    check = window.connectionCheck  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not check.is_testing, timeout=20_000)
    return result_label(window).text()


def test_names_accessible_names_and_tooltips(make_window: WindowFactory) -> None:
    window = make_window()
    for name in NAMES:
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName() or name == "testCancelButton", name
    button = window.findChild(QPushButton, "testConnectionButton")
    assert button is not None and button.toolTip()
    assert window.connectionCheck.testCancelButton.toolTip()
    assert not window.connectionCheck.testProgress.isVisible()


def test_test_connection_shows_time_session_and_model(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    ready(qtbot, window).click()
    text = wait_done(qtbot, window)
    (connection,) = fake_api.realtime.connections
    session = connection.sent[0]["session"]
    assert text.startswith("Connected in ") and " ms · " in text
    assert f"· {session['id']} · {session['model']}" in text.splitlines()[0]
    assert "Reply:" not in text
    assert connection.query["model"] == [session["model"]]
    assert connection.headers["authorization"].startswith("Bearer ek_")
    assert "openai-beta" not in connection.headers
    assert connection.outcome == "closed by client"
    assert window.connectionCheck.testConnectionButton.isEnabled()
    assert not window.connectionCheck.testProgress.isVisible()


def test_say_text_shows_the_reply(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    button = ready(qtbot, window)
    window.connectionCheck.testSayInput.setText("hello there")
    button.click()
    text = wait_done(qtbot, window)
    assert "Reply: You said: hello there" in text
    received = fake_api.realtime.connections[-1].received
    assert [e["type"] for e in received] == ["conversation.item.create", "response.create"]
    assert received[1]["response"] == {"output_modalities": ["text"]}


def test_differences_from_what_was_asked_are_listed(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.instructionsInput.setPlainText("Be brief.")
    button = ready(qtbot, window)
    # The session the server starts differs from the one minted: a real server may do so.
    original = fake_api.realtime.issue

    def issue(value: str, session: dict, expires_at: int) -> None:  # type: ignore[type-arg]
        original(value, dict(session, instructions="Something else."), expires_at)

    fake_api.realtime.issue = issue  # type: ignore[method-assign]
    button.click()
    text = wait_done(qtbot, window)
    assert "Granted differently from what was asked: instructions" in text


def test_failure_shows_in_the_label_and_the_banner(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    button = ready(qtbot, window)
    fake_api.realtime.mode = "close"
    fake_api.realtime.close_reason = "going away now"
    button.click()
    text = wait_done(qtbot, window)
    assert text.startswith("Failed: ") and "1011" in text and "going away now" in text
    banner = window.statusBanner
    assert banner.isVisible() and isinstance(banner.error, RealtimeClosed)
    assert "code 1011" in banner.titleLabel.text()
    # The next test, once the server behaves, clears the banner this test put up.
    fake_api.realtime.mode = "ok"
    button.click()
    assert wait_done(qtbot, window).startswith("Connected in")
    assert not banner.isVisible()


def test_error_event_code_is_named_verbatim(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    button = ready(qtbot, window)
    fake_api.realtime.mode = "error"
    button.click()
    text = wait_done(qtbot, window)
    assert "beta_api_shape_disabled" in text
    assert isinstance(window.statusBanner.error, RealtimeErrorEvent)
    assert "beta_api_shape_disabled" in window.statusBanner.message
    assert TEST_API_KEY not in window.statusBanner.message
    assert "ek_" not in window.statusBanner.detailsView.toPlainText()


def test_the_test_uses_a_sibling_secret_never_the_one_shown(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    button = ready(qtbot, window)
    window.mint()
    shown = wait_for_secret(qtbot, window)
    button.click()
    assert wait_done(qtbot, window).startswith("Connected in")
    assert fake_api.realtime.connections[-1].credential != shown
    (issued,) = [s for s in fake_api.realtime.issued() if s.value == shown]
    assert not issued.used  # the user's secret can still start its one session
    assert len(fake_api.realtime.issued()) == 2  # the shown one and the test's sibling


def test_running_test_disables_the_button_and_esc_cancels_it(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    button = ready(qtbot, window)
    fake_api.realtime.mode = "hang"
    meter = GapMeter()
    button.click()
    qtbot.waitUntil(lambda: fake_api.realtime.connections != [], timeout=10_000)
    assert not button.isEnabled() and button.text() == "Testing…"
    assert window.connectionCheck.testProgress.isVisible()
    assert window.connectionCheck.testCancelButton.isVisible()
    button.click()  # ignored: still one test, one connection
    window.menus.testAction.trigger()
    qtbot.wait(200)
    assert len(fake_api.realtime.connections) == 1
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert wait_done(qtbot, window) == "Cancelled."
    meter.stop()
    assert meter.ticks > 5  # the event loop ran all along
    assert button.isEnabled() and not window.connectionCheck.testProgress.isVisible()
    assert window._banner is None or not window.statusBanner.isVisible()


def test_cancel_button_cancels_a_test_stuck_in_the_mint(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    import threading

    window = make_window()
    button = ready(qtbot, window)
    release = threading.Event()
    fake_api.then(lambda handler: release.wait(30))
    button.click()
    qtbot.waitUntil(lambda: len(fake_api.requests) == 1, timeout=10_000)
    window.connectionCheck.testCancelButton.click()
    assert wait_done(qtbot, window) == "Cancelled."
    assert not release.is_set()  # cancelled, not waited for
    release.set()
    assert fake_api.realtime.connections == []


def test_no_key_disables_the_button(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url})
    qtbot.waitUntil(lambda: "No key" in window.keyStatusLabel.text(), timeout=10_000)
    assert not window.connectionCheck.testConnectionButton.isEnabled()
    assert "no API key" in window.connectionCheck.testConnectionButton.toolTip()
    window.menus.testAction.trigger()
    qtbot.wait(100)
    assert fake_api.requests == [] and fake_api.realtime.connections == []


def test_invalid_form_disables_the_button_and_ctrl_t_names_the_field(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    ready(qtbot, window)
    window.baseUrlInput.setText("not a url")
    qtbot.waitUntil(lambda: not window.connectionCheck.testConnectionButton.isEnabled())
    assert "form has problems" in window.connectionCheck.testConnectionButton.toolTip()
    window.menus.testAction.trigger()
    assert window.statusBanner.isVisible()
    assert "base_url" in window.statusBanner.titleLabel.text()
    assert fake_api.requests == [] and fake_api.realtime.connections == []


def test_a_locked_keyring_leaves_the_button_enabled_and_names_the_problem(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    from tests.doubles import LockedKeyring

    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=LockedKeyring())
    button = ready(qtbot, window)  # unknown is not "no key": the test may ask the keyring
    button.click()
    text = wait_done(qtbot, window)
    assert text.startswith("Failed: ") and "locked" in text.lower()
    assert window.statusBanner.isVisible()
    assert fake_api.requests == [] and fake_api.realtime.connections == []


def test_ctrl_t_runs_the_test_from_anywhere_in_the_window(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    ready(qtbot, window)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.instructionsInput.setFocus()
    qtbot.keyClick(window.instructionsInput, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert wait_done(qtbot, window).startswith("Connected in")
    assert len(fake_api.realtime.connections) == 1
    assert window.instructionsInput.toPlainText() == ""  # the shortcut did not type a "t"
