"""Which files of the packaged app are opened while it starts, mints and shows the key dialog.

Usage: python benchmarks/bundle_usage.py [build/dist/realtime-gui]   (Linux; needs strace,
Xvfb, xdotool and a Secret Service via tests/with-secret-service.sh for the self-test)

Runs the packaged binary under ``strace -f -e trace=open,openat`` in each way a user uses it:
the window on a real X server (xcb, Xvfb) minting against the local fake API and opening the
key dialog; the CLI minting in both shapes; ``serve`` answering ``/token``; the connection
test; and ``--self-test`` (the Secret Service keyring). Prints the bundled shared libraries
and plugins that no scenario opened, with their sizes: the candidates for exclusion. Wayland
cannot be exercised here, so everything the wayland platform plugin needs is reported apart.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_api import running  # noqa: E402

KEY = "sk-bundle-usage-0000"
OPENED = re.compile(r'open(?:at)?\((?:[^,]+, )?"([^"]+)"[^)]*\)\s+=\s+\d+')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _traced(log: Path, argv: list[str], env: dict[str, str], **kw: object) -> subprocess.Popen[str]:
    strace = ["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", str(log)]
    return subprocess.Popen([*strace, *argv], env=env, text=True, **kw)  # type: ignore[call-overload]


def _opened(log: Path, bundle: Path) -> set[Path]:
    found: set[Path] = set()
    for line in log.read_text(errors="replace").splitlines():
        match = OPENED.search(line)
        if match:
            path = Path(match.group(1))
            if path.is_relative_to(bundle) and path.is_file():
                found.add(path.resolve())
    return found


def _window(binary: Path, env: dict[str, str], work: Path, fake_url: str) -> Path:
    display = f":{90 + os.getpid() % 100}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
    time.sleep(1.0)
    config = work / "window-config"
    config.mkdir()
    (config / "settings.ini").write_text(f"[form]\nbase_url={fake_url}\n")
    log = work / "window.strace"
    wenv = {**env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "OPENAI_API_KEY": KEY,
            "REALTIME_GUI_CONFIG_DIR": str(config)}  # fmt: skip
    app = _traced(log, [str(binary)], wenv)
    try:
        xdo = {**wenv}
        subprocess.run(["xdotool", "search", "--sync", "--name", "client secrets"], env=xdo,
                       timeout=60, capture_output=True, check=False)  # fmt: skip
        time.sleep(2.0)
        # Mint, open the key dialog, close it, quit. No window manager on Xvfb: focus the
        # window itself (the main window, or the modal dialog), then type.
        for title, keys, pause in (
            ("client secrets", "ctrl+Return", 3.0),
            ("client secrets", "ctrl+k", 2.0),
            ("OpenAI API key", "Escape", 1.0),
            ("client secrets", "ctrl+q", 0.0),
        ):
            subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title, "windowfocus",
                            "--sync", "key", "--clearmodifiers", keys], env=xdo,
                           timeout=30, capture_output=True, check=False)  # fmt: skip
            time.sleep(pause)
        app.wait(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
        xvfb.terminate()
        xvfb.wait()
    return log


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else ROOT / "build/dist/realtime-gui").resolve()
    binary = folder / "realtime-gui"
    for tool in ("strace", "Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="bundle-usage-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PYTHON_KEYRING"))}
    env.update(REALTIME_GUI_CONFIG_DIR=str(work / "cfg"), XDG_DATA_HOME=str(work / "data"),
               QT_QPA_PLATFORM="offscreen", NO_PROXY="*")  # fmt: skip
    logs: list[Path] = []
    with running(KEY) as fake:
        logs.append(_window(binary, env, work, fake.base_url))
        if not any(r.path.endswith("/client_secrets") for r in fake.requests):
            print("the window did not mint: the scenario is incomplete", file=sys.stderr)
            return 1
        cli = {**env, "OPENAI_API_KEY": KEY}
        for name, args in {
            "mint": ["mint", "--base-url", fake.base_url, "--json"],
            "beta": ["mint", "--api", "beta", "--model", "gpt-4o-realtime-preview",
                     "--base-url", fake.base_url],
            "test": ["test", "--base-url", fake.base_url, "--say", "hi"],
            "selftest": ["--self-test"],
        }.items():  # fmt: skip
            log = work / f"{name}.strace"
            _traced(log, [str(binary), *args], cli, stdout=subprocess.DEVNULL).wait(timeout=120)
            logs.append(log)
        port = _free_port()
        log = work / "serve.strace"
        serve = _traced(log, [str(binary), "serve", "--port", str(port), "--base-url",
                              fake.base_url], cli, stdout=subprocess.DEVNULL)  # fmt: skip
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/token", timeout=5) as r:
                    json.load(r)
                break
            except OSError:
                time.sleep(0.2)
        # Ctrl+C to the app itself (strace passes no signal on to it when stopped).
        children = Path(f"/proc/{serve.pid}/task/{serve.pid}/children").read_text().split()
        for child in children:
            os.kill(int(child), signal.SIGINT)
        serve.wait(timeout=30)
        logs.append(log)
    opened: set[Path] = set()
    for log in logs:
        opened |= _opened(log, folder)
    libraries = [p for p in folder.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    unused = sorted((p for p in libraries if p.resolve() not in opened),
                    key=lambda p: -p.stat().st_size)  # fmt: skip
    wayland = [p for p in unused if "wayland" in str(p).lower()]
    total = sum(p.stat().st_size for p in libraries)
    print(f"{len(libraries)} shared libraries and plugins, {total / 1e6:.1f} MB; "
          f"opened in some scenario: {len(libraries) - len(unused)}")  # fmt: skip
    print("\nnever opened (excluding wayland):")
    for p in unused:
        if p not in wayland:
            print(f"  {p.stat().st_size / 1e6:7.2f} MB  {p.relative_to(folder)}")
    print("\nwayland (not exercised here):")
    for p in wayland:
        print(f"  {p.stat().st_size / 1e6:7.2f} MB  {p.relative_to(folder)}")
    print(f"\nstrace logs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
