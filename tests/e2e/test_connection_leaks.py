"""A window session with connection tests leaks neither the key nor the sibling secrets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from realtime_gui.ui.worker_host import WorkerHost
from tests.e2e.test_secret_leaks import LEAK_KEY, files_containing
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory


def test_connection_tests_leak_no_key_and_no_secret(
    qtbot: QtBot,
    make_window: WindowFactory,
    fake_api: FakeRealtimeApi,
    settings_path: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_api.api_key = LEAK_KEY
    window = make_window(env={"OPENAI_API_KEY": LEAK_KEY, "OPENAI_BASE_URL": fake_api.base_url})
    check = window.connectionCheck
    qtbot.waitUntil(check.testConnectionButton.isEnabled, timeout=10_000)
    shown: list[str] = []
    for mode, say in (("ok", "hello"), ("error", None), ("reject", None), ("close", None)):
        fake_api.realtime.mode = mode
        check.testSayInput.setText(say or "")
        check.testConnectionButton.click()
        qtbot.waitUntil(lambda: not check.is_testing, timeout=20_000)
        shown.append(check.testResultLabel.text())
        if check.last_error is not None:
            banner = window.statusBanner
            shown += [banner.message, banner.detailsView.toPlainText(), repr(check.last_error)]
        else:
            shown.append(repr(check.last_result))
    assert shown[0].startswith("Connected in") and "Reply: You said: hello" in shown[0]
    window.close()
    qtbot.waitUntil(lambda: not WorkerHost.live_hosts(), timeout=10_000)

    secrets = [c.credential for c in fake_api.realtime.connections if c.credential]
    assert len(secrets) == 4 and all(s.startswith("ek_") for s in secrets)
    for needle in (LEAK_KEY, *secrets):
        assert not any(needle in text for text in shown), needle
    assert files_containing(settings_path.parent, LEAK_KEY, *secrets) == []
    out, err = capfd.readouterr()
    # Everything our side logged (the fake's own server logs what it received: not ours).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "websockets.server")
    # DEBUG really was on for websockets (the fake's server logged), so the client's header
    # dump (Authorization: Bearer ek_…) would have been caught here.
    assert "websockets.server" in {r.name for r in caplog.records}
    for needle in (LEAK_KEY, *secrets):
        assert needle not in out + err and needle not in logged
