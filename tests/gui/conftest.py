"""Fixtures for window tests: a wired window against the local server, closed at teardown."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from realtime_gui.app import create_window
from realtime_gui.core.credentials import KeyStore
from realtime_gui.ui.main_window import MainWindow
from tests.conftest import TEST_API_KEY
from tests.doubles import InMemoryKeyring
from tests.fake_api import FakeRealtimeApi

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.ini"


@pytest.fixture
def make_window(
    qtbot: QtBot, settings_path: Path, fake_api: FakeRealtimeApi
) -> Iterator[WindowFactory]:
    """make_window(env=..., backend=...) -> a shown window; env defaults to key + server."""
    windows: list[MainWindow] = []

    def make(
        *,
        env: Mapping[str, str] | None = None,
        backend: Any = None,
        keyring_timeout: float = 5.0,
        store_factory: Callable[[Mapping[str, str]], KeyStore] | None = None,
    ) -> MainWindow:
        if env is None:
            env = {"OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": fake_api.base_url}
        chosen = backend if backend is not None else InMemoryKeyring()
        factory = store_factory or (lambda e: KeyStore(chosen, env=e, timeout=keyring_timeout))
        window = create_window(env=env, settings_path=settings_path, key_store_factory=factory)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        qtbot.waitUntil(window._host.worker_thread.isFinished, timeout=5_000)


def wait_for_secret(qtbot: QtBot, window: MainWindow) -> str:
    qtbot.waitUntil(lambda: window.secretField.text().startswith("ek_"), timeout=10_000)
    return window.secretField.text()


def wait_until_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.is_minting, timeout=15_000)
