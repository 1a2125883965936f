"""Checks a built app as the release workflow does: self-test, then mints against the local fake.

Usage: python packaging/smoke.py PATH/TO/realtime-gui[-cli][.exe]   (from the repository root)

Starts the project's fake Realtime API (tests/fake_api.py) on 127.0.0.1, runs the packaged
``--self-test`` and a packaged ``mint`` in both API shapes against it, and checks what the fake
received. Prints no secret: only which checks passed. Exit 0 when all pass, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_api import running  # noqa: E402  (the repository root is on the path now)

# A made-up key that only the fake accepts; never a real one.
SMOKE_KEY = "sk-smoke-test-0000"
TIMEOUT = 180  # seconds per packaged run: a cold first start of a bundle can be slow on CI


def _run(binary: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (the binary under test, named by the workflow)
        [str(binary), *args], check=False, capture_output=True, text=True, env=env, timeout=TIMEOUT
    )


def _fail(what: str, done: subprocess.CompletedProcess[str]) -> int:
    # The packaged app never prints a key or secret to stderr; stdout may hold a secret.
    print(f"FAILED: {what} (exit {done.returncode})\n{done.stderr}", file=sys.stderr)
    return 1


def smoke(binary: Path) -> int:
    """Run every check against ``binary``; 0 when all pass."""
    with tempfile.TemporaryDirectory(prefix="realtime-gui-smoke-") as home:
        env = dict(os.environ)
        env.pop("PYTHON_KEYRING_BACKEND", None)  # the bundle must find its keyring itself
        env.pop("OPENAI_API_KEY", None)
        env.update(QT_QPA_PLATFORM="offscreen", REALTIME_GUI_CONFIG_DIR=str(Path(home) / "cfg"))
        env["XDG_DATA_HOME"] = str(Path(home) / "data")
        done = _run(binary, ["--self-test"], env)
        if done.returncode != 0:
            return _fail("--self-test", done)
        print("ok: packaged --self-test")
        minting = {**env, "OPENAI_API_KEY": SMOKE_KEY}
        with running(SMOKE_KEY) as fake:
            done = _run(binary, ["mint", "--base-url", fake.base_url, "--json"], minting)
            if done.returncode != 0:
                return _fail("GA mint", done)
            minted = json.loads(done.stdout)
            if minted.get("api") != "ga" or not str(minted.get("value", "")).startswith("ek_"):
                print("FAILED: GA mint printed no client secret", file=sys.stderr)
                return 1
            print("ok: packaged mint (GA client_secrets)")
            beta = ["mint", "--api", "beta", "--model", "gpt-4o-realtime-preview"]
            done = _run(binary, [*beta, "--base-url", fake.base_url], minting)
            if done.returncode != 0 or not done.stdout.startswith("ek_"):
                return _fail("Beta mint", done)
            print("ok: packaged mint (Beta sessions)")
            paths = [r.path for r in fake.requests]
            keys = {r.headers.get("authorization") for r in fake.requests}
        if paths != ["/v1/realtime/client_secrets", "/v1/realtime/sessions"]:
            print(f"FAILED: the fake received {paths}", file=sys.stderr)
            return 1
        if keys != {f"Bearer {SMOKE_KEY}"}:
            print("FAILED: the fake did not receive the key given", file=sys.stderr)
            return 1
        print("ok: the fake API received exactly the two mints, with the key given")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_file():
        print(__doc__, file=sys.stderr)
        return 2
    return smoke(Path(argv[0]).resolve())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
