"""The Granted session view: what the server granted, with differences from the request marked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ..core.session_diff import DiffStatus, diff_session
from .style import is_dark

__all__ = ["GrantedSessionView"]

# Row background of a differing field: (light palette, dark palette), judged on the Base role.
_DIFFERS = ("#fff3c4", "#5c4400")
_STATUS_TEXT = {
    DiffStatus.SAME: "as asked",
    DiffStatus.CHANGED: "differs",
    DiffStatus.DEFAULT: "server default",
    DiffStatus.MISSING: "not in the granted session",
}


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class GrantedSessionView(QTreeWidget):
    """Field, requested value, granted value and a note; differing rows stand out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("grantedSessionView")
        self.setAccessibleName("Granted session")
        self.setToolTip(
            "The effective session the server returned. Rows that differ from what you "
            "asked for are highlighted; the rest are as asked or the server's defaults."
        )
        self.setColumnCount(4)
        self.setHeaderLabels(["Field", "Requested", "Granted", ""])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def show_session(self, requested: Mapping[str, Any], granted: Mapping[str, Any]) -> None:
        self.clear()
        dark = is_dark(self, QPalette.ColorRole.Base)
        highlight = QBrush(QColor(_DIFFERS[1] if dark else _DIFFERS[0]))
        bold = QFont(self.font())
        bold.setBold(True)
        rows = diff_session(requested, granted)
        for row in rows:
            item = QTreeWidgetItem(
                [
                    row.path,
                    "" if row.status is DiffStatus.DEFAULT else _show(row.requested),
                    "" if row.status is DiffStatus.MISSING else _show(row.granted),
                    _STATUS_TEXT[row.status],
                ]
            )
            item.setData(0, 256, row.status.value)  # Qt.UserRole: for tests and automation
            if row.status in (DiffStatus.CHANGED, DiffStatus.MISSING):
                for column in range(4):
                    item.setBackground(column, highlight)
                    item.setFont(column, bold)
            self.addTopLevelItem(item)
        changed = sum(r.status in (DiffStatus.CHANGED, DiffStatus.MISSING) for r in rows)
        self.setAccessibleDescription(
            f"{len(rows)} fields, {changed} differ from the request" if rows else "empty"
        )

    def differing_paths(self) -> list[str]:
        """The fields shown as differing (changed or missing)."""
        wanted = {DiffStatus.CHANGED.value, DiffStatus.MISSING.value}
        items = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        return [item.text(0) for item in items if item and item.data(0, 256) in wanted]
