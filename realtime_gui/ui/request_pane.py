"""The request pane: the live request preview, JSON edit and import, and the granted session."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.bodies import render_body
from ..core.errors import FieldProblem, InvalidInput
from ..core.session import ApiShape, SessionConfig

if TYPE_CHECKING:
    from ..core.request import PreparedRequest
    from .body_dialogs import EditJsonDialog, ImportDialog
    from .granted_view import GrantedSessionView
    from .history_tab import HistoryTab

__all__ = ["ImportedConfig", "RequestPane"]

GRANTED_TAB = 1
HISTORY_TAB = 2


@dataclass(frozen=True)
class ImportedConfig:
    """A pasted request turned into a GA config, with what the conversion could not carry."""

    config: SessionConfig
    source: str
    notes: tuple[str, ...]


def _button(parent: QWidget, name: str, text: str, tip: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text.rstrip("…"))
    return button


class RequestPane(QTabWidget):
    """Tabs "Request preview" and "Granted session" (the latter's table built on first use).

    Reads the form only through ``current_config``; loading an edited or imported body is
    left to the window through ``configEdited`` / ``requestImported``. New detail tabs are
    added here with ``addTab``, each a widget of its own. "History" (ui/history_tab.py) is
    built when first shown, so the history file is never read before the first paint; a
    configuration it loads arrives through ``configEdited`` too.
    """

    configEdited = Signal(object)  # SessionConfig from Edit as JSON…
    requestImported = Signal(object)  # ImportedConfig from Import…
    loadFailed = Signal(object)  # InvalidInput: the body could not become a config
    message = Signal(str, int)  # status bar text and how long to show it (ms)

    def __init__(
        self, current_config: Callable[[], SessionConfig], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("detailTabs")
        self._current_config = current_config
        self._granted: GrantedSessionView | None = None
        self._history: HistoryTab | None = None
        # The last granted session, until the table is built to show it (on first look).
        self._pending: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None
        self.currentChanged.connect(self._on_tab_changed)

        self.requestPreview = QPlainTextEdit(self)
        self.requestPreview.setObjectName("requestPreview")
        self.requestPreview.setReadOnly(True)
        self.requestPreview.setAccessibleName("Request preview")
        self.requestPreview.setToolTip(
            "Exactly what Mint sends: endpoint, headers (the key redacted) and JSON body"
        )
        self.requestPreview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.requestPreview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copyPreviewButton = _button(
            self, "copyPreviewButton", "Copy request", "Copy the request preview (key redacted)"
        )
        self.copyPreviewButton.clicked.connect(self._copy_preview)
        self.editJsonButton = _button(
            self,
            "editJsonButton",
            "Edit as JSON…",
            "Edit the request body as JSON; unknown keys are kept",
        )
        self.editJsonButton.clicked.connect(self.edit_json)
        self.importButton = _button(
            self, "importButton", "Import…", "Paste a Beta body, a GA body or a curl command"
        )
        self.importButton.clicked.connect(self.import_request)

        preview_box = QWidget(self)
        preview_layout = QVBoxLayout(preview_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.editJsonButton)
        buttons.addWidget(self.importButton)
        buttons.addStretch(1)
        buttons.addWidget(self.copyPreviewButton)
        preview_layout.addLayout(buttons)
        preview_layout.addWidget(self.requestPreview)
        self.addTab(preview_box, "Request preview")
        # A plain label until the first mint: the table is built only when there is a session.
        placeholder = QLabel("Mint a secret to see the session the server granted.", self)
        placeholder.setObjectName("grantedPlaceholder")
        placeholder.setWordWrap(True)
        self.addTab(placeholder, "Granted session")
        history_placeholder = QLabel("Reading the history…", self)
        history_placeholder.setObjectName("historyPlaceholder")
        self.addTab(history_placeholder, "History")
        self.setTabToolTip(HISTORY_TAB, "Every mint from the window, the CLI and serve")

    def tab_order(self) -> list[QWidget]:
        return [self.editJsonButton, self.importButton, self.copyPreviewButton, self.requestPreview]

    # -- the preview ------------------------------------------------------------------------
    def show_request(
        self,
        prepared: PreparedRequest | None,
        config: SessionConfig,
        problems: Sequence[FieldProblem],
    ) -> None:
        """Show the prepared request byte for byte, or why none can be sent (and the body)."""
        if prepared is not None:
            text = prepared.as_text()
        else:
            lines = ["# Not sendable yet; Mint is disabled until these are fixed:"]
            lines += [f"#   {p.describe()}" for p in problems]
            try:
                body = json.dumps(render_body(config), indent=2, ensure_ascii=False)
            except Exception:  # a half-typed value the renderer cannot place yet
                body = ""
            text = "\n".join(lines) + ("\n\n" + body if body else "") + "\n"
        if text != self.requestPreview.toPlainText():
            self.requestPreview.setPlainText(text)

    @Slot()
    def _copy_preview(self) -> None:
        QGuiApplication.clipboard().setText(self.requestPreview.toPlainText())
        self.message.emit("Request copied (the key is redacted)", 3000)

    # -- the granted session -------------------------------------------------------------
    @property
    def granted_built(self) -> GrantedSessionView | None:
        """The granted-session table if it has been built, else None (nothing is built)."""
        return self._granted

    @property
    def grantedSessionView(self) -> GrantedSessionView:
        """The granted-session table, built (in place of the placeholder) on first use."""
        if self._granted is None:
            from .granted_view import GrantedSessionView

            view = GrantedSessionView(self)
            placeholder = self.widget(GRANTED_TAB)
            current = self.currentIndex()
            self._granted = view  # first: swapping the tabs below emits currentChanged
            title = self.tabText(GRANTED_TAB)
            self.removeTab(GRANTED_TAB)
            self.insertTab(GRANTED_TAB, view, title)
            self.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
            if self._pending is not None:
                view.show_session(*self._pending)
        return self._granted

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if index == GRANTED_TAB and self._granted is None and self._pending is not None:
            _ = self.grantedSessionView  # built when first looked at
        if index == HISTORY_TAB and self._history is None:
            _ = self.history

    # -- the history ----------------------------------------------------------------------
    @property
    def history_built(self) -> HistoryTab | None:
        return self._history

    @property
    def history(self) -> HistoryTab:
        """The History tab, built (and its first read started) on first use."""
        if self._history is None:
            from .history_tab import HistoryTab

            tab = HistoryTab(self)
            tab.configLoaded.connect(self.configEdited)
            tab.loadFailed.connect(self.loadFailed)
            tab.message.connect(self.message)
            placeholder = self.widget(HISTORY_TAB)
            current = self.currentIndex()
            self._history = tab  # first: swapping the tabs below emits currentChanged
            title, tip = self.tabText(HISTORY_TAB), self.tabToolTip(HISTORY_TAB)
            self.removeTab(HISTORY_TAB)
            self.insertTab(HISTORY_TAB, tab, title)
            self.setTabToolTip(HISTORY_TAB, tip)
            self.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
            tab.reload()
            tab.watch()
        return self._history

    @property
    def historyView(self) -> QTableView:
        return self.history.historyView

    @Slot()
    def history_changed(self) -> None:
        """A mint was recorded: re-read the history if the tab has been built."""
        if self._history is not None:
            self._history.reload()

    def shutdown(self) -> None:
        """Stop the history's reader thread (the window is closing)."""
        if self._history is not None:
            self._history.shutdown()

    def show_granted(self, requested: Mapping[str, Any], granted: Mapping[str, Any]) -> None:
        """Compare what was asked with what the server granted; the tab counts differences.

        The table itself is built when the tab is first looked at (or asked for by name).
        """
        from ..core.session_diff import differing_paths

        self._pending = (requested, granted)
        if self._granted is not None:
            self._granted.show_session(requested, granted)
        differing = len(differing_paths(requested, granted))
        self.setTabText(
            GRANTED_TAB, f"Granted session ({differing} differ)" if differing else "Granted session"
        )

    # -- JSON edit and import ---------------------------------------------------------
    @Slot()
    def edit_json(self) -> EditJsonDialog:
        """Open the JSON editor on the current body; OK reports it through ``configEdited``."""
        from .body_dialogs import EditJsonDialog

        config = self._current_config()
        try:
            body = render_body(config)
        except Exception:
            body = {}
        dialog = EditJsonDialog(body, self.window())
        dialog.accepted.connect(lambda: self._load_edited(dialog, config.api))
        dialog.open()
        return dialog

    def _load_edited(self, dialog: EditJsonDialog, api: ApiShape) -> None:
        if dialog.body is None:
            return
        from ..core.body_reader import config_from_body

        try:
            config = config_from_body(api, dialog.body)
        except InvalidInput as exc:
            self.loadFailed.emit(exc)
            return
        self.configEdited.emit(config)

    @Slot()
    def import_request(self) -> ImportDialog:
        """Open the import dialog; a Beta body or curl command is converted to GA."""
        from .body_dialogs import ImportDialog

        dialog = ImportDialog(self.window())
        dialog.accepted.connect(lambda: self._load_imported(dialog))
        dialog.open()
        return dialog

    def _load_imported(self, dialog: ImportDialog) -> None:
        imported = dialog.imported
        if imported is None:
            return
        from ..core.body_reader import config_from_body

        try:
            config = config_from_body(ApiShape.GA, imported.body)
        except InvalidInput as exc:
            self.loadFailed.emit(exc)
            return
        notes = " ".join(imported.notes)
        self.message.emit(f"Imported a {imported.source} as GA. {notes}".strip(), 10_000)
        self.requestImported.emit(ImportedConfig(config, imported.source, tuple(imported.notes)))
