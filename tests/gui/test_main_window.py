"""The real window, driven with pytest-qt against the real local API server."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import ApiShape
from tests.conftest import TEST_API_KEY
from tests.doubles import HangingKeyring, InMemoryKeyring, LockedKeyring
from tests.fake_api import Canned, FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret, wait_until_idle

CONTRACT = [
    "apiShapeInput", "sessionTypeInput", "modelInput", "voiceInput", "instructionsInput",
    "modalityAudio", "modalityText", "ttlInput", "mintButton", "secretField", "revealButton",
    "copyButton", "countdownLabel", "expiresAtLabel", "sessionInfoLabel", "statusBanner",
    "keyStatusLabel", "apiKeyButton",
]  # fmt: skip
INPUTS = [
    "apiShapeInput", "sessionTypeInput", "providerInput", "baseUrlInput", "timeoutInput",
    "modelInput", "voiceInput", "instructionsInput", "modalityAudio", "modalityText", "ttlInput",
    "mintButton", "secretField", "revealButton", "copyButton", "apiKeyButton",
]  # fmt: skip


def child(window: QWidget, name: str) -> QWidget:
    found = window.findChild(QWidget, name)
    assert found is not None, name
    return found


def test_object_names_accessible_names_and_tooltips(make_window: WindowFactory) -> None:
    window = make_window()
    for name in CONTRACT:
        child(window, name)
    for name in INPUTS:
        widget = child(window, name)
        assert widget.accessibleName(), name
        assert widget.toolTip(), name


def test_mint_ga_realtime(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.keyStatusLabel.text() == "Key from OPENAI_API_KEY")
    window.modelInput.setEditText("gpt-realtime-mini")
    window.voiceInput.setEditText("marin")
    window.instructionsInput.setPlainText("Speak like a pirate.")
    window.modalityText.setChecked(True)  # exclusive in GA: unchecks audio
    assert not window.modalityAudio.isChecked()
    window.ttlInput.setValue(120)
    qtbot.mouseClick(window.mintButton, Qt.MouseButton.LeftButton)
    secret = wait_for_secret(qtbot, window)

    (request,) = fake_api.requests
    assert request.path == "/v1/realtime/client_secrets"
    assert request.body == {
        "expires_after": {"anchor": "created_at", "seconds": 120},
        "session": {
            "type": "realtime",
            "model": "gpt-realtime-mini",
            "instructions": "Speak like a pirate.",
            "output_modalities": ["text"],
            "audio": {"output": {"voice": "marin"}},
        },
    }
    assert window.secretField.echoMode() is QLineEdit.EchoMode.Password
    assert secret.startswith("ek_") and secret not in window.sessionInfoLabel.text()
    assert "model gpt-realtime-mini" in window.sessionInfoLabel.text()
    assert "Session sess_" in window.sessionInfoLabel.text()
    assert window.expiresAtLabel.text().startswith("Expires ")
    assert window.countdownLabel.text() in ("02:00", "01:59", "01:58")
    assert window.copyButton.isEnabled() and not window.statusBanner.isVisible()


def test_mint_ga_transcription(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.sessionTypeInput.setCurrentIndex(window.sessionTypeInput.findData("transcription"))
    for name in ("voiceInput", "instructionsInput", "modalityAudio", "modalityText"):
        widget = child(window, name)
        assert not widget.isEnabled(), name
        assert widget.toolTip().startswith("Not available:"), name
    window.modelInput.setEditText("gpt-4o-transcribe")
    qtbot.mouseClick(window.mintButton, Qt.MouseButton.LeftButton)
    wait_for_secret(qtbot, window)
    assert fake_api.requests[0].body == {
        "session": {
            "type": "transcription",
            "audio": {"input": {"transcription": {"model": "gpt-4o-transcribe"}}},
        }
    }
    assert "model gpt-4o-transcribe" in window.sessionInfoLabel.text()


def test_mint_beta(qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi) -> None:
    window = make_window()
    window.apiShapeInput.setCurrentIndex(window.apiShapeInput.findData("beta"))
    assert window.ttlInput.value() == 60  # the Beta server default, shown until changed
    assert window.modalityAudio.isChecked() and window.modalityText.isChecked()
    assert not window.sessionTypeInput.isEnabled()
    window.voiceInput.setEditText("verse")
    qtbot.mouseClick(window.mintButton, Qt.MouseButton.LeftButton)
    wait_for_secret(qtbot, window)
    (request,) = fake_api.requests
    assert request.path == "/v1/realtime/sessions"
    assert request.body == {
        "model": "gpt-4o-realtime-preview",
        "modalities": ["text", "audio"],
        "voice": "verse",
    }
    assert "Beta API" in window.sessionInfoLabel.text()


def _show(window: object, seconds_left: float) -> None:
    window.show_secret(  # type: ignore[attr-defined]
        MintedSecret(
            value="ek_gui_countdown",
            expires_at=int(time.time() + seconds_left),
            session_id="sess_gui",
            model="gpt-realtime",
            session={},
            api=ApiShape.GA,
        )
    )


def test_countdown_levels(make_window: WindowFactory) -> None:
    window = make_window()
    _show(window, 300)
    assert window.countdownLabel.property("level") == "normal"
    _show(window, 25)
    assert window.countdownLabel.property("level") == "warning"
    assert "color" in window.countdownLabel.styleSheet()
    _show(window, 8)
    assert window.countdownLabel.property("level") == "critical"


def test_short_lifetime_counts_down_to_expired(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.ttlInput.setValue(10)
    qtbot.mouseClick(window.mintButton, Qt.MouseButton.LeftButton)
    secret = wait_for_secret(qtbot, window)
    assert window.countdownLabel.property("level") == "critical"  # 10 s or less: red
    qtbot.mouseClick(window.copyButton, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == secret
    seen: set[str] = set()
    timer = QTimer()
    timer.timeout.connect(lambda: seen.add(window.countdownLabel.text()))
    timer.start(100)
    qtbot.waitUntil(lambda: window.countdownLabel.text() == "Expired", timeout=15_000)
    timer.stop()
    # Seconds really ticked down (recomputed every tick, not frozen).
    assert len({s for s in seen if s.startswith("00:")}) >= 5
    assert window.countdownLabel.property("level") == "expired"
    assert not window.copyButton.isEnabled()
    # An expired secret does not linger on the clipboard.
    assert QGuiApplication.clipboard().text() != secret


def test_copy_and_reveal(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    QGuiApplication.clipboard().setText("something else")
    window.mint()
    secret = wait_for_secret(qtbot, window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QGuiApplication.clipboard().text() == secret
    assert "copied" in window.statusBar().currentMessage().lower()
    qtbot.mouseClick(window.revealButton, Qt.MouseButton.LeftButton)
    assert window.secretField.echoMode() is QLineEdit.EchoMode.Normal
    qtbot.mouseClick(window.revealButton, Qt.MouseButton.LeftButton)
    assert window.secretField.echoMode() is QLineEdit.EchoMode.Password


def test_ctrl_return_mints_even_from_the_instructions(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.instructionsInput.setFocus()
    qtbot.keyClick(window.instructionsInput, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_for_secret(qtbot, window)
    assert len(fake_api.requests) == 1
    assert window.instructionsInput.toPlainText() == ""  # no newline was typed


ERRORS = [
    ("400", lambda api: api.then_error(
        400, "Invalid type for 'session.audio.input.format': expected an object, but got a "
        "string instead.", "invalid_type", param="session.audio.input.format"),
     "rejected the request", "invalid_type"),
    ("401", lambda api: api.then_error(401, "Incorrect API key provided", "invalid_api_key"),
     "did not accept the API key", "Incorrect API key provided"),
    ("403", lambda api: api.then_error(403, "Missing scopes: model.request", None),
     "(403)", "Missing scopes: model.request"),
    ("404", lambda api: api.then_error(404, "Invalid URL", None), "(404)", "--api beta"),
    ("429", lambda api: api.then_error(
        429, "Rate limit reached", "rate_limit_exceeded", headers={"Retry-After": "12"}),
     "Retry in 12 s", "rate_limit_exceeded"),
    ("500", lambda api: api.then_error(500, "The server had an error", "server_error"),
     "The server failed (500)", "The server had an error"),
    ("503-html", lambda api: api.then(Canned(
        503, b"<html>Service Unavailable</html>", {"Content-Type": "text/html"})),
     "The server failed (503)", "server's side"),
    ("no-secret", lambda api: api.then(Canned(200, b'{"expires_at": 1}')),
     "no client secret", "--api beta"),
    ("bad-expiry", lambda api: api.then(Canned(200, b'{"value": "ek_x", "expires_at": "soon"}')),
     "not a number", "API shape"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "script", "first", "more"), ERRORS, ids=[e[0] for e in ERRORS])
def test_api_errors_show_in_the_banner_then_the_next_mint_works(
    qtbot: QtBot,
    make_window: WindowFactory,
    fake_api: FakeRealtimeApi,
    case: str,
    script: object,
    first: str,
    more: str,
) -> None:
    window = make_window()
    script(fake_api)  # type: ignore[operator]
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    assert first in window.statusBanner.titleLabel.text()
    assert more in window.statusBanner.message
    assert TEST_API_KEY not in window.statusBanner.message
    assert TEST_API_KEY not in window.statusBanner.detailsView.toPlainText()
    assert window.mintButton.isEnabled()
    window.mint()
    wait_for_secret(qtbot, window)
    assert not window.statusBanner.isVisible()


def test_details_expander_shows_the_raw_body(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    fake_api.then_error(400, "Unknown parameter: 'session.temperature'.", "unknown_parameter")
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    banner = window.statusBanner
    assert not banner.detailsView.isVisible()
    qtbot.mouseClick(banner.detailsButton, Qt.MouseButton.LeftButton)
    assert banner.detailsView.isVisible()
    assert '"code": "unknown_parameter"' in banner.detailsView.toPlainText()


def test_network_errors_show_in_the_banner(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.baseUrlInput.setText("http://127.0.0.1:9/v1")  # discard port: refused
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=15_000)
    assert "Could not connect" in window.statusBanner.titleLabel.text()

    release = threading.Event()
    fake_api.then(lambda handler: release.wait(10))
    window.baseUrlInput.setText(fake_api.base_url)
    window.timeoutInput.setValue(1)
    window.mint()
    qtbot.waitUntil(
        lambda: "Timed out after 1 s" in window.statusBanner.titleLabel.text(), timeout=15_000
    )
    release.set()
    window.mint()
    wait_for_secret(qtbot, window)


def test_tls_failure_shows_in_the_banner(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.baseUrlInput.setText(f"https://127.0.0.1:{fake_api.port}/v1")
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=15_000)
    assert "TLS handshake" in window.statusBanner.titleLabel.text()
    window.baseUrlInput.clear()  # back to OPENAI_BASE_URL, the local server
    window.mint()
    wait_for_secret(qtbot, window)


def test_invalid_input_is_refused_before_sending(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.apiShapeInput.setCurrentIndex(window.apiShapeInput.findData("beta"))
    window.modalityText.setChecked(False)
    window.mint()
    assert window.statusBanner.isVisible()
    assert "modalities" in window.statusBanner.titleLabel.text()
    window.voiceInput.setEditText("voice_custom123")
    window.modalityText.setChecked(True)
    window.mint()
    assert "custom voices" in window.statusBanner.titleLabel.text()
    window.baseUrlInput.setText("http://example.com/v1")
    window.voiceInput.setEditText("")
    window.mint()
    assert "base_url" in window.statusBanner.titleLabel.text()
    assert fake_api.requests == []


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        (InMemoryKeyring(), "No API key"),
        (LockedKeyring(), "locked"),
    ],
    ids=["no-key", "locked"],
)
def test_key_problems_show_in_the_banner(
    qtbot: QtBot,
    make_window: WindowFactory,
    fake_api: FakeRealtimeApi,
    backend: object,
    expected: str,
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=backend)
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    assert expected in window.statusBanner.message
    assert fake_api.requests == []


def test_no_keyring_backend_shows_in_the_banner(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=FailKeyring())
    qtbot.waitUntil(lambda: "keyring unavailable" in window.keyStatusLabel.text())
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    assert "No usable OS keyring" in window.statusBanner.message
    assert "gnome-keyring" in window.statusBanner.message  # the fix, named


class GapMeter(QObject):
    """A 5 ms timer that records the longest wait between its ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self.ticks = 0
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1

    def stop(self) -> None:
        self._timer.stop()


STALL = 1.5


def test_event_loop_keeps_running_during_a_slow_mint(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    fake_api.then(lambda handler: (time.sleep(STALL), _send_mint(handler)))
    qtbot.wait(200)
    meter = GapMeter()
    window.mint()
    wait_for_secret(qtbot, window)
    meter.stop()
    # A frozen GUI would show one gap as long as the stall; a live one ticks throughout.
    assert meter.longest < STALL / 3, meter.longest
    assert meter.ticks > 20


def test_event_loop_keeps_running_during_a_slow_keyring(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    backend = HangingKeyring()
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=backend)
    qtbot.waitUntil(backend.entered.is_set)  # the status check is stuck in the keyring now
    meter = GapMeter()
    qtbot.wait(int(STALL * 1000))
    window.mint()  # queued behind the stuck read; the window stays live meanwhile
    qtbot.wait(300)
    assert window.is_minting
    backend.release.set()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    meter.stop()
    assert "No API key" in window.statusBanner.message
    assert meter.longest < STALL / 3, meter.longest


def _send_mint(handler: BaseHTTPRequestHandler) -> None:
    body = b'{"value": "ek_slow_secret", "expires_at": %d, "session": {"id": "sess_slow"}}' % (
        time.time() + 600
    )
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_second_click_while_minting_is_ignored(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    release = threading.Event()
    fake_api.then(lambda handler: (release.wait(10), _send_mint(handler)))
    window.mint()
    qtbot.waitUntil(lambda: len(fake_api.requests) == 1)
    assert window.mintButton.text() == "Minting…" and not window.mintButton.isEnabled()
    assert window.mintProgress.isVisible()
    window.mint()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    release.set()
    wait_until_idle(qtbot, window)
    assert window.secretField.text() == "ek_slow_secret"
    assert len(fake_api.requests) == 1
    assert window.mintButton.isEnabled() and window.mintButton.text() == "&Mint secret"


def test_closing_during_a_request_cancels_it_and_joins_the_thread(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    release = threading.Event()
    fake_api.then(lambda handler: release.wait(30))
    window.mint()
    qtbot.waitUntil(lambda: len(fake_api.requests) == 1)
    window.close()
    # close() returned while the server still holds the request: it was cancelled, not awaited.
    assert not release.is_set()
    assert window._host.stopped
    release.set()
    names = [t.name for t in threading.enumerate()]
    assert not [n for n in names if n.startswith("keyring-")]


def test_settings_remembered_without_secrets(
    qtbot: QtBot, make_window: WindowFactory, settings_path: Path
) -> None:
    window = make_window()
    window.apiShapeInput.setCurrentIndex(window.apiShapeInput.findData("beta"))
    window.modelInput.setEditText("my-beta-model")
    window.voiceInput.setEditText("sage")
    window.instructionsInput.setPlainText("Remember me")
    window.ttlInput.setValue(300)
    window.timeoutInput.setValue(7)
    window.modalityAudio.setChecked(False)
    window.mint()
    secret = wait_for_secret(qtbot, window)
    window.close()

    again = make_window()
    assert again.api is ApiShape.BETA
    assert again.modelInput.currentText() == "my-beta-model"
    assert again.voiceInput.currentText() == "sage"
    assert again.instructionsInput.toPlainText() == "Remember me"
    assert again.ttlInput.value() == 300 and again.timeoutInput.value() == 7
    assert again.modalityText.isChecked() and not again.modalityAudio.isChecked()
    text = settings_path.read_text()
    assert TEST_API_KEY not in text and secret not in text
    assert QApplication.instance() is not None
