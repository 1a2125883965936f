"""Beta bodies and pasted curl commands become GA bodies, field by field, with honest notes."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realtime_gui.core.convert import (
    Conversion,
    CurlRequest,
    Imported,
    beta_to_ga,
    import_text,
    looks_like_ga,
    parse_curl,
)
from realtime_gui.core.errors import InvalidInput

FAKE_KEY = "sk-test-convert-0000"
FAKE_SECRET = "ek_convert_0000"
BETA_URL = "https://api.openai.com/v1/realtime/sessions"
GA_URL = "https://api.openai.com/v1/realtime/client_secrets"

WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
SERVER_VAD = {
    "type": "server_vad",
    "threshold": 0.5,
    "prefix_padding_ms": 300,
    "silence_duration_ms": 500,
    "create_response": True,
    "interrupt_response": True,
}

FULL_BETA: dict[str, Any] = {
    "model": "gpt-4o-realtime-preview",
    "instructions": "Answer briefly.",
    "voice": "verse",
    "modalities": ["text", "audio"],
    "input_audio_format": "pcm16",
    "output_audio_format": "g711_ulaw",
    "input_audio_transcription": {"model": "whisper-1", "language": "en"},
    "input_audio_noise_reduction": {"type": "near_field"},
    "turn_detection": SERVER_VAD,
    "speed": 1.1,
    "max_response_output_tokens": 1024,
    "tools": [WEATHER_TOOL],
    "tool_choice": "auto",
    "tracing": "auto",
    "temperature": 0.8,
    "client_secret": {"expires_after": {"anchor": "created_at", "seconds": 300}},
}
FULL_GA: dict[str, Any] = {
    "expires_after": {"anchor": "created_at", "seconds": 300},
    "session": {
        "type": "realtime",
        "model": "gpt-4o-realtime-preview",
        "instructions": "Answer briefly.",
        "output_modalities": ["audio"],
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": {"model": "whisper-1", "language": "en"},
                "noise_reduction": {"type": "near_field"},
                "turn_detection": SERVER_VAD,
            },
            "output": {
                "format": {"type": "audio/pcmu"},
                "voice": "verse",
                "speed": 1.1,
            },
        },
        "tools": [WEATHER_TOOL],
        "tool_choice": "auto",
        "max_output_tokens": 1024,
        "tracing": "auto",
    },
}
TEMPERATURE_NOTE = (
    "temperature 0.8 was dropped: the GA API has no temperature and rejects the field."
)
BOTH_MODALITIES_NOTE = (
    'modalities ["text", "audio"] became output_modalities ["audio"]: GA takes one output '
    "modality, and audio was kept since audio output also carries a transcript."
)


def session_of(beta: dict[str, Any]) -> dict[str, Any]:
    """The converted session, after checking the conversion made no note."""
    conversion = beta_to_ga(beta)
    assert conversion.notes == ()
    assert list(conversion.body) == ["session"]
    session: dict[str, Any] = conversion.body["session"]
    return session


# --- beta_to_ga: one rule at a time ----------------------------------------------------------


def test_empty_body_becomes_a_bare_realtime_session() -> None:
    assert beta_to_ga({}) == Conversion({"session": {"type": "realtime"}}, ())


def test_model_and_instructions_move_under_session() -> None:
    assert session_of({"model": "gpt-realtime", "instructions": "Hi."}) == {
        "type": "realtime",
        "model": "gpt-realtime",
        "instructions": "Hi.",
    }


def test_voice_moves_to_audio_output() -> None:
    assert session_of({"voice": "marin"}) == {
        "type": "realtime",
        "audio": {"output": {"voice": "marin"}},
    }


@pytest.mark.parametrize(
    ("modalities", "output"),
    [(["text"], ["text"]), (["audio"], ["audio"])],
)
def test_a_single_modality_is_a_pure_rename(modalities: list[str], output: list[str]) -> None:
    assert session_of({"modalities": modalities}) == {
        "type": "realtime",
        "output_modalities": output,
    }


@pytest.mark.parametrize("modalities", [["text", "audio"], ["audio", "text"]])
def test_both_modalities_keep_audio_with_a_note(modalities: list[str]) -> None:
    conversion = beta_to_ga({"modalities": modalities})
    assert conversion.body == {"session": {"type": "realtime", "output_modalities": ["audio"]}}
    shown = json.dumps(modalities)
    assert conversion.notes == (
        f'modalities {shown} became output_modalities ["audio"]: GA takes one output modality, '
        "and audio was kept since audio output also carries a transcript.",
    )


@pytest.mark.parametrize("modalities", [[], ["video"], "audio", None, ["text", 1]])
def test_unknown_modalities_are_kept_with_a_note(modalities: Any) -> None:
    conversion = beta_to_ga({"modalities": modalities})
    assert conversion.body == {"session": {"type": "realtime", "output_modalities": modalities}}
    assert conversion.notes == (
        f"modalities {json.dumps(modalities)} is not a known Beta value; "
        "it was kept as-is at session.output_modalities.",
    )


@pytest.mark.parametrize(
    ("beta", "ga"),
    [
        ("pcm16", {"type": "audio/pcm", "rate": 24000}),
        ("g711_ulaw", {"type": "audio/pcmu"}),
        ("g711_alaw", {"type": "audio/pcma"}),
    ],
)
def test_audio_formats_become_objects(beta: str, ga: dict[str, Any]) -> None:
    assert session_of({"input_audio_format": beta, "output_audio_format": beta}) == {
        "type": "realtime",
        "audio": {"input": {"format": ga}, "output": {"format": ga}},
    }


def test_each_format_gets_its_own_object() -> None:
    body = beta_to_ga({"input_audio_format": "pcm16", "output_audio_format": "pcm16"}).body
    audio = body["session"]["audio"]
    assert audio["input"]["format"] is not audio["output"]["format"]


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("input_audio_format", "session.audio.input.format"),
        ("output_audio_format", "session.audio.output.format"),
    ],
)
def test_an_unknown_format_is_kept_with_a_note(key: str, path: str) -> None:
    conversion = beta_to_ga({key: "opus"})
    side = "input" if key.startswith("input") else "output"
    assert conversion.body == {"session": {"type": "realtime", "audio": {side: {"format": "opus"}}}}
    assert conversion.notes == (
        f'{key} "opus" is not a known Beta format (pcm16, g711_ulaw, g711_alaw); '
        f"it was kept as-is at {path}.",
    )


@pytest.mark.parametrize(
    ("key", "name", "value"),
    [
        ("input_audio_transcription", "transcription", {"model": "gpt-4o-transcribe"}),
        ("input_audio_transcription", "transcription", None),
        ("input_audio_noise_reduction", "noise_reduction", {"type": "far_field"}),
        ("input_audio_noise_reduction", "noise_reduction", None),
        ("turn_detection", "turn_detection", SERVER_VAD),
        ("turn_detection", "turn_detection", {"type": "semantic_vad", "eagerness": "low"}),
        ("turn_detection", "turn_detection", None),
    ],
)
def test_input_audio_objects_move_unchanged(key: str, name: str, value: Any) -> None:
    assert session_of({key: value}) == {
        "type": "realtime",
        "audio": {"input": {name: value}},
    }


def test_speed_moves_to_audio_output() -> None:
    assert session_of({"speed": 0.75}) == {"type": "realtime", "audio": {"output": {"speed": 0.75}}}


@pytest.mark.parametrize("tokens", [1, 4096, "inf"])
def test_max_response_output_tokens_becomes_max_output_tokens(tokens: int | str) -> None:
    assert session_of({"max_response_output_tokens": tokens}) == {
        "type": "realtime",
        "max_output_tokens": tokens,
    }


def test_tools_tool_choice_and_tracing_keep_their_names() -> None:
    tracing = {"workflow_name": "demo", "group_id": "g1", "metadata": {"a": "b"}}
    choice = {"type": "function", "name": "get_weather"}
    assert session_of({"tools": [WEATHER_TOOL], "tool_choice": choice, "tracing": tracing}) == {
        "type": "realtime",
        "tools": [WEATHER_TOOL],
        "tool_choice": choice,
        "tracing": tracing,
    }


def test_temperature_is_dropped_with_a_note_naming_its_value() -> None:
    assert beta_to_ga({"temperature": 0.8}) == Conversion(
        {"session": {"type": "realtime"}}, (TEMPERATURE_NOTE,)
    )


def test_client_secret_expires_after_moves_to_the_top() -> None:
    expires = {"anchor": "created_at", "seconds": 120}
    conversion = beta_to_ga({"model": "m", "client_secret": {"expires_after": expires}})
    assert conversion == Conversion(
        {"expires_after": expires, "session": {"type": "realtime", "model": "m"}}, ()
    )
    assert list(conversion.body) == ["expires_after", "session"]


def test_other_client_secret_content_is_dropped_with_a_note() -> None:
    beta = {"client_secret": {"expires_after": {"seconds": 60}, "scope": "x"}}
    assert beta_to_ga(beta) == Conversion(
        {"expires_after": {"seconds": 60}, "session": {"type": "realtime"}},
        ("client_secret.scope dropped: GA takes only expires_after from client_secret.",),
    )


def test_a_client_secret_that_is_not_an_object_is_dropped_without_showing_it() -> None:
    conversion = beta_to_ga({"client_secret": FAKE_SECRET})
    assert conversion.body == {"session": {"type": "realtime"}}
    assert conversion.notes == ("client_secret was dropped: it was not an object.",)
    assert FAKE_SECRET not in repr(conversion)


def test_a_null_client_secret_is_dropped_silently() -> None:
    assert beta_to_ga({"client_secret": None}) == Conversion({"session": {"type": "realtime"}}, ())


def test_a_pasted_beta_response_loses_its_response_only_fields_in_one_note() -> None:
    response = {
        "id": "sess_convert_0001",
        "object": "realtime.session",
        "model": "gpt-4o-realtime-preview",
        "expires_at": 0,
        "client_secret": {"value": FAKE_SECRET, "expires_at": 1_700_000_060},
    }
    conversion = beta_to_ga(response)
    assert conversion.body == {"session": {"type": "realtime", "model": "gpt-4o-realtime-preview"}}
    assert conversion.notes == (
        "ignored response-only fields (id, object, expires_at, client_secret.value, "
        "client_secret.expires_at); the request body was rebuilt from the rest.",
    )
    assert FAKE_SECRET not in repr(conversion)


def test_an_unknown_key_is_kept_under_session_with_a_note() -> None:
    assert beta_to_ga({"model": "m", "truncation": "auto"}) == Conversion(
        {"session": {"type": "realtime", "model": "m", "truncation": "auto"}},
        ("kept unknown key 'truncation' under session; the GA API may reject it.",),
    )


def test_an_unknown_key_that_clashes_with_a_converted_field_is_dropped() -> None:
    conversion = beta_to_ga({"audio": {"output": {"voice": "ash"}}, "voice": "marin"})
    assert conversion.body == {
        "session": {"type": "realtime", "audio": {"output": {"voice": "marin"}}}
    }
    assert conversion.notes == (
        "dropped key 'audio': it clashes with a field converted from Beta.",
    )


def test_a_type_other_than_realtime_is_dropped_with_a_note() -> None:
    assert beta_to_ga({"type": "realtime"}) == Conversion({"session": {"type": "realtime"}}, ())
    assert beta_to_ga({"type": "transcription"}) == Conversion(
        {"session": {"type": "realtime"}},
        ('type "transcription" was dropped: a converted Beta body is always a realtime session.',),
    )


def test_a_top_level_expires_after_stays_at_the_top() -> None:
    assert beta_to_ga({"expires_after": {"seconds": 30}}) == Conversion(
        {"expires_after": {"seconds": 30}, "session": {"type": "realtime"}}, ()
    )


def test_client_secret_expires_after_wins_over_a_different_top_level_one() -> None:
    beta = {"expires_after": {"seconds": 30}, "client_secret": {"expires_after": {"seconds": 90}}}
    assert beta_to_ga(beta) == Conversion(
        {"expires_after": {"seconds": 90}, "session": {"type": "realtime"}},
        ("the top-level expires_after was dropped in favour of client_secret.expires_after.",),
    )


def test_long_values_are_shortened_in_notes() -> None:
    (note,) = beta_to_ga({"temperature": "x" * 500}).notes
    assert len(note) < 150
    assert "…" in note


def test_a_non_mapping_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        beta_to_ga([])  # type: ignore[arg-type]


# --- beta_to_ga: the whole body --------------------------------------------------------------


def test_a_full_beta_body_converts_to_the_exact_ga_body() -> None:
    conversion = beta_to_ga(FULL_BETA)
    assert conversion.body == FULL_GA
    assert conversion.notes == (BOTH_MODALITIES_NOTE, TEMPERATURE_NOTE)


def test_the_ga_body_lists_expires_after_first_and_type_first() -> None:
    body = beta_to_ga(FULL_BETA).body
    assert list(body) == ["expires_after", "session"]
    assert list(body["session"]) == [
        "type",
        "model",
        "instructions",
        "output_modalities",
        "audio",
        "tools",
        "tool_choice",
        "max_output_tokens",
        "tracing",
    ]
    assert list(body["session"]["audio"]) == ["input", "output"]


def test_the_input_is_not_mutated_nor_shared() -> None:
    beta = copy.deepcopy(FULL_BETA)
    beta["truncation"] = {"type": "retention_ratio"}
    before = copy.deepcopy(beta)
    body = beta_to_ga(beta).body
    assert beta == before
    body["session"]["tools"][0]["name"] = "changed"
    body["session"]["audio"]["input"]["turn_detection"]["threshold"] = 0.9
    body["session"]["truncation"]["type"] = "changed"
    body["expires_after"]["seconds"] = 1
    assert beta == before


def test_conversion_is_frozen() -> None:
    conversion = beta_to_ga({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        conversion.notes = ()  # type: ignore[misc]


# --- looks_like_ga ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"session": {"type": "realtime"}}, True),
        ({"session": {"type": "transcription", "audio": {}}}, True),
        ({"expires_after": {"seconds": 60}}, True),
        ({"session": {"model": "m"}}, False),
        ({"session": "realtime"}, False),
        ({"model": "m", "voice": "ash"}, False),
        ({}, False),
    ],
)
def test_looks_like_ga(body: dict[str, Any], expected: bool) -> None:
    assert looks_like_ga(body) is expected


# --- parse_curl ------------------------------------------------------------------------------

BETA_CURL = f"""curl -sS -X POST {BETA_URL} \\
  -H 'Authorization: Bearer {FAKE_KEY}' \\
  -H 'Content-Type: application/json' \\
  -d '{{"model": "gpt-4o-realtime-preview", "voice": "verse", "temperature": 0.8,
        "modalities": ["text", "audio"], "input_audio_format": "pcm16"}}'
"""


def test_parse_curl_reads_url_method_headers_and_body() -> None:
    request = parse_curl(BETA_CURL)
    assert request == CurlRequest(
        url=BETA_URL,
        method="POST",
        headers=(
            ("Authorization", f"Bearer {FAKE_KEY}"),
            ("Content-Type", "application/json"),
        ),
        body={
            "model": "gpt-4o-realtime-preview",
            "voice": "verse",
            "temperature": 0.8,
            "modalities": ["text", "audio"],
            "input_audio_format": "pcm16",
        },
    )


def test_curl_request_repr_leaves_out_the_headers() -> None:
    request = parse_curl(BETA_CURL)
    assert FAKE_KEY not in repr(request)
    assert FAKE_KEY not in str(request)
    assert "headers" not in repr(request)


@pytest.mark.parametrize(
    "command",
    [
        f'curl.exe --url {GA_URL} --header "X-A: 1" --data "{{}}"',
        f'curl {GA_URL} -HX-A:1 -d"{{}}"',
        f"curl -XPOST --location --silent --fail -v {GA_URL} -H 'X-A: 1' --data-raw '{{}}'",
        f"curl --request post {GA_URL} -H 'X-A: 1' --data-binary '{{}}' -u user:pw",
        f"/usr/bin/curl -sSL {GA_URL} -H 'X-A: 1' --json '{{}}'",
    ],
)
def test_parse_curl_accepts_the_common_spellings(command: str) -> None:
    request = parse_curl(command)
    assert request.url == GA_URL
    assert request.method == "POST"
    assert request.headers == (("X-A", "1"),)
    assert request.body == {}


def test_parse_curl_defaults_to_get_without_a_body() -> None:
    assert parse_curl(f"curl {GA_URL}") == CurlRequest(GA_URL, "GET", (), None)


def test_parse_curl_joins_crlf_continuations() -> None:
    request = parse_curl(f"curl {GA_URL} \\\r\n -d '{{\"a\": 1}}'")
    assert request.body == {"a": 1}


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("wget https://example.com", "this is not a curl command"),
        ("", "this is not a curl command"),
        (f"curl {GA_URL} -d '{{'", "the -d body is not valid JSON"),
        (f"curl {GA_URL} -d '[1, 2]'", "the -d body is an array, not a JSON object"),
        (f"curl {GA_URL} -d @body.json", "-d @file reads the body from a file"),
        (f"curl {GA_URL} --data @-", "-d @file reads the body from a file"),
        (f"curl {GA_URL} --json @body.json", "-d @file reads the body from a file"),
        (f"curl {GA_URL} -d '{{}}' -d '{{}}'", "more than one -d body"),
        (f"curl {GA_URL} {BETA_URL}", "more than one URL"),
        (f"curl {GA_URL} -H", "-H needs a value"),
        (f"curl {GA_URL} --data-urlencode a=b", "unsupported curl option --data-urlencode"),
        (f"curl {GA_URL} -Z", "unsupported curl option -Z"),
        (f'curl {GA_URL} -d \'{{"a": 1}}', "could not be split into words"),
    ],
)
def test_parse_curl_rejects_with_field_curl(command: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_curl(command)
    (problem,) = caught.value.problems
    assert problem.field == "curl"
    assert message in problem.message


def test_data_raw_with_an_at_sign_is_literal_text() -> None:
    with pytest.raises(InvalidInput, match="not valid JSON"):
        parse_curl(f"curl {GA_URL} --data-raw @body.json")


def test_curl_errors_never_show_header_values() -> None:
    auth = f"-H 'Authorization: Bearer {FAKE_KEY}'"
    for command in (
        f"curl {GA_URL} {auth} -d 'nope'",
        f"curl {GA_URL} {auth} -d '[]'",
        f"curl {GA_URL} {auth} -d @x",
        f"curl {GA_URL} {auth} -d",
        f"curl {GA_URL} {auth} -q",
        f"curl {GA_URL} -H 'Authorization: Bearer {FAKE_KEY}",
    ):
        with pytest.raises(InvalidInput) as caught:
            parse_curl(command)
        assert FAKE_KEY not in str(caught.value)
        assert FAKE_KEY not in repr(caught.value)


def test_an_unknown_option_that_looks_like_data_is_not_echoed() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_curl(f"curl {GA_URL} --{FAKE_KEY}:{FAKE_KEY}")
    assert FAKE_KEY not in str(caught.value)


# --- import_text -----------------------------------------------------------------------------


def test_a_ga_body_passes_through_unchanged() -> None:
    text = json.dumps(FULL_GA, indent=2)
    assert import_text(text) == Imported(FULL_GA, "ga body", ())


def test_a_beta_body_is_converted() -> None:
    imported = import_text(json.dumps(FULL_BETA))
    assert imported == Imported(FULL_GA, "beta body", (BOTH_MODALITIES_NOTE, TEMPERATURE_NOTE))


def test_a_beta_curl_command_is_converted_and_the_key_is_nowhere() -> None:
    imported = import_text(BETA_CURL)
    assert imported.source == "curl (beta endpoint)"
    assert "beta" in imported.source
    assert imported.body == {
        "session": {
            "type": "realtime",
            "model": "gpt-4o-realtime-preview",
            "output_modalities": ["audio"],
            "audio": {
                "input": {"format": {"type": "audio/pcm", "rate": 24000}},
                "output": {"voice": "verse"},
            },
        }
    }
    assert imported.notes == (BOTH_MODALITIES_NOTE, TEMPERATURE_NOTE)
    for text in (*imported.notes, imported.source, repr(imported), str(imported)):
        assert FAKE_KEY not in text
        assert "Bearer" not in text
    assert FAKE_KEY not in json.dumps(imported.body)


def test_an_azure_preview_curl_is_beta() -> None:
    url = "https://res.openai.azure.com/openai/realtimeapi/sessions?api-version=2025-04-01-preview"
    imported = import_text(f"curl '{url}' -H 'api-key: {FAKE_KEY}' -d '{{\"model\": \"dep\"}}'")
    assert imported == Imported(
        {"session": {"type": "realtime", "model": "dep"}}, "curl (beta endpoint)", ()
    )


def test_a_ga_curl_command_passes_through() -> None:
    body = {
        "expires_after": {"anchor": "created_at", "seconds": 600},
        "session": FULL_GA["session"],
    }
    command = (
        f"curl -X POST {GA_URL} \\\n"
        f"  -H 'Authorization: Bearer {FAKE_KEY}' \\\n"
        f"  -d '{json.dumps(body)}'"
    )
    imported = import_text(command)
    assert imported == Imported(body, "curl (ga endpoint)", ())
    assert FAKE_KEY not in repr(imported)


def test_a_flat_body_sent_to_the_ga_endpoint_is_kept_with_a_warning() -> None:
    imported = import_text(f'curl {GA_URL} -d \'{{"model": "m"}}\'')
    assert imported.body == {"model": "m"}
    assert imported.source == "curl (ga endpoint)"
    assert imported.notes == (
        "the body has no session with a type, so the GA endpoint will likely reject it; "
        "it was kept unchanged because the URL is the GA endpoint.",
    )


def test_a_ga_body_sent_to_the_beta_endpoint_is_not_converted_again() -> None:
    body = {"session": {"type": "realtime", "model": "m"}}
    imported = import_text(f"curl {BETA_URL} -d '{json.dumps(body)}'")
    assert imported.body == body
    assert imported.source == "curl (beta endpoint, ga body)"
    assert imported.notes == (
        "the URL is the Beta endpoint but the body is already GA-shaped; it was kept unchanged.",
    )


@pytest.mark.parametrize(
    ("body", "expected", "source"),
    [
        ({"model": "m"}, {"session": {"type": "realtime", "model": "m"}}, "curl (beta body)"),
        ({"session": {"type": "realtime"}}, {"session": {"type": "realtime"}}, "curl (ga body)"),
    ],
)
def test_an_unknown_url_is_decided_by_the_body(
    body: dict[str, Any], expected: dict[str, Any], source: str
) -> None:
    imported = import_text(f"curl https://gateway.example/v1/mint -d '{json.dumps(body)}'")
    assert imported == Imported(expected, source, ())


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("", "import", "nothing to import"),
        ("   \n ", "import", "nothing to import"),
        ('{"model": ', "import", "the JSON is not valid: Expecting value (line 1, column 10)"),
        ("[1, 2]", "import", "the JSON is an array; paste a request body (an object)"),
        ('"gpt-realtime"', "import", "the JSON is a string"),
        ("42", "import", "the JSON is a number"),
        ("null", "import", "the JSON is null"),
        ("model: gpt-realtime", "import", "neither a JSON body nor a curl command"),
        ("wget -d '{}' https://x", "import", "neither a JSON body nor a curl command"),
        (f"curl {BETA_URL} -H 'X-A: 1'", "import", "the curl command has no JSON body (-d)"),
        (f"curl {BETA_URL} -d @body.json", "import", "paste the JSON body itself"),
        (f"curl {BETA_URL} -d '[]'", "import", "not a JSON object"),
        (f"curl {BETA_URL} -d 'nope'", "import", "not valid JSON"),
    ],
)
def test_import_text_rejects_with_field_import(text: str, field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_text(text)
    (problem,) = caught.value.problems
    assert problem.field == field
    assert message in problem.message


def test_import_errors_from_curl_say_so_and_hide_the_key() -> None:
    with pytest.raises(InvalidInput) as caught:
        import_text(f"curl {BETA_URL} -H 'Authorization: Bearer {FAKE_KEY}' -d 'nope'")
    assert caught.value.problems[0].path == "curl"
    assert str(caught.value).startswith("Invalid import (curl): the -d body is not valid JSON")
    assert FAKE_KEY not in str(caught.value)


def test_imported_is_frozen() -> None:
    imported = import_text("{}")
    with pytest.raises(dataclasses.FrozenInstanceError):
        imported.source = "x"  # type: ignore[misc]


# --- property: any Beta-like body converts to a GA-shaped one ---------------------------------

BETA_KEYS = [
    "model",
    "instructions",
    "voice",
    "modalities",
    "input_audio_format",
    "output_audio_format",
    "input_audio_transcription",
    "input_audio_noise_reduction",
    "turn_detection",
    "speed",
    "max_response_output_tokens",
    "tools",
    "tool_choice",
    "tracing",
    "temperature",
    "client_secret",
    "id",
    "object",
    "expires_at",
    # Not Beta, but what a confused paste may hold: they must not break the shape.
    "type",
    "audio",
    "output_modalities",
    "max_output_tokens",
    "expires_after",
    "session",
    "truncation",
]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["pcm16", "g711_ulaw", "g711_alaw", "text", "audio"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["expires_after", "value", "expires_at", "seconds", "x"]) | st.text(),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
BETA_BODIES = st.dictionaries(st.sampled_from(BETA_KEYS), JSON_VALUES, max_size=len(BETA_KEYS))


@settings(max_examples=200, deadline=None)
@given(BETA_BODIES)
def test_any_beta_like_body_converts_to_a_ga_shape(beta: dict[str, Any]) -> None:
    before = copy.deepcopy(beta)
    try:
        conversion = beta_to_ga(beta)
    except InvalidInput:
        return
    body = conversion.body
    assert set(body) <= {"expires_after", "session"}
    session = body["session"]
    assert session["type"] == "realtime"
    assert next(iter(session)) == "type"
    assert "temperature" not in session
    assert "modalities" not in session
    assert beta == before
    json.dumps(body)
    assert all(isinstance(note, str) and note for note in conversion.notes)
