"""The fields table agrees with the bodies built, read and converted from it, and with the CLI."""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import replace
from typing import Any

import pytest

from realtime_gui.cli import build_parser
from realtime_gui.core.bodies import build_body, render_body
from realtime_gui.core.body_reader import config_from_body
from realtime_gui.core.convert import beta_to_ga
from realtime_gui.core.fields import (
    FIELDS,
    TOP_LEVEL,
    SessionField,
    field,
    subfields,
    subfields_for_type,
)
from realtime_gui.core.session import (
    ApiShape,
    PromptReference,
    SessionConfig,
    SessionType,
    Tracing,
    TranscriptionSettings,
    Truncation,
    TurnDetection,
    find_problems,
)

GA = ApiShape.GA
BETA = ApiShape.BETA
REALTIME = SessionType.REALTIME
TRANSCRIPTION = SessionType.TRANSCRIPTION
NOT_SENT = object()
LOGPROBS = "item.input_audio_transcription.logprobs"
TOOL = {"type": "function", "name": "f", "parameters": {"type": "object"}}

# Field -> (a valid value, its wire value in GA, its wire value in Beta), written by hand so
# the table is checked against what the API documents, not against itself.
SAMPLES: dict[str, tuple[Any, Any, Any]] = {
    "ttl_seconds": (300, 300, 300),
    "session_type": (TRANSCRIPTION, "transcription", NOT_SENT),
    "model": ("gpt-realtime", "gpt-realtime", "gpt-realtime"),
    "instructions": ("Hi.", "Hi.", "Hi."),
    "modalities": (("text",), ["text"], ["text"]),
    "input_audio_format": ("pcmu", {"type": "audio/pcmu"}, "g711_ulaw"),
    "transcription": (
        TranscriptionSettings("whisper-1", "en"),
        {"model": "whisper-1", "language": "en"},
        {"model": "whisper-1", "language": "en"},
    ),
    "noise_reduction": ("far_field", "far_field", "far_field"),
    "turn_detection": (
        TurnDetection("semantic_vad", eagerness="low"),
        {"type": "semantic_vad", "eagerness": "low"},
        {"type": "semantic_vad", "eagerness": "low"},
    ),
    "output_audio_format": ("pcm", {"type": "audio/pcm", "rate": 24000}, "pcm16"),
    "voice": ("verse", "verse", "verse"),
    "speed": (1.25, 1.25, 1.25),
    "temperature": (0.7, NOT_SENT, 0.7),
    "tools": ((TOOL,), [TOOL], [TOOL]),
    "tool_choice": ("required", "required", "required"),
    "max_output_tokens": (512, 512, 512),
    "tracing": (Tracing(workflow_name="w"), {"workflow_name": "w"}, {"workflow_name": "w"}),
    "truncation": (Truncation("disabled"), "disabled", NOT_SENT),
    "prompt": (PromptReference("pmpt_1"), {"id": "pmpt_1"}, NOT_SENT),
    "reasoning_effort": ("high", "high", NOT_SENT),
    "include_logprobs": (True, [LOGPROBS], NOT_SENT),
}
# Field -> (wire value in a GA transcription session, or NOT_SENT), same sample as above.
IN_TRANSCRIPTION = {
    "ttl_seconds", "session_type", "input_audio_format", "transcription", "noise_reduction",
    "turn_detection", "include_logprobs",
}  # fmt: skip
# Where the body lists the field even when it is the only one set.
BASE = {GA: SessionConfig(), BETA: SessionConfig(api=BETA, model="gpt-4o-realtime-preview")}
SHAPES = [(GA, REALTIME), (GA, TRANSCRIPTION), (BETA, REALTIME)]


def base(api: ApiShape, kind: SessionType) -> SessionConfig:
    return replace(BASE[api], session_type=kind)


def with_sample(name: str, api: ApiShape, kind: SessionType) -> SessionConfig:
    value = SAMPLES[name][0]
    config = base(api, kind)
    return (
        replace(config, session_type=value)
        if name == "session_type"
        else (replace(config, **{name: value}))
    )


def wire(name: str, api: ApiShape, kind: SessionType) -> Any:
    if api is GA and kind is TRANSCRIPTION and name not in IN_TRANSCRIPTION:
        return NOT_SENT
    return SAMPLES[name][1 if api is GA else 2]


def at(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return NOT_SENT
        node = node[key]
    return node


CASES = [(f.name, api, kind) for f in TOP_LEVEL for api, kind in SHAPES]
IDS = [f"{name}-{api.value}-{kind.value}" for name, api, kind in CASES]


def test_every_top_level_field_has_a_sample_and_is_a_session_config_attribute() -> None:
    names = {f.name for f in TOP_LEVEL}
    assert set(SAMPLES) == names
    attributes = {f.name for f in dataclasses.fields(SessionConfig)}
    assert names == attributes - {"api", "extra"}


@pytest.mark.parametrize(("name", "api", "kind"), CASES, ids=IDS)
def test_the_value_lands_at_the_tables_path_in_its_wire_form(
    name: str, api: ApiShape, kind: SessionType
) -> None:
    entry = field(name)
    expected = wire(name, api, kind)
    path = entry.path(api, kind)
    assert (path is None) == (expected is NOT_SENT)
    if name == "session_type" and api is GA:
        kind = TRANSCRIPTION  # the sample is the type
    config = with_sample(name, api, kind)
    if path is None:
        assert entry.inapplicable_reason(api, kind)
        assert name in {p.field for p in find_problems(config)}
        return
    body = build_body(config)
    assert at(body, path) == expected
    # Nothing else was added: without the field the body is the bare one of this shape.
    if name != "session_type":
        assert body != build_body(base(api, kind))


APPLICABLE = [case for case in CASES if field(case[0]).path(case[1], case[2]) is not None]


@pytest.mark.parametrize(
    ("name", "api", "kind"), APPLICABLE, ids=[f"{n}-{a.value}-{k.value}" for n, a, k in APPLICABLE]
)
def test_every_field_round_trips_through_build_and_read(
    name: str, api: ApiShape, kind: SessionType
) -> None:
    config = with_sample(name, api, kind)
    body = build_body(config)
    again = config_from_body(api, body)
    assert again == config
    assert again.extra == {}


@pytest.mark.parametrize("name", [f.name for f in TOP_LEVEL if f.beta and "." not in f.beta])
def test_each_beta_field_converts_to_the_ga_body_of_the_same_value(name: str) -> None:
    beta = with_sample(name, BETA, REALTIME)
    conversion = beta_to_ga(render_body(beta))
    if field(name).ga is None:
        assert len(conversion.notes) == 1 and conversion.notes[0].startswith(f"{name} ")
        assert conversion.body == {"session": {"type": "realtime", "model": beta.model}}
        return
    assert conversion.notes == ()
    assert conversion.body == render_body(replace(beta, api=GA))


def test_the_expiry_converts_too() -> None:
    beta = with_sample("ttl_seconds", BETA, REALTIME)
    assert beta_to_ga(render_body(beta)).body == render_body(replace(beta, api=GA))


# -- sub-fields ------------------------------------------------------------------------------

PARENTS: dict[str, Any] = {
    "transcription": TranscriptionSettings(),
    "turn_detection": TurnDetection("server_vad"),
    "tracing": Tracing(),
    "truncation": Truncation("retention_ratio", 0.5),
    "prompt": PromptReference("pmpt_1"),
}
SUB_VALUES: dict[str, Any] = {
    "transcription.model": "whisper-1",
    "transcription.language": "de",
    "transcription.prompt": "names",
    "turn_detection.type": "server_vad",
    "turn_detection.threshold": 0.3,
    "turn_detection.prefix_padding_ms": 100,
    "turn_detection.silence_duration_ms": 700,
    "turn_detection.idle_timeout_ms": 9000,
    "turn_detection.create_response": False,
    "turn_detection.interrupt_response": True,
    "turn_detection.eagerness": "high",
    "tracing.workflow_name": "w",
    "tracing.group_id": "g",
    "tracing.metadata": {"k": "v"},
    "truncation.retention_ratio": 0.25,
    "prompt.id": "pmpt_2",
    "prompt.version": "3",
    "prompt.variables": {"x": 1},
}
SUBFIELDS = [f for f in FIELDS if f.parent is not None]
# Written by hand from the API reference: the sub-fields the Beta API does not have.
BETA_LACKS = {
    "turn_detection.idle_timeout_ms", "truncation.retention_ratio",
    "prompt.id", "prompt.version", "prompt.variables",
}  # fmt: skip


def with_sub(sub: SessionField, api: ApiShape = GA) -> SessionConfig:
    assert sub.parent is not None
    value = PARENTS[sub.parent]
    if sub.key == "eagerness":
        value = TurnDetection("semantic_vad")
    parent = replace(value, **{sub.key: SUB_VALUES[sub.name]})
    return replace(base(api, REALTIME), **{sub.parent: parent})


def test_every_sub_field_has_a_sample_and_is_an_attribute_of_its_parent() -> None:
    assert set(SUB_VALUES) == {f.name for f in SUBFIELDS}
    for sub in SUBFIELDS:
        assert sub.key in {f.name for f in dataclasses.fields(PARENTS[sub.parent or ""])}


@pytest.mark.parametrize("sub", SUBFIELDS, ids=[f.name for f in SUBFIELDS])
def test_a_sub_field_lands_at_its_path_and_round_trips(sub: SessionField) -> None:
    assert (sub.path(BETA, REALTIME) is None) == (sub.name in BETA_LACKS)
    for api in (GA, BETA):
        path = sub.path(api, REALTIME)
        config = with_sub(sub, api)
        if path is None:  # refused by name, or with its parent when the shape lacks both
            assert {sub.name, sub.parent} & {p.field for p in find_problems(config)}
            continue
        body = build_body(config)
        assert at(body, path) == SUB_VALUES[sub.name], api
        assert config_from_body(api, body) == config


def test_sub_field_paths_continue_their_parents() -> None:
    for sub in SUBFIELDS:
        parent = field(sub.parent or "")
        for api, kind in SHAPES:
            path, above = sub.path(api, kind), parent.path(api, kind)
            if path is not None:
                assert above is not None and path == f"{above}.{sub.key}"
        assert [s.name for s in subfields(parent.name)].count(sub.name) == 1


# -- ranges, choices, help ---------------------------------------------------------------------

RANGED = [f for f in FIELDS if f.span is not None]


def config_with(entry: SessionField, value: Any) -> SessionConfig:
    api = BETA if entry.name == "temperature" else GA
    if entry.parent is None:
        return replace(base(api, REALTIME), **{entry.name: value})
    sub = replace(entry, name=entry.name)  # the same entry, with_sub reads SUB_VALUES
    config = with_sub(sub, api)
    parent = getattr(config, entry.parent)
    return replace(config, **{entry.parent: replace(parent, **{entry.key: value})})


@pytest.mark.parametrize("entry", RANGED, ids=[f.name for f in RANGED])
def test_each_range_accepts_its_ends_and_refuses_beyond_them(entry: SessionField) -> None:
    span = entry.span
    assert span is not None
    step = 1 if span.whole else 0.01
    low, high = (int(span.low), int(span.high)) if span.whole else (span.low, span.high)
    for value in (low, high):
        assert entry.name not in {p.field for p in find_problems(config_with(entry, value))}
    for value in (low - step, high + step):
        problems = [p for p in find_problems(config_with(entry, value)) if p.field == entry.name]
        assert problems, value
        api = BETA if entry.name == "temperature" else GA
        assert problems[0].path == entry.path(api, REALTIME)
        assert f"{span.low:g}" in problems[0].message and f"{span.high:g}" in problems[0].message


CHOOSING = [f for f in FIELDS if f.choices and f.name not in ("modalities", "session_type")]


def chosen(entry: SessionField, choice: str) -> SessionConfig:
    if entry.name == "truncation":  # the choice is the type of a Truncation
        ratio = 0.5 if choice == "retention_ratio" else None
        return replace(base(GA, REALTIME), truncation=Truncation(choice, ratio))
    if entry.name == "turn_detection.type":
        return replace(base(GA, REALTIME), turn_detection=TurnDetection(choice))
    return config_with(entry, choice)


@pytest.mark.parametrize("entry", CHOOSING, ids=[f.name for f in CHOOSING])
def test_each_choice_is_accepted_and_anything_else_refused(entry: SessionField) -> None:
    for choice in entry.choices:
        problems = find_problems(chosen(entry, choice))
        assert not [p for p in problems if p.field.startswith(entry.name)], (choice, problems)
    assert entry.name in {p.field for p in find_problems(chosen(entry, "bogus"))}


def test_every_field_has_a_label_and_help_that_states_its_range() -> None:
    for entry in FIELDS:
        assert entry.label and entry.help, entry.name
        assert "{" not in entry.help.replace('{"', ""), entry.name  # no unfilled placeholder
        if entry.span is not None:
            assert entry.span.text() in entry.help, entry.name


def test_the_help_texts_say_the_ranges_the_window_showed() -> None:
    assert field("speed").help == "How fast the voice speaks, 0.25–1.5 (server default 1.0)"
    assert "0–10000 ms" in field("turn_detection.prefix_padding_ms").help
    assert "5000–30000 ms" in field("turn_detection.idle_timeout_ms").help
    assert '1–4096 or "inf"' in field("max_output_tokens").help


def mint_option(flag: str) -> argparse.Action:
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    mint: argparse.ArgumentParser = commands.choices["mint"]
    return next(a for a in mint._actions if flag in a.option_strings)


@pytest.mark.parametrize(
    ("flag", "name"),
    [
        ("--ttl", "ttl_seconds"),
        ("--speed", "speed"),
        ("--temperature", "temperature"),
        ("--max-output-tokens", "max_output_tokens"),
    ],
)
def test_cli_help_states_each_range_from_the_table(flag: str, name: str) -> None:
    action = mint_option(flag)
    span = field(name).span
    assert span is not None
    assert span.text(dash="-") in (action.help or "")


@pytest.mark.parametrize(
    ("flag", "name"),
    [
        ("--modality", "modalities"),
        ("--input-format", "input_audio_format"),
        ("--output-format", "output_audio_format"),
        ("--noise-reduction", "noise_reduction"),
        ("--type", "session_type"),
    ],
)
def test_cli_choices_are_the_tables(flag: str, name: str) -> None:
    action = mint_option(flag)
    assert tuple(action.choices or ()) == field(name).choices


# -- reading what the table does not fully cover -------------------------------------------


@pytest.mark.parametrize(
    ("api", "wire", "read"),
    [
        (GA, {"type": "audio/pcm"}, "pcm"),  # the 24 kHz default left out
        (GA, {"type": "audio/pcm", "rate": 24000}, "pcm"),
        (GA, {"type": "audio/pcm", "rate": 16000}, {"type": "audio/pcm", "rate": 16000}),
        (GA, "pcm16", "pcm16"),  # the Beta spelling in a GA body: kept for validation to name
        (BETA, "g711_alaw", "pcma"),
        (BETA, {"type": "audio/pcmu"}, {"type": "audio/pcmu"}),  # the GA spelling in Beta
    ],
)
def test_each_shape_reads_its_own_audio_format_spelling(
    api: ApiShape, wire: Any, read: Any
) -> None:
    path = field("input_audio_format").path(api, REALTIME) or ""
    body: dict[str, Any] = {"session": {"type": "realtime"}} if api is GA else {"model": "m"}
    node = body
    for key in path.split(".")[:-1]:
        node = node.setdefault(key, {})
    node[path.rsplit(".", 1)[-1]] = wire
    config = config_from_body(api, body)
    assert config.input_audio_format == read
    refused = "input_audio_format" in {p.field for p in find_problems(config)}
    assert refused == (read not in field("input_audio_format").choices)


def test_a_voice_object_with_more_than_an_id_is_refused_not_a_crash() -> None:
    body = {"session": {"type": "realtime", "audio": {"output": {"voice": {"id": "v", "x": 1}}}}}
    problems = find_problems(config_from_body(GA, body))
    assert [p.field for p in problems] == ["voice"]


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        # The reference: server_vad {threshold, prefix_padding_ms, silence_duration_ms,
        # idle_timeout_ms, create_response, interrupt_response}; semantic_vad {eagerness,
        # create_response, interrupt_response}; none (null) takes nothing.
        ("server_vad", {"threshold", "prefix_padding_ms", "silence_duration_ms",
                        "idle_timeout_ms", "create_response", "interrupt_response"}),
        ("semantic_vad", {"eagerness", "create_response", "interrupt_response"}),
        ("none", set()),
    ],
)  # fmt: skip
def test_which_turn_detection_settings_each_type_takes(kind: str, settings: set[str]) -> None:
    assert set(subfields_for_type("turn_detection", kind)) == settings
