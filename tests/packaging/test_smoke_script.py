"""packaging/smoke.py, which the release workflow runs on every runner, passes on the Linux build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.test_linux_package import packaged_env, unpacked  # noqa: F401  (fixture)

pytestmark = pytest.mark.packaging

SMOKE = Path(__file__).resolve().parents[2] / "packaging" / "smoke.py"


def test_smoke_script_passes_on_the_packaged_linux_app(unpacked: Path, tmp_path: Path) -> None:  # noqa: F811
    done = subprocess.run(
        [sys.executable, str(SMOKE), str(unpacked)],
        capture_output=True, text=True, env=packaged_env(tmp_path), timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "ok: packaged --self-test",
        "ok: packaged mint (GA client_secrets)",
        "ok: packaged mint (Beta sessions)",
        "ok: the fake API received exactly the two mints, with the key given",
    ]
    assert "ek_" not in done.stdout + done.stderr


def test_smoke_script_fails_on_a_binary_that_does_not_self_test(tmp_path: Path) -> None:
    impostor = tmp_path / "realtime-gui"
    impostor.write_text("#!/bin/sh\necho 'not the app' >&2\nexit 3\n")
    impostor.chmod(0o755)
    done = subprocess.run(
        [sys.executable, str(SMOKE), str(impostor)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "FAILED: --self-test (exit 3)" in done.stderr and "not the app" in done.stderr
