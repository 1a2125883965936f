"""Secrets and connections every snippet test renders for: each provider and shape, and serve."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from realtime_gui.core.endpoint import Connection, Provider
from realtime_gui.core.request import prepare
from realtime_gui.core.responses import MintedSecret
from realtime_gui.core.session import ApiShape, SessionConfig
from realtime_gui.core.snippets import KINDS, SERVE_KINDS, check_available, render, render_for_serve

# Made-up, but shaped like the real thing, so a leak check that looks for "ek_" means something.
SECRET = "ek_snippet_case_0123456789abcdef"
SERVE_URL = "http://127.0.0.1:8787"


@dataclass(frozen=True)
class Case:
    """One provider/shape: where it mints, and the URLs a snippet must use there."""

    name: str
    connection: Connection
    api: ApiShape
    model: str
    websocket: str  # the URL with the model
    calls: str | None  # the WebRTC URL, None where none is known

    def secret(self, value: str = SECRET, **session: Any) -> MintedSecret:
        config = SessionConfig(api=self.api, model=self.model)
        granted = {"id": "sess_case", "model": self.model, **session}
        return MintedSecret(
            value=value,
            expires_at=int(time.time()) + 600,
            session_id="sess_case",
            model=self.model,
            session=granted,
            api=self.api,
            request=prepare(config, self.connection),
        )


CASES = (
    Case(
        "openai-ga",
        Connection(),
        ApiShape.GA,
        "gpt-realtime",
        "wss://api.openai.com/v1/realtime?model=gpt-realtime",
        "https://api.openai.com/v1/realtime/calls",
    ),
    Case(
        "azure-ga",
        Connection("https://res.openai.azure.com/openai/v1", Provider.AZURE),
        ApiShape.GA,
        "my-deployment",
        "wss://res.openai.azure.com/openai/v1/realtime?model=my-deployment",
        "https://res.openai.azure.com/openai/v1/realtime/calls",
    ),
    Case(
        "custom-base",
        Connection("http://127.0.0.1:9999/gateway/v1/"),
        ApiShape.GA,
        "gpt-realtime-mini",
        "ws://127.0.0.1:9999/gateway/v1/realtime?model=gpt-realtime-mini",
        "http://127.0.0.1:9999/gateway/v1/realtime/calls",
    ),
    Case(
        "openai-beta",
        Connection(),
        ApiShape.BETA,
        "gpt-4o-realtime-preview",
        "wss://api.openai.com/v1/realtime?model=gpt-4o-realtime-preview",
        "https://api.openai.com/v1/realtime?model=gpt-4o-realtime-preview",
    ),
    Case(
        "azure-preview",
        Connection("https://res.openai.azure.com/openai", Provider.AZURE),
        ApiShape.BETA,
        "my-preview",
        "wss://res.openai.azure.com/openai/realtime?api-version=2025-04-01-preview"
        "&deployment=my-preview",
        None,
    ),
)
CASE_IDS = [case.name for case in CASES]


def available(case: Case, kind: str) -> bool:
    try:
        check_available(kind, case.connection, case.api)
    except Exception:
        return False
    return True


def every_snippet(file_type: str) -> list[tuple[str, str]]:
    """(id, text) of every snippet of ``file_type``: each kind, case, and serve variant."""
    out: list[tuple[str, str]] = []
    for case in CASES:
        for kind in KINDS:
            if kind.file_type != file_type or not available(case, kind.name):
                continue
            out.append(
                (f"{kind.name}-{case.name}", render(kind.name, case.secret(), case.connection))
            )
            if kind in SERVE_KINDS:
                for token in (False, True):
                    text = render_for_serve(
                        kind.name,
                        SERVE_URL,
                        case.connection,
                        case.api,
                        model=case.model,
                        token_required=token,
                    )
                    out.append((f"{kind.name}-{case.name}-serve{'-token' * token}", text))
    return out
