"""The secret view on its own: masking, Copy, and a countdown recomputed from its deadline."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import ApiShape
from realtime_gui.ui.secret_view import SecretView
from realtime_gui.ui.style import ERROR_COLOURS, WARNING_COLOURS


def secret(seconds_left: float, value: str = "ek_view_test") -> MintedSecret:
    return MintedSecret(
        value=value,
        expires_at=time.time() + seconds_left,
        session_id="sess_view",
        model="gpt-realtime",
        session={},
        api=ApiShape.GA,
    )


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[SecretView]:
    widget = SecretView()
    qtbot.addWidget(widget)
    yield widget
    widget.stop()


def test_starts_empty_with_nothing_to_reveal_or_copy(view: SecretView) -> None:
    assert view.secretField.text() == "" and view.countdownLabel.text() == "--:--"
    assert not view.revealButton.isEnabled() and not view.copyButton.isEnabled()
    assert not view.copyable


def test_shows_a_secret_masked_with_its_session(view: SecretView) -> None:
    view.show_secret(secret(300))
    assert view.secretField.text() == "ek_view_test"
    assert view.secretField.echoMode() is QLineEdit.EchoMode.Password
    assert view.sessionInfoLabel.text() == "Session sess_view · model gpt-realtime · GA API"
    assert view.expiresAtLabel.text().startswith("Expires ")
    assert view.countdownLabel.text() in ("05:00", "04:59")
    assert view.countdownLabel.property("level") == "normal"
    assert view.copyable and view.copyButton.isEnabled()
    view.revealButton.click()
    assert view.secretField.echoMode() is QLineEdit.EchoMode.Normal
    assert view.revealButton.text() == "&Hide"


def test_copy_puts_the_secret_on_the_clipboard(qtbot: QtBot, view: SecretView) -> None:
    view.show_secret(secret(300, "ek_copy_me"))
    with qtbot.waitSignal(view.copied):
        view.copyButton.click()
    assert QGuiApplication.clipboard().text() == "ek_copy_me"
    assert view.copyButton.text() == "Copied ✓"


def test_an_expired_secret_cannot_be_copied(qtbot: QtBot, view: SecretView) -> None:
    QGuiApplication.clipboard().setText("something else")
    with qtbot.waitSignal(view.copyableChanged) as signal:
        view.show_secret(secret(-5, "ek_expired"))
    assert signal.args == [False]
    assert view.countdownLabel.text() == "Expired"
    assert view.countdownLabel.property("level") == "expired"
    assert not view.copyButton.isEnabled() and not view.copyable
    view.copy_secret()
    assert QGuiApplication.clipboard().text() == "something else"


def test_the_clipboard_is_cleared_when_the_secret_expires(qtbot: QtBot, view: SecretView) -> None:
    view.show_secret(secret(1.5, "ek_short_lived"))
    view.copy_secret()
    assert QGuiApplication.clipboard().text() == "ek_short_lived"
    qtbot.waitUntil(lambda: view.countdownLabel.text() == "Expired", timeout=5_000)
    assert QGuiApplication.clipboard().text() != "ek_short_lived"


def test_the_countdown_is_recomputed_from_the_monotonic_deadline(
    qtbot: QtBot, view: SecretView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.show_secret(secret(300))
    real = time.monotonic
    # 100 s pass at once (a suspended laptop, say): the next tick shows it, with no drift.
    monkeypatch.setattr(time, "monotonic", lambda: real() + 100)
    qtbot.waitUntil(lambda: view.countdownLabel.text() in ("03:20", "03:19"), timeout=2_000)


def dark_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#121212"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_countdown_colours_follow_the_palette(view: SecretView, dark: bool) -> None:
    if dark:
        view.setPalette(dark_palette())
    pick = 1 if dark else 0
    view.show_secret(secret(25))
    assert view.countdownLabel.property("level") == "warning"
    assert view.countdownLabel.styleSheet() == f"color: {WARNING_COLOURS[pick]};"
    view.show_secret(secret(8))
    assert view.countdownLabel.styleSheet() == f"color: {ERROR_COLOURS[pick]};"
    view.show_secret(secret(300))
    assert view.countdownLabel.styleSheet() == ""


def test_an_expired_countdown_follows_a_later_palette_change(view: SecretView) -> None:
    view.show_secret(secret(-1))
    assert view.countdownLabel.styleSheet() == f"color: {ERROR_COLOURS[0]};"
    view.setPalette(dark_palette())
    assert view.countdownLabel.styleSheet() == f"color: {ERROR_COLOURS[1]};"
