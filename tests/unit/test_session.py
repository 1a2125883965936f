"""Session validation before anything is sent: ranges, shapes, and where each field lands."""

from __future__ import annotations

from dataclasses import replace

import pytest

from realtime_gui.core.errors import FieldProblem, InvalidInput
from realtime_gui.core.session import (
    BETA_VOICES,
    GA_VOICES,
    ApiShape,
    SessionConfig,
    SessionType,
    TranscriptionSettings,
    body_path,
    find_problems,
    inapplicable_reason,
    validate,
)

GA = SessionConfig(api=ApiShape.GA)
GA_TX = SessionConfig(api=ApiShape.GA, session_type=SessionType.TRANSCRIPTION)
BETA = SessionConfig(api=ApiShape.BETA, model="gpt-4o-realtime-preview")

REALTIME = SessionType.REALTIME
TRANSCRIPTION = SessionType.TRANSCRIPTION


def fields(config: SessionConfig) -> list[str]:
    return [p.field for p in find_problems(config)]


def only_problem(config: SessionConfig) -> FieldProblem:
    problems = find_problems(config)
    assert len(problems) == 1, problems
    return problems[0]


# -- the base configs are valid ------------------------------------------------------


@pytest.mark.parametrize("config", [GA, GA_TX, BETA], ids=["ga", "ga-transcription", "beta"])
def test_minimal_configs_are_valid(config: SessionConfig) -> None:
    assert find_problems(config) == []
    assert validate(config) is config


def test_ga_with_every_realtime_field_is_valid() -> None:
    config = replace(
        GA,
        model="gpt-realtime",
        voice="marin",
        instructions="Be brief.",
        modalities=("audio",),
        ttl_seconds=600,
        speed=1.0,
        max_output_tokens=4096,
        input_audio_format="pcm",
        output_audio_format="pcma",
        transcription=TranscriptionSettings("gpt-4o-transcribe", "en", "Names: Ada"),
        noise_reduction="far_field",
    )
    assert find_problems(config) == []


def test_beta_with_every_field_is_valid() -> None:
    config = replace(
        BETA,
        voice="verse",
        instructions="Be brief.",
        modalities=("text", "audio"),
        ttl_seconds=60,
        speed=0.25,
        temperature=0.8,
        max_output_tokens="inf",
        input_audio_format="pcmu",
        output_audio_format="pcm",
        transcription=TranscriptionSettings("whisper-1", "de"),
        noise_reduction="near_field",
    )
    assert find_problems(config) == []


# -- modalities -------------------------------------------------------------------------


@pytest.mark.parametrize("modalities", [("audio",), ("text",)])
def test_ga_accepts_one_output_modality(modalities: tuple[str, ...]) -> None:
    assert find_problems(replace(GA, modalities=modalities)) == []


@pytest.mark.parametrize("modalities", [("audio", "text"), ("text", "audio")])
def test_ga_rejects_both_modalities(modalities: tuple[str, ...]) -> None:
    problem = only_problem(replace(GA, modalities=modalities))
    assert problem.field == "modalities"
    assert problem.path == "session.output_modalities"
    assert "exactly one" in problem.message
    with pytest.raises(InvalidInput) as caught:
        validate(replace(GA, modalities=modalities))
    assert "modalities" in str(caught.value)
    assert "session.output_modalities" in str(caught.value)


@pytest.mark.parametrize("modalities", [("text",), ("text", "audio"), ("audio", "text")])
def test_beta_accepts_text_or_text_and_audio(modalities: tuple[str, ...]) -> None:
    assert find_problems(replace(BETA, modalities=modalities)) == []


def test_beta_rejects_audio_alone() -> None:
    problem = only_problem(replace(BETA, modalities=("audio",)))
    assert problem.field == "modalities"
    assert problem.path == "modalities"
    assert "audio alone" in problem.message


@pytest.mark.parametrize("config", [GA, BETA], ids=["ga", "beta"])
def test_modalities_reject_unknown_and_duplicates(config: SessionConfig) -> None:
    unknown = only_problem(replace(config, modalities=("video",)))
    assert unknown.field == "modalities"
    assert "'video'" in unknown.message
    twice = only_problem(replace(config, modalities=("text", "text")))
    assert twice.field == "modalities"
    assert "twice" in twice.message


# -- ttl ------------------------------------------------------------------------------


@pytest.mark.parametrize("config", [GA, GA_TX, BETA], ids=["ga", "ga-transcription", "beta"])
@pytest.mark.parametrize("ttl", [10, 11, 600, 7199, 7200])
def test_ttl_inside_bounds_is_valid(config: SessionConfig, ttl: int) -> None:
    assert find_problems(replace(config, ttl_seconds=ttl)) == []


@pytest.mark.parametrize(
    ("config", "path"),
    [
        (GA, "expires_after.seconds"),
        (GA_TX, "expires_after.seconds"),
        (BETA, "client_secret.expires_after.seconds"),
    ],
    ids=["ga", "ga-transcription", "beta"],
)
@pytest.mark.parametrize("ttl", [9, 7201, 0, -10, True, 600.0, 10.5, "600"])
def test_ttl_outside_bounds_or_not_whole_is_rejected(
    config: SessionConfig, path: str, ttl: object
) -> None:
    problem = only_problem(replace(config, ttl_seconds=ttl))  # type: ignore[arg-type]
    assert problem.field == "ttl_seconds"
    assert problem.path == path
    assert "10 to 7200" in problem.message
    assert repr(ttl) in problem.message


# -- speed, temperature, max_output_tokens --------------------------------------------


@pytest.mark.parametrize("config", [GA, BETA], ids=["ga", "beta"])
@pytest.mark.parametrize("speed", [0.25, 1, 1.0, 1.5])
def test_speed_inside_bounds_is_valid(config: SessionConfig, speed: float) -> None:
    assert find_problems(replace(config, speed=speed)) == []


@pytest.mark.parametrize(
    ("config", "path"), [(GA, "session.audio.output.speed"), (BETA, "speed")], ids=["ga", "beta"]
)
@pytest.mark.parametrize("speed", [0.24, 1.51, 0, -1, True, float("nan"), float("inf"), "1.0"])
def test_speed_outside_bounds_is_rejected(config: SessionConfig, path: str, speed: object) -> None:
    problem = only_problem(replace(config, speed=speed))  # type: ignore[arg-type]
    assert problem.field == "speed"
    assert problem.path == path
    assert "from 0.25 to 1.5" in problem.message


def test_invalid_speed_error_names_field_and_body_path() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(replace(GA, speed=2.0))
    assert str(caught.value).startswith("Invalid speed (session.audio.output.speed): ")
    assert caught.value.problems[0].path == "session.audio.output.speed"


@pytest.mark.parametrize("temperature", [0.6, 0.8, 1, 1.2])
def test_beta_temperature_inside_bounds_is_valid(temperature: float) -> None:
    assert find_problems(replace(BETA, temperature=temperature)) == []


@pytest.mark.parametrize("temperature", [0.59, 1.21, 0, 2, False, float("nan")])
def test_beta_temperature_outside_bounds_is_rejected(temperature: float) -> None:
    problem = only_problem(replace(BETA, temperature=temperature))
    assert problem.field == "temperature"
    assert problem.path == "temperature"
    assert "from 0.6 to 1.2" in problem.message


@pytest.mark.parametrize("config", [GA, GA_TX], ids=["ga", "ga-transcription"])
def test_ga_rejects_any_temperature_saying_it_is_beta_only(config: SessionConfig) -> None:
    problem = only_problem(replace(config, temperature=0.8))
    assert problem.field == "temperature"
    assert problem.path is None
    if config.session_type is REALTIME:
        assert "Beta only" in problem.message
    with pytest.raises(InvalidInput) as caught:
        validate(replace(config, temperature=0.8))
    assert "temperature" in str(caught.value)


@pytest.mark.parametrize("config", [GA, BETA], ids=["ga", "beta"])
@pytest.mark.parametrize("tokens", [1, 2048, 4096, "inf"])
def test_max_output_tokens_valid(config: SessionConfig, tokens: int | str) -> None:
    assert find_problems(replace(config, max_output_tokens=tokens)) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("config", "path"),
    [(GA, "session.max_output_tokens"), (BETA, "max_response_output_tokens")],
    ids=["ga", "beta"],
)
@pytest.mark.parametrize("tokens", [0, 4097, -1, True, 10.0, "INF", "infinity", "100"])
def test_max_output_tokens_invalid(config: SessionConfig, path: str, tokens: object) -> None:
    problem = only_problem(replace(config, max_output_tokens=tokens))  # type: ignore[arg-type]
    assert problem.field == "max_output_tokens"
    assert problem.path == path
    assert '"inf"' in problem.message


# -- audio formats, noise reduction, transcription ----------------------------------


@pytest.mark.parametrize("config", [GA, BETA], ids=["ga", "beta"])
@pytest.mark.parametrize("field", ["input_audio_format", "output_audio_format"])
@pytest.mark.parametrize("value", ["pcm", "pcmu", "pcma"])
def test_audio_formats_valid(config: SessionConfig, field: str, value: str) -> None:
    assert find_problems(replace(config, **{field: value})) == []


@pytest.mark.parametrize(
    ("config", "field", "path"),
    [
        (GA, "input_audio_format", "session.audio.input.format"),
        (GA, "output_audio_format", "session.audio.output.format"),
        (GA_TX, "input_audio_format", "session.audio.input.format"),
        (BETA, "input_audio_format", "input_audio_format"),
        (BETA, "output_audio_format", "output_audio_format"),
    ],
)
@pytest.mark.parametrize("value", ["pcm16", "g711_ulaw", "audio/pcm", "PCM", ""])
def test_audio_formats_use_canonical_names_only(
    config: SessionConfig, field: str, path: str, value: str
) -> None:
    problem = only_problem(replace(config, **{field: value}))
    assert problem.field == field
    assert problem.path == path
    assert "pcm, pcmu, pcma" in problem.message


@pytest.mark.parametrize("config", [GA, GA_TX, BETA], ids=["ga", "ga-transcription", "beta"])
@pytest.mark.parametrize("value", ["near_field", "far_field"])
def test_noise_reduction_valid(config: SessionConfig, value: str) -> None:
    assert find_problems(replace(config, noise_reduction=value)) == []


@pytest.mark.parametrize(
    ("config", "path"),
    [
        (GA, "session.audio.input.noise_reduction.type"),
        (BETA, "input_audio_noise_reduction.type"),
    ],
    ids=["ga", "beta"],
)
def test_noise_reduction_invalid(config: SessionConfig, path: str) -> None:
    problem = only_problem(replace(config, noise_reduction="mid_field"))
    assert problem.field == "noise_reduction"
    assert problem.path == path
    assert "near_field, far_field" in problem.message


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_transcription_language_valid(language: str) -> None:
    settings = TranscriptionSettings("gpt-4o-transcribe", language)
    assert find_problems(replace(GA, transcription=settings)) == []


@pytest.mark.parametrize(
    ("config", "path"),
    [
        (GA, "session.audio.input.transcription.language"),
        (GA_TX, "session.audio.input.transcription.language"),
        (BETA, "input_audio_transcription.language"),
    ],
    ids=["ga", "ga-transcription", "beta"],
)
@pytest.mark.parametrize("language", ["EN", "english", "e", "en-US", "", "yue"])
def test_transcription_language_invalid(config: SessionConfig, path: str, language: str) -> None:
    settings = TranscriptionSettings("whisper-1", language)
    problem = only_problem(replace(config, transcription=settings))
    assert problem.field == "transcription.language"
    assert problem.path == path
    assert "ISO-639-1" in problem.message


@pytest.mark.parametrize("model", ["gpt 4o transcribe", "", " whisper-1", "-x"])
def test_transcription_model_must_be_a_name(model: str) -> None:
    problem = only_problem(replace(GA_TX, transcription=TranscriptionSettings(model)))
    assert problem.field == "transcription.model"
    assert problem.path == "session.audio.input.transcription.model"


def test_empty_transcription_settings_are_valid() -> None:
    assert find_problems(replace(GA, transcription=TranscriptionSettings())) == []


# -- model and voice ------------------------------------------------------------------


def test_beta_requires_a_model() -> None:
    problem = only_problem(replace(BETA, model=None))
    assert problem.field == "model"
    assert problem.path == "model"
    assert "required" in problem.message


def test_ga_realtime_does_not_require_a_model() -> None:
    assert "model" not in fields(replace(GA, model=None))


@pytest.mark.parametrize("model", ["gpt-realtime", "my-deployment", "org/model:v1.2"])
def test_model_names_accepted(model: str) -> None:
    assert find_problems(replace(GA, model=model)) == []
    assert find_problems(replace(BETA, model=model)) == []


@pytest.mark.parametrize("model", ["", "gpt realtime", " gpt-realtime", "-gpt", "gpt\trealtime"])
def test_model_names_rejected(model: str) -> None:
    problem = only_problem(replace(GA, model=model))
    assert problem.field == "model"
    assert problem.path == "session.model"
    assert "without spaces" in problem.message


@pytest.mark.parametrize("voice", GA_VOICES)
def test_ga_built_in_voices(voice: str) -> None:
    assert find_problems(replace(GA, voice=voice)) == []


@pytest.mark.parametrize("voice", BETA_VOICES)
def test_beta_built_in_voices(voice: str) -> None:
    assert find_problems(replace(BETA, voice=voice)) == []


def test_custom_voice_allowed_for_ga() -> None:
    assert find_problems(replace(GA, voice="voice_abc")) == []
    assert find_problems(replace(GA, voice="voice_abc-123_X")) == []


def test_custom_voice_refused_for_beta() -> None:
    problem = only_problem(replace(BETA, voice="voice_abc"))
    assert problem.field == "voice"
    assert problem.path == "voice"
    assert "GA" in problem.message


@pytest.mark.parametrize("voice", ["voice_", "voice_a b", "voice_a.b"])
def test_malformed_custom_voice_rejected_for_ga(voice: str) -> None:
    problem = only_problem(replace(GA, voice=voice))
    assert problem.field == "voice"
    assert problem.path == "session.audio.output.voice"
    assert "voice_abc123" in problem.message


@pytest.mark.parametrize("voice", ["", "Alloy", "al loy", "-alloy"])
def test_malformed_built_in_voice_rejected(voice: str) -> None:
    problem = only_problem(replace(GA, voice=voice))
    assert problem.field == "voice"
    assert "marin" in problem.message  # lists GA's voices
    beta_problem = only_problem(replace(BETA, voice=voice))
    assert "marin" not in beta_problem.message  # Beta has no marin


# -- GA transcription sessions --------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("voice", "marin"),
        ("instructions", "Be brief."),
        ("modalities", ("text",)),
        ("speed", 1.0),
        ("max_output_tokens", 100),
        ("output_audio_format", "pcm"),
    ],
)
def test_ga_transcription_rejects_realtime_fields(field: str, value: object) -> None:
    problem = only_problem(replace(GA_TX, **{field: value}))
    assert problem.field == field
    assert problem.path is None
    assert "does not apply to GA transcription sessions" in problem.message
    with pytest.raises(InvalidInput) as caught:
        validate(replace(GA_TX, **{field: value}))
    assert str(caught.value).startswith(f"Invalid {field}: ")


def test_ga_transcription_rejects_model_pointing_at_transcription_settings() -> None:
    problem = only_problem(replace(GA_TX, model="gpt-4o-transcribe"))
    assert problem.field == "model"
    assert "transcription settings" in problem.message


def test_ga_transcription_accepts_its_fields() -> None:
    config = replace(
        GA_TX,
        ttl_seconds=120,
        input_audio_format="pcmu",
        noise_reduction="near_field",
        transcription=TranscriptionSettings("gpt-4o-transcribe", "en", "Spell: Ada"),
    )
    assert find_problems(config) == []


def test_beta_has_no_transcription_session_type() -> None:
    problem = only_problem(replace(BETA, session_type=TRANSCRIPTION))
    assert problem.field == "session_type"
    assert "only realtime sessions" in problem.message


def test_every_problem_is_reported_at_once() -> None:
    config = replace(
        GA, modalities=("audio", "text"), ttl_seconds=5, speed=3.0, temperature=0.8, voice="A B"
    )
    assert sorted(fields(config)) == sorted(
        ["modalities", "ttl_seconds", "speed", "temperature", "voice"]
    )
    with pytest.raises(InvalidInput) as caught:
        validate(config)
    assert len(caught.value.problems) == 5
    for name in ("modalities", "ttl_seconds", "speed", "temperature", "voice"):
        assert name in str(caught.value)


# -- body_path and inapplicable_reason for each shape and type ------------------------

GA_REALTIME_PATHS = {
    "model": "session.model",
    "voice": "session.audio.output.voice",
    "instructions": "session.instructions",
    "modalities": "session.output_modalities",
    "ttl_seconds": "expires_after.seconds",
    "speed": "session.audio.output.speed",
    "temperature": None,
    "max_output_tokens": "session.max_output_tokens",
    "input_audio_format": "session.audio.input.format",
    "output_audio_format": "session.audio.output.format",
    "transcription": "session.audio.input.transcription",
    "transcription.model": "session.audio.input.transcription.model",
    "transcription.language": "session.audio.input.transcription.language",
    "transcription.prompt": "session.audio.input.transcription.prompt",
    "noise_reduction": "session.audio.input.noise_reduction.type",
    "session_type": "session.type",
}
GA_TRANSCRIPTION_PATHS = {
    **dict.fromkeys(GA_REALTIME_PATHS),
    "ttl_seconds": "expires_after.seconds",
    "input_audio_format": "session.audio.input.format",
    "transcription": "session.audio.input.transcription",
    "transcription.model": "session.audio.input.transcription.model",
    "transcription.language": "session.audio.input.transcription.language",
    "transcription.prompt": "session.audio.input.transcription.prompt",
    "noise_reduction": "session.audio.input.noise_reduction.type",
    "session_type": "session.type",
}
BETA_PATHS = {
    "model": "model",
    "voice": "voice",
    "instructions": "instructions",
    "modalities": "modalities",
    "ttl_seconds": "client_secret.expires_after.seconds",
    "speed": "speed",
    "temperature": "temperature",
    "max_output_tokens": "max_response_output_tokens",
    "input_audio_format": "input_audio_format",
    "output_audio_format": "output_audio_format",
    "transcription": "input_audio_transcription",
    "transcription.model": "input_audio_transcription.model",
    "transcription.language": "input_audio_transcription.language",
    "transcription.prompt": "input_audio_transcription.prompt",
    "noise_reduction": "input_audio_noise_reduction.type",
    "session_type": None,
}
SHAPES = [
    (ApiShape.GA, REALTIME, GA_REALTIME_PATHS),
    (ApiShape.GA, TRANSCRIPTION, GA_TRANSCRIPTION_PATHS),
    (ApiShape.BETA, REALTIME, BETA_PATHS),
]
CASES = [(api, kind, name, path) for api, kind, paths in SHAPES for name, path in paths.items()]


@pytest.mark.parametrize(
    ("api", "kind", "field", "path"),
    CASES,
    ids=[f"{a.value}-{k.value}-{f}" for a, k, f, _ in CASES],
)
def test_body_path_and_inapplicable_reason(
    api: ApiShape, kind: SessionType, field: str, path: str | None
) -> None:
    assert body_path(field, api, kind) == path
    reason = inapplicable_reason(field, api, kind)
    if path is None:
        assert reason
    else:
        assert reason is None


def reason(field: str, api: ApiShape, kind: SessionType) -> str:
    text = inapplicable_reason(field, api, kind)
    assert text is not None
    return text


def test_inapplicable_reasons_explain_the_shape() -> None:
    assert "Beta only" in reason("temperature", ApiShape.GA, REALTIME)
    assert "GA rejects it" in reason("temperature", ApiShape.GA, REALTIME)
    assert "does not apply to GA transcription" in reason("voice", ApiShape.GA, TRANSCRIPTION)
    assert "transcription settings" in reason("model", ApiShape.GA, TRANSCRIPTION)
    assert "only realtime sessions" in reason("session_type", ApiShape.BETA, REALTIME)
    assert "does not exist in the Beta API" in reason("prompt", ApiShape.BETA, REALTIME)
    assert "does not exist in the Beta API" in reason("reasoning_effort", ApiShape.BETA, REALTIME)
    assert "does not exist in the GA API" in reason("no_such_field", ApiShape.GA, REALTIME)
    assert "Beta only" not in reason("no_such_field", ApiShape.GA, REALTIME)
    assert body_path("no_such_field", ApiShape.GA, REALTIME) is None


def test_ga_temperature_error_says_beta_only() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(replace(GA, temperature=0.8))
    text = str(caught.value)
    assert text.startswith("Invalid temperature: ")
    assert "Beta only" in text


def test_shape_label_and_transcription_flag() -> None:
    assert ApiShape.GA.label == "GA"
    assert ApiShape.BETA.label == "Beta"
    assert GA_TX.is_transcription
    assert not GA.is_transcription
    assert not replace(BETA, session_type=TRANSCRIPTION).is_transcription


@pytest.mark.parametrize(
    "config",
    [
        replace(GA, model="gpt-realtime\n"),
        replace(GA, voice="marin\n"),
        replace(GA, transcription=TranscriptionSettings(language="en\n")),
    ],
    ids=["model", "voice", "language"],
)
def test_trailing_newline_is_rejected(config: SessionConfig) -> None:
    assert find_problems(config) != []
