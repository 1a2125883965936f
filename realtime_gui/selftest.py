"""``realtime-gui --self-test``: proves an install (source or packaged) has what it needs."""

from __future__ import annotations

import os
import platform
import ssl
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TextIO

from . import __version__

__all__ = ["Check", "run_self_test"]


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, what was found, and whether it is usable."""

    name: str
    ok: bool
    detail: str


def _qt(env: Mapping[str, str]) -> Check:
    try:
        import PySide6
        from PySide6.QtCore import qVersion
        from PySide6.QtGui import QGuiApplication
    except ImportError as exc:
        return Check("Qt", False, f"PySide6 does not import: {exc}")
    versions = f"Qt {qVersion()} (PySide6 {PySide6.__version__})"
    # Without a display Qt aborts the process, so say so instead of trying.
    no_display = not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not env.get("QT_QPA_PLATFORM"):
        return Check(
            "Qt", False, f"{versions}; no display (set QT_QPA_PLATFORM=offscreen to test headless)"
        )
    if QGuiApplication.instance() is None:
        QGuiApplication([sys.argv[0]])
    plugin = QGuiApplication.platformName()
    return Check("Qt", bool(plugin), f"{versions}, platform plugin: {plugin or 'none'}")


def _keyring() -> Check:
    from .core.credentials import SERVICE_NAME, KeyStore
    from .core.errors import CredentialError

    store = KeyStore(timeout=10)
    try:
        name = store.backend_name()
        backend = store.backend()
        # A harmless read proves the backend really answers (and is bundled, when packaged).
        backend.get_password(f"{SERVICE_NAME}-self-test", "probe")
    except CredentialError as exc:
        return Check("Keyring", False, exc.user_message)
    except Exception as exc:  # any backend failure is a failed check, not a crash
        return Check("Keyring", False, f"{name}: {type(exc).__name__}: {exc}")
    cls = type(backend)
    return Check("Keyring", True, f"{name} ({cls.__module__}.{cls.__qualname__})")


def _tls() -> Check:
    try:
        import certifi

        bundle = certifi.where()
        context = ssl.create_default_context(cafile=bundle)
    except (ImportError, OSError, ssl.SSLError) as exc:
        return Check("TLS CA bundle", False, f"{type(exc).__name__}: {exc}")
    count = context.cert_store_stats().get("x509_ca", 0)
    return Check("TLS CA bundle", count > 0, f"{count} CA certificates from {bundle}")


def _resources() -> Check:
    from importlib import resources

    from .core.paths import ICON_SIZES, icon_dir
    from .core.serve.page import PAGE_PATHS

    folder = icon_dir()
    names = [f"realtime-gui-{size}.png" for size in ICON_SIZES]
    missing = [n for n in names if folder is None or not (folder / n).is_file()]
    page = resources.files("realtime_gui.core.serve") / "playground"
    missing += [f"playground/{n}" for n, _ in PAGE_PATHS.values() if not (page / n).is_file()]
    if missing:
        return Check("Resources", False, f"missing: {', '.join(missing)}")
    return Check("Resources", True, f"{len(names)} icons in {folder}, the playground page")


def run_self_test(
    out: TextIO,
    *,
    env: Mapping[str, str] | None = None,
    checks: tuple[Callable[[], Check], ...] | None = None,
) -> int:
    """Print the report; 0 when every check passed, 1 otherwise."""
    env = os.environ if env is None else env
    frozen = "packaged (PyInstaller)" if getattr(sys, "frozen", False) else "source"
    out.write(f"realtime-gui {__version__} ({frozen})\n")
    out.write(f"Python {platform.python_version()} on {platform.platform()}\n")
    chosen = checks if checks is not None else (lambda: _qt(env), _keyring, _tls, _resources)
    results = [check() for check in chosen]
    width = max(len(r.name) for r in results)
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        out.write(f"[{mark}] {result.name.ljust(width)}  {result.detail}\n")
    failed = [r.name for r in results if not r.ok]
    out.write("Self-test passed.\n" if not failed else f"Self-test FAILED: {', '.join(failed)}\n")
    return 0 if not failed else 1
