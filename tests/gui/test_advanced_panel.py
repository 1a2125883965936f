"""The advanced settings panel on its own: typed values out, configs in, shapes and problems."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget
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
from realtime_gui.ui.advanced_panel import FIELD_INPUTS, AdvancedPanel

GA, BETA = ApiShape.GA, ApiShape.BETA
REALTIME, TRANSCRIPTION = SessionType.REALTIME, SessionType.TRANSCRIPTION

# The objectName contract the window and the README rely on.
INPUTS = [
    "inputFormatInput", "outputFormatInput", "speedInput", "noiseReductionInput",
    "transcriptionModelInput", "transcriptionLanguageInput", "transcriptionPromptInput",
    "turnDetectionInput", "vadThresholdInput", "prefixPaddingInput", "silenceDurationInput",
    "idleTimeoutInput", "createResponseInput", "interruptResponseInput", "eagernessInput",
    "toolsInput", "toolChoiceInput", "maxOutputTokensInput", "maxOutputTokensInfInput",
    "reasoningEffortInput", "includeLogprobsInput", "temperatureInput", "tracingInput",
    "tracingWorkflowInput", "tracingGroupInput", "tracingMetadataInput", "truncationInput",
    "retentionRatioInput", "promptIdInput", "promptVersionInput", "promptVariablesInput",
]  # fmt: skip

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": "get_time",
        "description": "Made-up clock",
        "parameters": {"type": "object", "properties": {}},
    },
    {"type": "function", "name": "roll_dice", "parameters": {"type": "object"}},
    {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example.test/sse"},
]
TOOLS_JSON = json.dumps(TOOLS, indent=2)


@pytest.fixture
def panel(qtbot: QtBot) -> AdvancedPanel:
    widget = AdvancedPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def child(panel: QWidget, name: str) -> QWidget:
    found = panel.findChild(QWidget, name)
    assert found is not None, name
    return found


def error_label(panel: QWidget, name: str) -> QLabel:
    found = panel.findChild(QLabel, f"{name}Error")
    assert found is not None, name
    return found


def pick(combo: QComboBox, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def pick_text(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def combo_texts(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def count_changes(panel: AdvancedPanel) -> list[int]:
    seen: list[int] = []
    panel.changed.connect(lambda: seen.append(1))
    return seen


# -- the contract ---------------------------------------------------------------------------
def test_object_names_accessible_names_tooltips_and_error_labels(panel: AdvancedPanel) -> None:
    assert panel.objectName() == "advancedPanel"
    assert child(panel, "advancedTabs").isVisible()
    assert set(FIELD_INPUTS.values()) <= set(INPUTS)
    for name in INPUTS:
        widget = child(panel, name)
        assert widget.accessibleName(), name
        assert widget.toolTip(), name
        label = error_label(panel, name)
        assert label.wordWrap(), name
        assert label.isHidden() and not label.text(), name
    assert child(panel, "toolsStatusLabel").accessibleName()


@pytest.mark.parametrize("name", sorted(set(FIELD_INPUTS.values())))
def test_every_mapped_input_names_itself(panel: AdvancedPanel, name: str) -> None:
    widget = child(panel, name)
    assert widget.accessibleName()
    assert widget.toolTip()


def test_server_default_is_the_first_choice_everywhere(panel: AdvancedPanel) -> None:
    for name in INPUTS:
        widget = child(panel, name)
        if isinstance(widget, QComboBox) and not widget.isEditable():
            assert widget.currentIndex() == 0, name
            assert widget.currentData() is None, name
    for name in ("speedInput", "vadThresholdInput", "idleTimeoutInput", "temperatureInput"):
        assert child(panel, name).property("specialValueText") == "Server default"
    assert panel.speedInput.text() == "Server default"
    assert combo_texts(panel.inputFormatInput) == [
        "Server default",
        "PCM 24 kHz",
        "G.711 µ-law",
        "G.711 A-law",
    ]


@pytest.mark.parametrize(
    "config",
    [
        SessionConfig(),
        SessionConfig(api=BETA, model="gpt-4o-realtime-preview"),
        SessionConfig(
            session_type=TRANSCRIPTION,
            transcription=TranscriptionSettings(model="gpt-4o-transcribe"),
            ttl_seconds=120,
        ),
    ],
)
def test_default_panel_leaves_the_config_unchanged(
    panel: AdvancedPanel, config: SessionConfig
) -> None:
    assert panel.apply(config) == config


# -- one input at a time --------------------------------------------------------------------
def _server_vad(p: AdvancedPanel) -> None:
    pick(p.turnDetectionInput, "server_vad")
    p.vadThresholdInput.setValue(0.6)
    p.prefixPaddingInput.setValue(200)
    p.silenceDurationInput.setValue(650)
    p.idleTimeoutInput.setValue(8000)
    pick_text(p.createResponseInput, "Yes")
    pick_text(p.interruptResponseInput, "No")


def _semantic_vad(p: AdvancedPanel) -> None:
    pick(p.turnDetectionInput, "semantic_vad")
    pick(p.eagernessInput, "high")
    pick_text(p.createResponseInput, "No")


def _workflow(p: AdvancedPanel) -> None:
    pick(p.tracingInput, "workflow")
    p.tracingWorkflowInput.setText("made-up-flow")
    p.tracingGroupInput.setText("group-7")
    p.tracingMetadataInput.setPlainText('{"team": "zeta", "n": 2}')


def _retention(p: AdvancedPanel) -> None:
    pick(p.truncationInput, "retention_ratio")
    p.retentionRatioInput.setValue(0.5)


def _prompt(p: AdvancedPanel) -> None:
    p.promptIdInput.setText("pmpt_1")
    p.promptVersionInput.setText("3")
    p.promptVariablesInput.setPlainText('{"a": 1}')


def _tool_choice_function(p: AdvancedPanel) -> None:
    p.toolsInput.setPlainText(TOOLS_JSON)
    pick_text(p.toolChoiceInput, "function: get_time")


def _tool_choice_mcp(p: AdvancedPanel) -> None:
    p.toolsInput.setPlainText(TOOLS_JSON)
    pick_text(p.toolChoiceInput, "MCP: docs")


def _max_tokens_inf(p: AdvancedPanel) -> None:
    p.maxOutputTokensInput.setValue(300)
    p.maxOutputTokensInfInput.setChecked(True)


CASES: list[tuple[str, Callable[[AdvancedPanel], None], dict[str, Any]]] = [
    ("input format", lambda p: pick(p.inputFormatInput, "pcmu"), {"input_audio_format": "pcmu"}),
    ("output format", lambda p: pick(p.outputFormatInput, "pcma"), {"output_audio_format": "pcma"}),
    ("speed", lambda p: p.speedInput.setValue(1.2), {"speed": 1.2}),
    ("speed minimum", lambda p: p.speedInput.setValue(0.25), {"speed": 0.25}),
    ("noise", lambda p: pick(p.noiseReductionInput, "far_field"), {"noise_reduction": "far_field"}),
    (
        "transcription model",
        lambda p: p.transcriptionModelInput.setEditText("gpt-4o-mini-transcribe"),
        {"transcription": TranscriptionSettings(model="gpt-4o-mini-transcribe")},
    ),
    (
        "transcription language",
        lambda p: p.transcriptionLanguageInput.setText("de"),
        {"transcription": TranscriptionSettings(language="de")},
    ),
    (
        "transcription prompt",
        lambda p: p.transcriptionPromptInput.setText("Words like zorblax"),
        {"transcription": TranscriptionSettings(prompt="Words like zorblax")},
    ),
    (
        "manual turns",
        lambda p: pick(p.turnDetectionInput, "none"),
        {"turn_detection": TurnDetection("none")},
    ),
    (
        "server vad",
        _server_vad,
        {
            "turn_detection": TurnDetection(
                "server_vad",
                threshold=0.6,
                prefix_padding_ms=200,
                silence_duration_ms=650,
                idle_timeout_ms=8000,
                create_response=True,
                interrupt_response=False,
            )
        },
    ),
    (
        "semantic vad",
        _semantic_vad,
        {"turn_detection": TurnDetection("semantic_vad", eagerness="high", create_response=False)},
    ),
    ("tools", lambda p: p.toolsInput.setPlainText(TOOLS_JSON), {"tools": tuple(TOOLS)}),
    ("empty tools array", lambda p: p.toolsInput.setPlainText("[]"), {"tools": ()}),
    (
        "tool choice mode",
        lambda p: pick(p.toolChoiceInput, "required"),
        {"tool_choice": "required"},
    ),
    (
        "tool choice function",
        _tool_choice_function,
        {"tools": tuple(TOOLS), "tool_choice": {"type": "function", "name": "get_time"}},
    ),
    (
        "tool choice mcp",
        _tool_choice_mcp,
        {"tools": tuple(TOOLS), "tool_choice": {"type": "mcp", "server_label": "docs"}},
    ),
    ("max tokens", lambda p: p.maxOutputTokensInput.setValue(512), {"max_output_tokens": 512}),
    ("max tokens inf", _max_tokens_inf, {"max_output_tokens": "inf"}),
    ("reasoning", lambda p: pick(p.reasoningEffortInput, "high"), {"reasoning_effort": "high"}),
    ("logprobs", lambda p: p.includeLogprobsInput.setChecked(True), {"include_logprobs": True}),
    ("tracing auto", lambda p: pick(p.tracingInput, "auto"), {"tracing": Tracing(auto=True)}),
    (
        "tracing workflow",
        _workflow,
        {
            "tracing": Tracing(
                workflow_name="made-up-flow", group_id="group-7", metadata={"team": "zeta", "n": 2}
            )
        },
    ),
    (
        "truncation ratio",
        _retention,
        {"truncation": Truncation("retention_ratio", 0.5)},
    ),
    (
        "truncation disabled",
        lambda p: pick(p.truncationInput, "disabled"),
        {"truncation": Truncation("disabled")},
    ),
    ("prompt", _prompt, {"prompt": PromptReference("pmpt_1", "3", {"a": 1})}),
    (
        "prompt id only",
        lambda p: p.promptIdInput.setText("pmpt_42"),
        {"prompt": PromptReference("pmpt_42")},
    ),
]


@pytest.mark.parametrize(("setter", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_input_gives_its_typed_value(
    panel: AdvancedPanel, setter: Callable[[AdvancedPanel], None], expected: dict[str, Any]
) -> None:
    setter(panel)
    assert panel.apply(SessionConfig()) == SessionConfig(**expected)


def test_temperature_is_sent_in_beta_only(panel: AdvancedPanel) -> None:
    panel.temperatureInput.setValue(0.9)
    beta = SessionConfig(api=BETA)
    assert panel.apply(beta) == dataclasses.replace(beta, temperature=0.9)
    assert panel.apply(SessionConfig()).temperature is None


def test_only_the_chosen_turn_types_settings_are_sent(panel: AdvancedPanel) -> None:
    _server_vad(panel)
    pick(panel.eagernessInput, "low")
    pick(panel.turnDetectionInput, "semantic_vad")
    assert panel.apply(SessionConfig()).turn_detection == TurnDetection(
        "semantic_vad", eagerness="low", create_response=True, interrupt_response=False
    )
    pick(panel.turnDetectionInput, "none")
    assert panel.apply(SessionConfig()).turn_detection == TurnDetection("none")


def test_workflow_fields_and_ratio_only_count_for_their_mode(panel: AdvancedPanel) -> None:
    _workflow(panel)
    panel.retentionRatioInput.setValue(0.3)
    pick(panel.tracingInput, "auto")
    pick(panel.truncationInput, "auto")
    config = panel.apply(SessionConfig())
    assert config.tracing == Tracing(auto=True)
    assert config.truncation == Truncation("auto")


def test_prompt_version_and_variables_need_an_id(panel: AdvancedPanel) -> None:
    _prompt(panel)
    panel.promptIdInput.clear()
    assert panel.apply(SessionConfig()).prompt is None
    assert not panel.promptVersionInput.isEnabled()
    assert not panel.promptVariablesInput.isEnabled()
    assert panel.promptVersionInput.toolTip().startswith("Not available:")
    panel.promptIdInput.setText("pmpt_9")
    assert panel.promptVersionInput.isEnabled()
    assert panel.apply(SessionConfig()).prompt == PromptReference("pmpt_9", "3", {"a": 1})


def test_transcription_keeps_the_main_forms_model(panel: AdvancedPanel) -> None:
    panel.transcriptionModelInput.setEditText("whisper-1")
    panel.transcriptionLanguageInput.setText("fr")
    panel.transcriptionPromptInput.setText("Made-up names: Quillon")
    base = SessionConfig(
        session_type=TRANSCRIPTION,
        transcription=TranscriptionSettings(model="gpt-4o-transcribe", language="en"),
    )
    assert panel.apply(base).transcription == TranscriptionSettings(
        "gpt-4o-transcribe", "fr", "Made-up names: Quillon"
    )
    # No model from the form: the panel's is used.
    assert panel.apply(SessionConfig()).transcription == TranscriptionSettings(
        "whisper-1", "fr", "Made-up names: Quillon"
    )


def test_unparseable_json_contributes_nothing(panel: AdvancedPanel) -> None:
    panel.toolsInput.setPlainText('[{"type": "function" "name": "x"}]')
    pick(panel.tracingInput, "workflow")
    panel.tracingWorkflowInput.setText("flow")
    panel.tracingMetadataInput.setPlainText("[1, 2]")
    panel.promptIdInput.setText("pmpt_5")
    panel.promptVariablesInput.setPlainText("{oops")
    config = panel.apply(SessionConfig())
    assert config.tools is None
    assert config.tracing == Tracing(workflow_name="flow")
    assert config.prompt == PromptReference("pmpt_5")


# -- load and apply round trips -------------------------------------------------------------
GA_REALTIME_FULL = SessionConfig(
    api=GA,
    session_type=REALTIME,
    speed=1.15,
    max_output_tokens=2048,
    input_audio_format="pcmu",
    output_audio_format="pcma",
    transcription=TranscriptionSettings("gpt-4o-transcribe", "de", "Made-up terms"),
    noise_reduction="near_field",
    turn_detection=TurnDetection(
        "server_vad",
        threshold=0.65,
        prefix_padding_ms=250,
        silence_duration_ms=800,
        idle_timeout_ms=12_000,
        create_response=False,
        interrupt_response=True,
    ),
    tools=tuple(TOOLS),
    tool_choice={"type": "function", "name": "roll_dice"},
    tracing=Tracing(workflow_name="wf-demo", group_id="g-1", metadata={"k": ["v", 1]}),
    truncation=Truncation("retention_ratio", 0.75),
    prompt=PromptReference("pmpt_abc", "7", {"city": "Atlantis", "n": 3}),
    include_logprobs=True,
    reasoning_effort="xhigh",
)
GA_TRANSCRIPTION_FULL = SessionConfig(
    api=GA,
    session_type=TRANSCRIPTION,
    input_audio_format="pcm",
    transcription=TranscriptionSettings("gpt-4o-mini-transcribe", "es", "Say zorblax"),
    noise_reduction="far_field",
    turn_detection=TurnDetection(
        "semantic_vad", eagerness="auto", create_response=True, interrupt_response=False
    ),
    include_logprobs=True,
)
BETA_FULL = SessionConfig(
    api=BETA,
    session_type=REALTIME,
    speed=0.8,
    temperature=0.95,
    max_output_tokens="inf",
    input_audio_format="pcm",
    output_audio_format="pcmu",
    transcription=TranscriptionSettings(model="whisper-1"),
    noise_reduction="near_field",
    turn_detection=TurnDetection("server_vad", threshold=0.4, silence_duration_ms=300),
    tools=(TOOLS[2],),
    tool_choice={"type": "mcp", "server_label": "docs"},
    tracing=Tracing(auto=True),
)


@pytest.mark.parametrize(
    "config", [GA_REALTIME_FULL, GA_TRANSCRIPTION_FULL, BETA_FULL], ids=["ga", "transcr", "beta"]
)
def test_load_then_apply_round_trips(panel: AdvancedPanel, config: SessionConfig) -> None:
    panel.set_shape(config.api, config.session_type)
    panel.load(config)
    assert panel.apply(SessionConfig(api=config.api, session_type=config.session_type)) == config


def test_load_pretty_prints_json_and_resets_to_server_default(panel: AdvancedPanel) -> None:
    panel.load(GA_REALTIME_FULL)
    assert panel.toolsInput.toPlainText() == json.dumps(TOOLS, indent=2)
    assert panel.promptVariablesInput.toPlainText() == '{\n  "city": "Atlantis",\n  "n": 3\n}'
    assert panel.toolChoiceInput.currentText() == "function: roll_dice"
    panel.load(SessionConfig())
    assert panel.apply(SessionConfig()) == SessionConfig()
    assert panel.speedInput.text() == "Server default"
    assert panel.toolsInput.toPlainText() == ""
    assert panel.toolsStatusLabel.text() == "No tools"


def test_load_keeps_values_the_lists_do_not_know(panel: AdvancedPanel) -> None:
    config = SessionConfig(
        reasoning_effort="ultra",
        tools=(TOOLS[0],),
        tool_choice={"type": "function", "name": "gone_tool"},
    )
    panel.load(config)
    assert panel.toolChoiceInput.currentText() == "function: gone_tool (not in tools)"
    assert panel.apply(SessionConfig()) == config


# -- shapes ---------------------------------------------------------------------------------
BETA_LESS = [
    "reasoningEffortInput",
    "promptIdInput",
    "truncationInput",
    "includeLogprobsInput",
    "idleTimeoutInput",
]


def test_beta_disables_ga_only_inputs_and_enables_temperature(panel: AdvancedPanel) -> None:
    pick(panel.turnDetectionInput, "server_vad")
    normal = {name: child(panel, name).toolTip() for name in BETA_LESS}
    assert not panel.temperatureInput.isEnabled()
    assert panel.temperatureInput.toolTip().startswith("Not available:")

    panel.set_shape(BETA, REALTIME)
    for name in BETA_LESS:
        widget = child(panel, name)
        assert not widget.isEnabled(), name
        assert widget.toolTip() == "Not available: does not exist in the Beta API (GA only).", name
    assert panel.temperatureInput.isEnabled()
    assert not panel.temperatureInput.toolTip().startswith("Not available")
    assert panel.vadThresholdInput.isEnabled()
    assert panel.speedInput.isEnabled()

    panel.set_shape(GA, REALTIME)
    for name in BETA_LESS:
        assert child(panel, name).isEnabled(), name
        assert child(panel, name).toolTip() == normal[name], name


def test_ga_transcription_keeps_only_input_side_settings(panel: AdvancedPanel) -> None:
    pick(panel.turnDetectionInput, "semantic_vad")
    panel.set_shape(GA, TRANSCRIPTION)
    off = [
        "speedInput", "outputFormatInput", "maxOutputTokensInput", "maxOutputTokensInfInput",
        "reasoningEffortInput", "temperatureInput", "toolsInput", "toolChoiceInput",
        "tracingInput", "truncationInput", "promptIdInput", "transcriptionModelInput",
    ]  # fmt: skip
    for name in off:
        widget = child(panel, name)
        assert not widget.isEnabled(), name
        assert widget.toolTip().startswith("Not available:"), name
    assert panel.transcriptionModelInput.toolTip() == (
        "Not available: the transcription model is the Model field above."
    )
    on = [
        "inputFormatInput", "noiseReductionInput", "transcriptionLanguageInput",
        "transcriptionPromptInput", "turnDetectionInput", "eagernessInput",
        "createResponseInput", "interruptResponseInput", "includeLogprobsInput",
    ]  # fmt: skip
    for name in on:
        assert child(panel, name).isEnabled(), name
    tabs = panel.advancedTabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles == ["Audio", "Turns", "Tools", "Response", "Context"]
    assert tabs.tabToolTip(titles.index("Tools"))
    assert tabs.tabToolTip(titles.index("Context"))
    assert not tabs.tabToolTip(titles.index("Response"))  # log probabilities still apply
    assert all(tabs.isTabVisible(i) for i in range(tabs.count()))


def test_beta_apply_never_sends_ga_only_fields(panel: AdvancedPanel) -> None:
    panel.load(GA_REALTIME_FULL)
    panel.set_shape(BETA, REALTIME)
    config = panel.apply(SessionConfig(api=BETA))
    assert config.prompt is None
    assert config.truncation is None
    assert config.reasoning_effort is None
    assert config.include_logprobs is False
    assert config.turn_detection is not None
    assert config.turn_detection.idle_timeout_ms is None
    assert config.tools == tuple(TOOLS)  # Beta has tools


def test_ga_transcription_apply_sends_only_what_applies(panel: AdvancedPanel) -> None:
    panel.load(GA_REALTIME_FULL)
    kind = SessionConfig(session_type=TRANSCRIPTION)
    config = panel.apply(kind)
    assert config == dataclasses.replace(
        kind,
        input_audio_format="pcmu",
        transcription=GA_REALTIME_FULL.transcription,
        noise_reduction="near_field",
        turn_detection=GA_REALTIME_FULL.turn_detection,
        include_logprobs=True,
    )


@pytest.mark.parametrize(
    ("turn", "enabled"),
    [
        (None, set()),
        ("none", set()),
        (
            "server_vad",
            {
                "vadThresholdInput", "prefixPaddingInput", "silenceDurationInput",
                "idleTimeoutInput", "createResponseInput", "interruptResponseInput",
            },
        ),
        ("semantic_vad", {"eagernessInput", "createResponseInput", "interruptResponseInput"}),
    ],
)  # fmt: skip
def test_turn_settings_follow_the_turn_type(
    panel: AdvancedPanel, turn: str | None, enabled: set[str]
) -> None:
    pick(panel.turnDetectionInput, "server_vad")
    pick(panel.turnDetectionInput, turn)
    subs = [
        "vadThresholdInput", "prefixPaddingInput", "silenceDurationInput", "idleTimeoutInput",
        "createResponseInput", "interruptResponseInput", "eagernessInput",
    ]  # fmt: skip
    for name in subs:
        widget = child(panel, name)
        assert widget.isEnabled() == (name in enabled), name
        assert widget.toolTip().startswith("Not available:") == (name not in enabled), name


def test_dependent_inputs_follow_their_switch(panel: AdvancedPanel) -> None:
    workflow = [panel.tracingWorkflowInput, panel.tracingGroupInput, panel.tracingMetadataInput]
    assert not any(w.isEnabled() for w in workflow)
    pick(panel.tracingInput, "workflow")
    assert all(w.isEnabled() for w in workflow)
    assert not panel.retentionRatioInput.isEnabled()
    pick(panel.truncationInput, "retention_ratio")
    assert panel.retentionRatioInput.isEnabled()
    panel.maxOutputTokensInfInput.setChecked(True)
    assert not panel.maxOutputTokensInput.isEnabled()
    panel.maxOutputTokensInfInput.setChecked(False)
    assert panel.maxOutputTokensInput.isEnabled()


def test_stepping_from_server_default_starts_at_the_servers_value(
    panel: AdvancedPanel, qtbot: QtBot
) -> None:
    panel.speedInput.setFocus()
    qtbot.keyClick(panel.speedInput, Qt.Key.Key_Up)
    assert panel.apply(SessionConfig()).speed == 1.0
    panel.speedInput.setValue(0.3)
    qtbot.keyClick(panel.speedInput, Qt.Key.Key_Down)
    qtbot.keyClick(panel.speedInput, Qt.Key.Key_Down)
    assert panel.apply(SessionConfig()).speed is None
    pick(panel.turnDetectionInput, "server_vad")
    panel.idleTimeoutInput.stepBy(1)
    assert panel.idleTimeoutInput.value() == 5000
    panel.idleTimeoutInput.stepBy(-1)
    assert panel.idleTimeoutInput.text() == "Server default"


# -- tools ----------------------------------------------------------------------------------
def test_tool_choice_lists_the_tools_and_keeps_the_selection(panel: AdvancedPanel) -> None:
    panel.toolsInput.setPlainText(TOOLS_JSON)
    assert panel.toolsStatusLabel.text() == "3 tools: 2 functions, 1 MCP server"
    assert combo_texts(panel.toolChoiceInput) == [
        "Server default",
        "auto",
        "none",
        "required",
        "function: get_time",
        "function: roll_dice",
        "MCP: docs",
    ]
    pick_text(panel.toolChoiceInput, "function: get_time")

    edited = [dict(TOOLS[0], description="Another made-up clock"), *TOOLS[1:]]
    panel.toolsInput.setPlainText(json.dumps(edited))
    assert panel.toolChoiceInput.currentText() == "function: get_time"

    panel.toolsInput.setPlainText('[{"type": "function", "name": ')  # mid-edit: list kept
    assert "Expecting value" in panel.toolsStatusLabel.text()
    assert "line 1, column" in panel.toolsStatusLabel.text()
    assert panel.toolChoiceInput.currentText() == "function: get_time"

    # The chosen tool is gone: the choice stays, marked, so nothing changes silently.
    panel.toolsInput.setPlainText(json.dumps(TOOLS[1:]))
    assert panel.toolChoiceInput.currentText() == "function: get_time (not in tools)"
    assert panel.apply(SessionConfig()).tool_choice == {"type": "function", "name": "get_time"}
    pick_text(panel.toolChoiceInput, "MCP: docs")
    panel.toolsInput.setPlainText(json.dumps(TOOLS[1:]))
    assert "function: get_time (not in tools)" not in combo_texts(panel.toolChoiceInput)


def test_tools_status_counts(panel: AdvancedPanel) -> None:
    assert panel.toolsStatusLabel.text() == "No tools"
    panel.toolsInput.setPlainText(json.dumps([TOOLS[2]]))
    assert panel.toolsStatusLabel.text() == "1 tool: 1 MCP server"
    panel.toolsInput.setPlainText("[]")
    assert panel.toolsStatusLabel.text() == "0 tools"
    panel.toolsInput.setPlainText('{"type": "function"}')
    assert panel.toolsStatusLabel.text() == "Must be a JSON array"


def test_tools_editor_is_monospace(panel: AdvancedPanel) -> None:
    from PySide6.QtGui import QFontInfo

    assert QFontInfo(panel.toolsInput.font()).fixedPitch()


# -- problems -------------------------------------------------------------------------------
def test_local_problems_name_the_field_and_position(panel: AdvancedPanel) -> None:
    assert panel.local_problems() == []
    panel.toolsInput.setPlainText('[\n  {"type": "function"\n    "name": "x"}\n]')
    pick(panel.tracingInput, "workflow")
    panel.tracingMetadataInput.setPlainText('{"a": 1,\n}')
    panel.promptIdInput.setText("pmpt_1")
    panel.promptVariablesInput.setPlainText("{'a': 1}")
    problems = {p.field: p for p in panel.local_problems()}
    assert list(problems) == ["tools", "tracing.metadata", "prompt.variables"]
    assert problems["tools"].message == (
        "is not valid JSON: Expecting ',' delimiter (line 3, column 5)"
    )
    assert problems["tools"].path == "session.tools"
    assert "(line 2, column 1)" in problems["tracing.metadata"].message
    assert problems["tracing.metadata"].path == "session.tracing.metadata"
    assert "(line 1, column 2)" in problems["prompt.variables"].message


def test_local_problems_wrong_top_level_type(panel: AdvancedPanel) -> None:
    panel.toolsInput.setPlainText('{"type": "function", "name": "x"}')
    pick(panel.tracingInput, "workflow")
    panel.tracingMetadataInput.setPlainText("[1]")
    panel.promptIdInput.setText("pmpt_1")
    panel.promptVariablesInput.setPlainText('"text"')
    assert panel.local_problems() == [
        FieldProblem("tools", "must be a JSON array", "session.tools"),
        FieldProblem("tracing.metadata", "must be a JSON object", "session.tracing.metadata"),
        FieldProblem("prompt.variables", "must be a JSON object", "session.prompt.variables"),
    ]


def test_local_problems_skip_editors_that_are_not_sent(panel: AdvancedPanel) -> None:
    panel.tracingMetadataInput.setPlainText("{broken")  # tracing is off
    panel.promptVariablesInput.setPlainText("{broken")  # no prompt id
    panel.toolsInput.setPlainText("[broken")
    assert [p.field for p in panel.local_problems()] == ["tools"]
    panel.set_shape(GA, TRANSCRIPTION)
    assert panel.local_problems() == []


def test_show_problems_fills_the_right_error_labels(panel: AdvancedPanel) -> None:
    panel.show_problems(
        [
            FieldProblem("speed", "must be a number from 0.25 to 1.5, got 9"),
            FieldProblem("tools[1].name", "must be 1-64 letters"),
            FieldProblem("tools", "is not valid JSON: Expecting value (line 1, column 2)"),
            FieldProblem("turn_detection.threshold", "must be a number from 0 to 1"),
            FieldProblem("tracing.metadata", "must be a JSON object"),
            FieldProblem("model", "is required by the Beta API"),  # not on this panel
        ]
    )
    shown = {
        name: error_label(panel, name).text()
        for name in INPUTS
        if not error_label(panel, name).isHidden()  # other tabs are not visible, only shown
    }
    assert shown == {
        "speedInput": "must be a number from 0.25 to 1.5, got 9",
        "toolsInput": "tools[1].name: must be 1-64 letters\n"
        "is not valid JSON: Expecting value (line 1, column 2)",
        "vadThresholdInput": "must be a number from 0 to 1",
        "tracingMetadataInput": "must be a JSON object",
    }
    panel.show_problems([FieldProblem("prompt.id", "must be a prompt id such as pmpt_123")])
    assert not error_label(panel, "promptIdInput").isHidden()
    assert error_label(panel, "speedInput").isHidden()
    assert error_label(panel, "speedInput").text() == ""
    panel.show_problems([])
    assert all(error_label(panel, name).isHidden() for name in INPUTS)


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("speed", "speedInput"),
        ("temperature", "temperatureInput"),
        ("max_output_tokens", "maxOutputTokensInput"),
        ("input_audio_format", "inputFormatInput"),
        ("output_audio_format", "outputFormatInput"),
        ("noise_reduction", "noiseReductionInput"),
        ("transcription.model", "transcriptionModelInput"),
        ("transcription.language", "transcriptionLanguageInput"),
        ("transcription.prompt", "transcriptionPromptInput"),
        ("turn_detection", "turnDetectionInput"),
        ("turn_detection.type", "turnDetectionInput"),
        ("turn_detection.prefix_padding_ms", "prefixPaddingInput"),
        ("turn_detection.silence_duration_ms", "silenceDurationInput"),
        ("turn_detection.idle_timeout_ms", "idleTimeoutInput"),
        ("turn_detection.create_response", "createResponseInput"),
        ("turn_detection.interrupt_response", "interruptResponseInput"),
        ("turn_detection.eagerness", "eagernessInput"),
        ("tools", "toolsInput"),
        ("tools[2].server_url", "toolsInput"),
        ("tool_choice", "toolChoiceInput"),
        ("tracing", "tracingInput"),
        ("tracing.workflow_name", "tracingWorkflowInput"),
        ("tracing.group_id", "tracingGroupInput"),
        ("tracing.metadata", "tracingMetadataInput"),
        ("truncation", "truncationInput"),
        ("truncation.retention_ratio", "retentionRatioInput"),
        ("prompt", "promptIdInput"),
        ("prompt.id", "promptIdInput"),
        ("prompt.version", "promptVersionInput"),
        ("prompt.variables", "promptVariablesInput"),
        ("include_logprobs", "includeLogprobsInput"),
        ("reasoning_effort", "reasoningEffortInput"),
    ],
)
def test_input_for_maps_fields_to_inputs(panel: AdvancedPanel, field: str, name: str) -> None:
    widget = panel.input_for(field)
    assert widget is not None
    assert widget.objectName() == name


@pytest.mark.parametrize("field", ["model", "voice", "ttl_seconds", "session_type", ""])
def test_input_for_other_fields_is_none(panel: AdvancedPanel, field: str) -> None:
    assert panel.input_for(field) is None


# -- the changed signal ---------------------------------------------------------------------
def test_changed_fires_once_per_edit(panel: AdvancedPanel, qtbot: QtBot) -> None:
    seen = count_changes(panel)
    edits: list[Callable[[], object]] = [
        lambda: pick(panel.inputFormatInput, "pcmu"),
        lambda: panel.speedInput.setValue(1.1),
        lambda: panel.idleTimeoutInput.setValue(9000),
        lambda: panel.transcriptionModelInput.setCurrentIndex(2),
        lambda: panel.transcriptionLanguageInput.setText("it"),
        lambda: pick_text(panel.createResponseInput, "No"),
        lambda: panel.toolsInput.setPlainText(TOOLS_JSON),
        lambda: pick_text(panel.toolChoiceInput, "MCP: docs"),
        lambda: panel.toolsInput.setPlainText(json.dumps(list(reversed(TOOLS)))),
        lambda: panel.maxOutputTokensInfInput.setChecked(True),
        lambda: panel.includeLogprobsInput.setChecked(True),
        lambda: panel.tracingMetadataInput.setPlainText("{}"),
    ]
    for number, edit in enumerate(edits, start=1):
        edit()
        assert len(seen) == number, number
    panel.promptIdInput.setFocus()
    qtbot.keyClicks(panel.promptIdInput, "pmpt")
    assert len(seen) == len(edits) + 4


@pytest.mark.parametrize("config", [GA_REALTIME_FULL, SessionConfig(), BETA_FULL])
def test_changed_fires_exactly_once_on_load(panel: AdvancedPanel, config: SessionConfig) -> None:
    panel.load(GA_TRANSCRIPTION_FULL)
    seen = count_changes(panel)
    panel.load(config)
    assert len(seen) == 1
