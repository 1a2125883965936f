"""After a full session, neither the API key nor a minted secret is anywhere it should not be."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from realtime_gui.ui.key_dialog import ApiKeyDialog
from tests.doubles import InMemoryKeyring
from tests.e2e.cli_runner import run_cli
from tests.fake_api import Canned, FakeRealtimeApi, error_body
from tests.gui.conftest import WindowFactory, wait_for_secret

# Made up, and distinctive so a search cannot miss it (and short: not a real key's shape).
LEAK_KEY = "sk-leakcheck-7f3a9c"


def files_containing(root: Path, *needles: str) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path}: {n}" for n in needles if n.encode() in data]
    return hits


def test_a_window_session_leaks_no_key_and_no_secret(
    qtbot: QtBot,
    make_window: WindowFactory,
    fake_api: FakeRealtimeApi,
    settings_path: Path,
    private_user_data: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_api.api_key = LEAK_KEY
    window = make_window(env={"OPENAI_BASE_URL": fake_api.base_url}, backend=InMemoryKeyring())

    # Set the key through the dialog.
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ApiKeyDialog, "apiKeyDialog")
    assert dialog is not None
    dialog.apiKeyInput.setText(LEAK_KEY)
    dialog.saveKeyButton.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    # Mint, reveal, copy.
    window.mint()
    secret = wait_for_secret(qtbot, window)
    window.revealButton.click()
    window.copyButton.click()
    assert QGuiApplication.clipboard().text() == secret

    # Errors: one whose body echoes the key and the secret back, one from the network.
    fake_api.then(Canned(400, error_body(f"bad key {LEAK_KEY} and {secret}", "invalid_value")))
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    assert LEAK_KEY not in window.statusBanner.message
    assert LEAK_KEY not in window.statusBanner.detailsView.toPlainText()
    window.baseUrlInput.setText("http://127.0.0.1:9/v1")
    window.mint()
    qtbot.waitUntil(lambda: "Could not connect" in window.statusBanner.message, timeout=10_000)
    history = private_user_data / "realtime-gui" / "history.jsonl"
    # Three mints, three records (the worker writes each just after the window hears).
    qtbot.waitUntil(
        lambda: history.is_file() and len(history.read_bytes().splitlines()) == 3, timeout=10_000
    )
    # A profile added through the Profiles dialog: its file holds no key either.
    profiles = window.profileSwitcher.open_dialog()
    editor = profiles.add_profile()
    editor.nameInput.setText("leaky")
    editor.kindInput.setCurrentIndex(editor.kindInput.findData("custom"))
    editor.baseUrlInput.setText(fake_api.base_url)
    editor._check()
    profile_file = settings_path.parent / "profiles" / "leaky.json"
    qtbot.waitUntil(profile_file.is_file, timeout=10_000)
    profiles.reject()
    window.close()

    config_dir = settings_path.parent
    assert settings_path.is_file()
    assert files_containing(config_dir, LEAK_KEY, secret) == []
    assert files_containing(config_dir / "profiles", LEAK_KEY, secret, "sk-", "ek_") == []
    assert files_containing(private_user_data, LEAK_KEY, secret, "ek_", "sk-") == []
    out, err = capfd.readouterr()
    assert LEAK_KEY not in out + err and secret not in out + err
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert LEAK_KEY not in logged and secret not in logged


@pytest.mark.secret_service
def test_a_cli_session_leaves_no_plaintext_key_or_secret_in_home(
    fake_api: FakeRealtimeApi,
) -> None:
    fake_api.api_key = LEAK_KEY
    env = dict(os.environ)
    env.pop("OPENAI_API_KEY", None)
    home = Path(env["HOME"])
    added = run_cli(
        "profile", "add", "leakcheck", "--provider", "custom", "--base-url", fake_api.base_url,
        env=env,
    )  # fmt: skip
    assert added.code == 0, added.stderr
    stored = run_cli("key", "set", "--profile", "leakcheck", env=env, stdin=LEAK_KEY)
    assert stored.code == 0, stored.stderr
    minted = run_cli("mint", "--profile", "leakcheck", env=env)
    assert minted.code == 0, minted.stderr
    secret = minted.stdout.strip()  # stdout is where the secret belongs, and only there
    failed = run_cli(
        "mint", "--profile", "leakcheck", "--base-url", "http://127.0.0.1:9/v1", env=env
    )
    status = run_cli("key", "status", "--profile", "leakcheck", env=env)
    listed = run_cli("profile", "list", "--json", env=env)
    assert '"key": "stored"' in listed.stdout
    for result in (added, stored, minted, failed, status, listed):
        assert LEAK_KEY not in result.stdout + result.stderr
        assert secret not in result.stderr
    assert secret not in status.stdout + failed.stdout
    # The keyring holds the key encrypted; nothing under HOME holds it in plain text.
    assert files_containing(home, LEAK_KEY, secret) == []
    profiles = list(home.rglob("profiles/leakcheck.json"))
    assert len(profiles) == 1  # the search above went through the profiles folder
    assert files_containing(profiles[0].parent, LEAK_KEY, secret, "sk-", "ek_") == []
    assert files_containing(Path(env["XDG_DATA_HOME"]), LEAK_KEY, secret, "ek_", "sk-") == []
    assert run_cli("key", "delete", "--profile", "leakcheck", env=env).code == 0


def test_a_preset_never_stores_mcp_credentials(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], tmp_path: Path
) -> None:
    header_secret = "ek_leakcheck_header_5d1e"
    tool = (
        '[{"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example/sse", '
        f'"authorization": "{LEAK_KEY}", "headers": {{"X-Api-Key": "{header_secret}"}}}}]'
    )
    env = {**cli_env, "OPENAI_API_KEY": LEAK_KEY}
    fake_api.api_key = LEAK_KEY
    saved = run_cli(
        "preset", "save", "tools", "--model", "gpt-realtime", "--set", f"session.tools={tool}",
        env=env,
    )  # fmt: skip
    assert saved.code == 0, saved.stderr
    assert "left out session.tools[0].authorization" in saved.stderr
    exported = tmp_path / "exported.json"
    results = [
        saved,
        run_cli("preset", "show", "tools", env=env),
        run_cli("preset", "export", "tools", str(exported), env=env),
        run_cli("preset", "list", "--json", env=env),
        run_cli("mint", "--base-url", fake_api.base_url, "--preset", "tools", env=env),
    ]
    assert all(result.code == 0 for result in results), [r.stderr for r in results]
    secret = results[-1].stdout.strip()
    assert secret.startswith("ek_")
    # What the preset mints is the tool without its credentials.
    assert fake_api.requests[-1].body["session"]["tools"] == [
        {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example/sse"}
    ]
    config = Path(cli_env["XDG_CONFIG_HOME"])
    assert (config / "realtime-gui" / "presets" / "tools.json").is_file()
    for root in (config, exported.parent):
        assert files_containing(root, LEAK_KEY, header_secret, secret) == []
    for name in ("tools.json", "exported.json"):
        for path in [*config.rglob(name), *exported.parent.glob(name)]:
            text = path.read_text(encoding="utf-8")
            assert '"authorization"' not in text and '"headers"' not in text
            assert "sk-" not in text and "ek_" not in text
    for result in results:
        assert LEAK_KEY not in result.stdout + result.stderr
        assert header_secret not in result.stdout + result.stderr


def test_the_history_of_cli_mints_holds_no_key_and_no_secret(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    fake_api.api_key = LEAK_KEY
    env = {**cli_env, "OPENAI_API_KEY": LEAK_KEY}
    base = ("--base-url", fake_api.base_url)
    minted = run_cli("mint", *base, env=env)
    assert minted.code == 0, minted.stderr
    secret = minted.stdout.strip()
    # An error whose body and code echo the key and the secret back.
    fake_api.then(Canned(400, error_body(f"bad key {LEAK_KEY} and {secret}", "invalid_value")))
    assert run_cli("mint", *base, "--api", "beta", "--model", "gpt-realtime", env=env).code == 4
    assert run_cli("mint", "--base-url", "http://127.0.0.1:9/v1", env=env).code == 5
    listed = run_cli("history", "--json", env=env)
    assert [r["outcome"] for r in json.loads(listed.stdout)] == [
        "ConnectionFailed", "invalid_value", "ok",
    ]  # fmt: skip
    data = Path(cli_env["XDG_DATA_HOME"])
    assert (data / "realtime-gui" / "history.jsonl").is_file()
    assert files_containing(data, LEAK_KEY, secret, "ek_", "sk-") == []
    for text in (listed.stdout, listed.stderr, run_cli("history", env=env).stdout):
        assert "ek_" not in text and "sk-" not in text


def test_window_history_and_presets_never_hold_mcp_credentials(
    qtbot: QtBot,
    make_window: WindowFactory,
    fake_api: FakeRealtimeApi,
    settings_path: Path,
    private_user_data: Path,
    tmp_path: Path,
) -> None:
    from realtime_gui.core.body_reader import config_from_body
    from realtime_gui.core.session import ApiShape

    header_secret = "mcp-header-leakcheck-9b2"
    tool = {
        "type": "mcp",
        "server_label": "docs",
        "server_url": "https://mcp.example/sse",
        "authorization": LEAK_KEY,
        "headers": {"X-Api-Key": header_secret},
    }
    body = {"session": {"type": "realtime", "model": "gpt-realtime", "tools": [tool]}}
    window = make_window()
    window.load_config(config_from_body(ApiShape.GA, body))
    window.mint()
    secret = wait_for_secret(qtbot, window)
    # The request carries the credentials to the MCP server; nothing kept on disk does.
    assert fake_api.requests[-1].body["session"]["tools"][0]["authorization"] == LEAK_KEY
    fake_api.then_error(500, "Boom.", "server_error")
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=10_000)
    history = private_user_data / "realtime-gui" / "history.jsonl"
    qtbot.waitUntil(
        lambda: history.is_file() and len(history.read_bytes().splitlines()) == 2, timeout=10_000
    )
    assert b'"body"' in history.read_bytes() and b"mcp.example" in history.read_bytes()

    bar = window.presetBar
    qtbot.waitUntil(lambda: bar.presetInput.count() > 1, timeout=5_000)
    bar.write("with-mcp")
    exported = tmp_path / "export" / "with-mcp.json"
    exported.parent.mkdir()
    assert bar.export_to(exported)
    # The History tab shows and loads the record; loading it brings no credential back.
    window.detailTabs.setCurrentIndex(2)
    tab = window.requestPane.history_built
    assert tab is not None
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=10_000)
    tab.select_row(1)
    tab.load_selected()
    assert LEAK_KEY not in window.requestPreview.toPlainText()
    window.close()

    for root in (settings_path.parent, private_user_data, exported.parent):
        assert files_containing(root, LEAK_KEY, header_secret, secret, "ek_") == []
