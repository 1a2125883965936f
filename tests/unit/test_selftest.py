"""--self-test's report and exit code, with injected checks."""

from __future__ import annotations

import io
import sys

import pytest

from realtime_gui import __version__
from realtime_gui.selftest import Check, _qt, run_self_test


def test_all_checks_pass() -> None:
    out = io.StringIO()
    code = run_self_test(
        out, env={}, checks=(lambda: Check("Qt", True, "Qt 6"), lambda: Check("TLS", True, "9"))
    )
    assert code == 0
    text = out.getvalue()
    assert text.startswith(f"realtime-gui {__version__} (source)")
    assert "[ok  ] Qt   Qt 6" in text and text.endswith("Self-test passed.\n")


def test_a_failed_check_fails_the_run_and_is_named() -> None:
    out = io.StringIO()
    code = run_self_test(
        out,
        env={},
        checks=(lambda: Check("Qt", True, "fine"), lambda: Check("Keyring", False, "none")),
    )
    assert code == 1
    assert "[FAIL] Keyring  none" in out.getvalue()
    assert out.getvalue().endswith("Self-test FAILED: Keyring\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is Linux's")
def test_headless_linux_without_a_platform_is_reported_not_aborted() -> None:
    result = _qt({})  # no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM
    assert not result.ok and "QT_QPA_PLATFORM=offscreen" in result.detail
