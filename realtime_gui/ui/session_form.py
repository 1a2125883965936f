"""The basic session form: shape, connection, model, voice, modalities, lifetime, instructions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QSettings, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ..core.endpoint import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, Connection, Provider
from ..core.errors import FieldProblem
from ..core.fields import field as table_field
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
from .inputs import choice_items, describe, describe_field, make_combo, span_of
from .style import error_colour

__all__ = ["DEFAULT_MODALITIES", "DEFAULT_TTL", "SessionForm"]

# The server's own default lifetimes; the form shows them until the user changes them.
DEFAULT_TTL = {ApiShape.GA: 600, ApiShape.BETA: 60}
DEFAULT_MODALITIES = {ApiShape.GA: ("audio",), ApiShape.BETA: ("text", "audio")}
MODES = ("ga/realtime", "ga/transcription", "beta/realtime")
# Display text for the table's session types (which types, and their order, are the table's).
_SESSION_TYPE_LABELS = {
    SessionType.REALTIME.value: "Realtime (speech to speech)",
    SessionType.TRANSCRIPTION.value: "Transcription",
}
# The fields with an inline error line in this form (objectName ``<field>Error``).
ERROR_FIELDS = ("model", "voice", "instructions", "modalities", "ttl_seconds", "base_url")


def _row_label(field: str, mnemonic: str = "") -> str:
    """The field's table label as a row label, ``&`` marking the first ``mnemonic`` letter."""
    label = table_field(field).label
    at = label.find(mnemonic) if mnemonic else -1
    return f"{label[:at]}&{label[at:]}:" if at >= 0 else f"{label}:"


class SessionForm(QGroupBox):
    """The "Session" box; remembers the model per mode and lifetime/modalities per API."""

    changed = Signal()
    shapeChanged = Signal(object, object)  # ApiShape, SessionType
    # False while the form is being filled (start-up, load): no mode memory is written.
    _ready = False

    def __init__(self, env: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__("Session", parent)
        self.setObjectName("sessionForm")
        self._env = env
        self._models: dict[str, str] = {}
        self._ttl = dict(DEFAULT_TTL)
        self._modalities = dict(DEFAULT_MODALITIES)
        self._current_api = ApiShape.GA
        self._current_mode = "ga/realtime"
        self._build()
        self._layout()
        self.apiShapeInput.currentIndexChanged.connect(self._apply_shape)
        self.sessionTypeInput.currentIndexChanged.connect(self._apply_shape)

    # -- construction -----------------------------------------------------------------
    def _build(self) -> None:
        self.apiShapeInput = make_combo(
            self,
            "apiShapeInput",
            "API shape",
            "GA: POST /realtime/client_secrets (current). Beta: POST /realtime/sessions, "
            "for Azure preview deployments and compatible servers.",
            [
                ("GA — /realtime/client_secrets", ApiShape.GA.value),
                ("Beta — /realtime/sessions", ApiShape.BETA.value),
            ],
        )
        session_type = table_field("session_type")
        self.sessionTypeInput = make_combo(
            self,
            "sessionTypeInput",
            session_type.label,
            session_type.help,
            choice_items(session_type, _SESSION_TYPE_LABELS, default=None),
        )
        self.providerInput = make_combo(
            self,
            "providerInput",
            "Provider",
            "OpenAI sends Authorization: Bearer; Azure sends api-key",
            [("OpenAI", Provider.OPENAI.value), ("Azure OpenAI", Provider.AZURE.value)],
        )
        self.baseUrlInput = QLineEdit(self)
        self.baseUrlInput.setObjectName("baseUrlInput")
        self.baseUrlInput.setAccessibleName("Base URL")
        default = self._env.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        self.baseUrlInput.setPlaceholderText(default)
        self.baseUrlInput.setToolTip(
            f"API base URL; empty means {default}. Azure: https://NAME.openai.azure.com/openai/v1"
        )
        self.baseUrlInput.setClearButtonEnabled(True)

        model, voice = table_field("model"), table_field("voice")
        self.modelInput = make_combo(self, "modelInput", model.label, model.help, editable=True)
        self.voiceInput = make_combo(self, "voiceInput", voice.label, voice.help, editable=True)
        self.instructionsInput = describe_field(
            QPlainTextEdit(self), "instructionsInput", table_field("instructions")
        )
        self.instructionsInput.setPlaceholderText("Optional system instructions")
        self.instructionsInput.setTabChangesFocus(True)
        self.instructionsInput.setFixedHeight(90)

        modality = table_field("modalities")
        self.modalityAudio = QCheckBox("&Audio", self)
        self.modalityText = QCheckBox("Te&xt", self)
        for box, value in ((self.modalityAudio, "audio"), (self.modalityText, "text")):
            describe(box, f"modality{value.title()}", f"{modality.label} {value}", modality.help)
        self._modality_group = QButtonGroup(self)
        self._modality_group.addButton(self.modalityAudio)
        self._modality_group.addButton(self.modalityText)

        ttl = table_field("ttl_seconds")
        self.ttlInput = describe_field(QSpinBox(self), "ttlInput", ttl)
        self.ttlInput.setRange(int(span_of(ttl).low), int(span_of(ttl).high))
        self.ttlInput.setSuffix(f" {span_of(ttl).unit}")

        self.timeoutInput = QSpinBox(self)
        self.timeoutInput.setObjectName("timeoutInput")
        self.timeoutInput.setAccessibleName("Timeout in seconds")
        self.timeoutInput.setRange(1, 120)
        self.timeoutInput.setValue(int(DEFAULT_TIMEOUT))
        self.timeoutInput.setSuffix(" s")
        self.timeoutInput.setToolTip("Give up on a mint that takes longer than this")

        self._errors: dict[str, QLabel] = {}
        for name in ERROR_FIELDS:
            label = QLabel(self)
            label.setObjectName(f"{name}Error")
            label.setWordWrap(True)
            label.hide()
            self._errors[name] = label

    def _layout(self) -> None:
        errors = self._errors
        form = QFormLayout(self)
        form.addRow("&API:", self.apiShapeInput)
        form.addRow("&Provider:", self.providerInput)
        form.addRow("&Base URL:", self.baseUrlInput)
        form.addRow("", errors["base_url"])
        form.addRow("Ti&meout:", self.timeoutInput)
        form.addRow(_row_label("session_type", "t"), self.sessionTypeInput)
        form.addRow(_row_label("model", "d"), self.modelInput)
        form.addRow("", errors["model"])
        form.addRow(_row_label("voice", "V"), self.voiceInput)
        form.addRow("", errors["voice"])
        modalities = QHBoxLayout()
        modalities.addWidget(self.modalityAudio)
        modalities.addWidget(self.modalityText)
        modalities.addStretch(1)
        form.addRow(_row_label("modalities"), modalities)
        form.addRow("", errors["modalities"])
        form.addRow(_row_label("ttl_seconds", "L"), self.ttlInput)
        form.addRow("", errors["ttl_seconds"])
        form.addRow(_row_label("instructions", "I"), self.instructionsInput)
        form.addRow("", errors["instructions"])

    def tab_order(self) -> list[QWidget]:
        """The form's inputs in keyboard order (the window chains the parts)."""
        return [
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
        ]

    def start(self) -> None:
        """Fill the form for the restored shape, then report every edit through ``changed``."""
        self._apply_shape()  # not ready yet: fills the form without overwriting what was restored
        self._ready = True
        changed = self._edited
        for combo in (self.providerInput, self.modelInput, self.voiceInput):
            combo.currentTextChanged.connect(changed)
            combo.editTextChanged.connect(changed)
        self.baseUrlInput.textChanged.connect(changed)
        self.timeoutInput.valueChanged.connect(changed)
        self.ttlInput.valueChanged.connect(changed)
        self.instructionsInput.textChanged.connect(changed)
        self.modalityAudio.toggled.connect(changed)
        self.modalityText.toggled.connect(changed)

    @Slot()
    def _edited(self) -> None:
        self.changed.emit()

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
        if self._ready:
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
        # In a transcription session this input edits the transcription model, whose table
        # text describes the Advanced input, so it gets its own tooltip.
        self.modelInput.setToolTip(
            "The transcription model (sent as audio.input.transcription.model)"
            if transcription
            else table_field("model").help
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
        self.ttlInput.setValue(self._ttl[api])

        self._set_applicable(self.sessionTypeInput, "session_type")
        self._set_applicable(self.voiceInput, "voice")
        self._set_applicable(self.instructionsInput, "instructions")
        self._set_applicable(self.modalityAudio, "modalities")
        self._set_applicable(self.modalityText, "modalities")
        self._current_api, self._current_mode = api, mode
        self.shapeChanged.emit(api, kind)

    def _set_applicable(self, widget: QWidget, field: str) -> None:
        reason = inapplicable_reason(field, self.api, self.session_type)
        widget.setEnabled(reason is None)
        widget.setToolTip(f"Not available: {reason}." if reason else table_field(field).help)

    def _checked_modalities(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, box in (("text", self.modalityText), ("audio", self.modalityAudio))
            if box.isChecked()
        )

    # -- reading and writing ----------------------------------------------------------
    def basic_config(self) -> SessionConfig:
        """The SessionConfig of this form alone (validation happens separately)."""
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
        return SessionConfig(
            api=api,
            session_type=kind,
            model=model,
            voice=self.voiceInput.currentText().strip() or None,
            instructions=self.instructionsInput.toPlainText().strip() or None,
            modalities=self._checked_modalities(),
            ttl_seconds=None if ttl == DEFAULT_TTL[api] else ttl,
        )

    def connection(self) -> Connection:
        """Where and how to send: base URL, provider and timeout (the key is not here)."""
        return Connection.from_env(
            self._env,
            base_url=self.baseUrlInput.text().strip() or None,
            provider=Provider(self.providerInput.currentData()),
            timeout=float(self.timeoutInput.value()),
        )

    def load(self, config: SessionConfig) -> None:
        """Show the basic fields of ``config``; its shape and type become the form's."""
        self._ready = False
        for combo, value in (
            (self.apiShapeInput, config.api.value),
            (self.sessionTypeInput, config.session_type.value),
        ):
            combo.setCurrentIndex(combo.findData(value))
        self._ready = True
        self._apply_shape()
        model = config.model
        if config.is_transcription and config.transcription is not None:
            model = config.transcription.model
        self.modelInput.setEditText(model or "")
        self.voiceInput.setEditText(config.voice or "")
        self.instructionsInput.setPlainText(config.instructions or "")
        if config.api is ApiShape.GA or config.session_type is SessionType.REALTIME:
            wanted = config.modalities or DEFAULT_MODALITIES[config.api]
            self._modality_group.setExclusive(False)
            self.modalityAudio.setChecked("audio" in wanted)
            self.modalityText.setChecked("text" in wanted)
            self._modality_group.setExclusive(config.api is ApiShape.GA)
        self.ttlInput.setValue(
            config.ttl_seconds if isinstance(config.ttl_seconds, int) else DEFAULT_TTL[config.api]
        )

    # -- problems -----------------------------------------------------------------------
    def _error_key(self, field: str) -> str | None:
        """The error line a problem with ``field`` belongs under, or None if not this form's."""
        if field in ("transcription", "transcription.model"):
            # The form's Model input is the transcription model only in transcription sessions;
            # otherwise (and for transcription.language/prompt) the advanced panel owns it.
            return "model" if self.session_type is SessionType.TRANSCRIPTION else None
        return field if field in self._errors else None

    def show_problems(self, problems: Sequence[FieldProblem]) -> list[FieldProblem]:
        """Show the first problem of each of this form's fields; return the others' problems."""
        shown: dict[str, str] = {}
        others: list[FieldProblem] = []
        for problem in problems:
            key = self._error_key(problem.field)
            if key is None:
                others.append(problem)
            else:
                shown.setdefault(key, problem.message)
        for name, label in self._errors.items():
            label.setText(shown.get(name, ""))
            label.setVisible(name in shown)
        self._paint_errors()
        return others

    def _paint_errors(self) -> None:
        # Judged on the form: a label with a style sheet no longer follows palette changes.
        sheet = f"color: {error_colour(self)};"
        for label in self._errors.values():
            if label.styleSheet() != sheet:
                label.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._ready:
            self._paint_errors()  # a switch to a dark (or light) palette while one shows

    def focus_field(self, field: str) -> bool:
        """Focus the input that edits ``field``; False if it is not in this form."""
        widgets: dict[str, QWidget] = {
            "model": self.modelInput,
            "voice": self.voiceInput,
            "instructions": self.instructionsInput,
            "modalities": self.modalityAudio,
            "ttl_seconds": self.ttlInput,
            "base_url": self.baseUrlInput,
        }
        key = self._error_key(field)
        widget = widgets.get(key) if key is not None else None
        if widget is None:
            return False
        widget.setFocus()
        return True

    # -- settings -------------------------------------------------------------------------
    def restore_settings(self, s: QSettings) -> None:
        """Put back what ``save_settings`` stored (call before ``start``)."""
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
        for mode in MODES:
            value = s.value(f"form/model/{mode}")
            if value:
                self._models[mode] = str(value)
        for api in ApiShape:
            ttl = s.value(f"form/ttl/{api.value}")
            if ttl is not None and str(ttl).isdigit():
                self._ttl[api] = min(
                    self.ttlInput.maximum(), max(self.ttlInput.minimum(), int(str(ttl)))
                )
            modalities = s.value(f"form/modalities/{api.value}")
            if modalities is not None:
                chosen = tuple(m for m in str(modalities).split(",") if m in ("audio", "text"))
                self._modalities[api] = chosen or DEFAULT_MODALITIES[api]
        self._current_api = self.api
        self._current_mode = self._mode()
        self.ttlInput.setValue(self._ttl[self.api])

    def save_settings(self, s: QSettings) -> None:
        """Store the form's values and its per-mode memory; never a key or a secret."""
        self._models[self._mode()] = self.modelInput.currentText().strip()
        self._ttl[self.api] = self.ttlInput.value()
        self._modalities[self.api] = self._checked_modalities()
        s.setValue("form/api", self.apiShapeInput.currentData())
        s.setValue("form/session_type", self.sessionTypeInput.currentData())
        s.setValue("form/provider", self.providerInput.currentData())
        s.setValue("form/base_url", self.baseUrlInput.text().strip())
        s.setValue("form/timeout", self.timeoutInput.value())
        s.setValue("form/voice", self.voiceInput.currentText().strip())
        s.setValue("form/instructions", self.instructionsInput.toPlainText())
        for mode, model in self._models.items():
            s.setValue(f"form/model/{mode}", model)
        for api in ApiShape:
            s.setValue(f"form/ttl/{api.value}", self._ttl[api])
            s.setValue(f"form/modalities/{api.value}", ",".join(self._modalities[api]))
