"""Copy as… leaves the secret only on the clipboard: not in settings, output, logs or any repr."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from realtime_gui.core.snippets import KINDS, SERVE_KINDS
from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import run_cli
from tests.e2e.test_secret_leaks import files_containing
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret
from tests.gui.test_serve_panel import open_panel, start_serving


def test_copying_every_kind_leaks_the_secret_nowhere(
    qtbot: QtBot,
    make_window: WindowFactory,
    settings_path: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    window = make_window()
    window.mint()
    secret = wait_for_secret(qtbot, window)
    view = window.secretView
    menu = view.copyAsButton.menu()
    assert menu is not None
    for action in menu.actions():
        action.trigger()
    panel = open_panel(qtbot, window)
    panel.serveRequireToken.setChecked(True)
    start_serving(qtbot, panel)
    token = panel.serveTokenField.text()
    serve_menu = panel.serveCopyAsButton.menu()
    assert serve_menu is not None and len(serve_menu.actions()) == len(SERVE_KINDS)
    for action in serve_menu.actions():
        action.trigger()
    parts = [view, view.copyAsButton, menu, *menu.actions(), panel.serveCopyAsButton, *KINDS]
    shown = [repr(part) for part in parts] + [repr(vars(view).get("_connection"))]
    window.close()

    assert all(secret not in text and token not in text for text in shown)
    assert files_containing(settings_path.parent, secret, token, TEST_API_KEY) == []
    out, err = capfd.readouterr()
    assert secret not in out + err and token not in out + err
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged and token not in logged


def test_mint_as_keeps_the_secret_off_stderr(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY}
    for kind in KINDS:
        done = run_cli("mint", "--base-url", fake_api.base_url, "--as", kind.name, env=env)
        assert done.code == 0, done.stderr
        secret = fake_api.realtime.issued()[-1].value
        assert secret in done.stdout and secret not in done.stderr
        assert TEST_API_KEY not in done.stdout + done.stderr
