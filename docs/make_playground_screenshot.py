"""Render serve's playground page after one text exchange to docs/playground.png.

Run with ``make screenshots`` (or ``.venv/bin/python docs/make_playground_screenshot.py``).
Everything is local: serve mints from the test suite's fake API with a made-up key, and
headless Chromium talks to the fake's Realtime WebSocket; secrets show as ``ek_…``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from realtime_gui.core.endpoint import Connection  # noqa: E402
from realtime_gui.core.serve import ServeServer  # noqa: E402
from realtime_gui.core.session import SessionConfig  # noqa: E402
from tests.browser import headless_chromium  # noqa: E402
from tests.e2e.playground_support import csp_violations, text_exchange  # noqa: E402
from tests.fake_api import FakeRealtimeApi  # noqa: E402

DEMO_KEY = "sk-demo-not-a-real-key"
OUT = ROOT / "docs" / "playground.png"


def main() -> int:
    api = FakeRealtimeApi(DEMO_KEY).start()
    config = SessionConfig(model="gpt-realtime", voice="marin", instructions="Be brief.")
    server = ServeServer(config, Connection(base_url=api.base_url), DEMO_KEY, port=0).start()
    try:
        with headless_chromium() as browser:
            browser.set_window_size(1000, 1000)
            browser.get(server.url + "/")
            log = text_exchange(browser, "Hello! Can you hear me?")
            violations = csp_violations(browser)
            if "You said: Hello! Can you hear me?" not in log or violations["reports"]:
                print(f"the exchange did not complete:\n{log}\n{violations}", file=sys.stderr)
                return 1
            OUT.write_bytes(browser.screenshot())
    finally:
        server.stop()
        api.stop()
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
