"""Minting a real secret from the fake API, and running a snippet as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from realtime_gui.core.client import MintClient
from realtime_gui.core.endpoint import Connection
from realtime_gui.core.request import prepare
from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import SessionConfig
from tests.conftest import TEST_API_KEY

GA_CONFIG = SessionConfig(model="gpt-realtime", voice="marin")


def mint(connection: Connection, config: SessionConfig = GA_CONFIG) -> MintedSecret:
    """A secret minted by the fake over HTTP, exactly as `mint` and the window get one."""
    with MintClient() as client:
        return client.send(prepare(config, connection), TEST_API_KEY)


def run_python(
    text: str, folder: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``text`` as a script with this interpreter (it has websockets), bounded in time."""
    script = folder / "snippet.py"
    script.write_text(text, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "SYSTEMROOT")}
    clean.update(NO_PROXY="*", PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=clean,
        timeout=60,
        cwd=folder,
    )
