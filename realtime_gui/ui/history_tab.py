"""The History tab: the recorded mints, filtered, with copy session id and load configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QFileSystemWatcher,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import InvalidInput
from ..core.history import HistoryFile, MintRecord
from ..core.session import ApiShape
from .style import error_colour
from .worker_host import HostedWorker, WorkerHost

__all__ = ["COLUMNS", "HistoryModel", "HistoryReader", "HistoryTab", "Loaded"]

COLUMNS = ("Time", "Outcome", "Source", "Profile", "Preset", "Model", "Session id", "Expires")
SESSION_COLUMN = COLUMNS.index("Session id")
OUTCOME_COLUMN = COLUMNS.index("Outcome")
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the table's only parent
_SETTLE_MS = 250
_STOP_WAIT_MS = 20  # a read cannot be interrupted; a longer one is joined by WorkerHost
_NO_BODY_TIP = "This mint was recorded before configurations were kept in the history"


@dataclass(frozen=True)
class Loaded:
    """One read of the history file: the records, newest first, or why it failed."""

    job_id: int
    records: tuple[MintRecord, ...]
    cells: tuple[tuple[str, ...], ...] = ()  # each record's column texts, made off the GUI
    error: str | None = None


class HistoryReader(HostedWorker):
    """Reads the history file on its own thread (up to ~5,500 lines of JSON)."""

    loaded = Signal(object)  # Loaded

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self._path = path

    @Slot(int)
    def read(self, job_id: int) -> None:
        from ..core.history import default_history

        try:
            history = HistoryFile(self._path) if self._path else default_history()
            records = tuple(history.read())
            self.loaded.emit(Loaded(job_id, records, tuple(_cells(r) for r in records)))
        except Exception as exc:  # an unreadable folder: say so in the tab, keep the thread
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            self.loaded.emit(Loaded(job_id, (), error=f"Cannot read the history: {reason}"))


def _local_time(text: str) -> str:
    try:
        return datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:  # a hand-edited record: show what it says
        return text


def _local_expiry(expires_at: int | None) -> str:
    if expires_at is None:
        return ""
    try:
        return datetime.fromtimestamp(expires_at).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError, TypeError):
        return str(expires_at)


def _cells(record: MintRecord) -> tuple[str, ...]:
    return (
        _local_time(record.time),
        record.outcome,
        record.source if not record.origin else f"{record.source} ({record.origin})",
        record.profile,
        record.preset or "",
        record.model or "",
        record.session_id or "",
        _local_expiry(record.expires_at),
    )


class HistoryModel(QAbstractTableModel):
    """The records as rows, newest first; cells are looked up, never built per row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.records: tuple[MintRecord, ...] = ()
        self._cells: tuple[tuple[str, ...], ...] = ()
        self.failed_brush = QBrush()

    def set_records(
        self, records: tuple[MintRecord, ...], cells: tuple[tuple[str, ...], ...] | None = None
    ) -> None:
        # One reset, not 5,000 inserted rows: a full history shows in a few milliseconds.
        self.beginResetModel()
        self.records = records
        self._cells = cells if cells is not None else tuple(_cells(r) for r in records)
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        record = self.records[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column]
        if role == Qt.ItemDataRole.UserRole:
            return row
        failed = record.outcome != "ok"
        if role == Qt.ItemDataRole.ForegroundRole and failed and column == OUTCOME_COLUMN:
            return self.failed_brush
        if role == Qt.ItemDataRole.ToolTipRole:
            if failed and column == OUTCOME_COLUMN:
                return f"The mint failed: {record.outcome}"
            if record.body is None:
                return _NO_BODY_TIP
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


def _button(parent: QWidget, name: str, text: str, tip: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text)
    return button


class HistoryTab(QWidget):
    """The table of mints, newest first; reads happen on a ``HistoryReader`` thread."""

    configLoaded = Signal(object)  # SessionConfig: restore it into the form
    loadFailed = Signal(object)  # InvalidInput: the recorded body is not a config any more
    message = Signal(str, int)
    readRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyTab")
        self._job_id = 0
        self.loaded_job = 0  # the job whose records are shown (tests wait on it)
        self._host: WorkerHost[HistoryReader] | None = None
        self._path = path
        self._closed = False
        self._watcher: QFileSystemWatcher | None = None
        self._watched: Path | None = None
        # Several appends in a burst (a serve client, a script): one read after them.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(_SETTLE_MS)
        self._settle.timeout.connect(self.reload)

        self.historyFilterInput = QLineEdit(self)
        self.historyFilterInput.setObjectName("historyFilterInput")
        self.historyFilterInput.setPlaceholderText("Filter (any column)")
        self.historyFilterInput.setAccessibleName("Filter history")
        self.historyFilterInput.setToolTip("Show only mints with this text in any column")
        self.historyFilterInput.setClearButtonEnabled(True)

        self.model = HistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.historyFilterInput.textChanged.connect(self.proxy.setFilterFixedString)

        view = self.historyView = QTableView(self)
        view.setObjectName("historyView")
        view.setAccessibleName("Mint history")
        view.setToolTip("Every mint from the window, the CLI and serve, newest first")
        view.setModel(self.proxy)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.setAlternatingRowColors(True)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        view.doubleClicked.connect(self.load_selected)

        self.copySessionIdButton = _button(
            self, "copySessionIdButton", "Copy session id", "Copy the selected mint's session id"
        )
        self.loadConfigButton = _button(
            self,
            "loadConfigButton",
            "Load this configuration",
            "Restore the selected mint's settings into the form (or double-click the row)",
        )
        self.refreshHistoryButton = _button(
            self, "refreshHistoryButton", "Refresh", "Read the history file again"
        )
        self.copySessionIdButton.clicked.connect(self.copy_session_id)
        self.loadConfigButton.clicked.connect(self.load_selected)
        self.refreshHistoryButton.clicked.connect(self.reload)
        view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._context_actions()

        self.statusLabel = QLabel("Reading the history…", self)
        self.statusLabel.setObjectName("historyStatusLabel")
        top = QHBoxLayout()
        top.addWidget(self.historyFilterInput, 1)
        top.addWidget(self.refreshHistoryButton)
        bottom = QHBoxLayout()
        bottom.addWidget(self.statusLabel, 1)
        bottom.addWidget(self.copySessionIdButton)
        bottom.addWidget(self.loadConfigButton)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(view, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    def _context_actions(self) -> None:
        view = self.historyView
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.copySessionIdAction = QAction("Copy session id", view)
        self.copySessionIdAction.setShortcuts([QKeySequence(QKeySequence.StandardKey.Copy)])
        self.copySessionIdAction.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copySessionIdAction.triggered.connect(self.copy_session_id)
        self.loadConfigAction = QAction("Load this configuration", view)
        self.loadConfigAction.triggered.connect(self.load_selected)
        view.addAction(self.copySessionIdAction)
        view.addAction(self.loadConfigAction)

    def tab_order(self) -> list[QWidget]:
        return [
            self.historyFilterInput,
            self.refreshHistoryButton,
            self.historyView,
            self.copySessionIdButton,
            self.loadConfigButton,
        ]

    # -- reading ------------------------------------------------------------------------
    def _reader(self) -> WorkerHost[HistoryReader]:
        if self._host is None:
            reader = HistoryReader(self._path)
            reader.loaded.connect(self._on_loaded)
            self.readRequested.connect(reader.read)
            self._host = WorkerHost(reader, name="realtime-gui-history")
            # Dropped without a close: the thread still ends (the host outlives this tab).
            self.destroyed.connect(self._host.request_stop)
        return self._host

    def watch(self) -> None:
        """Reload when another process (the CLI, serve) writes the file, as well as on Refresh."""
        from ..core.history import history_path

        self._watched = self._path or history_path()
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_event)
        self._watcher.directoryChanged.connect(self._on_file_event)
        self._rewatch()

    def _rewatch(self) -> None:
        # Only paths that exist (Qt warns otherwise); the trim replaces the file, which
        # drops it from the watcher, so it is added again after every change.
        watcher, path = self._watcher, self._watched
        if watcher is None or path is None:
            return
        # Before the first mint anywhere the folder itself is missing: watch the nearest
        # folder that exists, so its creation is seen.
        folder = next((p for p in path.parents if p.is_dir()), None)
        wanted = {str(t) for t in (folder, path) if t is not None and t.exists()}
        watched = {*watcher.files(), *watcher.directories()}
        if watched - wanted:
            watcher.removePaths(sorted(watched - wanted))
        if wanted - watched:
            watcher.addPaths(sorted(wanted - watched))

    @Slot(str)
    def _on_file_event(self, _path: str) -> None:
        self._rewatch()
        if not self._closed:
            self._settle.start()

    @Slot()
    def reload(self) -> None:
        """Read the file again on the reader's thread; the table updates when it answers."""
        if self._closed:
            return
        host = self._reader()
        if host.stopped:
            return
        self._job_id += 1
        if not self.model.records:
            self.statusLabel.setText("Reading the history…")
        self.readRequested.emit(self._job_id)

    @property
    def reading(self) -> bool:
        """True while a read has been asked for and has not answered yet."""
        return self.loaded_job != self._job_id

    def shutdown(self) -> None:
        self._closed = True
        self._settle.stop()
        if self._watcher is not None:
            self._watcher.fileChanged.disconnect(self._on_file_event)
            self._watcher.directoryChanged.disconnect(self._on_file_event)
        if self._host is not None:
            self._host.stop(_STOP_WAIT_MS)

    @Slot(object)
    def _on_loaded(self, loaded: Loaded) -> None:
        if loaded.job_id != self._job_id:
            return  # an older read, overtaken by a newer one
        self.loaded_job = loaded.job_id
        self._rewatch()  # the file (or its folder) may exist only now
        if loaded.error:
            self.statusLabel.setText(loaded.error)
            return
        self.show_records(loaded.records, loaded.cells)

    def show_records(
        self,
        records: tuple[MintRecord, ...],
        cells: tuple[tuple[str, ...], ...] | None = None,
    ) -> None:
        """Fill the table, newest first, keeping the selected mint selected."""
        selected = self.selected_record()
        first_fill = not self.model.records
        self.model.failed_brush = QBrush(QColor(error_colour(self.historyView)))
        self.model.set_records(records, cells)
        if first_fill and records:
            # Sized to the newest rows (resizeColumnsToContents would measure all 5,000).
            header = self.historyView.horizontalHeader()
            header.setResizeContentsPrecision(50)
            self.historyView.resizeColumnsToContents()
        count = len(records)
        self.statusLabel.setText(f"{count} mint{'s' if count != 1 else ''}" if count else
                                 "No mints recorded yet.")  # fmt: skip
        if selected is not None and selected in records:
            self.select_row(records.index(selected))
        self._update_buttons()

    # -- the selection ------------------------------------------------------------------
    def select_row(self, index: int) -> None:
        """Select the record at ``index`` in newest-first order (if the filter shows it)."""
        source = self.model.index(index, 0)
        proxy = self.proxy.mapFromSource(source)
        if proxy.isValid():
            self.historyView.selectRow(proxy.row())

    def selected_record(self) -> MintRecord | None:
        rows = self.historyView.selectionModel().selectedRows()
        if not rows:
            return None
        index = self.proxy.mapToSource(rows[0]).data(Qt.ItemDataRole.UserRole)
        return self.model.records[index] if isinstance(index, int) else None

    @Slot()
    def _update_buttons(self) -> None:
        record = self.selected_record()
        can_copy = record is not None and bool(record.session_id)
        can_load = record is not None and record.body is not None
        for widget in (self.copySessionIdButton, self.copySessionIdAction):
            widget.setEnabled(can_copy)
        for widget in (self.loadConfigButton, self.loadConfigAction):
            widget.setEnabled(can_load)
        self.loadConfigButton.setToolTip(
            _NO_BODY_TIP + "; it cannot be loaded."
            if record is not None and record.body is None
            else "Restore the selected mint's settings into the form (or double-click the row)"
        )

    @Slot()
    def copy_session_id(self) -> None:
        record = self.selected_record()
        if record is None or not record.session_id:
            return
        QGuiApplication.clipboard().setText(record.session_id)
        self.message.emit(f"Copied session id {record.session_id}", 3000)

    @Slot()
    def load_selected(self) -> None:
        """Restore the selected mint's configuration into the form."""
        from ..core.body_reader import config_from_body

        record = self.selected_record()
        if record is None or record.body is None:
            return
        try:
            config = config_from_body(ApiShape(record.api), record.body)
        except (InvalidInput, ValueError) as exc:
            problem = exc if isinstance(exc, InvalidInput) else InvalidInput.single("api", str(exc))
            self.loadFailed.emit(problem)
            return
        self.configLoaded.emit(config)
        self.message.emit(f"Loaded the configuration of the mint at {_cells(record)[0]}", 5000)
