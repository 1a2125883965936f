"""Each advanced-settings tab on its own, and the panel that composes them lazily."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from realtime_gui.core.errors import FieldProblem
from realtime_gui.core.session import (
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
)
from realtime_gui.ui.advanced import (
    AdvancedTab,
    AudioTab,
    ContextTab,
    ResponseTab,
    ToolsTab,
    TurnsTab,
)
from realtime_gui.ui.advanced_panel import FIELD_INPUTS, AdvancedPanel

GA, BETA = ApiShape.GA, ApiShape.BETA
REALTIME, TRANSCRIPTION = SessionType.REALTIME, SessionType.TRANSCRIPTION

# Per tab: a config setting every field the tab owns (and nothing else), on a shape that takes them.
ROUND_TRIPS: list[tuple[type[AdvancedTab], SessionConfig]] = [
    (
        AudioTab,
        SessionConfig(
            input_audio_format="pcmu",
            output_audio_format="pcma",
            speed=1.25,
            noise_reduction="far_field",
            transcription=TranscriptionSettings(
                model="gpt-4o-transcribe", language="de", prompt="Names: Ada"
            ),
        ),
    ),
    (
        TurnsTab,
        SessionConfig(
            turn_detection=TurnDetection(
                type="server_vad",
                threshold=0.6,
                prefix_padding_ms=200,
                silence_duration_ms=650,
                idle_timeout_ms=8000,
                create_response=True,
                interrupt_response=False,
            )
        ),
    ),
    (
        TurnsTab,
        SessionConfig(
            turn_detection=TurnDetection(
                type="semantic_vad", eagerness="high", create_response=False
            )
        ),
    ),
    (
        ToolsTab,
        SessionConfig(
            tools=({"type": "function", "name": "get_time", "parameters": {"type": "object"}},),
            tool_choice={"type": "function", "name": "get_time"},
        ),
    ),
    (
        ResponseTab,
        SessionConfig(max_output_tokens=512, reasoning_effort="high", include_logprobs=True),
    ),
    (ResponseTab, SessionConfig(api=BETA, max_output_tokens="inf", temperature=0.9)),
    (
        ContextTab,
        SessionConfig(
            tracing=Tracing(workflow_name="made-up-flow", group_id="g-7", metadata={"team": "z"}),
            truncation=Truncation("retention_ratio", 0.5),
            prompt=PromptReference("pmpt_1", "3", {"city": "Paris"}),
        ),
    ),
    (ContextTab, SessionConfig(tracing=Tracing(auto=True), truncation=Truncation("disabled"))),
]


def make_tab(qtbot: QtBot, cls: type[AdvancedTab]) -> AdvancedTab:
    tab = cls()
    qtbot.addWidget(tab)
    return tab


@pytest.mark.parametrize(("cls", "config"), ROUND_TRIPS)
def test_each_tab_round_trips_its_fields_on_its_own(
    qtbot: QtBot, cls: type[AdvancedTab], config: SessionConfig
) -> None:
    tab = make_tab(qtbot, cls)
    tab.set_shape(config.api, config.session_type)
    changes: list[int] = []
    tab.changed.connect(lambda: changes.append(1))
    tab.load(config)
    assert changes == [1]  # once, at the end
    assert tab.apply(SessionConfig(api=config.api)) == config
    assert tab.local_problems() == []
    assert tab.layout() is None  # never shown: the form was never laid out


@pytest.mark.parametrize("cls", [AudioTab, TurnsTab, ToolsTab, ResponseTab, ContextTab])
def test_a_default_tab_leaves_the_config_unchanged(qtbot: QtBot, cls: type[AdvancedTab]) -> None:
    tab = make_tab(qtbot, cls)
    config = SessionConfig(model="gpt-realtime", ttl_seconds=120)
    assert tab.apply(config) == config


@pytest.mark.parametrize("cls", [AudioTab, TurnsTab, ToolsTab, ResponseTab, ContextTab])
def test_a_tab_lays_its_form_out_when_first_shown(qtbot: QtBot, cls: type[AdvancedTab]) -> None:
    tab = make_tab(qtbot, cls)
    tab.show()
    form = tab.layout()
    assert isinstance(form, QFormLayout)
    buddies = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        assert isinstance(label, QLabel)
        buddies.append(label.buddy())
    # Every input that is not beside another is labelled, in the order the tab declares.
    inputs = [tab.findChild(QWidget, name) for name in dict.fromkeys(cls.FIELDS.values())]
    assert [b for b in buddies if b in inputs] == inputs


@pytest.mark.parametrize("cls", [AudioTab, TurnsTab, ToolsTab, ResponseTab, ContextTab])
def test_a_tab_maps_its_fields_and_only_its_own(qtbot: QtBot, cls: type[AdvancedTab]) -> None:
    tab = make_tab(qtbot, cls)
    for field, name in FIELD_INPUTS.items():
        widget = tab.input_for(field)
        if field in cls.FIELDS:
            assert widget is not None and widget.objectName() == name
        else:
            assert widget is None, field


def test_tab_set_shape_disables_with_the_reason_and_explains_an_empty_tab(qtbot: QtBot) -> None:
    tab = make_tab(qtbot, ResponseTab)
    tab.set_shape(GA, REALTIME)
    assert not tab.findChild(QWidget, "temperatureInput").isEnabled()  # type: ignore[union-attr]
    assert tab.unavailable_tip() == ""
    tab.set_shape(GA, TRANSCRIPTION)
    tokens = tab.findChild(QWidget, "maxOutputTokensInput")
    assert tokens is not None and not tokens.isEnabled()
    assert tokens.toolTip().startswith("Not available: ")
    assert tab.unavailable_tip() == ""  # log probabilities still apply
    tab = make_tab(qtbot, ToolsTab)
    tab.set_shape(GA, TRANSCRIPTION)
    assert tab.unavailable_tip().startswith("Nothing here applies: ")


def test_tools_tab_reports_and_shows_its_own_problems(qtbot: QtBot) -> None:
    tab = make_tab(qtbot, ToolsTab)
    tab.load(dataclasses.replace(SessionConfig(), tools=()))
    editor = tab.findChild(QWidget, "toolsInput")
    assert editor is not None
    editor.setPlainText("[{")  # type: ignore[attr-defined]
    problems = tab.local_problems()
    assert [p.field for p in problems] == ["tools"]
    tab.show()
    tab.show_problems([*problems, FieldProblem("speed", "too fast", "session.audio.speed")])
    label = tab.findChild(QLabel, "toolsInputError")
    assert label is not None and label.isVisible() and "not valid JSON" in label.text()
    tab.show_problems([])
    assert label.isHidden() and not label.text()


# -- the composing panel ---------------------------------------------------------------------
def test_a_hidden_panel_lays_no_page_out_until_shown(qtbot: QtBot) -> None:
    panel = AdvancedPanel()
    qtbot.addWidget(panel)
    tabs = panel.advancedTabs
    scrolls = [w for i in range(tabs.count()) if isinstance(w := tabs.widget(i), QScrollArea)]
    assert len(scrolls) == 5 and all(s.widget() is None for s in scrolls)
    # Inputs exist (and are found by name) before any page is laid out.
    assert panel.findChild(QWidget, "toolsInput") is panel.toolsInput
    panel.load(SessionConfig(speed=1.1))
    assert panel.apply(SessionConfig()).speed == 1.1
    assert all(s.widget() is None for s in scrolls)
    panel.show()
    assert [s.widget() for s in scrolls] == [
        panel.audioTab,
        panel.turnsTab,
        panel.toolsTab,
        panel.responseTab,
        panel.contextTab,
    ]
    assert all(isinstance(s.widget().layout(), QFormLayout) for s in scrolls)  # type: ignore[union-attr]


def test_panel_forwards_every_input_of_its_tabs(qtbot: QtBot) -> None:
    panel = AdvancedPanel()
    qtbot.addWidget(panel)
    for name in [*FIELD_INPUTS.values(), "maxOutputTokensInfInput", "toolsStatusLabel"]:
        assert getattr(panel, name) is panel.findChild(QWidget, name), name


def test_panel_combines_the_tabs(qtbot: QtBot) -> None:
    panel = AdvancedPanel()
    qtbot.addWidget(panel)
    config = SessionConfig()
    for _, part in ROUND_TRIPS:
        if part.api is GA:
            config = dataclasses.replace(
                config, **{f.name: getattr(part, f.name) for f in dataclasses.fields(part)
                           if getattr(part, f.name) != getattr(SessionConfig(), f.name)},
            )  # fmt: skip
    changes: list[int] = []
    panel.changed.connect(lambda: changes.append(1))
    panel.load(config)
    assert changes == [1]
    assert panel.apply(SessionConfig()) == config
