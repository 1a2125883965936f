"""Fixtures for the Qt-free unit tests: an in-memory keyring and a KeyStore on it.

The made-up key constants and the backend classes live in tests/doubles.py, so test
modules (and other test folders) can import them; the fixtures here hand them out.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import configuration

from realtime_gui.core.credentials import KeyStore
from tests.doubles import HangingKeyring, InMemoryKeyring

# Hypothesis caches constants and unicode data while collecting; keep them out of the repo
# (./.hypothesis) unless HYPOTHESIS_STORAGE_DIRECTORY says where they should go.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "realtime-gui-hypothesis")


@pytest.fixture
def backend() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def store(backend: InMemoryKeyring) -> KeyStore:
    """A KeyStore on the in-memory backend, with an empty environment."""
    return KeyStore(backend, env={}, timeout=5.0)


@pytest.fixture
def hanging_backend() -> Iterator[HangingKeyring]:
    """A backend whose reads block; released at teardown so no thread lingers."""
    hanging = HangingKeyring()
    yield hanging
    hanging.release.set()
    for thread in threading.enumerate():
        if thread.name.startswith("keyring-"):
            thread.join(5)
            assert not thread.is_alive(), f"{thread.name} still running"
