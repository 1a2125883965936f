"""The main window: the session form, the Mint button, the secret with its countdown."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFontDatabase,
    QGuiApplication,
    QKeySequence,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.bodies import render_body
from ..core.credentials import DEFAULT_PROFILE, KeyStatus
from ..core.endpoint import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    Connection,
    Provider,
)
from ..core.errors import FieldProblem, InvalidInput, RealtimeGuiError
from ..core.expiry import (
    Deadline,
    ExpiryLevel,
    expiry_level,
    format_local_time,
    format_remaining,
)
from ..core.request import PreparedRequest, prepare
from ..core.responses import MintedSecret
from ..core.session import (
    BETA_MODELS,
    BETA_VOICES,
    GA_MODELS,
    GA_VOICES,
    TRANSCRIPTION_MODELS,
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
    inapplicable_reason,
)
from .advanced_panel import AdvancedPanel
from .banner import StatusBanner
from .body_dialogs import EditJsonDialog, ImportDialog
from .granted_view import GrantedSessionView
from .key_dialog import ApiKeyDialog
from .worker import MintFailed, MintJob, MintSucceeded
from .worker_host import WorkerHost

__all__ = ["MainWindow"]

TICK_MS = 200
# The server's own default lifetimes; the form shows them until the user changes them.
DEFAULT_TTL = {ApiShape.GA: 600, ApiShape.BETA: 60}
DEFAULT_MODALITIES = {ApiShape.GA: ("audio",), ApiShape.BETA: ("text", "audio")}
_ERROR_COLOUR = "#d32f2f"
_LEVEL_COLOURS = {  # (light palette, dark palette)
    ExpiryLevel.WARNING: ("#b36b00", "#ffb74d"),
    ExpiryLevel.CRITICAL: ("#c62828", "#ff6e6e"),
    ExpiryLevel.EXPIRED: ("#c62828", "#ff6e6e"),
}


def _extra_paths(extra: Mapping[str, Any]) -> list[str]:
    from ..core.body_reader import extra_paths  # only when a body brought unknown keys

    return extra_paths(extra)


def _persistable(body: dict[str, Any]) -> dict[str, Any]:
    """The body without MCP credentials (authorization, headers): settings hold no secrets."""
    out = copy.deepcopy(body)
    session = out.get("session", out)
    tools = session.get("tools") if isinstance(session, dict) else None
    for tool in tools if isinstance(tools, list) else ():
        if isinstance(tool, dict):
            tool.pop("authorization", None)
            tool.pop("headers", None)
    return out


class MainWindow(QMainWindow):
    """The form and the result; all I/O goes through the worker on its own thread."""

    mintRequested = Signal(object)  # MintJob
    keyStatusRequested = Signal(str)
    keyActionRequested = Signal(object)  # KeyAction
    warmUpRequested = Signal(str)

    def __init__(
        self,
        *,
        host: WorkerHost,
        settings: QSettings,
        env: Mapping[str, str],
        profile: str = DEFAULT_PROFILE,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("realtime-gui — Realtime client secrets")
        self._host = host
        self._worker = host.worker
        self._settings = settings
        self._env = env
        self._profile = profile
        self._job_id = 0
        self._in_flight: int | None = None
        self._secret: MintedSecret | None = None
        self._deadline: Deadline | None = None
        self._key_dialog: ApiKeyDialog | None = None
        self._models: dict[str, str] = {}
        self._ttl = dict(DEFAULT_TTL)
        self._modalities = dict(DEFAULT_MODALITIES)
        self._current_api = ApiShape.GA
        self._current_mode = "ga/realtime"
        self._shut_down = False
        self._warmed_up = False
        self._form_ready = False
        self._extra: dict[str, Any] = {}
        # What the last refresh made of the form: the request Mint sends, or why it cannot.
        self._prepared: PreparedRequest | None = None
        self._problems: list[FieldProblem] = []
        self.importNotes: tuple[str, ...] = ()
        # The last mint failure shown in the banner (for automation and tests).
        self.last_error: RealtimeGuiError | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh)

        self._build_form()
        self._build_result()
        self._build_actions()
        self._layout()
        self._connect_worker()
        self._restore_settings()
        self._apply_shape()  # not ready yet: fills the form without overwriting what was restored
        self._form_ready = True
        self._connect_changes()
        self._refresh()

        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)

    # -- construction -----------------------------------------------------------------
    def _build_form(self) -> None:
        self.keyStatusLabel = QLabel("Checking the keyring…", self)
        self.keyStatusLabel.setObjectName("keyStatusLabel")
        self.keyStatusLabel.setAccessibleName("API key status")
        self.apiKeyButton = QPushButton("Set key…", self)
        self.apiKeyButton.setObjectName("apiKeyButton")
        self.apiKeyButton.setToolTip("Enter, replace or delete the API key (Ctrl+K)")
        self.apiKeyButton.setAccessibleName("Set API key")
        self.apiKeyButton.clicked.connect(self.open_key_dialog)

        self.statusBanner = StatusBanner(self)

        self.apiShapeInput = self._combo(
            "apiShapeInput",
            "API shape",
            "GA: POST /realtime/client_secrets (current). Beta: POST /realtime/sessions, "
            "for Azure preview deployments and compatible servers.",
        )
        self.apiShapeInput.addItem("GA — /realtime/client_secrets", ApiShape.GA.value)
        self.apiShapeInput.addItem("Beta — /realtime/sessions", ApiShape.BETA.value)
        self.sessionTypeInput = self._combo(
            "sessionTypeInput", "Session type", "realtime: speech-to-speech; transcription only"
        )
        self.sessionTypeInput.addItem("Realtime (speech to speech)", SessionType.REALTIME.value)
        self.sessionTypeInput.addItem("Transcription", SessionType.TRANSCRIPTION.value)
        self.providerInput = self._combo(
            "providerInput", "Provider", "OpenAI sends Authorization: Bearer; Azure sends api-key"
        )
        self.providerInput.addItem("OpenAI", Provider.OPENAI.value)
        self.providerInput.addItem("Azure OpenAI", Provider.AZURE.value)
        self.baseUrlInput = QLineEdit(self)
        self.baseUrlInput.setObjectName("baseUrlInput")
        self.baseUrlInput.setAccessibleName("Base URL")
        default = self._env.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        self.baseUrlInput.setPlaceholderText(default)
        self.baseUrlInput.setToolTip(
            f"API base URL; empty means {default}. Azure: https://NAME.openai.azure.com/openai/v1"
        )
        self.baseUrlInput.setClearButtonEnabled(True)

        self.modelInput = self._combo("modelInput", "Model", "", editable=True)
        self.voiceInput = self._combo(
            "voiceInput",
            "Voice",
            "A built-in voice, or type a custom voice id (voice_…, GA only). "
            "Empty: the server default.",
            editable=True,
        )
        self.instructionsInput = QPlainTextEdit(self)
        self.instructionsInput.setObjectName("instructionsInput")
        self.instructionsInput.setAccessibleName("Instructions")
        self.instructionsInput.setToolTip("System instructions for the model (optional)")
        self.instructionsInput.setPlaceholderText("Optional system instructions")
        self.instructionsInput.setTabChangesFocus(True)
        self.instructionsInput.setFixedHeight(90)

        self.modalityAudio = QCheckBox("&Audio", self)
        self.modalityAudio.setObjectName("modalityAudio")
        self.modalityAudio.setAccessibleName("Output modality audio")
        self.modalityText = QCheckBox("Te&xt", self)
        self.modalityText.setObjectName("modalityText")
        self.modalityText.setAccessibleName("Output modality text")
        self._modality_group = QButtonGroup(self)
        self._modality_group.addButton(self.modalityAudio)
        self._modality_group.addButton(self.modalityText)

        self.ttlInput = QSpinBox(self)
        self.ttlInput.setObjectName("ttlInput")
        self.ttlInput.setAccessibleName("Lifetime in seconds")
        self.ttlInput.setRange(10, 7200)
        self.ttlInput.setSuffix(" s")
        self.ttlInput.setToolTip(
            "How long the secret can start sessions: 10–7200 s "
            "(server default: GA 600 s, Beta 60 s)"
        )

        self.timeoutInput = QSpinBox(self)
        self.timeoutInput.setObjectName("timeoutInput")
        self.timeoutInput.setAccessibleName("Timeout in seconds")
        self.timeoutInput.setRange(1, 120)
        self.timeoutInput.setValue(int(DEFAULT_TIMEOUT))
        self.timeoutInput.setSuffix(" s")
        self.timeoutInput.setToolTip("Give up on a mint that takes longer than this")

        self.mintButton = QPushButton("&Mint secret", self)
        self.mintButton.setObjectName("mintButton")
        self.mintButton.setToolTip("Mint a client secret (Ctrl+Enter)")
        self.mintButton.setAccessibleName("Mint secret")
        self.mintButton.setDefault(True)
        self.mintButton.clicked.connect(self.mint)
        self.mintProgress = QProgressBar(self)
        self.mintProgress.setObjectName("mintProgress")
        self.mintProgress.setRange(0, 0)
        self.mintProgress.setMaximumWidth(120)
        self.mintProgress.setAccessibleName("Minting in progress")
        self.mintProgress.hide()

        self.apiShapeInput.currentIndexChanged.connect(self._apply_shape)
        self.sessionTypeInput.currentIndexChanged.connect(self._apply_shape)

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        return button

    def _combo(self, name: str, accessible: str, tip: str, *, editable: bool = False) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setToolTip(tip)
        combo.setEditable(editable)
        if editable:
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = combo.lineEdit()
            if line is not None:
                line.setAccessibleName(accessible)
        return combo

    def _build_result(self) -> None:
        self.secretField = QLineEdit(self)
        self.secretField.setObjectName("secretField")
        self.secretField.setReadOnly(True)
        self.secretField.setEchoMode(QLineEdit.EchoMode.Password)
        self.secretField.setAccessibleName("Client secret")
        self.secretField.setToolTip("The client secret (masked; Reveal shows it)")
        self.secretField.setPlaceholderText("No secret yet — press Mint (Ctrl+Enter)")
        self.revealButton = QPushButton("&Reveal", self)
        self.revealButton.setObjectName("revealButton")
        self.revealButton.setCheckable(True)
        self.revealButton.setToolTip("Show or hide the secret")
        self.revealButton.setAccessibleName("Reveal secret")
        self.revealButton.toggled.connect(self._toggle_reveal)
        self.copyButton = QPushButton("&Copy", self)
        self.copyButton.setObjectName("copyButton")
        self.copyButton.setToolTip("Copy the secret to the clipboard (Ctrl+Shift+C)")
        self.copyButton.setAccessibleName("Copy secret")
        self.copyButton.clicked.connect(self.copy_secret)
        self.countdownLabel = QLabel("--:--", self)
        self.countdownLabel.setObjectName("countdownLabel")
        self.countdownLabel.setAccessibleName("Time left")
        self.countdownLabel.setToolTip("Time left until the secret can no longer start sessions")
        font = self.countdownLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.countdownLabel.setFont(font)
        self.expiresAtLabel = QLabel("", self)
        self.expiresAtLabel.setObjectName("expiresAtLabel")
        self.expiresAtLabel.setAccessibleName("Expires at")
        self.sessionInfoLabel = QLabel("", self)
        self.sessionInfoLabel.setObjectName("sessionInfoLabel")
        self.sessionInfoLabel.setAccessibleName("Session")
        self.sessionInfoLabel.setWordWrap(True)
        self.sessionInfoLabel.setTextInteractionFlags(
            self.sessionInfoLabel.textInteractionFlags()
            | self.sessionInfoLabel.textInteractionFlags().TextSelectableByMouse
        )
        self.revealButton.setEnabled(False)
        self.copyButton.setEnabled(False)

        self.advancedPanel = AdvancedPanel(self)
        self.extraNote = QLabel(self)
        self.extraNote.setObjectName("extraNote")
        self.extraNote.setWordWrap(True)
        self.extraNote.setAccessibleName("Fields kept from the JSON body")
        self.extraNote.hide()
        self.mintBlockedLabel = QLabel(self)
        self.mintBlockedLabel.setObjectName("mintBlockedLabel")
        self.mintBlockedLabel.setWordWrap(True)
        self.mintBlockedLabel.setAccessibleName("Why Mint is disabled")
        self.mintBlockedLabel.hide()

        self.requestPreview = QPlainTextEdit(self)
        self.requestPreview.setObjectName("requestPreview")
        self.requestPreview.setReadOnly(True)
        self.requestPreview.setAccessibleName("Request preview")
        self.requestPreview.setToolTip(
            "Exactly what Mint sends: endpoint, headers (the key redacted) and JSON body"
        )
        self.requestPreview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.requestPreview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copyPreviewButton = self._button(
            "copyPreviewButton", "Copy request", "Copy the request preview (key redacted)"
        )
        self.copyPreviewButton.clicked.connect(self._copy_preview)
        self.editJsonButton = self._button(
            "editJsonButton",
            "Edit as JSON…",
            "Edit the request body as JSON; unknown keys are kept",
        )
        self.editJsonButton.clicked.connect(self.edit_json)
        self.importButton = self._button(
            "importButton", "Import…", "Paste a Beta body, a GA body or a curl command"
        )
        self.importButton.clicked.connect(self.import_request)
        self.grantedSessionView = GrantedSessionView(self)

        self._field_labels: dict[str, QLabel] = {}
        for name in ("model", "voice", "instructions", "modalities", "ttl_seconds", "base_url"):
            label = QLabel(self)
            label.setObjectName(f"{name}Error")
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {_ERROR_COLOUR};")
            label.hide()
            self._field_labels[name] = label

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.mintAction = QAction("&Mint secret", self)
        self.mintAction.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.mintAction.triggered.connect(self.mint)
        self.keyAction = QAction("Set API &key…", self)
        self.keyAction.setShortcut(QKeySequence("Ctrl+K"))
        self.keyAction.triggered.connect(self.open_key_dialog)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addActions([self.mintAction, self.keyAction])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.copyAction = QAction("&Copy secret", self)
        self.copyAction.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copyAction.triggered.connect(self.copy_secret)
        self.copyAction.setEnabled(False)
        edit_menu.addAction(self.copyAction)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About realtime-gui", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _layout(self) -> None:
        key_row = QHBoxLayout()
        key_row.addWidget(self.keyStatusLabel, 1)
        key_row.addWidget(self.apiKeyButton)

        errors = self._field_labels
        form = QFormLayout()
        form.addRow("&API:", self.apiShapeInput)
        form.addRow("&Provider:", self.providerInput)
        form.addRow("&Base URL:", self.baseUrlInput)
        form.addRow("", errors["base_url"])
        form.addRow("Ti&meout:", self.timeoutInput)
        form.addRow("Session &type:", self.sessionTypeInput)
        form.addRow("Mo&del:", self.modelInput)
        form.addRow("", errors["model"])
        form.addRow("&Voice:", self.voiceInput)
        form.addRow("", errors["voice"])
        modalities = QHBoxLayout()
        modalities.addWidget(self.modalityAudio)
        modalities.addWidget(self.modalityText)
        modalities.addStretch(1)
        form.addRow("Output:", modalities)
        form.addRow("", errors["modalities"])
        form.addRow("&Lifetime:", self.ttlInput)
        form.addRow("", errors["ttl_seconds"])
        form.addRow("&Instructions:", self.instructionsInput)
        form.addRow("", errors["instructions"])
        session_box = QGroupBox("Session", self)
        session_box.setLayout(form)

        mint_row = QHBoxLayout()
        mint_row.addStretch(1)
        mint_row.addWidget(self.mintProgress)
        mint_row.addWidget(self.mintButton)

        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secretField, 1)
        secret_row.addWidget(self.revealButton)
        secret_row.addWidget(self.copyButton)
        result = QVBoxLayout()
        result.addLayout(secret_row)
        timing = QHBoxLayout()
        timing.addWidget(self.countdownLabel)
        timing.addSpacing(12)
        timing.addWidget(self.expiresAtLabel, 1)
        result.addLayout(timing)
        result.addWidget(self.sessionInfoLabel)
        result_box = QGroupBox("Client secret", self)
        result_box.setLayout(result)

        self.advancedToggle = QToolButton(self)
        self.advancedToggle.setObjectName("advancedToggle")
        self.advancedToggle.setText("Advanced settings")
        self.advancedToggle.setCheckable(True)
        self.advancedToggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advancedToggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advancedToggle.setToolTip(
            "Audio formats, turn detection, tools, tracing and every other session field"
        )
        self.advancedToggle.setAccessibleName("Show advanced settings")
        self.advancedToggle.toggled.connect(self._toggle_advanced)
        self.advancedPanel.setVisible(False)

        form_column = QVBoxLayout()
        form_column.addWidget(session_box)
        form_column.addWidget(self.advancedToggle, 0, Qt.AlignmentFlag.AlignLeft)
        form_column.addWidget(self.advancedPanel)
        form_column.addWidget(self.extraNote)
        form_column.addStretch(1)
        form_host = QWidget(self)
        form_host.setLayout(form_column)
        scroll = QScrollArea(self)
        scroll.setObjectName("formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form_host)

        left = QVBoxLayout()
        left.addWidget(scroll, 1)
        left.addWidget(self.mintBlockedLabel)
        left.addLayout(mint_row)

        preview_box = QWidget(self)
        preview_layout = QVBoxLayout(preview_box)
        preview_buttons = QHBoxLayout()
        preview_buttons.addWidget(self.editJsonButton)
        preview_buttons.addWidget(self.importButton)
        preview_buttons.addStretch(1)
        preview_buttons.addWidget(self.copyPreviewButton)
        preview_layout.addLayout(preview_buttons)
        preview_layout.addWidget(self.requestPreview)
        self.detailTabs = QTabWidget(self)
        self.detailTabs.setObjectName("detailTabs")
        self.detailTabs.addTab(preview_box, "Request preview")
        self.detailTabs.addTab(self.grantedSessionView, "Granted session")

        right = QVBoxLayout()
        right.addWidget(result_box)
        right.addWidget(self.detailTabs, 1)

        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        column = QVBoxLayout()
        column.addLayout(key_row)
        column.addWidget(self.statusBanner)
        column.addLayout(columns, 1)
        central = QWidget(self)
        central.setLayout(column)
        self.setCentralWidget(central)
        self.resize(1180, 780)

        order: list[QWidget] = [
            self.apiKeyButton,
            self.apiShapeInput,
            self.providerInput,
            self.baseUrlInput,
            self.timeoutInput,
            self.sessionTypeInput,
            self.modelInput,
            self.voiceInput,
            self.modalityAudio,
            self.modalityText,
            self.ttlInput,
            self.instructionsInput,
            self.advancedToggle,
            self.advancedPanel,
            self.mintButton,
            self.secretField,
            self.revealButton,
            self.copyButton,
            self.editJsonButton,
            self.importButton,
            self.copyPreviewButton,
            self.requestPreview,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect_changes(self) -> None:
        """Every edit re-validates and redraws the preview (coalesced into one refresh)."""
        refresh = self._schedule_refresh
        for combo in (self.providerInput, self.modelInput, self.voiceInput):
            combo.currentTextChanged.connect(refresh)
            combo.editTextChanged.connect(refresh)
        self.baseUrlInput.textChanged.connect(refresh)
        self.timeoutInput.valueChanged.connect(refresh)
        self.ttlInput.valueChanged.connect(refresh)
        self.instructionsInput.textChanged.connect(refresh)
        self.modalityAudio.toggled.connect(refresh)
        self.modalityText.toggled.connect(refresh)
        self.advancedPanel.changed.connect(refresh)

    def _connect_worker(self) -> None:
        self.mintRequested.connect(self._worker.mint)
        self.keyStatusRequested.connect(self._worker.refresh_key_status)
        self.keyActionRequested.connect(self._worker.apply_key_action)
        self.warmUpRequested.connect(self._worker.warm_up)
        self._worker.minted.connect(self._on_minted)
        self._worker.failed.connect(self._on_failed)
        self._worker.keyStatusChanged.connect(self._on_key_status)

    # -- the shape-dependent form ---------------------------------------------------------
    @property
    def api(self) -> ApiShape:
        return ApiShape(self.apiShapeInput.currentData())

    @property
    def session_type(self) -> SessionType:
        if self.api is ApiShape.BETA:
            return SessionType.REALTIME
        return SessionType(self.sessionTypeInput.currentData())

    def _mode(self) -> str:
        return f"{self.api.value}/{self.session_type.value}"

    @Slot()
    def _apply_shape(self) -> None:
        """Show what applies to the chosen shape and type; disable the rest, saying why."""
        if self._form_ready:
            # Remember what the user had for the mode being left.
            self._models[self._current_mode] = self.modelInput.currentText().strip()
            self._ttl[self._current_api] = self.ttlInput.value()
            self._modalities[self._current_api] = self._checked_modalities()

        api, kind = self.api, self.session_type
        mode = self._mode()
        transcription = kind is SessionType.TRANSCRIPTION
        models = (
            TRANSCRIPTION_MODELS
            if transcription
            else GA_MODELS
            if api is ApiShape.GA
            else BETA_MODELS
        )
        self.modelInput.blockSignals(True)
        self.modelInput.clear()
        self.modelInput.addItems(list(models))
        self.modelInput.setEditText(self._models.get(mode) or models[0])
        self.modelInput.blockSignals(False)
        self.modelInput.setToolTip(
            "The transcription model (sent as audio.input.transcription.model)"
            if transcription
            else "The model; pick one or type any model name (Azure: the deployment name)"
        )
        voice = self.voiceInput.currentText().strip()
        self.voiceInput.blockSignals(True)
        self.voiceInput.clear()
        self.voiceInput.addItems(["", *(GA_VOICES if api is ApiShape.GA else BETA_VOICES)])
        self.voiceInput.setEditText(voice)
        self.voiceInput.blockSignals(False)
        voice_line = self.voiceInput.lineEdit()
        if voice_line is not None:
            voice_line.setPlaceholderText("server default (alloy)")

        self._modality_group.setExclusive(api is ApiShape.GA)
        wanted = self._modalities[api]
        if api is ApiShape.GA and len(wanted) != 1:
            wanted = DEFAULT_MODALITIES[ApiShape.GA]
        self.modalityAudio.setChecked("audio" in wanted)
        self.modalityText.setChecked("text" in wanted)
        modality_tip = (
            "GA takes exactly one output modality: audio or text"
            if api is ApiShape.GA
            else 'Beta takes ["text"] or ["text", "audio"]'
        )
        self.ttlInput.setValue(self._ttl[api])

        self._set_applicable(self.sessionTypeInput, "session_type", "Realtime or transcription")
        self._set_applicable(self.voiceInput, "voice", self.voiceInput.toolTip())
        self._set_applicable(self.instructionsInput, "instructions", "System instructions")
        self._set_applicable(self.modalityAudio, "modalities", modality_tip)
        self._set_applicable(self.modalityText, "modalities", modality_tip)
        self._current_api, self._current_mode = api, mode
        self.advancedPanel.set_shape(api, kind)
        self._refresh()

    def _set_applicable(self, widget: QWidget, field: str, tip: str) -> None:
        base = widget.property("baseToolTip") or tip
        widget.setProperty("baseToolTip", base)
        reason = inapplicable_reason(field, self.api, self.session_type)
        widget.setEnabled(reason is None)
        widget.setToolTip(f"Not available: {reason}." if reason else base)

    def _checked_modalities(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, box in (("text", self.modalityText), ("audio", self.modalityAudio))
            if box.isChecked()
        )

    # -- reading the form -----------------------------------------------------------
    def _basic_config(self) -> SessionConfig:
        """The SessionConfig of the basic form alone (validation happens separately)."""
        api, kind = self.api, self.session_type
        model = self.modelInput.currentText().strip() or None
        ttl = self.ttlInput.value()
        if kind is SessionType.TRANSCRIPTION:
            return SessionConfig(
                api=api,
                session_type=kind,
                ttl_seconds=None if ttl == DEFAULT_TTL[api] else ttl,
                transcription=TranscriptionSettings(model=model) if model else None,
            )
        modalities = self._checked_modalities()
        return SessionConfig(
            api=api,
            session_type=kind,
            model=model,
            voice=self.voiceInput.currentText().strip() or None,
            instructions=self.instructionsInput.toPlainText().strip() or None,
            modalities=modalities,
            ttl_seconds=None if ttl == DEFAULT_TTL[api] else ttl,
        )

    def session_config(self) -> SessionConfig:
        """The SessionConfig the whole form describes: basics, advanced panel, kept extras."""
        config = self.advancedPanel.apply(self._basic_config())
        return replace(config, extra=self._extra) if self._extra else config

    def problems(self, config: SessionConfig | None = None) -> list[FieldProblem]:
        """Everything that keeps Mint disabled, each naming its field."""
        return self._prepare(self.session_config() if config is None else config)[1]

    def _prepare(self, config: SessionConfig) -> tuple[PreparedRequest | None, list[FieldProblem]]:
        """The request Mint would send and no problems, or None and every problem."""
        problems = self.advancedPanel.local_problems()
        try:
            prepared = prepare(config, self.connection())
        except InvalidInput as exc:
            return None, [*problems, *exc.problems]
        return (None, problems) if problems else (prepared, [])

    def connection(self) -> Connection:
        return Connection.from_env(
            self._env,
            base_url=self.baseUrlInput.text().strip() or None,
            provider=Provider(self.providerInput.currentData()),
            timeout=float(self.timeoutInput.value()),
        )

    # -- minting ----------------------------------------------------------------------------
    @property
    def is_minting(self) -> bool:
        return self._in_flight is not None

    @Slot()
    def mint(self) -> None:
        """Validate and send. A click while a mint is in flight is ignored (no second request)."""
        if self._in_flight is not None or self._shut_down:
            return
        if self._refresh_timer.isActive():  # an edit not refreshed yet: send what it shows
            self._refresh_timer.stop()
            self._refresh()
        prepared = self._prepared
        if prepared is None:
            self.statusBanner.show_error(InvalidInput(self._problems))
            self._focus_field(self._problems[0].field)
            return
        self.statusBanner.hide()
        self._job_id += 1
        self._in_flight = self._job_id
        self._set_busy(True)
        self.mintRequested.emit(MintJob(self._job_id, prepared, self._profile))

    def _focus_field(self, field: str) -> None:
        widgets: dict[str, QWidget] = {
            "model": self.modelInput,
            "transcription.model": self.modelInput,
            "voice": self.voiceInput,
            "instructions": self.instructionsInput,
            "modalities": self.modalityAudio,
            "ttl_seconds": self.ttlInput,
        }
        widget = widgets.get(field)
        if widget is None and field == "base_url":
            widget = self.baseUrlInput
        if widget is None:
            widget = self.advancedPanel.input_for(field)
            if widget is not None:
                self.advancedToggle.setChecked(True)
        if widget is not None:
            widget.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._refresh()  # reads is_minting: Mint's text and enabled state follow it
        self.mintProgress.setVisible(busy)
        if busy:
            self.statusBar().showMessage("Minting a client secret…")
        else:
            self.statusBar().clearMessage()

    @Slot(object)
    def _on_minted(self, outcome: MintSucceeded) -> None:
        if outcome.job_id != self._in_flight:
            return
        self._in_flight = None
        self._set_busy(False)
        self.show_secret(outcome.secret)
        self.statusBar().showMessage(f"Minted ({outcome.key_description})", 4000)
        request = outcome.secret.request
        requested = request.requested_session if request is not None else {}
        self.grantedSessionView.show_session(requested, outcome.secret.session)
        differing = len(self.grantedSessionView.differing_paths())
        self.detailTabs.setTabText(
            1, f"Granted session ({differing} differ)" if differing else "Granted session"
        )

    @Slot(object)
    def _on_failed(self, outcome: MintFailed) -> None:
        if outcome.job_id != self._in_flight:
            return
        self._in_flight = None
        self.last_error = outcome.error
        self._set_busy(False)
        self.statusBanner.show_error(outcome.error)

    def show_secret(self, secret: MintedSecret) -> None:
        self._secret = secret
        self._deadline = Deadline.from_expiry(secret.expires_at)
        self.secretField.setText(secret.value)
        self.revealButton.setEnabled(True)
        self.expiresAtLabel.setText(f"Expires {format_local_time(secret.expires_at)}")
        parts = [f"Session {secret.session_id or '(no id)'}"]
        parts.append(f"model {secret.model or '(not reported)'}")
        parts.append(f"{secret.api.label} API")
        self.sessionInfoLabel.setText(" · ".join(parts))
        self._tick()
        self._ticker.start()

    @Slot()
    def _tick(self) -> None:
        if self._deadline is None:
            return
        remaining = self._deadline.remaining()
        level = expiry_level(remaining)
        expired = level is ExpiryLevel.EXPIRED
        self.countdownLabel.setText("Expired" if expired else format_remaining(remaining))
        self.countdownLabel.setProperty("level", level.value)
        colours = _LEVEL_COLOURS.get(level)
        if colours is None:
            self.countdownLabel.setStyleSheet("")
        else:
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            self.countdownLabel.setStyleSheet(f"color: {colours[1] if dark else colours[0]};")
        self.copyButton.setEnabled(not expired)
        self.copyAction.setEnabled(not expired)
        if expired:
            self._ticker.stop()
            self._clear_clipboard_if_secret()

    def _clear_clipboard_if_secret(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if self._secret is not None and clipboard.text() == self._secret.value:
            clipboard.clear()

    @Slot()
    def copy_secret(self) -> None:
        if self._secret is None or self._deadline is None or self._deadline.remaining() <= 0:
            return
        QGuiApplication.clipboard().setText(self._secret.value)
        self.copyButton.setText("Copied ✓")
        QTimer.singleShot(1500, self.copyButton, lambda: self.copyButton.setText("&Copy"))
        self.statusBar().showMessage("Secret copied to the clipboard", 3000)

    @Slot(bool)
    def _toggle_reveal(self, shown: bool) -> None:
        self.secretField.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.revealButton.setText("&Hide" if shown else "&Reveal")

    # -- live validation and preview ----------------------------------------------------
    @Slot()
    def _schedule_refresh(self) -> None:
        # Several signals fire for one edit; coalesce them into one refresh.
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    @Slot()
    def _refresh(self) -> None:
        """Re-validate, show each problem next to its field, gate Mint, redraw the preview."""
        if not self._form_ready:
            return
        config = self.session_config()
        self._prepared, self._problems = self._prepare(config)
        problems = self._problems
        shown: dict[str, str] = {}
        for problem in problems:
            key = (
                problem.field.split(".")[0]
                if problem.field.startswith("transcription")
                else problem.field
            )
            key = (
                "model"
                if key == "transcription" and self.session_type is SessionType.TRANSCRIPTION
                else key
            )
            shown.setdefault(key, problem.message)
        for name, label in self._field_labels.items():
            label.setText(shown.get(name, ""))
            label.setVisible(name in shown)
        self.advancedPanel.show_problems([p for p in problems if p.field not in self._field_labels])
        blocked = problems[0].describe() if problems else ""
        self.mintBlockedLabel.setText(f"Mint is disabled: {blocked}" if blocked else "")
        self.mintBlockedLabel.setVisible(bool(blocked) and not self.is_minting)
        self.mintBlockedLabel.setStyleSheet(f"color: {_ERROR_COLOUR};")
        can_mint = not problems and not self.is_minting and not self._shut_down
        self.mintButton.setEnabled(can_mint)
        self.mintAction.setEnabled(can_mint)
        self.mintButton.setText("Minting…" if self.is_minting else "&Mint secret")
        self.mintButton.setToolTip(
            "Mint a client secret (Ctrl+Enter)" if not problems else f"Disabled: {blocked}"
        )
        self._update_preview(config, problems)

    def _update_preview(self, config: SessionConfig, problems: list[FieldProblem]) -> None:
        if self._prepared is not None:
            text = self._prepared.as_text()
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
        self.statusBar().showMessage("Request copied (the key is redacted)", 3000)

    @Slot(bool)
    def _toggle_advanced(self, shown: bool) -> None:
        self.advancedPanel.setVisible(shown)
        self.advancedToggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    # -- JSON edit and import ---------------------------------------------------------
    @Slot()
    def edit_json(self) -> EditJsonDialog:
        """Open the JSON editor on the current body; OK loads it back into the form."""
        try:
            body = render_body(self.session_config())
        except Exception:
            body = {}
        dialog = EditJsonDialog(body, self)
        dialog.accepted.connect(lambda: self._load_edited(dialog))
        dialog.open()
        return dialog

    def _load_edited(self, dialog: EditJsonDialog) -> None:
        if dialog.body is None:
            return
        try:
            from ..core.body_reader import config_from_body

            self.load_config(config_from_body(self.api, dialog.body))
        except InvalidInput as exc:
            self.statusBanner.show_error(exc)

    @Slot()
    def import_request(self) -> ImportDialog:
        """Open the import dialog; a Beta body or curl command is converted to GA."""
        dialog = ImportDialog(self)
        dialog.accepted.connect(lambda: self._load_imported(dialog))
        dialog.open()
        return dialog

    def _load_imported(self, dialog: ImportDialog) -> None:
        imported = dialog.imported
        if imported is None:
            return
        try:
            from ..core.body_reader import config_from_body

            self.load_config(config_from_body(ApiShape.GA, imported.body))
        except InvalidInput as exc:
            self.statusBanner.show_error(exc)
            return
        notes = " ".join(imported.notes)
        self.statusBar().showMessage(f"Imported a {imported.source} as GA. {notes}".strip(), 10_000)
        self.importNotes = imported.notes
        if imported.notes:
            self.extraNote.setText("Import notes: " + " ".join(imported.notes) + self._extra_text())
            self.extraNote.show()

    def load_config(self, config: SessionConfig) -> None:
        """Put a whole config into the form: shape, basics, advanced panel, kept extras."""
        self._form_ready = False
        for combo, value in (
            (self.apiShapeInput, config.api.value),
            (self.sessionTypeInput, config.session_type.value),
        ):
            combo.setCurrentIndex(combo.findData(value))
        self._form_ready = True
        self._apply_shape()
        kind = config.session_type
        model = config.model
        if config.is_transcription and config.transcription is not None:
            model = config.transcription.model
        self.modelInput.setEditText(model or "")
        self.voiceInput.setEditText(config.voice or "")
        self.instructionsInput.setPlainText(config.instructions or "")
        if config.api is ApiShape.GA or kind is SessionType.REALTIME:
            wanted = config.modalities or DEFAULT_MODALITIES[config.api]
            self._modality_group.setExclusive(False)
            self.modalityAudio.setChecked("audio" in wanted)
            self.modalityText.setChecked("text" in wanted)
            self._modality_group.setExclusive(config.api is ApiShape.GA)
        self.ttlInput.setValue(
            config.ttl_seconds if isinstance(config.ttl_seconds, int) else DEFAULT_TTL[config.api]
        )
        self.advancedPanel.load(config)
        self._extra = dict(config.extra)
        self.extraNote.setText(self._extra_text().strip())
        self.extraNote.setVisible(bool(self._extra))
        if any(
            self.advancedPanel.apply(SessionConfig(api=config.api)) != SessionConfig(api=config.api)
            for _ in (0,)
        ):
            self.advancedToggle.setChecked(True)
        self._refresh()

    def _extra_text(self) -> str:
        if not self._extra:
            return ""
        return (
            " Kept from the JSON body and sent as written (the form has no fields for them): "
            + ", ".join(_extra_paths(self._extra))
            + "."
        )

    # -- the key ----------------------------------------------------------------------------
    @Slot(object)
    def _on_key_status(self, status: KeyStatus) -> None:
        if status.has_key:
            text = status.describe()
        elif status.problem is not None:
            text = f"No key — keyring unavailable ({status.problem.user_message}) — Set key…"
        else:
            text = "No key — Set key…"
        self.keyStatusLabel.setText(text)
        self.keyStatusLabel.setToolTip(status.problem.hint or "" if status.problem else "")
        self.apiKeyButton.setText("Change key…" if status.has_key else "Set key…")

    @Slot()
    def open_key_dialog(self) -> ApiKeyDialog:
        if self._key_dialog is None:
            dialog = ApiKeyDialog(self._profile, self)
            dialog.actionRequested.connect(self.keyActionRequested)
            self._worker.keyActionDone.connect(dialog.show_result)
            self._worker.keyStatusChanged.connect(dialog.show_status)
            self._key_dialog = dialog
        self.keyStatusRequested.emit(self._profile)
        self._key_dialog.open()
        return self._key_dialog

    @Slot()
    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About realtime-gui",
            f"realtime-gui {__version__}\nMint short-lived OpenAI Realtime client secrets.",
        )

    # -- start-up and shut-down ------------------------------------------------------------
    def start_background_work(self) -> None:
        """Load httpx and keyring on the worker and fetch the key status (once)."""
        if not self._warmed_up:
            self._warmed_up = True
            self.warmUpRequested.emit(self._profile)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._warmed_up:
            # Right after the first paint, not before: nothing slow delays the window.
            QTimer.singleShot(0, self.start_background_work)

    def _restore_settings(self) -> None:
        s = self._settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for key, combo in (
            ("form/api", self.apiShapeInput),
            ("form/session_type", self.sessionTypeInput),
            ("form/provider", self.providerInput),
        ):
            index = combo.findData(s.value(key, combo.currentData()))
            if index >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
        self.baseUrlInput.setText(str(s.value("form/base_url", "")))
        timeout = str(s.value("form/timeout", ""))
        if timeout.isdigit():
            self.timeoutInput.setValue(int(timeout))
        self.voiceInput.setEditText(str(s.value("form/voice", "")))
        self.instructionsInput.setPlainText(str(s.value("form/instructions", "")))
        for mode in ("ga/realtime", "ga/transcription", "beta/realtime"):
            value = s.value(f"form/model/{mode}")
            if value:
                self._models[mode] = str(value)
        for api in ApiShape:
            ttl = s.value(f"form/ttl/{api.value}")
            if ttl is not None and str(ttl).isdigit():
                self._ttl[api] = min(7200, max(10, int(str(ttl))))
            modalities = s.value(f"form/modalities/{api.value}")
            if modalities is not None:
                chosen = tuple(m for m in str(modalities).split(",") if m in ("audio", "text"))
                self._modalities[api] = chosen or DEFAULT_MODALITIES[api]
        self._current_api = self.api
        self._current_mode = self._mode()
        self.ttlInput.setValue(self._ttl[self.api])
        saved = s.value(f"form/body/{self.api.value}")
        if saved:
            try:
                from ..core.body_reader import config_from_body

                config = config_from_body(self.api, json.loads(str(saved)))
            except (ValueError, InvalidInput):
                return  # an unreadable saved body is ignored, never fatal
            self.advancedPanel.load(config)
            self._extra = dict(config.extra)
            self.extraNote.setText(self._extra_text().strip())
            self.extraNote.setVisible(bool(self._extra))

    def save_settings(self) -> None:
        """Remember the non-secret form values and the geometry; never a key or secret."""
        self._models[self._mode()] = self.modelInput.currentText().strip()
        self._ttl[self.api] = self.ttlInput.value()
        self._modalities[self.api] = self._checked_modalities()
        s = self._settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("form/api", self.apiShapeInput.currentData())
        s.setValue("form/session_type", self.sessionTypeInput.currentData())
        s.setValue("form/provider", self.providerInput.currentData())
        s.setValue("form/base_url", self.baseUrlInput.text().strip())
        s.setValue("form/timeout", self.timeoutInput.value())
        s.setValue("form/voice", self.voiceInput.currentText().strip())
        s.setValue("form/instructions", self.instructionsInput.toPlainText())
        for mode, model in self._models.items():
            s.setValue(f"form/model/{mode}", model)
        try:
            body = render_body(self.session_config())
        except Exception:  # a half-typed value: keep what was saved before
            body = None
        if body is not None:
            s.setValue(f"form/body/{self.api.value}", json.dumps(_persistable(body)))
        for api in ApiShape:
            s.setValue(f"form/ttl/{api.value}", self._ttl[api])
            s.setValue(f"form/modalities/{api.value}", ",".join(self._modalities[api]))
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel any mint or keyring call in flight and stop the worker thread.

        Never blocks for long: the host waits at most a tenth of a second and joins a
        thread that is still busy later, keeping it alive until then.
        """
        if self._shut_down:
            return
        self._shut_down = True
        self._ticker.stop()
        self._host.stop()
