"""Where a mint goes: Connection from the environment and the endpoint URL it gives."""

from __future__ import annotations

import pytest

from realtime_gui.core.endpoint import (
    AZURE_PREVIEW_API_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    Connection,
    Provider,
    endpoint_url,
)
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.session import ApiShape

AZURE_BASE = "https://unit-resource.openai.azure.com/openai/v1"


def test_connection_defaults() -> None:
    connection = Connection()
    assert connection.base_url == DEFAULT_BASE_URL == "https://api.openai.com/v1"
    assert connection.provider is Provider.OPENAI
    assert connection.timeout == DEFAULT_TIMEOUT
    assert connection.organization is None
    assert connection.project is None


def test_connection_from_env_reads_the_sdk_variables() -> None:
    env = {
        "OPENAI_ORG_ID": "org_env",
        "OPENAI_PROJECT_ID": "proj_env",
        "OPENAI_BASE_URL": "http://127.0.0.1:8765/v1",
    }
    assert Connection.from_env(env) == Connection(
        base_url="http://127.0.0.1:8765/v1", organization="org_env", project="proj_env"
    )


def test_connection_from_env_defaults_and_explicit_values() -> None:
    empty = Connection.from_env({})
    assert empty == Connection()
    assert empty.base_url == DEFAULT_BASE_URL
    assert empty.organization is None
    assert empty.project is None
    blank = Connection.from_env(
        {"OPENAI_ORG_ID": "", "OPENAI_PROJECT_ID": "", "OPENAI_BASE_URL": ""}
    )
    assert blank == Connection()
    explicit = Connection.from_env(
        {"OPENAI_BASE_URL": "https://env.example/v1"},
        base_url="https://flag.example/v1",
        provider=Provider.AZURE,
        timeout=3.0,
    )
    assert explicit.base_url == "https://flag.example/v1"
    assert explicit.provider is Provider.AZURE
    assert explicit.timeout == 3.0


# -- endpoint_url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("https://api.openai.com/v1", "https://api.openai.com/v1/realtime/client_secrets"),
        ("https://api.openai.com/v1/", "https://api.openai.com/v1/realtime/client_secrets"),
        ("  https://gw.example/v1  ", "https://gw.example/v1/realtime/client_secrets"),
        ("http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1/realtime/client_secrets"),
        ("http://localhost:8080/v1", "http://localhost:8080/v1/realtime/client_secrets"),
        ("http://[::1]:8080/v1", "http://[::1]:8080/v1/realtime/client_secrets"),
        ("http://api.localhost/v1", "http://api.localhost/v1/realtime/client_secrets"),
    ],
)
def test_endpoint_url_accepted(base: str, url: str) -> None:
    assert endpoint_url(Connection(base_url=base), ApiShape.GA) == url


@pytest.mark.parametrize(
    ("base", "fragment"),
    [
        ("http://api.openai.com/v1", "loopback"),
        ("http://10.0.0.1/v1", "loopback"),
        ("http://localhost.example.com/v1", "loopback"),
        ("ftp://api.openai.com/v1", "http(s) URL"),
        ("api.openai.com/v1", "http(s) URL"),
        ("https:///v1", "http(s) URL"),
        ("", "http(s) URL"),
        ("https://api.openai.com/v1?x=1", "query"),
        ("https://api.openai.com/v1#top", "fragment"),
        ("https://user:password@api.openai.com/v1", "user:password"),
        ("https://user@api.openai.com/v1", "user:password"),
        ("https://api.openai.com:99999/v1", "not a valid URL"),
        ("https://[::1/v1", "not a valid URL"),
    ],
)
def test_endpoint_url_refused(base: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        endpoint_url(Connection(base_url=base), ApiShape.GA)
    assert caught.value.problems[0].field == "base_url"
    assert fragment in str(caught.value)


def test_endpoint_url_azure_beta_strips_only_a_trailing_v1() -> None:
    azure = Provider.AZURE
    assert endpoint_url(Connection(base_url=AZURE_BASE + "/", provider=azure), ApiShape.BETA) == (
        "https://unit-resource.openai.azure.com/openai/realtimeapi/sessions"
        f"?api-version={AZURE_PREVIEW_API_VERSION}"
    )
    no_v1 = Connection(base_url="https://unit-resource.openai.azure.com/openai", provider=azure)
    assert endpoint_url(no_v1, ApiShape.BETA).startswith(
        "https://unit-resource.openai.azure.com/openai/realtimeapi/sessions?"
    )
    assert endpoint_url(Connection(base_url=AZURE_BASE), ApiShape.BETA) == (
        AZURE_BASE + "/realtime/sessions"
    )


@pytest.mark.parametrize(
    ("api", "provider", "url"),
    [
        (ApiShape.GA, Provider.OPENAI, "https://api.openai.com/v1/realtime/client_secrets"),
        (ApiShape.BETA, Provider.OPENAI, "https://api.openai.com/v1/realtime/sessions"),
        (ApiShape.GA, Provider.AZURE, "https://api.openai.com/v1/realtime/client_secrets"),
    ],
)
def test_endpoint_url_per_shape(api: ApiShape, provider: Provider, url: str) -> None:
    assert endpoint_url(Connection(provider=provider), api) == url
