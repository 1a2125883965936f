"""The token server's request log: one row per answered request, and the counters."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ..core.serve import ServeEvent

__all__ = ["MAX_ROWS", "ServeLog"]

MAX_ROWS = 500  # the oldest rows go first; the counters keep counting
COLUMNS = ("Time", "Origin", "Route", "Status", "Session / error")


class ServeLog(QWidget):
    """Time, origin, route, status and session id or error code; never a secret.

    ``ServeEvent`` carries no secret by construction (core/serve/events.py), and only its
    fields are shown, so nothing a mint returned can reach the table.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.requests = self.minted = self.refused = 0
        self.serveLogView = QTableWidget(0, len(COLUMNS), self)
        self.serveLogView.setObjectName("serveLogView")
        self.serveLogView.setHorizontalHeaderLabels(list(COLUMNS))
        self.serveLogView.setAccessibleName("Request log")
        self.serveLogView.setToolTip(
            "Every request the token server answered: time, origin, route, status, and the "
            "session id of a minted secret or the error code of a refusal (never a secret)"
        )
        self.serveLogView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.serveLogView.verticalHeader().setVisible(False)
        self.serveLogView.horizontalHeader().setStretchLastSection(True)
        self.serveCountersLabel = QLabel(self)
        self.serveCountersLabel.setObjectName("serveCountersLabel")
        self.serveCountersLabel.setAccessibleName("Request counters")
        self.serveCountersLabel.setToolTip("Requests answered, secrets minted, refused or failed")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.serveLogView, 1)
        layout.addWidget(self.serveCountersLabel)
        self._show_counters()

    def add_event(self, event: ServeEvent) -> None:
        """Append one row (dropping the oldest past MAX_ROWS) and count it."""
        self.requests += 1
        self.minted += event.session_id is not None
        self.refused += event.status >= 400
        view = self.serveLogView
        if view.rowCount() >= MAX_ROWS:
            view.removeRow(0)
        row = view.rowCount()
        view.insertRow(row)
        outcome = event.session_id or event.error_code or ""
        cells = (
            time.strftime("%H:%M:%S", time.localtime(event.time)),
            event.origin or "(none)",
            f"{event.method} {event.path}",
            str(event.status),
            outcome,
        )
        for column, text in enumerate(cells):
            view.setItem(row, column, QTableWidgetItem(text))
        view.scrollToBottom()
        self._show_counters()

    def cell_texts(self) -> list[str]:
        """Every cell's text (for tests and automation)."""
        view = self.serveLogView
        items = (view.item(r, c) for r in range(view.rowCount()) for c in range(len(COLUMNS)))
        return [item.text() for item in items if item is not None]

    def _show_counters(self) -> None:
        self.serveCountersLabel.setText(
            f"Requests: {self.requests} · Minted: {self.minted} · Refused or failed: {self.refused}"
        )
