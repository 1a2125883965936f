"""The session form on its own: per-mode memory, its config, problem routing and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from realtime_gui.core.endpoint import Provider
from realtime_gui.core.errors import FieldProblem
from realtime_gui.core.session import (
    TRANSCRIPTION_MODELS,
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
)
from realtime_gui.ui.session_form import SessionForm

GA, BETA = ApiShape.GA, ApiShape.BETA


def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def make_form(qtbot: QtBot, tmp_path: Path) -> SessionForm:
    form = SessionForm({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    qtbot.addWidget(form)
    form.restore_settings(settings(tmp_path))
    form.start()
    return form


@pytest.fixture
def form(qtbot: QtBot, tmp_path: Path) -> SessionForm:
    return make_form(qtbot, tmp_path)


def choose(form: SessionForm, api: ApiShape, kind: SessionType = SessionType.REALTIME) -> None:
    form.apiShapeInput.setCurrentIndex(form.apiShapeInput.findData(api.value))
    form.sessionTypeInput.setCurrentIndex(form.sessionTypeInput.findData(kind.value))


def test_models_are_remembered_per_mode_and_lifetimes_per_api(form: SessionForm) -> None:
    form.modelInput.setEditText("my-ga-model")
    form.ttlInput.setValue(120)
    choose(form, GA, SessionType.TRANSCRIPTION)
    assert form.modelInput.currentText() == TRANSCRIPTION_MODELS[0]
    form.modelInput.setEditText("my-transcriber")
    choose(form, BETA)
    assert form.ttlInput.value() == 60  # Beta's server default
    choose(form, GA, SessionType.TRANSCRIPTION)
    assert form.modelInput.currentText() == "my-transcriber"
    choose(form, GA, SessionType.REALTIME)
    assert form.modelInput.currentText() == "my-ga-model" and form.ttlInput.value() == 120


def test_shape_changes_are_announced(qtbot: QtBot, form: SessionForm) -> None:
    with qtbot.waitSignal(form.shapeChanged) as signal:
        choose(form, BETA)
    assert signal.args == [BETA, SessionType.REALTIME]
    with qtbot.waitSignal(form.changed):
        form.voiceInput.setEditText("verse")


def test_basic_config_of_a_transcription_session(form: SessionForm) -> None:
    choose(form, GA, SessionType.TRANSCRIPTION)
    form.modelInput.setEditText("gpt-4o-transcribe")
    assert form.basic_config() == SessionConfig(
        api=GA,
        session_type=SessionType.TRANSCRIPTION,
        transcription=TranscriptionSettings(model="gpt-4o-transcribe"),
    )


def test_connection_reads_url_provider_and_timeout(form: SessionForm) -> None:
    form.providerInput.setCurrentIndex(form.providerInput.findData(Provider.AZURE.value))
    form.baseUrlInput.setText("https://name.openai.azure.com/openai/v1")
    form.timeoutInput.setValue(7)
    connection = form.connection()
    assert connection.provider is Provider.AZURE and connection.timeout == 7.0
    assert connection.base_url == "https://name.openai.azure.com/openai/v1"


PROBLEMS = [
    FieldProblem("model", "bad model"),
    FieldProblem("transcription.model", "bad transcription model"),
    FieldProblem("transcription.language", "bad language"),
    FieldProblem("speed", "too fast"),
]


def error(form: SessionForm, name: str) -> QLabel:
    label = form.findChild(QLabel, f"{name}Error")
    assert label is not None
    return label


def test_problems_of_other_parts_are_handed_back(form: SessionForm) -> None:
    rest = form.show_problems(PROBLEMS)
    assert [p.field for p in rest] == ["transcription.model", "transcription.language", "speed"]
    assert error(form, "model").text() == "bad model"


def test_in_a_transcription_session_only_the_model_belongs_under_model(
    form: SessionForm,
) -> None:
    choose(form, GA, SessionType.TRANSCRIPTION)
    rest = form.show_problems(PROBLEMS[1:])
    assert [p.field for p in rest] == ["transcription.language", "speed"]
    assert error(form, "model").text() == "bad transcription model"
    assert form.show_problems([]) == [] and error(form, "model").text() == ""


def test_focus_field_only_for_its_own_fields(form: SessionForm) -> None:
    assert form.focus_field("base_url") and form.focus_field("ttl_seconds")
    assert not form.focus_field("speed")
    assert not form.focus_field("transcription.model")  # the advanced panel's, in realtime


def test_settings_round_trip(qtbot: QtBot, form: SessionForm, tmp_path: Path) -> None:
    choose(form, BETA)
    form.modelInput.setEditText("beta-model")
    form.voiceInput.setEditText("sage")
    form.instructionsInput.setPlainText("Be brief")
    form.timeoutInput.setValue(9)
    form.modalityAudio.setChecked(False)
    form.save_settings(settings(tmp_path))

    again = make_form(qtbot, tmp_path)
    assert again.api is BETA and again.modelInput.currentText() == "beta-model"
    assert again.voiceInput.currentText() == "sage" and again.timeoutInput.value() == 9
    assert again.instructionsInput.toPlainText() == "Be brief"
    assert again.basic_config().modalities == ("text",)


def test_load_shows_a_config_and_its_shape(form: SessionForm) -> None:
    form.load(SessionConfig(api=BETA, model="m", voice="ash", modalities=("text",), ttl_seconds=90))
    assert form.api is BETA and form.modelInput.currentText() == "m"
    assert form.voiceInput.currentText() == "ash" and form.ttlInput.value() == 90
    assert form.modalityText.isChecked() and not form.modalityAudio.isChecked()
