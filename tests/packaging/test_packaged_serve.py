"""The packaged binary runs ``serve``: uvicorn's string imports and the playground are bundled."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_API_KEY
from tests.fake_api import FakeRealtimeApi
from tests.packaging.test_linux_package import packaged_env, unpacked  # noqa: F401 - fixture

pytestmark = pytest.mark.packaging


def test_packaged_serve_mints_and_stops(
    unpacked: Path,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
    fake_api: FakeRealtimeApi,
) -> None:
    env = {**packaged_env(tmp_path), "OPENAI_API_KEY": TEST_API_KEY}
    proc = subprocess.Popen(
        [str(unpacked), "serve", "--port", "0", "--model", "gpt-realtime",
         "--base-url", fake_api.base_url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the packaged app prints URL first, then waits
        assert first.startswith("URL http://127.0.0.1:"), (first, proc.poll())
        url = first.split(" ", 1)[1].strip()
        answer = httpx.get(url + "/token", timeout=30)
        assert answer.status_code == 200
        assert answer.json()["value"].startswith("ek_")
        # The playground's files are bundled (spec datas) and found at run time.
        page = httpx.get(url + "/", timeout=30)
        assert page.status_code == 200, page.text
        assert '<script src="/playground.js" defer></script>' in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
        for path, needle in (("/playground.js", "oai-events"), ("/playground.css", ":root")):
            part = httpx.get(url + path, timeout=30)
            assert part.status_code == 200 and needle in part.text, path
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
