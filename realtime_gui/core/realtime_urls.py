"""Where a prototype takes a minted secret: the Realtime WebSocket and WebRTC call URLs."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from .endpoint import AZURE_PREVIEW_API_VERSION, Connection, Provider, endpoint_url
from .session import ApiShape

__all__ = ["RealtimeUrls", "realtime_urls"]


@dataclass(frozen=True)
class RealtimeUrls:
    """The URLs one secret is used at; ``calls`` is None where no WebRTC URL is known."""

    websocket: str  # ws(s)://…/realtime?model=M
    calls: str | None  # https://…/realtime/calls (GA), or the Beta …/realtime?model=M
    api_origin: str  # scheme://host[:port] of the API, for a page's connect-src
    websocket_origin: str  # ws(s)://host[:port]


def realtime_urls(connection: Connection, api: ApiShape, model: str) -> RealtimeUrls:
    """The URLs for ``model`` (on Azure: the deployment) at ``connection``'s base URL.

    GA: the WebSocket is ``{base}/realtime?model=M`` with ``http`` turned into ``ws`` and
    ``https`` into ``wss``; WebRTC POSTs the offer to ``{base}/realtime/calls`` without a
    model, because the model is bound to the secret. Beta WebRTC was ``{base}/realtime?model=M``.
    Azure's preview (Beta) deployments take ``/openai/realtime?api-version=…&deployment=M``
    and their WebRTC runs on a regional host that cannot be derived from the resource URL.
    """
    endpoint_url(connection, api)  # the same base URL checks as a mint
    base = connection.base_url.strip().rstrip("/")
    parts = urlsplit(base)
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    model_query = "model=" + quote(model, safe="")
    if connection.provider is Provider.AZURE and api is ApiShape.BETA:
        root = parts.path.removesuffix("/v1")
        query = f"api-version={AZURE_PREVIEW_API_VERSION}&deployment={quote(model, safe='')}"
        websocket = urlunsplit((ws_scheme, parts.netloc, root + "/realtime", query, ""))
        calls = None
    else:
        websocket = urlunsplit((ws_scheme, parts.netloc, parts.path + "/realtime", model_query, ""))
        calls = base + ("/realtime/calls" if api is ApiShape.GA else "/realtime?" + model_query)
    return RealtimeUrls(
        websocket=websocket,
        calls=calls,
        api_origin=f"{parts.scheme}://{parts.netloc}",
        websocket_origin=f"{ws_scheme}://{parts.netloc}",
    )
