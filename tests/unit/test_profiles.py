"""core.profiles: the store, default always there, precedence, bad files, migration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realtime_gui.core.endpoint import DEFAULT_BASE_URL, Provider
from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.profiles import (
    PROFILE_ENV,
    Profile,
    ProfileKind,
    ProfileStore,
    chosen_profile,
    migrate_form,
)


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(tmp_path / "profiles")


def test_default_exists_without_any_file_and_is_listed_first(store: ProfileStore) -> None:
    listing = store.list()
    assert listing.names == ("default",) and listing.problems == ()
    default = store.load("default")
    assert default.kind is ProfileKind.OPENAI and not default.saved
    assert default.connection({}).base_url == DEFAULT_BASE_URL
    store.save(Profile("work", ProfileKind.CUSTOM, base_url="https://gw.example/v1"))
    store.save(Profile("azure-prod", ProfileKind.AZURE, azure_resource="contoso"))
    assert store.list().names == ("default", "azure-prod", "work")


def test_round_trip_and_file_shape(store: ProfileStore) -> None:
    profile = Profile(
        "azure-prod", ProfileKind.AZURE, azure_resource="contoso", azure_deployment="rt"
    )
    path = store.save(profile)
    assert path == store.folder / "azure-prod.json"
    assert json.loads(path.read_text()) == {
        "provider": "azure",
        "azure_resource": "contoso",
        "azure_deployment": "rt",
    }
    loaded = store.load("azure-prod")
    assert loaded == profile
    connection = loaded.connection({})
    assert connection.provider is Provider.AZURE
    assert connection.base_url == "https://contoso.openai.azure.com/openai/v1"


def test_custom_maps_to_bearer_and_needs_a_base_url(store: ProfileStore) -> None:
    with pytest.raises(InvalidInput, match="custom profile needs a base URL"):
        store.save(Profile("gw", ProfileKind.CUSTOM))
    store.save(Profile("gw", ProfileKind.CUSTOM, base_url="http://127.0.0.1:9/v1"))
    assert store.load("gw").connection({}).provider is Provider.OPENAI


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile("x", ProfileKind.CUSTOM, base_url="http://gw.example/v1"), "loopback"),
        (Profile("x", ProfileKind.CUSTOM, base_url="ftp://gw.example"), "http"),
        (Profile("x", ProfileKind.AZURE), "resource or a base URL"),
        (Profile("x", ProfileKind.AZURE, azure_resource="a b"), "resource name"),
        (Profile("x", ProfileKind.OPENAI, azure_resource="r"), "only an Azure"),
        (Profile("x", ProfileKind.OPENAI, organization="org\n1"), "organization"),
        (Profile("../x"), "profile"),
    ],
)
def test_invalid_profiles_are_refused_with_the_field(
    store: ProfileStore, profile: Profile, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        store.save(profile)
    assert not store.folder.exists() or list(store.folder.iterdir()) == []


def test_precedence_flags_then_environment_then_profile() -> None:
    profile = Profile(
        "p", ProfileKind.CUSTOM, base_url="https://gw.example/v1", organization="org-p",
        project="proj-p",
    )  # fmt: skip
    plain = profile.connection({})
    assert (plain.base_url, plain.organization, plain.project) == (
        "https://gw.example/v1", "org-p", "proj-p",
    )  # fmt: skip
    env = {"OPENAI_BASE_URL": "https://env.example/v1", "OPENAI_ORG_ID": "org-env"}
    from_env = profile.connection(env)
    assert (from_env.base_url, from_env.organization, from_env.project) == (
        "https://env.example/v1", "org-env", "proj-p",
    )  # fmt: skip
    flagged = profile.connection(env, base_url="https://flag.example/v1", provider=Provider.AZURE)
    assert flagged.base_url == "https://flag.example/v1" and flagged.provider is Provider.AZURE


def test_chosen_profile_flag_wins_over_environment() -> None:
    assert chosen_profile(None, {}) == "default"
    assert chosen_profile(None, {PROFILE_ENV: "work"}) == "work"
    assert chosen_profile("home", {PROFILE_ENV: "work"}) == "home"
    with pytest.raises(InvalidInput):
        chosen_profile(None, {PROFILE_ENV: "bad name"})


def test_unknown_profile_names_the_list_command(store: ProfileStore) -> None:
    with pytest.raises(InvalidInput) as caught:
        store.load("nope")
    assert caught.value.exit_code == 2
    assert "'nope'" in caught.value.user_message
    assert "realtime-gui profile list" in caught.value.user_message


def test_default_cannot_be_removed_but_can_be_edited(store: ProfileStore) -> None:
    with pytest.raises(InvalidInput, match="default profile cannot be removed"):
        store.remove("default")
    store.save(Profile("default", ProfileKind.CUSTOM, base_url="https://gw.example/v1"))
    assert store.load("default").saved and store.load("default").kind is ProfileKind.CUSTOM
    store.save(Profile("gone", base_url="https://api.example/v1"))
    assert store.remove("gone") == store.folder / "gone.json"
    assert store.list().names == ("default",)
    with pytest.raises(InvalidInput, match="no profile 'gone'"):
        store.remove("gone")


def test_add_refuses_an_existing_name_without_replace(store: ProfileStore) -> None:
    store.save(Profile("work"), replace_existing=False)
    with pytest.raises(InvalidInput, match="exists already"):
        store.save(Profile("work"), replace_existing=False)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "JSON object"),
        (b'{"provider": "gopher"}', "is not openai, azure or custom"),
        (b'{"provider": "custom"}', "needs a base URL"),
        (b'{"base_url": 5}', "base_url is not a string"),
    ],
)
def test_a_broken_file_is_moved_aside_and_listing_goes_on(
    store: ProfileStore, content: bytes, reason: str
) -> None:
    store.save(Profile("good", base_url="https://api.example/v1"))
    broken = store.folder / "broken.json"
    broken.write_bytes(content)
    listing = store.list()
    assert listing.names == ("default", "good")
    (problem,) = listing.problems
    assert str(broken) in problem and reason in problem
    assert not broken.exists()
    (aside,) = store.folder.glob("broken.json.corrupt-*")
    assert aside.read_bytes() == content and aside.name in problem


def test_a_broken_default_falls_back_to_the_implicit_one(store: ProfileStore) -> None:
    store.folder.mkdir(parents=True)
    (store.folder / "default.json").write_text("{")
    default = store.load("default")
    assert default == Profile("default") and not default.saved
    assert "default.json" in store.problems[0]


def test_unknown_keys_are_kept_and_credential_like_keys_dropped(store: ProfileStore) -> None:
    store.folder.mkdir(parents=True)
    path = store.folder / "work.json"
    path.write_text(
        json.dumps({"provider": "openai", "color": "teal", "api_key": "sk-never", "note": [1]})
    )
    loaded = store.load("work")
    store.save(Profile("work", project="proj-1", extra=loaded.extra))
    data = json.loads(path.read_text())
    assert data == {"color": "teal", "note": [1], "provider": "openai", "project": "proj-1"}
    # Saved again without carrying extra: the file's unknown keys still survive.
    store.save(Profile("work", project="proj-2"))
    assert json.loads(path.read_text())["color"] == "teal"


def test_migration_moves_a_non_default_form_into_default(store: ProfileStore) -> None:
    message = migrate_form(store, "azure", "https://contoso.openai.azure.com/openai/v1")
    assert message is not None and "default profile" in message
    default = store.load("default")
    assert default.kind is ProfileKind.AZURE
    assert default.base_url == "https://contoso.openai.azure.com/openai/v1"
    # Only once: a later run leaves the (maybe edited) profile alone.
    assert migrate_form(store, "openai", "https://other.example/v1") is None
    assert store.load("default").kind is ProfileKind.AZURE


def test_migration_of_a_gateway_url_and_of_defaults(tmp_path: Path) -> None:
    plain = ProfileStore(tmp_path / "a")
    assert migrate_form(plain, "openai", "") is None
    assert migrate_form(plain, "openai", DEFAULT_BASE_URL + "/") is None
    assert not plain.folder.exists()
    gateway = ProfileStore(tmp_path / "b")
    assert migrate_form(gateway, "openai", "http://localhost:8080/v1") is not None
    assert gateway.load("default") == Profile(
        "default", ProfileKind.CUSTOM, base_url="http://localhost:8080/v1"
    )
    bad = ProfileStore(tmp_path / "c")
    message = migrate_form(bad, "openai", "http://remote.example/v1")
    assert message is not None and "loopback" in message and not bad.folder.exists()
