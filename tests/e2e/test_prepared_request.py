"""The preview is what a real server receives: every header in order, and the body bytes."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from pytestqt.qtbot import QtBot

from realtime_gui.core.client import MintClient
from realtime_gui.core.endpoint import Connection, Provider
from realtime_gui.core.request import REDACTED, prepare
from realtime_gui.core.session import ApiShape, SessionConfig
from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import run_cli
from tests.fake_api import FakeRealtimeApi, Recorded
from tests.gui.conftest import WindowFactory, wait_for_secret

GA = SessionConfig(
    api=ApiShape.GA, model="gpt-realtime", voice="marin", instructions="Réponds — «bref»."
)
BETA = SessionConfig(api=ApiShape.BETA, model="gpt-4o-realtime-preview", ttl_seconds=60)


def assert_received_as_previewed(preview: str, received: Recorded) -> None:
    """``preview`` with the key put where it shows [redacted] is exactly what arrived."""
    head, body = preview.split("\n\n", 1)
    request_line, *header_lines = head.split("\n")
    method, url = request_line.split(" ", 1)
    parts = urlsplit(url)
    assert (method, parts.path, parts.query) == (received.method, received.path, received.query)
    expected = []
    for line in header_lines:
        name, value = line.split(": ", 1)
        if name in ("Authorization", "api-key"):
            value = value.replace(REDACTED, TEST_API_KEY)
        expected.append((name, value))
    assert received.raw_headers == expected
    assert received.raw_body == body.encode("utf-8")


@pytest.mark.parametrize(
    ("config", "provider", "azure"),
    [
        (GA, Provider.OPENAI, False),
        (BETA, Provider.OPENAI, False),
        (GA, Provider.AZURE, True),
        (BETA, Provider.AZURE, True),  # the preview path, with ?api-version=
    ],
    ids=["ga", "beta", "azure-ga", "azure-preview"],
)
def test_a_real_server_receives_the_preview_byte_for_byte(
    fake_api: FakeRealtimeApi, config: SessionConfig, provider: Provider, azure: bool
) -> None:
    connection = Connection(
        base_url=fake_api.azure_base_url if azure else fake_api.base_url,
        provider=provider,
        organization="org_e2e",
        project="proj_e2e",
    )
    prepared = prepare(config, connection)
    with MintClient() as client:
        secret = client.send(prepared, TEST_API_KEY)
    assert secret.value.startswith("ek_")  # the server took it as a valid mint
    (received,) = fake_api.requests
    assert_received_as_previewed(prepared.as_text(), received)
    assert TEST_API_KEY not in prepared.as_text() + repr(prepared) + repr(secret)


def test_reused_connection_sends_the_same_bytes(fake_api: FakeRealtimeApi) -> None:
    prepared = prepare(GA, Connection(base_url=fake_api.base_url))
    with MintClient() as client:
        client.send(prepared, TEST_API_KEY)
        client.send(replace(prepared), TEST_API_KEY)
    first, second = fake_api.requests
    assert first.raw_headers == second.raw_headers and first.raw_body == second.raw_body
    assert_received_as_previewed(prepared.as_text(), second)


def test_cli_preview_is_what_cli_mint_sends(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OPENAI_API_KEY": TEST_API_KEY, "OPENAI_PROJECT_ID": "proj_cli"}
    flags = ["--base-url", fake_api.base_url, "--model", "gpt-realtime", "--voice", "marin",
             "--instructions", "Be brief.", "--ttl", "120"]  # fmt: skip
    preview = run_cli("preview", *flags, env=env)
    minted = run_cli("mint", *flags, env=env)
    assert preview.code == 0 and minted.code == 0, preview.stderr + minted.stderr
    assert "Accept: application/json" in preview.stdout
    assert "User-Agent: realtime-gui/" in preview.stdout
    assert TEST_API_KEY not in preview.stdout + preview.stderr + minted.stderr
    (received,) = fake_api.requests
    assert_received_as_previewed(preview.stdout, received)


def test_the_window_preview_is_what_the_server_receives(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi
) -> None:
    window = make_window()
    window.instructionsInput.setPlainText("Sois brève — «merci».")
    window.voiceInput.setEditText("cedar")
    qtbot.waitUntil(lambda: "cedar" in window.requestPreview.toPlainText())
    preview = window.requestPreview.toPlainText()
    window.mint()
    wait_for_secret(qtbot, window)
    (received,) = fake_api.requests
    assert_received_as_previewed(preview, received)
    # The granted diff is set against the request that was sent, carried by the secret:
    # what was asked for reads "same", not "default" (the server's choice).
    view = window.grantedSessionView
    items = [view.topLevelItem(i) for i in range(view.topLevelItemCount())]
    status = {item.text(0): item.data(0, 256) for item in items if item is not None}
    assert status["audio.output.voice"] == "same"
    assert status["instructions"] == "same"
