"""The Serve panel against a real local token server and the fake API, in the real window."""

from __future__ import annotations

import os
import socket
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.serve_panel import ServePanel, ServeState
from tests.conftest import PYTHON
from tests.doubles import InMemoryKeyring, LockedKeyring
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory

WAIT_MS = 10_000


def open_panel(qtbot: QtBot, window: MainWindow) -> ServePanel:
    """Show the Serve tab through the View menu entry and wait for the server stack."""
    window.menus.serveAction.trigger()
    panel = window.serveLink.panel
    qtbot.waitUntil(lambda: panel.state is ServeState.STOPPED, timeout=WAIT_MS)
    return panel


def start_serving(qtbot: QtBot, panel: ServePanel, port: int = 0) -> str:
    panel.servePortInput.setValue(port)
    panel.serveToggle.click()
    qtbot.waitUntil(lambda: panel.state is ServeState.SERVING, timeout=WAIT_MS)
    return panel.serveUrlField.text()


@pytest.fixture
def served(qtbot: QtBot, make_window: WindowFactory) -> Iterator[tuple[MainWindow, ServePanel]]:
    """A window whose Serve tab is open (not serving yet); closing it stops the server."""
    window = make_window()
    yield window, open_panel(qtbot, window)


def log_rows(panel: ServePanel) -> list[list[str]]:
    view = panel.serveLogView
    rows = []
    for row in range(view.rowCount()):
        items = [view.item(row, column) for column in range(view.columnCount())]
        rows.append([item.text() if item is not None else "" for item in items])
    return rows


def test_view_menu_shortcut_toggles_the_serve_tab(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    assert window.serveLink.built is None  # nothing of the panel before it is asked for
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = window.serveLink.panel
    pane = window.requestPane
    assert pane.isTabVisible(pane.indexOf(panel)) and pane.currentWidget() is panel
    assert window.menus.serveAction.isChecked()
    qtbot.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not pane.isTabVisible(pane.indexOf(panel))
    assert not window.menus.serveAction.isChecked()
    qtbot.waitUntil(lambda: panel.state is ServeState.STOPPED, timeout=WAIT_MS)


def test_every_control_has_an_accessible_name_and_a_tooltip(
    served: tuple[MainWindow, ServePanel],
) -> None:
    _, panel = served
    named = [*panel.tab_order(), panel.serveStatusLabel, panel.serveCountersLabel]
    assert len(named) >= 11
    for widget in named:
        assert widget.objectName().startswith("serve") or widget.objectName() == "playgroundButton"
        assert widget.accessibleName(), widget.objectName()
        assert widget.toolTip(), widget.objectName()
    assert panel.serveOriginsInput.text() == "http://localhost:*, http://127.0.0.1:*"
    assert panel.servePortInput.value() == 8787


def test_serving_mints_the_forms_session_and_follows_its_edits(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel], fake_api: FakeRealtimeApi
) -> None:
    window, panel = served
    window.modelInput.setEditText("gpt-realtime")
    window.voiceInput.setEditText("marin")
    url = start_serving(qtbot, panel)
    assert url.startswith("http://127.0.0.1:") and not url.endswith(":8787")
    assert panel.serveTokenField.text() == ""  # no token asked for

    answer = httpx.get(f"{url}/token")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    secret, session_id = data["value"], data["session"]["id"]
    assert secret.startswith("ek_")
    sent = fake_api.requests[-1].body["session"]
    assert sent["model"] == "gpt-realtime"
    assert sent["audio"]["output"]["voice"] == "marin"

    qtbot.waitUntil(lambda: panel.serveLogView.rowCount() == 1, timeout=WAIT_MS)
    ((_, origin, route, status, outcome),) = log_rows(panel)
    assert (origin, route, status, outcome) == ("(none)", "GET /token", "200", session_id)
    assert not any(secret in text for text in panel.log.cell_texts())
    assert panel.serveCountersLabel.text() == "Requests: 1 · Minted: 1 · Refused or failed: 0"

    window.voiceInput.setEditText("cedar")
    link = window.serveLink
    qtbot.waitUntil(
        lambda: link.served_config is not None and link.served_config.voice == "cedar",
        timeout=WAIT_MS,
    )
    assert httpx.get(f"{url}/token").status_code == 200
    assert fake_api.requests[-1].body["session"]["audio"]["output"]["voice"] == "cedar"


def test_an_invalid_form_keeps_serving_the_last_valid_session(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel], fake_api: FakeRealtimeApi
) -> None:
    window, panel = served
    window.voiceInput.setEditText("verse")
    url = start_serving(qtbot, panel)
    window.voiceInput.setEditText("not a voice!")
    qtbot.waitUntil(panel.serveSessionLabel.isVisible, timeout=WAIT_MS)
    assert "last valid session" in panel.serveSessionLabel.text()
    assert httpx.get(f"{url}/token").status_code == 200
    assert fake_api.requests[-1].body["session"]["audio"]["output"]["voice"] == "verse"
    window.voiceInput.setEditText("verse")  # valid again, and the one served: no note
    qtbot.waitUntil(lambda: not panel.serveSessionLabel.isVisible(), timeout=WAIT_MS)


def test_an_invalid_form_does_not_start_and_names_the_field(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel], fake_api: FakeRealtimeApi
) -> None:
    window, panel = served
    window.voiceInput.setEditText("not a voice!")
    panel.serveToggle.click()
    assert panel.serveErrorLabel.isVisible()
    assert "voice" in panel.serveErrorLabel.text()
    assert panel.state is ServeState.STOPPED and not panel.serveToggle.isChecked()
    qtbot.wait(100)  # a start that went to the worker anyway would report back by now
    assert panel.serveUrlField.text() == "" and fake_api.requests == []


def test_copy_buttons_copy_url_and_token(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel]
) -> None:
    window, panel = served
    panel.serveRequireToken.setChecked(True)
    url = start_serving(qtbot, panel)
    clipboard = QGuiApplication.clipboard()
    panel.serveCopyUrlButton.click()
    assert clipboard.text() == url
    assert "URL copied" in window.statusBar().currentMessage()
    panel.serveCopyTokenButton.click()
    assert clipboard.text() == panel.serveTokenField.text() != ""
    clipboard.clear()


def test_require_token_refuses_callers_without_it(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel]
) -> None:
    _, panel = served
    panel.serveRequireToken.setChecked(True)
    url = start_serving(qtbot, panel)
    token = panel.serveTokenField.text()
    assert len(token) >= 32
    assert panel.serveTokenField.echoMode() is QLineEdit.EchoMode.Password
    assert not panel.serveRequireToken.isEnabled()  # fixed while serving

    assert httpx.get(f"{url}/token").status_code == 401
    answer = httpx.get(f"{url}/token", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    qtbot.waitUntil(lambda: panel.serveLogView.rowCount() == 2, timeout=WAIT_MS)
    statuses = [row[3] for row in log_rows(panel)]
    assert statuses == ["401", "200"]
    assert log_rows(panel)[0][4]  # the refusal's error code
    texts = panel.log.cell_texts()
    assert not any(token in text or answer.json()["value"] in text for text in texts)
    assert "Refused or failed: 1" in panel.serveCountersLabel.text()


def test_origins_are_checked_inline_and_enforced(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel]
) -> None:
    _, panel = served
    panel.serveOriginsInput.setText("localhost:5173")
    assert panel.serveOriginsError.isVisible()
    assert "http://" in panel.serveOriginsError.text()
    panel.serveToggle.click()
    assert panel.state is ServeState.STOPPED and not panel.serveToggle.isChecked()

    panel.serveOriginsInput.setText("http://app.test:5173, http://localhost:*")
    assert not panel.serveOriginsError.isVisible()
    url = start_serving(qtbot, panel)
    allowed = httpx.get(f"{url}/token", headers={"Origin": "http://app.test:5173"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://app.test:5173"
    assert httpx.get(f"{url}/token", headers={"Origin": "http://evil.test"}).status_code == 403
    qtbot.waitUntil(lambda: panel.serveLogView.rowCount() == 2, timeout=WAIT_MS)
    assert [row[1] for row in log_rows(panel)] == ["http://app.test:5173", "http://evil.test"]


def test_a_port_in_use_shows_the_cores_message_in_the_panel(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel]
) -> None:
    _, panel = served
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        panel.servePortInput.setValue(port)
        panel.serveToggle.click()
        error = panel.serveErrorLabel
        qtbot.waitUntil(error.isVisible, timeout=WAIT_MS)
    assert f"Port {port} is already in use" in error.text()
    assert "pick another port" in error.text() and "--port" not in error.text()
    assert "Traceback" not in error.text()
    assert panel.state is ServeState.STOPPED and not panel.serveToggle.isChecked()
    assert panel.serveUrlField.text() == ""
    # The error goes once serving starts on a free port.
    start_serving(qtbot, panel, port=0)
    assert not error.isVisible()


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        (InMemoryKeyring(), ["No API key", "Set key… (Ctrl+K)"]),
        (LockedKeyring(), ["locked"]),
    ],
    ids=["no-key", "locked"],
)
def test_key_problems_show_in_the_panel(
    qtbot: QtBot,
    make_window: WindowFactory,
    fake_api: FakeRealtimeApi,
    backend: object,
    expected: list[str],
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=backend)
    panel = open_panel(qtbot, window)
    panel.servePortInput.setValue(0)
    panel.serveToggle.click()
    qtbot.waitUntil(panel.serveErrorLabel.isVisible, timeout=WAIT_MS)
    for text in expected:
        assert text in panel.serveErrorLabel.text()
    assert "Traceback" not in panel.serveErrorLabel.text()
    assert panel.state is ServeState.STOPPED and panel.serveUrlField.text() == ""
    assert fake_api.requests == []


def test_toggling_off_stops_the_server_without_waiting_on_the_gui_thread(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel]
) -> None:
    _, panel = served
    url = start_serving(qtbot, panel)
    assert httpx.get(f"{url}/health").status_code == 200
    panel.serveToggle.click()
    # The stop runs on the worker; the panel says so until the worker reports back.
    assert panel.state is ServeState.STOPPING
    assert panel.serveStatusLabel.text() == "Stopping…" and not panel.serveToggle.isEnabled()
    qtbot.waitUntil(lambda: panel.state is ServeState.STOPPED, timeout=WAIT_MS)
    assert panel.serveUrlField.text() == "" and not panel.serveToggle.isChecked()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/health")


def test_closing_the_window_stops_the_server(
    qtbot: QtBot, served: tuple[MainWindow, ServePanel]
) -> None:
    window, panel = served
    url = start_serving(qtbot, panel)
    window.close()

    def refused() -> bool:
        try:
            httpx.get(f"{url}/health", timeout=1.0)
        except httpx.ConnectError:
            return True
        return False

    qtbot.waitUntil(refused, timeout=WAIT_MS)


def test_log_labels_name_no_secret_kind(served: tuple[MainWindow, ServePanel]) -> None:
    # The table's columns are exactly the documented ones: nothing that could hold a secret.
    _, panel = served
    view = panel.serveLogView
    headers = [view.horizontalHeaderItem(c).text() for c in range(view.columnCount())]  # type: ignore[union-attr]
    assert headers == ["Time", "Origin", "Route", "Status", "Session / error"]
    assert isinstance(panel.findChild(QLabel, "serveOriginsError"), QLabel)


def test_the_server_stack_is_imported_on_the_worker_never_the_gui_thread(
    tmp_path: Path,
) -> None:
    # Importing core.serve (uvicorn, starlette) takes about 100 ms: the GUI thread may not.
    code = textwrap.dedent(
        f"""
        import sys, threading, time
        from pathlib import Path
        importers = []

        class Spy:
            def find_spec(self, name, path=None, target=None):
                if name == "uvicorn":
                    importers.append(threading.current_thread() is threading.main_thread())
                return None

        sys.meta_path.insert(0, Spy())
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from realtime_gui.app import create_window
        window = create_window(env={{}}, settings_path=Path({str(tmp_path)!r}) / "s.ini")
        window.show()
        app.processEvents()
        window.menus.serveAction.trigger()
        panel = window.serveLink.panel
        deadline = time.monotonic() + 20
        while panel.state.value == "loading" and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        panel.serveOriginsInput.setText("http://app.test:5173")  # parsed on the GUI thread
        print("STATE", panel.state.value, "MAIN", importers)
        window.close()
        """
    )
    done = subprocess.run(
        [PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")},
            "QT_QPA_PLATFORM": "offscreen",
        },
    )
    assert done.returncode == 0, done.stderr
    assert "STATE stopped MAIN [False]" in done.stdout, done.stdout + done.stderr
