"""The playground page at ``/``: its files, its strict Content-Security-Policy, its HTML."""

from __future__ import annotations

import html
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..endpoint import Connection
from ..errors import InvalidInput
from ..realtime_urls import RealtimeUrls, realtime_urls
from ..session import ApiShape, SessionConfig

__all__ = [
    "PAGE_PATHS",
    "PageAnswer",
    "content_security_policy",
    "page_answer",
    "render_index",
]

# Route → (file in the playground folder, media type). Nothing else is served from it.
PAGE_PATHS: Mapping[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/playground.js": ("playground.js", "text/javascript; charset=utf-8"),
    "/playground.css": ("playground.css", "text/css; charset=utf-8"),
}


@dataclass(frozen=True)
class PageAnswer:
    """A static answer: status, bytes, media type and headers (no secret, ever)."""

    status: int
    content: bytes = field(repr=False)
    media_type: str
    headers: Mapping[str, str]


@cache
def _file(name: str) -> str:
    # Package data: in the wheel (pyproject package-data) and the PyInstaller bundle (spec datas).
    return (resources.files(__package__ or "") / "playground" / name).read_text(encoding="utf-8")


def content_security_policy(urls: RealtimeUrls | None) -> str:
    """Nothing but this origin's own script and style; fetches to it and to the API only.

    No 'unsafe-inline', no 'unsafe-eval', no wildcard, no scheme-only source; the API's
    origin and its ws(s) form are the only foreign places the page may connect to. Trusted
    Types with no policy turns any HTML-string sink (innerHTML and the like) into an error.
    """
    connect = ["'self'"]
    if urls is not None:
        connect += [urls.api_origin, urls.websocket_origin]
    directives = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src " + " ".join(dict.fromkeys(connect)),
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    ]
    return "; ".join(directives)


def _urls(config: SessionConfig, connection: Connection) -> RealtimeUrls | None:
    try:
        # No model asked for: the page puts the granted one in (the secret is bound to it).
        return realtime_urls(connection, config.api, config.model or "")
    except InvalidInput:  # a base URL the server would not mint with either: no API to reach
        return None


def render_index(
    config: SessionConfig, connection: Connection, urls: RealtimeUrls | None = None
) -> str:
    """The page with the served session's model and URLs, every value HTML-escaped."""
    urls = urls or _urls(config, connection)
    values = {
        "api": config.api.value,
        "api_label": "GA" if config.api is ApiShape.GA else "Beta",
        "provider": connection.provider.value,
        "model": config.model or "",
        "model_label": config.model or "(the server's default)",
        "websocket_url": urls.websocket if urls else "",
        "calls_url": (urls.calls or "") if urls else "",
        "api_origin": urls.api_origin if urls else "(no valid base URL)",
    }
    escaped = {key: html.escape(value, quote=True) for key, value in values.items()}
    return string.Template(_file("index.html")).substitute(escaped)


def _headers(urls: RealtimeUrls | None) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(urls),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "microphone=(self), camera=(), geolocation=()",
    }


def page_answer(path: str, config: SessionConfig, connection: Connection) -> PageAnswer:
    """The answer for one of ``PAGE_PATHS``; the page is rendered for the session served now."""
    name, media_type = PAGE_PATHS[path]
    urls = _urls(config, connection)
    text = render_index(config, connection, urls) if name == "index.html" else _file(name)
    return PageAnswer(200, text.encode("utf-8"), media_type, _headers(urls))
