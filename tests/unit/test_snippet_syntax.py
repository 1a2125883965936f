"""Every JavaScript snippet passes ``node --check`` and every Python snippet compiles."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.snippet_cases import every_snippet

JS = every_snippet("mjs")
PYTHON = every_snippet("py")


def require_node() -> str:
    """The node binary; skipped locally without it, a failure under CI (as tests/browser.py)."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node:
        return node
    message = "needs Node.js for node --check (apt-get install nodejs)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_every_provider_shape_and_serve_variant_is_covered() -> None:
    # 4 cases with WebRTC + 5 with a WebSocket, each with 2 serve variants (open, token).
    assert len(JS) == (4 + 5) * 3
    assert len(PYTHON) == 5 * 3


@pytest.mark.parametrize(("name", "text"), JS, ids=[name for name, _ in JS])
def test_javascript_snippet_passes_node_check(name: str, text: str, tmp_path: Path) -> None:
    node = require_node()
    module = tmp_path / f"{name}.mjs"  # .mjs: an ES module, so top-level await is allowed
    module.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [node, "--check", str(module)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_node_check_would_catch_a_broken_module(tmp_path: Path) -> None:
    # Guards the test above: a module with a syntax error must fail the same check.
    node = require_node()
    module = tmp_path / "broken.mjs"
    module.write_text(JS[0][1] + "\n}\n", encoding="utf-8")  # one brace too many
    done = subprocess.run([node, "--check", str(module)], capture_output=True, timeout=60)
    assert done.returncode != 0


@pytest.mark.parametrize(("name", "text"), PYTHON, ids=[name for name, _ in PYTHON])
def test_python_snippet_compiles(name: str, text: str) -> None:
    compile(text, f"{name}.py", "exec")
