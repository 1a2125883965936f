"""Guards against the Qt binding itself: a release that leaks None refcounts must not ship."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_calls_do_not_drop_references_to_none(qtbot: QtBot) -> None:
    # PySide6 6.12.0 decremented None once per call that returns nothing; on Python 3.11
    # the app then aborts ("deallocating None") after some tens of thousands of calls.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("")
        label.setVisible(False)
    # Other threads may hold or drop a few references meanwhile; a leak shows as -1000.
    assert sys.getrefcount(None) - before > -50
