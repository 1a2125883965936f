"""Render the window in its main states to docs/*.png, with made-up keys and secrets.

Run with ``make screenshots``. Nothing here touches a network or a real keyring: the
window's worker gets an in-memory keyring, and results are fed to the window directly.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from keyring.backend import KeyringBackend
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QComboBox, QTabWidget, QToolButton, QWidget

from realtime_gui.app import create_window
from realtime_gui.core.credentials import SERVICE_NAME, KeyStore
from realtime_gui.core.errors import BadRequest, UpstreamError
from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import ApiShape
from realtime_gui.ui.main_window import MainWindow

DOCS = Path(__file__).resolve().parent
DEMO_KEY = "sk-demo-not-a-real-key"
DEMO_SECRET = "ek_demo_not_a_real_secret"  # noqa: S105 - made up, for the pictures


class DemoKeyring(KeyringBackend):
    """An in-memory keyring that calls itself the Secret Service, holding a made-up key."""

    priority = 0  # type: ignore[assignment]
    name = "Secret Service"  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords = {(SERVICE_NAME, "default"): DEMO_KEY}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


def settle(app: QApplication, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def shot(app: QApplication, widget: QWidget, name: str) -> None:
    settle(app)
    path = DOCS / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(DOCS.parent)}")


def shot_with_menu(app: QApplication, window: QWidget, button: QToolButton, name: str) -> None:
    """The window with ``button``'s menu open under it; a popup is a window of its own, so
    its picture is painted onto the window's."""
    menu = button.menu()
    if menu is None:
        raise LookupError(f"{button.objectName()} has no menu")
    settle(app)
    picture = window.grab()
    menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
    settle(app)
    drawn = menu.grab()
    # Right-aligned under the button, as Qt opens a menu that would leave the screen.
    corner = button.mapTo(window, button.rect().bottomRight())
    painter = QPainter(picture)
    painter.drawPixmap(max(0, corner.x() - drawn.width()), corner.y(), drawn)
    painter.end()
    menu.hide()
    path = DOCS / f"{name}.png"
    picture.save(str(path))
    print(f"wrote {path.relative_to(DOCS.parent)}")


def demo_secret(seconds_left: float) -> MintedSecret:
    return MintedSecret(
        value=DEMO_SECRET,
        expires_at=int(time.time() + seconds_left),
        session_id="sess_demo123",
        model="gpt-realtime",
        session={},
        api=ApiShape.GA,
    )


def shot_connection_test(app: QApplication, window: MainWindow) -> None:
    """The Test connection outcome, as a test with a text to say shows it."""
    from realtime_gui.core.connection_test import ConnectionTestResult
    from realtime_gui.ui.connection_check import describe_result

    check = window.connectionCheck
    check.testSayInput.setText("Say hello in five words.")
    session = {"type": "realtime", "id": "sess_demo456", "model": "gpt-realtime"}
    result = ConnectionTestResult(
        connect_ms=412, session_id="sess_demo456", model="gpt-realtime",
        url="wss://api.openai.com/v1/realtime?model=gpt-realtime", session=session,
        requested={"type": "realtime", "model": "gpt-realtime"},
        reply="Hello there, lovely to meet you!",
    )  # fmt: skip
    check.testResultLabel.setText(describe_result(result))
    shot(app, window, "window-connection-test")
    check.testSayInput.clear()
    check.testResultLabel.clear()


def main() -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    config = Path(tempfile.mkdtemp(prefix="realtime-gui-shots-"))
    window: MainWindow = create_window(
        env={},
        settings_path=config / "settings.ini",
        key_store_factory=lambda env: KeyStore(DemoKeyring(), env=env),
    )
    window.resize(1180, 800)
    window.show()
    settle(app, 1.0)
    window.modelInput.setEditText("gpt-realtime")
    window.voiceInput.setEditText("marin")
    window.instructionsInput.setPlainText("You are a friendly barista. Keep answers short.")
    shot(app, window, "window-empty")

    window.show_secret(demo_secret(598))
    window.revealButton.setChecked(True)
    shot(app, window, "window-minted")
    shot_with_menu(app, window, window.secretView.copyAsButton, "window-copy-as")
    shot_connection_test(app, window)

    requested = {"type": "realtime", "model": "gpt-realtime", "output_modalities": ["audio"],
                 "audio": {"output": {"voice": "marin"}}}  # fmt: skip
    granted = {
        "type": "realtime", "id": "sess_demo123", "model": "gpt-realtime-2025-08-28",
        "output_modalities": ["audio"], "max_output_tokens": "inf",
        "audio": {"output": {"voice": "marin", "speed": 1.0}},
    }  # fmt: skip
    window.grantedSessionView.show_session(requested, granted)
    window.detailTabs.setTabText(1, "Granted session (1 differ)")
    window.detailTabs.setCurrentIndex(1)
    shot(app, window, "window-granted")
    window.detailTabs.setCurrentIndex(0)

    window.advancedToggle.setChecked(True)
    tabs = window.advancedPanel.findChild(QTabWidget, "advancedTabs")
    if tabs is not None:
        tabs.setCurrentIndex(1)
    turn = window.advancedPanel.findChild(QComboBox, "turnDetectionInput")
    if turn is not None:
        turn.setCurrentIndex(turn.findData("semantic_vad"))
    shot(app, window, "window-advanced")
    window.advancedToggle.setChecked(False)

    window.show_secret(demo_secret(24))
    window.revealButton.setChecked(False)
    shot(app, window, "window-near-expiry")

    window.statusBanner.show_error(
        BadRequest(
            "The server rejected the request (400).",
            status=400,
            upstream=UpstreamError(
                400,
                "The beta API shape is no longer supported. Use /v1/realtime/client_secrets.",
                "invalid_request_error",
                "beta_api_shape_disabled",
            ),
            hint="This server no longer accepts the Beta shape; use the GA API (--api ga).",
            raw_body='{"error": {"code": "beta_api_shape_disabled"}}',
        )
    )
    shot(app, window, "window-error")
    window.statusBanner.hide()

    dialog = window.open_key_dialog()
    settle(app, 1.0)
    shot(app, dialog, "key-dialog")
    dialog.close()

    QTimer.singleShot(0, window.close)
    settle(app, 0.5)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
