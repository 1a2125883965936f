"""Named connection profiles: provider, base URL and ids per account, one JSON file each, no key."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

from .credentials import DEFAULT_PROFILE, check_profile
from .endpoint import DEFAULT_BASE_URL, Connection, Provider, endpoint_url
from .errors import InvalidInput
from .files import move_aside, write_atomically
from .paths import config_dir
from .session import ApiShape

__all__ = [
    "FOLDER",
    "PROFILE_ENV",
    "Profile",
    "ProfileKind",
    "ProfileListing",
    "ProfileStore",
    "azure_base_url",
    "chosen_profile",
    "migrate_form",
]

# Under core/paths.config_dir(), next to the presets and the window's settings.ini.
FOLDER = "profiles"
SUFFIX = ".json"
PROFILE_ENV = "REALTIME_GUI_PROFILE"
_RESOURCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,62}")
# The fields a profile file holds, in the order they are written.
_FIELDS = ("provider", "base_url", "organization", "project", "azure_resource", "azure_deployment")
# An unknown key that looks like a credential is dropped, not kept: a profile never holds one.
_SECRET_LIKE = re.compile(r"key|secret|token|password|authorization", re.IGNORECASE)


class ProfileKind(str, Enum):
    """What a profile talks to: OpenAI, an Azure OpenAI resource, or an OpenAI-style gateway."""

    OPENAI = "openai"
    AZURE = "azure"
    CUSTOM = "custom"  # Bearer auth like OpenAI, at a base URL that must be given

    @property
    def provider(self) -> Provider:
        return Provider.AZURE if self is ProfileKind.AZURE else Provider.OPENAI

    @property
    def label(self) -> str:
        return {"openai": "OpenAI", "azure": "Azure OpenAI", "custom": "Custom (Bearer)"}[
            self.value
        ]


def azure_base_url(resource: str) -> str:
    """The GA base URL of an Azure OpenAI resource."""
    return f"https://{resource}.openai.azure.com/openai/v1"


def chosen_profile(flag: str | None, env: Mapping[str, str]) -> str:
    """The profile a command uses: --profile, else $REALTIME_GUI_PROFILE, else ``default``."""
    return check_profile(flag or env.get(PROFILE_ENV, "").strip() or DEFAULT_PROFILE)


def _text(value: str | None) -> str | None:
    value = value.strip() if isinstance(value, str) else None
    return value or None


@dataclass(frozen=True)
class Profile:
    """One account: where its mints go and with which ids. Its key lives in the keyring."""

    name: str
    kind: ProfileKind = ProfileKind.OPENAI
    base_url: str | None = None
    organization: str | None = None
    project: str | None = None
    azure_resource: str | None = None
    azure_deployment: str | None = None
    # Keys of the file this tool does not know, written back unchanged.
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # False for the implicit ``default`` (no file yet).
    saved: bool = field(default=True, compare=False)

    @property
    def provider(self) -> Provider:
        return self.kind.provider

    def stored_base_url(self) -> str | None:
        """The profile's own base URL: given, or derived from the Azure resource."""
        if self.base_url:
            return self.base_url
        if self.kind is ProfileKind.AZURE and self.azure_resource:
            return azure_base_url(self.azure_resource)
        return None

    def checked(self) -> Profile:
        """This profile with its text trimmed; InvalidInput naming each wrong field."""
        check_profile(self.name)
        profile = replace(
            self,
            base_url=_text(self.base_url),
            organization=_text(self.organization),
            project=_text(self.project),
            azure_resource=_text(self.azure_resource),
            azure_deployment=_text(self.azure_deployment),
        )
        problems: list[str] = []
        if profile.kind is ProfileKind.CUSTOM and not profile.base_url:
            problems.append("base_url: a custom profile needs a base URL")
        if profile.kind is ProfileKind.AZURE:
            resource = profile.azure_resource
            if resource and not _RESOURCE.fullmatch(resource):
                problems.append(f"azure_resource: not an Azure resource name: {resource!r}")
            elif not resource and not profile.base_url:
                problems.append("azure_resource: an Azure profile needs a resource or a base URL")
        elif profile.azure_resource or profile.azure_deployment:
            problems.append("azure_resource: only an Azure profile has a resource and deployment")
        if problems:
            raise InvalidInput.single("profile", "; ".join(problems))
        # The same checks a mint makes (scheme, loopback-only http, header-safe ids).
        endpoint_url(profile.connection({}), ApiShape.GA)
        return profile

    def connection(
        self,
        env: Mapping[str, str],
        *,
        base_url: str | None = None,
        provider: Provider | None = None,
        timeout: float | None = None,
    ) -> Connection:
        """Flags first, then OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID, then this."""
        own_url = self.stored_base_url()
        connection = Connection.from_env(
            env,
            base_url=base_url or env.get("OPENAI_BASE_URL") or own_url or DEFAULT_BASE_URL,
            provider=provider or self.provider,
            timeout=timeout,
        )
        return replace(
            connection,
            organization=connection.organization or self.organization,
            project=connection.project or self.project,
        )

    def to_json(self) -> dict[str, Any]:
        """What the profile file holds: the unknown keys kept, then the known fields."""
        data: dict[str, Any] = dict(self.extra)
        data["provider"] = self.kind.value
        for name in _FIELDS[1:]:
            value = getattr(self, name)
            if value is not None:
                data[name] = value
            else:
                data.pop(name, None)
        return data

    def describe(self) -> dict[str, Any]:
        """The fields ``profile show --json`` prints (never a key)."""
        return {
            "name": self.name,
            "provider": self.kind.value,
            "base_url": self.stored_base_url() or DEFAULT_BASE_URL,
            **{name: getattr(self, name) for name in _FIELDS[2:]},
            "saved": self.saved,
        }


class _Unreadable(Exception):
    """A profile file whose JSON is not a profile; the message says why."""


def _from_json(name: str, data: object) -> Profile:
    """A Profile from a file's JSON; _Unreadable saying what is wrong."""
    if not isinstance(data, dict):
        raise _Unreadable("it does not hold a JSON object")
    values: dict[str, Any] = {}
    for key in _FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise _Unreadable(f"{key} is not a string")
        values[key] = value
    try:
        kind = ProfileKind(values.pop("provider") or ProfileKind.OPENAI.value)
    except ValueError:
        raise _Unreadable(
            f"provider {data.get('provider')!r} is not openai, azure or custom"
        ) from None
    extra = {
        k: v
        for k, v in data.items()
        if k not in _FIELDS and k != "name" and not _SECRET_LIKE.search(k)
    }
    return Profile(name, kind, extra=extra, **values)


@dataclass(frozen=True)
class ProfileListing:
    """Every profile (``default`` first), and a message for each file that could not be read."""

    profiles: tuple[Profile, ...]
    problems: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.profiles)


class ProfileStore:
    """The profiles folder: ``<config>/profiles/<name>.json``; ``default`` always exists."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Messages about files moved aside while reading, for the caller to show.
        self.problems: list[str] = []

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ProfileStore:
        return cls(config_dir(env) / FOLDER)

    def path(self, name: str) -> Path:
        return self.folder / f"{check_profile(name)}{SUFFIX}"

    def _move_aside(self, path: Path, reason: str) -> str:
        message = move_aside(path, "Profile file", reason)
        self.problems.append(message)
        return message

    def _read(self, name: str) -> Profile | None:
        """The saved profile ``name``; None if there is no (readable) file."""
        path = self.path(name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.problems.append(f"Cannot read profile file {path}: {exc.strerror or exc}")
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            reason = "it is not UTF-8 text"
        except ValueError as exc:
            reason = f"it is not valid JSON ({exc})"
        else:
            try:
                return _from_json(name, data).checked()
            except _Unreadable as exc:
                reason = str(exc)
            except InvalidInput as exc:
                reason = exc.problems[0].describe()
        self._move_aside(path, reason)
        return None

    def names(self) -> list[str]:
        """``default`` and every saved profile's name, from one directory listing."""
        try:
            files = sorted(p.name for p in self.folder.iterdir() if p.name.endswith(SUFFIX))
        except OSError:
            files = []
        found = [n.removesuffix(SUFFIX) for n in files]
        return [DEFAULT_PROFILE, *(n for n in found if n != DEFAULT_PROFILE and _valid(n))]

    def list(self) -> ProfileListing:
        self.problems.clear()
        profiles = [self.load(DEFAULT_PROFILE)]
        for name in self.names()[1:]:
            profile = self._read(name)
            if profile is not None:
                profiles.append(profile)
        return ProfileListing(tuple(profiles), tuple(self.problems))

    def exists(self, name: str) -> bool:
        return name == DEFAULT_PROFILE or self.path(name).is_file()

    def load(self, name: str) -> Profile:
        """The profile ``name``; InvalidInput (exit 2) naming it when there is none."""
        check_profile(name)
        profile = self._read(name)
        if profile is not None:
            return profile
        if name == DEFAULT_PROFILE:
            return Profile(DEFAULT_PROFILE, saved=False)
        raise InvalidInput.single(
            "profile",
            f"there is no profile {name!r}; see `realtime-gui profile list` "
            f"(or add it with `realtime-gui profile add {name} --provider ...`)",
        )

    def save(self, profile: Profile, *, replace_existing: bool = True) -> Path:
        """Write the profile atomically; unknown keys of an existing file are kept."""
        profile = profile.checked()
        path = self.path(profile.name)
        if not replace_existing and path.is_file():
            raise InvalidInput.single(
                "profile",
                f"{profile.name!r} exists already; use `realtime-gui profile edit` or --replace",
            )
        if not profile.extra:
            previous = self._read(profile.name) if path.is_file() else None
            if previous is not None:
                profile = replace(profile, extra=previous.extra)
        text = json.dumps(profile.to_json(), indent=2, ensure_ascii=False) + "\n"
        write_atomically(path, text.encode("utf-8"), "profile")
        return path

    def remove(self, name: str) -> Path:
        """Delete the profile's file; ``default`` cannot be removed (InvalidInput, exit 2)."""
        if check_profile(name) == DEFAULT_PROFILE:
            raise InvalidInput.single(
                "profile", "the default profile cannot be removed (edit it instead)"
            )
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            self.load(name)  # raises the "no such profile" message
        except OSError as exc:
            raise InvalidInput.single(
                "profile", f"cannot delete {path}: {exc.strerror or exc}"
            ) from None
        return path


def migrate_form(store: ProfileStore, provider: str | None, base_url: str | None) -> str | None:
    """Carry a 0.1 window's provider and base URL into ``default``; a message, or None.

    Only on the first run with profiles (no ``default`` file yet) and only when the old
    form differed from the defaults; the window's settings.ini itself is left as it was.
    """
    base_url = _text(base_url)
    if base_url and base_url.rstrip("/") == DEFAULT_BASE_URL:
        base_url = None
    if store.path(DEFAULT_PROFILE).exists() or (provider != "azure" and not base_url):
        return None
    kind = ProfileKind.AZURE if provider == "azure" else ProfileKind.CUSTOM
    profile = Profile(DEFAULT_PROFILE, kind, base_url=base_url)
    try:
        path = store.save(profile)
    except InvalidInput as exc:
        return f"The saved form's connection was not made a profile: {exc.user_message}"
    return f"Moved the saved provider and base URL into the default profile ({path})."


def _valid(name: str) -> bool:
    try:
        check_profile(name)
    except InvalidInput:
        return False
    return True
