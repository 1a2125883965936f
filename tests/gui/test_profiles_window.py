"""Profiles in the window: the switcher, the Profiles dialog, and which key reaches which fake API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from realtime_gui.core.credentials import SERVICE_NAME
from realtime_gui.core.profiles import Profile, ProfileKind, ProfileStore
from realtime_gui.ui.main_window import MainWindow
from realtime_gui.ui.profiles_dialog import ProfilesDialog
from realtime_gui.ui.serve_panel import ServeState
from tests.doubles import InMemoryKeyring
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret, wait_until_idle
from tests.gui.test_serve_panel import open_panel, start_serving

WORK_KEY = "sk-test-win-work"
HOME_KEY = "sk-test-win-home"
WAIT_MS = 10_000


@pytest.fixture
def home_api() -> Iterator[FakeRealtimeApi]:
    server = FakeRealtimeApi(HOME_KEY).start()
    yield server
    server.stop()


@pytest.fixture
def work_api() -> Iterator[FakeRealtimeApi]:
    server = FakeRealtimeApi(WORK_KEY).start()
    yield server
    server.stop()


@pytest.fixture
def store(settings_path: Path) -> ProfileStore:
    return ProfileStore(settings_path.parent / "profiles")


@pytest.fixture
def keyring() -> InMemoryKeyring:
    backend = InMemoryKeyring()
    backend.passwords[(SERVICE_NAME, "work")] = WORK_KEY
    backend.passwords[(SERVICE_NAME, "home")] = HOME_KEY
    return backend


@pytest.fixture
def two_profiles(
    store: ProfileStore, work_api: FakeRealtimeApi, home_api: FakeRealtimeApi
) -> ProfileStore:
    store.save(Profile("work", ProfileKind.CUSTOM, base_url=work_api.base_url, project="proj-w"))
    store.save(Profile("home", ProfileKind.CUSTOM, base_url=home_api.base_url))
    return store


def listed(qtbot: QtBot, window: MainWindow, count: int) -> list[str]:
    """The switcher's entries once the worker has listed ``count`` profiles with statuses."""
    combo = window.profileInput

    def texts() -> list[str]:
        return [combo.itemText(i) for i in range(combo.count())]

    qtbot.waitUntil(
        lambda: combo.count() == count and all(" — " in t and "checking" not in t for t in texts()),
        timeout=WAIT_MS,
    )
    return texts()


def choose(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Pick ``name`` as a user does: the combo's activated signal."""
    combo = window.profileInput
    index = combo.findData(name)
    assert index >= 0, name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(lambda: window.keyStatusLabel.text().startswith("Key stored"), timeout=WAIT_MS)


def test_switching_profile_then_minting_sends_its_key_to_its_fake(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    keyring: InMemoryKeyring,
    work_api: FakeRealtimeApi,
    home_api: FakeRealtimeApi,
    settings_path: Path,
) -> None:
    window = make_window(env={}, backend=keyring)
    assert listed(qtbot, window, 3) == [
        "default — no key", "home — key stored", "work — key stored",
    ]  # fmt: skip
    choose(qtbot, window, "work")
    assert window.baseUrlInput.text() == work_api.base_url
    window.mint()
    wait_for_secret(qtbot, window)
    wait_until_idle(qtbot, window)
    ((request,),) = [work_api.requests]
    assert request.headers["authorization"] == f"Bearer {WORK_KEY}"
    assert request.headers["openai-project"] == "proj-w"
    assert home_api.requests == []

    choose(qtbot, window, "home")
    assert window.baseUrlInput.text() == home_api.base_url
    window.mint()
    qtbot.waitUntil(lambda: len(home_api.requests) == 1, timeout=WAIT_MS)
    wait_until_idle(qtbot, window)
    assert home_api.requests[0].headers["authorization"] == f"Bearer {HOME_KEY}"
    assert "openai-project" not in home_api.requests[0].headers
    assert len(work_api.requests) == 1
    # The connection test mints with the chosen profile too.
    window.connectionCheck.start()
    qtbot.waitUntil(lambda: len(home_api.requests) == 2, timeout=WAIT_MS)
    assert home_api.requests[1].headers["authorization"] == f"Bearer {HOME_KEY}"
    window.close()
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value("window/profile") == (
        "home"
    )


def test_the_remembered_profile_comes_back_and_a_gone_one_falls_back(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    keyring: InMemoryKeyring,
    settings_path: Path,
) -> None:
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("window/profile", "home")
    settings.sync()
    window = make_window(env={}, backend=keyring)
    assert window.profile == "home" and window.profileInput.currentData() == "home"
    listed(qtbot, window, 3)
    window.close()

    two_profiles.remove("home")
    again = make_window(env={}, backend=keyring)
    assert again.profile == "default"
    again.close()
    settings.setValue("window/profile", "../not a name")
    settings.sync()
    assert make_window(env={}, backend=keyring).profile == "default"
    # $REALTIME_GUI_PROFILE chooses the window's profile too.
    chosen = make_window(env={"REALTIME_GUI_PROFILE": "work"}, backend=keyring)
    assert chosen.profile == "work"


def test_a_profile_removed_behind_the_windows_back_falls_back_to_default(
    qtbot: QtBot, make_window: WindowFactory, two_profiles: ProfileStore, keyring: InMemoryKeyring
) -> None:
    window = make_window(env={}, backend=keyring)
    listed(qtbot, window, 3)
    choose(qtbot, window, "work")
    two_profiles.remove("work")
    dialog = window.profileSwitcher.open_dialog()  # lists the profiles again
    qtbot.waitUntil(lambda: window.profile == "default", timeout=WAIT_MS)
    assert window.profileInput.currentData() == "default"
    dialog.reject()


def test_without_a_key_the_mint_sends_nothing(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    work_api: FakeRealtimeApi,
) -> None:
    backend = InMemoryKeyring()
    backend.passwords[(SERVICE_NAME, "home")] = HOME_KEY
    window = make_window(env={}, backend=backend)
    listed(qtbot, window, 3)
    index = window.profileInput.findData("work")
    window.profileInput.activated.emit(index)
    qtbot.waitUntil(lambda: window.keyStatusLabel.text().startswith("No key"), timeout=WAIT_MS)
    window.mint()
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=WAIT_MS)
    assert "No API key for profile 'work'" in window.last_error.user_message
    assert work_api.requests == []


def test_the_environment_keeps_precedence_in_the_window(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    keyring: InMemoryKeyring,
    work_api: FakeRealtimeApi,
    home_api: FakeRealtimeApi,
) -> None:
    window = make_window(env={"OPENAI_BASE_URL": home_api.base_url}, backend=keyring)
    listed(qtbot, window, 3)
    choose(qtbot, window, "work")
    # OPENAI_BASE_URL wins: the profile's base URL is not put into the field.
    assert window.baseUrlInput.text() == ""
    window.mint()
    qtbot.waitUntil(lambda: len(home_api.requests) == 1, timeout=WAIT_MS)
    wait_until_idle(qtbot, window)
    assert home_api.requests[0].headers["authorization"] == f"Bearer {WORK_KEY}"
    assert work_api.requests == []


def test_profiles_dialog_add_edit_remove(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    keyring: InMemoryKeyring,
) -> None:
    window = make_window(env={}, backend=keyring)
    listed(qtbot, window, 3)
    window.profilesButton.click()
    dialog = window.findChild(ProfilesDialog, "profilesDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.profilesList.count() == 3

    editor = dialog.add_profile()
    editor.nameInput.setText("azure-prod")
    editor.kindInput.setCurrentIndex(editor.kindInput.findData("azure"))
    editor._check()  # OK with no resource: refused, the editor stays open
    assert editor.isVisible() and "resource" in editor.errorLabel.text()
    editor.resourceInput.setText("contoso")
    editor._check()
    qtbot.waitUntil(lambda: two_profiles.exists("azure-prod"), timeout=WAIT_MS)
    assert json.loads(two_profiles.path("azure-prod").read_text()) == {
        "provider": "azure",
        "azure_resource": "contoso",
    }
    listed(qtbot, window, 4)

    dialog.profilesList.setCurrentRow(window.profileInput.findData("work"))
    assert dialog.selected == "work"
    edit = dialog.edit_profile()
    assert edit is not None and edit.nameInput.isReadOnly()
    edit.projectInput.setText("proj-new")
    edit._check()
    qtbot.waitUntil(lambda: two_profiles.load("work").project == "proj-new", timeout=WAIT_MS)

    # Remove without ticking the box: the key stays in the keyring.
    confirm = dialog.remove_profile()
    assert confirm is not None and not confirm.deleteKeyCheck.isChecked()
    confirm.accept()
    qtbot.waitUntil(lambda: not two_profiles.exists("work"), timeout=WAIT_MS)
    assert keyring.passwords[(SERVICE_NAME, "work")] == WORK_KEY
    # Remove with the box ticked: the keyring entry goes too, and only that one.
    listed(qtbot, window, 3)
    row = [dialog.profilesList.item(i).text().split(" ")[0] for i in range(3)].index("home")
    dialog.profilesList.setCurrentRow(row)
    confirm = dialog.remove_profile()
    assert confirm is not None
    confirm.deleteKeyCheck.setChecked(True)
    confirm.accept()
    # The worker deletes the key first, then the file: wait for the file.
    qtbot.waitUntil(lambda: not two_profiles.exists("home"), timeout=WAIT_MS)
    assert (SERVICE_NAME, "home") not in keyring.passwords
    assert keyring.passwords[(SERVICE_NAME, "work")] == WORK_KEY
    # default cannot be removed: the button is disabled on it.
    dialog.profilesList.setCurrentRow(0)
    assert dialog.selected == "default" and not dialog.removeButton.isEnabled()
    assert dialog.remove_profile() is None
    dialog.reject()


def test_switcher_names_shortcut_menu_and_accessibility(
    qtbot: QtBot, make_window: WindowFactory, two_profiles: ProfileStore, keyring: InMemoryKeyring
) -> None:
    window = make_window(env={}, backend=keyring)
    for widget in (window.profileInput, window.profilesButton):
        assert widget.accessibleName() and widget.toolTip()
    assert window.findChild(type(window.profileInput), "profileInput") is window.profileInput
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus.index("Pr&ofile") == menus.index("&Help") - 1
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(
        window,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(window.profileInput.hasFocus, timeout=WAIT_MS)


def test_a_corrupt_profile_file_is_moved_aside_and_the_window_starts(
    qtbot: QtBot, make_window: WindowFactory, two_profiles: ProfileStore, keyring: InMemoryKeyring
) -> None:
    broken = two_profiles.folder / "broken.json"
    broken.write_text("{")
    window = make_window(env={}, backend=keyring)
    assert listed(qtbot, window, 3)[0] == "default — no key"
    assert not broken.exists() and list(two_profiles.folder.glob("broken.json.corrupt-*"))
    (problem,) = window.profileSwitcher.problems
    assert str(broken) in problem
    assert str(broken) in window.statusBar().currentMessage()


def test_a_running_serve_keeps_its_profile_until_restarted(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    keyring: InMemoryKeyring,
    work_api: FakeRealtimeApi,
    home_api: FakeRealtimeApi,
) -> None:
    window = make_window(env={}, backend=keyring)
    listed(qtbot, window, 3)
    choose(qtbot, window, "work")
    panel = open_panel(qtbot, window)
    url = start_serving(qtbot, panel)
    choose(qtbot, window, "home")
    assert "until restarted" in panel.serveToggle.toolTip()
    assert httpx.get(f"{url}/token").status_code == 200
    # The running server kept work's key and base URL: nothing crossed over to home.
    assert work_api.requests[-1].headers["authorization"] == f"Bearer {WORK_KEY}"
    assert home_api.requests == []
    panel.serveToggle.click()  # stop
    qtbot.waitUntil(lambda: panel.state is ServeState.STOPPED, timeout=WAIT_MS)
    url = start_serving(qtbot, panel)
    assert httpx.get(f"{url}/token").status_code == 200
    assert home_api.requests[-1].headers["authorization"] == f"Bearer {HOME_KEY}"


def test_a_0_1_settings_file_becomes_the_default_profile_without_loss(
    qtbot: QtBot,
    make_window: WindowFactory,
    settings_path: Path,
    store: ProfileStore,
    fake_api: FakeRealtimeApi,
) -> None:
    # What realtime-gui 0.1 wrote (ui/main_window.py save_settings at 4467136), by hand.
    settings_path.parent.mkdir(parents=True)
    settings_path.write_text(
        "[form]\n"
        "api=ga\n"
        "session_type=realtime\n"
        "provider=azure\n"
        f"base_url={fake_api.azure_base_url}\n"
        "timeout=30\n"
        "voice=marin\n"
        "instructions=Be brief.\n"
        "model\\realtime=gpt-realtime\n"
        "ttl\\ga=120\n"
    )
    backend = InMemoryKeyring()
    backend.passwords[(SERVICE_NAME, "default")] = "sk-test-e2e-0000"
    window = make_window(env={}, backend=backend)
    assert json.loads(store.path("default").read_text()) == {
        "provider": "azure",
        "base_url": fake_api.azure_base_url,
    }
    # The rest stays the "last used" form state.
    assert window.providerInput.currentData() == "azure"
    assert window.baseUrlInput.text() == fake_api.azure_base_url
    assert (window.voiceInput.currentText(), window.ttlInput.value()) == ("marin", 120)
    assert window.instructionsInput.toPlainText() == "Be brief."
    assert window.timeoutInput.value() == 30
    assert listed(qtbot, window, 1) == ["default — key stored"]
    window.mint()
    wait_for_secret(qtbot, window)
    (request,) = fake_api.requests
    assert request.headers["api-key"] == "sk-test-e2e-0000"
    assert request.path == "/openai/v1/realtime/client_secrets"
    window.close()
    kept = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert kept.value("form/base_url") == fake_api.azure_base_url
    assert kept.value("window/profile") == "default"
    # Only once: an edited default profile is not overwritten on the next start.
    store.save(Profile("default"))
    make_window(env={}, backend=backend)
    assert store.load("default") == Profile("default")


def test_nothing_is_listed_before_the_first_paint(
    qtbot: QtBot, two_profiles: ProfileStore, keyring: InMemoryKeyring, settings_path: Path
) -> None:
    from realtime_gui.app import create_window
    from realtime_gui.core.credentials import KeyStore

    window = create_window(
        env={}, settings_path=settings_path, key_store_factory=lambda e: KeyStore(keyring, env=e)
    )
    qtbot.addWidget(window)
    qtbot.wait(200)  # time for a listing that should not have been asked for
    assert [window.profileInput.itemText(i) for i in range(window.profileInput.count())] == [
        "default"
    ]
    window.show()
    assert listed(qtbot, window, 3)[1] == "home — key stored"
    window.close()
    qtbot.waitUntil(window._host.worker_thread.isFinished, timeout=5_000)


def test_set_key_after_a_switch_stores_the_key_under_the_new_profile(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    home_api: FakeRealtimeApi,
) -> None:
    backend = InMemoryKeyring()
    window = make_window(env={}, backend=backend)
    assert listed(qtbot, window, 3)[1] == "home — no key"
    window.profileInput.activated.emit(window.profileInput.findData("home"))
    qtbot.waitUntil(lambda: window.keyStatusLabel.text().startswith("No key"), timeout=WAIT_MS)
    dialog = window.open_key_dialog()
    assert "home" in dialog.windowTitle()
    dialog.apiKeyInput.setText(HOME_KEY)
    dialog.saveKeyButton.click()
    qtbot.waitUntil(lambda: (SERVICE_NAME, "home") in backend.passwords, timeout=WAIT_MS)
    assert backend.passwords == {(SERVICE_NAME, "home"): HOME_KEY}
    qtbot.waitUntil(
        lambda: window.profileInput.currentText() == "home — key stored", timeout=WAIT_MS
    )
    window.mint()
    qtbot.waitUntil(lambda: len(home_api.requests) == 1, timeout=WAIT_MS)
    wait_until_idle(qtbot, window)
    assert home_api.requests[0].headers["authorization"] == f"Bearer {HOME_KEY}"


def test_editing_default_in_the_dialog_writes_its_file_and_fills_the_form(
    qtbot: QtBot,
    make_window: WindowFactory,
    store: ProfileStore,
    keyring: InMemoryKeyring,
    work_api: FakeRealtimeApi,
) -> None:
    window = make_window(env={}, backend=keyring)
    listed(qtbot, window, 1)
    dialog = window.profileSwitcher.open_dialog()
    dialog.profilesList.setCurrentRow(0)
    editor = dialog.edit_profile()
    assert editor is not None and editor.nameInput.text() == "default"
    editor.kindInput.setCurrentIndex(editor.kindInput.findData("custom"))
    editor.baseUrlInput.setText(work_api.base_url)
    editor._check()
    qtbot.waitUntil(lambda: store.path("default").is_file(), timeout=WAIT_MS)
    assert store.load("default").base_url == work_api.base_url
    # default is the current profile: the form follows the edit.
    qtbot.waitUntil(lambda: window.baseUrlInput.text() == work_api.base_url, timeout=WAIT_MS)
    dialog.reject()


def test_a_form_restored_from_another_profile_takes_the_chosen_profiles_url(
    qtbot: QtBot,
    make_window: WindowFactory,
    two_profiles: ProfileStore,
    keyring: InMemoryKeyring,
    work_api: FakeRealtimeApi,
    home_api: FakeRealtimeApi,
    settings_path: Path,
) -> None:
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("window/profile", "work")
    settings.setValue("form/provider", "openai")
    settings.setValue("form/base_url", work_api.base_url)
    settings.sync()
    window = make_window(env={"REALTIME_GUI_PROFILE": "home"}, backend=keyring)
    assert window.profile == "home"
    listed(qtbot, window, 3)
    qtbot.waitUntil(lambda: window.baseUrlInput.text() == home_api.base_url, timeout=WAIT_MS)
    window.mint()
    qtbot.waitUntil(lambda: len(home_api.requests) == 1, timeout=WAIT_MS)
    wait_until_idle(qtbot, window)
    assert home_api.requests[0].headers["authorization"] == f"Bearer {HOME_KEY}"
    assert work_api.requests == []
