"""Fixtures shared by every test folder: the local API server and a clean CLI environment."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_api import FakeRealtimeApi

# Real widgets, no screen: every test run renders offscreen unless told otherwise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Made-up values, short enough not to look like real keys.
TEST_API_KEY = "sk-test-e2e-0000"


@pytest.fixture
def fake_api() -> Iterator[FakeRealtimeApi]:
    server = FakeRealtimeApi(TEST_API_KEY).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """An environment for CLI subprocesses: throwaway HOME, no real keyring, no proxies."""
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        NO_PROXY="*",
        PYTHONIOENCODING="utf-8",
    )
    return env


PYTHON = sys.executable


@pytest.fixture(autouse=True)
def private_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own user data folder: mints append to the history file there."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def qt_garbage_collected_on_this_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that made Qt objects: collect cyclic garbage here, on the GUI thread.

    A dropped window sits in reference cycles (slots bound to its parts) until a cyclic
    collection runs, and CPython runs one on whichever thread happens to allocate: a
    later test's server or worker thread. Deleting widgets there is undefined behaviour
    in Qt (a rare segfault in the full run, seen right after the GUI tests). Collecting
    on the main thread after every Qt test leaves no such garbage for another thread.
    """
    yield
    if {"qtbot", "qapp"} & set(request.fixturenames):  # core and CLI tests make no Qt objects
        gc.collect()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Secret Service tests run only in tests/with-secret-service.sh, never on a real keyring."""
    if os.environ.get("REALTIME_GUI_SECRET_SERVICE") == "1":
        return
    skip = pytest.mark.skip(reason="needs tests/with-secret-service.sh (make secret-service-tests)")
    for item in items:
        if "secret_service" in item.keywords:
            item.add_marker(skip)
