"""The Python snippets, run for real: against the fake Realtime WebSocket, directly and via serve."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from realtime_gui.core.endpoint import Connection, Provider
from realtime_gui.core.serve import ServePolicy
from realtime_gui.core.snippets import SERVE_TOKEN_ENV, render, render_for_serve
from tests.conftest import PYTHON
from tests.e2e.serve_support import StartServe
from tests.e2e.snippet_support import mint, run_python
from tests.fake_api import FakeRealtimeApi


def _first_event(stdout: str) -> dict[str, object]:
    kind, _, body = stdout.partition("\n")
    event = json.loads(body)
    assert event["type"] == kind
    return event


def test_the_python_snippet_opens_a_session_with_its_secret(
    fake_api: FakeRealtimeApi, tmp_path: Path
) -> None:
    connection = Connection(base_url=fake_api.base_url)
    secret = mint(connection)
    done = run_python(render("python", secret, connection), tmp_path)
    assert done.returncode == 0, done.stderr
    event = _first_event(done.stdout)
    assert event["type"] == "session.created"
    assert event["session"]["id"] == secret.session_id  # type: ignore[index]
    (seen,) = fake_api.realtime.connections
    assert seen.path == "/v1/realtime" and seen.query == {"model": ["gpt-realtime"]}
    assert seen.headers["authorization"] == f"Bearer {secret.value}"
    assert not any(name.startswith("openai-beta") for name in seen.headers)


def test_a_second_run_of_the_same_snippet_is_refused_as_already_used(
    fake_api: FakeRealtimeApi, tmp_path: Path
) -> None:
    # What the header comment warns about: the secret is single-use.
    connection = Connection(base_url=fake_api.base_url)
    text = render("python", mint(connection), connection)
    assert run_python(text, tmp_path).returncode == 0
    again = run_python(text, tmp_path)
    event = _first_event(again.stdout)
    assert event["type"] == "error"
    assert event["error"]["code"] == "ephemeral_token_already_used"  # type: ignore[index]


def test_the_azure_python_snippet_uses_the_api_key_header(
    fake_api: FakeRealtimeApi, tmp_path: Path
) -> None:
    connection = Connection(base_url=fake_api.azure_base_url, provider=Provider.AZURE)
    secret = mint(connection)
    done = run_python(render("python", secret, connection), tmp_path)
    assert done.returncode == 0, done.stderr
    assert _first_event(done.stdout)["type"] == "session.created"
    (seen,) = fake_api.realtime.connections
    assert seen.path == "/openai/v1/realtime"
    assert seen.headers["api-key"] == secret.value and "authorization" not in seen.headers


def test_the_serve_python_snippet_gets_a_fresh_secret_every_run(
    fake_api: FakeRealtimeApi, serve: StartServe, tmp_path: Path
) -> None:
    server = serve()
    connection = Connection(base_url=fake_api.base_url)
    text = render_for_serve("python", server.url, connection, model="gpt-realtime")
    runs = [run_python(text, tmp_path) for _ in range(2)]
    for done in runs:
        assert done.returncode == 0, done.stderr
        assert _first_event(done.stdout)["type"] == "session.created"
    assert len(fake_api.requests) == 2  # one mint per run, through serve
    credentials = [c.credential for c in fake_api.realtime.connections]
    assert len(set(credentials)) == 2 and all(c and c.startswith("ek_") for c in credentials)


def test_the_serve_python_snippet_reads_a_required_token_from_the_environment(
    fake_api: FakeRealtimeApi, serve: StartServe, tmp_path: Path
) -> None:
    token = "serve-token-for-the-snippet-test"
    server = serve(policy=ServePolicy(token=token))
    connection = Connection(base_url=fake_api.base_url)
    text = render_for_serve("python", server.url, connection, token_required=True)
    assert token not in text
    done = run_python(text, tmp_path, {SERVE_TOKEN_ENV: token})
    assert done.returncode == 0, done.stderr
    assert _first_event(done.stdout)["type"] == "session.created"
    refused = run_python(text, tmp_path, {SERVE_TOKEN_ENV: "wrong"})
    assert refused.returncode != 0 and "401" in refused.stderr
    assert len(fake_api.requests) == 1  # the wrong token minted nothing


def test_the_window_loads_the_snippet_code_only_when_a_secret_is_shown() -> None:
    # Start-up is benchmarked: the window's first paint must not pay for the snippets.
    code = "import sys, realtime_gui.app\nprint('realtime_gui.core.snippets' in sys.modules)"
    done = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
