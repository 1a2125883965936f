"""``realtime-gui profile ...`` and ``--profile NAME``: which account a command mints with."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from .core.credentials import ENV_VAR, KeyStatus, KeyStore

if TYPE_CHECKING:
    from .core.endpoint import Connection
    from .core.profiles import Profile, ProfileStore

__all__ = [
    "add_profile_argument",
    "add_profile_command",
    "command_connection",
    "command_profile",
    "run_profile",
]

# core.profiles (and the endpoint code under it) loads only when a command runs, not for --help.
_KINDS = ("openai", "azure", "custom")
_PROFILE_HELP = (
    "use this profile's base URL, ids and key (default $REALTIME_GUI_PROFILE, else 'default'; "
    "see `realtime-gui profile list`)"
)


class _Io(Protocol):
    @property
    def stdout(self) -> TextIO: ...
    @property
    def stderr(self) -> TextIO: ...


def add_profile_argument(parser: argparse.ArgumentParser | Any) -> None:
    """``--profile NAME`` (None when not given, so $REALTIME_GUI_PROFILE can apply)."""
    parser.add_argument("--profile", metavar="NAME", default=None, help=_PROFILE_HELP)


def command_profile(
    args: argparse.Namespace, env: Mapping[str, str], stderr: TextIO | None = None
) -> Profile:
    """The profile the command runs with (loaded once per command); exit 2 if unknown."""
    from .core.profiles import ProfileStore, chosen_profile

    cached: Profile | None = getattr(args, "_profile_loaded", None)
    if cached is not None:
        return cached
    name = chosen_profile(getattr(args, "profile", None), env)
    store = ProfileStore.from_env(env)
    try:
        profile = store.load(name)
    finally:
        if stderr is not None:
            for problem in store.problems:
                stderr.write(f"warning: {problem}\n")
    args.profile = name
    args._profile_loaded = profile
    return profile


def command_connection(args: argparse.Namespace, env: Mapping[str, str]) -> Connection:
    """Flags > OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID > the profile > defaults."""
    from .core.endpoint import Provider

    provider = getattr(args, "provider", None)
    return command_profile(args, env).connection(
        env,
        base_url=args.base_url,
        provider=Provider(provider) if provider else None,
        timeout=getattr(args, "timeout", None),
    )


def _add_fields(parser: argparse.ArgumentParser, *, provider_required: bool) -> None:
    parser.add_argument(
        "--provider",
        choices=_KINDS,
        required=provider_required,
        help="openai (Bearer); azure (api-key header); custom: an OpenAI-style gateway "
        "(Bearer) at --base-url",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (custom: required; azure: default "
        "https://RESOURCE.openai.azure.com/openai/v1)",
    )
    parser.add_argument("--org", metavar="ID", help="OpenAI organization id (OpenAI-Organization)")
    parser.add_argument("--project", metavar="ID", help="OpenAI project id (OpenAI-Project)")
    parser.add_argument("--resource", metavar="NAME", help="Azure OpenAI resource name")
    parser.add_argument("--deployment", metavar="NAME", help="Azure deployment name (a note)")


def add_profile_command(commands: Any) -> None:
    """Register ``profile list|show|add|edit|remove``."""
    profile = commands.add_parser(
        "profile",
        help="list, add, edit and remove connection profiles (one key each)",
        description="A profile is a provider (openai, azure or custom), a base URL and "
        "optional ids, stored as JSON in the config folder's profiles/; its API key lives "
        "in the OS keyring under the profile's name, never in the file. 'default' always "
        "exists. Every command takes --profile NAME (or $REALTIME_GUI_PROFILE).",
    )
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every profile with its base URL and key status")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    show = actions.add_parser("show", help="one profile's settings and key status")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    add = actions.add_parser(
        "add",
        help="add a profile (refuses an existing name unless --replace)",
        description="Add a profile. Store its key with `realtime-gui key set --profile NAME`.",
    )
    add.add_argument("name", metavar="NAME")
    _add_fields(add, provider_required=True)
    add.add_argument("--replace", action="store_true", help="overwrite an existing profile")
    edit = actions.add_parser(
        "edit",
        help="change some fields of a profile ('default' included); '' clears a field",
    )
    edit.add_argument("name", metavar="NAME")
    _add_fields(edit, provider_required=False)
    remove = actions.add_parser(
        "remove", help="remove a profile ('default' cannot be removed); the key stays unless asked"
    )
    remove.add_argument("name", metavar="NAME")
    remove.add_argument(
        "--delete-key", action="store_true", help="also delete its key from the keyring"
    )


def _key_state(status: KeyStatus) -> str:
    if status.environment_override:
        return "environment"
    if status.session_key:
        return "session"
    return {True: "stored", False: "none", None: "unknown"}[status.stored]


def _key_text(status: KeyStatus) -> str:
    if status.environment_override:
        return f"key from {ENV_VAR}"
    if status.stored:
        return "key stored"
    if status.problem is not None:
        return f"key unknown ({status.problem.user_message})"
    return "no key"


def _row(profile: Profile, store: KeyStore) -> tuple[dict[str, Any], KeyStatus]:
    status = store.status(profile.name)
    data = profile.describe()
    data["key"] = _key_state(status)
    return data, status


def _fields(args: argparse.Namespace, base: Profile) -> Profile:
    """``base`` with the fields the flags give ('' clears one)."""
    from .core.profiles import Profile, ProfileKind

    def pick(flag: str, current: str | None) -> str | None:
        value: str | None = getattr(args, flag)
        return current if value is None else (value or None)

    return Profile(
        base.name,
        ProfileKind(args.provider) if args.provider else base.kind,
        base_url=pick("base_url", base.base_url),
        organization=pick("org", base.organization),
        project=pick("project", base.project),
        azure_resource=pick("resource", base.azure_resource),
        azure_deployment=pick("deployment", base.azure_deployment),
        extra=base.extra,
    )


def run_profile(
    args: argparse.Namespace, env: Mapping[str, str], key_store: KeyStore, io: _Io
) -> int:
    from .core.profiles import ProfileStore

    store = ProfileStore.from_env(env)
    action = args.profile_command
    try:
        return _run(action, args, store, key_store, io)
    finally:
        for problem in store.problems:
            io.stderr.write(f"warning: {problem}\n")


def _run(
    action: str, args: argparse.Namespace, store: ProfileStore, key_store: KeyStore, io: _Io
) -> int:
    if action == "list":
        rows = [_row(profile, key_store) for profile in store.list().profiles]
        if args.json:
            io.stdout.write(json.dumps([data for data, _ in rows], indent=2) + "\n")
        else:
            for data, status in rows:
                cells = [data["name"], data["provider"], data["base_url"], _key_text(status)]
                io.stdout.write("\t".join(cells) + "\n")
        return 0
    if action == "show":
        data, status = _row(store.load(args.name), key_store)
        if args.json:
            io.stdout.write(json.dumps(data, indent=2) + "\n")
        else:
            lines = [f"{k}: {'-' if v is None else v}" for k, v in data.items() if k != "key"]
            lines.append(f"key status: {_key_text(status)}")
            io.stdout.write("\n".join(lines) + "\n")
        return 0
    if action in ("add", "edit"):
        from .core.profiles import Profile

        base = Profile(args.name) if action == "add" else store.load(args.name)
        profile = _fields(args, base)
        path = store.save(profile, replace_existing=action == "edit" or args.replace)
        verb = "Saved" if action == "edit" else "Added"
        io.stderr.write(f"{verb} profile '{profile.name}': {path}\n")
        if action == "add":
            io.stderr.write(f"Store its key with: realtime-gui key set --profile {profile.name}\n")
        return 0
    # remove: the key first, so a keyring failure leaves the profile as it was.
    if args.name != "default" and not store.exists(args.name):
        store.load(args.name)  # raises the "no such profile" message
    if args.delete_key and args.name != "default":
        backend = key_store.backend_name()
        removed = key_store.delete(args.name)
        io.stderr.write(
            f"Deleted the key of '{args.name}' from {backend}.\n"
            if removed
            else f"No key was stored for '{args.name}'.\n"
        )
    path = store.remove(args.name)
    io.stderr.write(f"Removed profile '{args.name}' ({path}).\n")
    if not args.delete_key:
        io.stderr.write(
            f"Its key (if any) stays in the keyring; delete it with: "
            f"realtime-gui key delete --profile {args.name}\n"
        )
    return 0
