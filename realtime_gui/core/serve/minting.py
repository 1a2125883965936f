"""Minting for the token endpoint: the served session, the core client, answers as JSON."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..body_reader import config_from_body
from ..client import MintClient
from ..credentials import DEFAULT_PROFILE
from ..endpoint import Connection
from ..errors import (
    ApiError,
    InvalidInput,
    MintCancelled,
    NetworkError,
    RateLimited,
    RealtimeGuiError,
    RequestTimeout,
    UnusableResponse,
)
from ..history import HistoryFile, MintRecord, failure_record, record_mint, success_record
from ..request import PreparedRequest, prepare
from ..responses import MintedSecret
from ..session import ApiShape, SessionConfig
from .overrides import OverrideRefused, apply_overrides

__all__ = ["Answer", "Minter", "error_answer"]


@dataclass(frozen=True)
class Answer:
    """A status, a JSON body and extra headers; ``session_id``/``error_code`` for the log."""

    status: int
    body: Mapping[str, Any] = field(repr=False)  # may hold a secret
    headers: Mapping[str, str] = field(default_factory=dict)
    session_id: str | None = None
    error_code: str | None = None


def error_answer(
    status: int,
    message: str,
    *,
    type: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """An answer in OpenAI's error format: ``{"error": {message, type, param, code}}``."""
    body = {"error": {"message": message, "type": type, "param": param, "code": code}}
    return Answer(status, body, dict(headers or {}), error_code=code or type)


@dataclass(frozen=True)
class _Served:
    """The session being served, prepared once; replaced whole by set_session."""

    config: SessionConfig
    connection: Connection
    prepared: PreparedRequest


class Minter:
    """Mints one secret per call over one MintClient, shared by the worker threads.

    httpx.Client is safe to use from several threads at once, and MintClient keeps no
    per-request state, so one client (one connection pool, connections reused) serves
    every worker.
    """

    def __init__(
        self,
        config: SessionConfig,
        connection: Connection,
        api_key: str,
        *,
        client: MintClient | None = None,
        profile: str = DEFAULT_PROFILE,
        history: HistoryFile | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._profile = profile
        self._history = history  # None: the user's history file
        self._served = self._prepare(config, connection)
        self._api_key = api_key
        self._client = client or MintClient()

    def __repr__(self) -> str:
        return f"Minter(api={self._served.config.api.value})"

    @staticmethod
    def _prepare(config: SessionConfig, connection: Connection) -> _Served:
        return _Served(config, connection, prepare(config, connection))

    @property
    def api(self) -> ApiShape:
        return self._served.config.api

    def served(self) -> tuple[SessionConfig, Connection]:
        """The session and connection minted now (the playground page shows them)."""
        with self._lock:
            served = self._served
        return served.config, served.connection

    def set_session(self, config: SessionConfig, connection: Connection) -> None:
        """Serve ``config`` from the next request on; raises InvalidInput and keeps the old."""
        served = self._prepare(config, connection)
        with self._lock:
            self._served = served

    def set_api_key(self, api_key: str) -> None:
        with self._lock:
            self._api_key = api_key

    def cancel(self) -> None:
        """End every in-flight mint at once (the server is stopping)."""
        self._client.cancel()

    def close(self) -> None:
        self._client.close()

    def mint(
        self,
        caller_body: Any | None,
        *,
        allowed: Collection[str],
        max_ttl: int,
        aliases: bool,
        origin: str | None = None,
    ) -> Answer:
        """Mint with the served session, the caller's allowed overrides laid over it.

        ``aliases`` adds the other shape's names for the secret (``client_secret`` to a GA
        answer, top-level ``value``/``expires_at`` to a Beta one). Every request that went
        upstream is recorded in the history with ``origin``. Never raises.
        """
        with self._lock:
            served, api_key = self._served, self._api_key
        prepared = served.prepared
        sent = False
        try:
            if caller_body is not None:
                body = apply_overrides(
                    served.config.api,
                    served.prepared.body,
                    caller_body,
                    allowed=allowed,
                    max_ttl=max_ttl,
                )
                config = config_from_body(served.config.api, body)
                prepared = prepare(config, served.connection)
            sent = True
            minted = self._client.send(prepared, api_key)
        except OverrideRefused as refused:
            return error_answer(
                400, refused.message, code="override_not_allowed", param=refused.param
            )
        except Exception as exc:
            if sent and not isinstance(exc, MintCancelled):
                self._record(failure_record(exc, prepared, **self._where(origin)))
            if isinstance(exc, RealtimeGuiError):
                return _failure(exc)
            # The server must answer, never crash.
            return error_answer(500, f"Internal error ({type(exc).__name__}).", type="server_error")
        self._record(success_record(minted, request=prepared, **self._where(origin)))
        return _success(minted, aliases=aliases)

    def _where(self, origin: str | None) -> dict[str, Any]:
        return {"profile": self._profile, "source": "serve", "origin": origin}

    def _record(self, record: MintRecord) -> None:
        record_mint(self._history, record)


def _success(minted: MintedSecret, *, aliases: bool) -> Answer:
    body = dict(minted.upstream)
    if aliases and minted.api is ApiShape.GA:
        body.setdefault("client_secret", {"value": minted.value, "expires_at": minted.expires_at})
    elif aliases:
        body.setdefault("value", minted.value)
        body.setdefault("expires_at", minted.expires_at)
    return Answer(200, body, session_id=minted.session_id)


def _upstream_error_object(exc: ApiError) -> dict[str, Any]:
    """The upstream ``error`` object exactly as sent, or rebuilt from what was parsed."""
    try:
        data = json.loads(exc.raw_body or "")
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        return dict(data["error"])
    upstream = exc.upstream
    return {
        "message": (upstream.message if upstream else None) or exc.user_message,
        "type": upstream.type if upstream else None,
        "param": upstream.param if upstream else None,
        "code": upstream.code if upstream else None,
    }


def _failure(exc: RealtimeGuiError) -> Answer:
    if isinstance(exc, InvalidInput):
        first = exc.problems[0]
        return error_answer(
            400, exc.user_message, code="invalid_value", param=first.path or first.field
        )
    if isinstance(exc, RequestTimeout):
        return error_answer(504, exc.user_message, type="upstream_timeout", code="upstream_timeout")
    if isinstance(exc, NetworkError):
        return error_answer(
            502, exc.user_message, type="upstream_unreachable", code="upstream_unreachable"
        )
    if isinstance(exc, UnusableResponse) or not isinstance(exc, ApiError):
        if isinstance(exc, MintCancelled):
            return error_answer(503, "The token server is stopping.", type="server_stopping")
        if isinstance(exc, ApiError):
            return error_answer(
                502, exc.user_message, type="upstream_invalid_response", code="bad_upstream"
            )
        return error_answer(500, exc.user_message, type="server_error")
    status = exc.status if exc.status is not None and 400 <= exc.status <= 599 else 502
    error = _upstream_error_object(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited) and exc.retry_after is not None:
        headers["Retry-After"] = str(math.ceil(exc.retry_after))
    code = error.get("code")
    return Answer(
        status,
        {"error": error},
        headers,
        error_code=code if isinstance(code, str) and code else f"upstream_{status}",
    )
