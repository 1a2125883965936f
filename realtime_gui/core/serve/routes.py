"""The routes and the order of checks: Host, Origin, preflight, route, token, body, rate, mint.

The playground page (``/`` and its two files) passes the same Host and Origin checks and
needs no token: it holds no secret, and fetches one from ``/token`` like any caller.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from .events import ServeEvent
from .minting import Answer, Minter, error_answer
from .page import PAGE_PATHS, PageAnswer, page_answer
from .policy import RateLimiter, ServePolicy, host_allowed, token_matches

__all__ = ["MINT_PATHS", "TokenApp"]

# Which paths mint, and whether their answer carries the other shape's names for the secret.
MINT_PATHS = {"/token": True, "/session": True, "/v1/realtime/client_secrets": False}
_GET_MINTS = {"/token", "/session"}
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type"


class _BodyRefused(Exception):
    def __init__(self, answer: Answer) -> None:
        self.answer = answer


class TokenApp:
    """An ASGI app: every request passes the checks in order; each answer is one event."""

    def __init__(
        self,
        *,
        policy: ServePolicy,
        minter: Minter,
        bound_host: str,
        port: Callable[[], int],
        executor: Executor,
        emit: Callable[[ServeEvent], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.policy = policy
        self.minter = minter
        self._bound_host = bound_host
        self._port = port
        self._executor = executor
        self._emit = emit
        self._clock = clock
        self._limiter = RateLimiter(policy.rate)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan is off and websockets are not served
        request = Request(scope, receive)
        origin = request.headers.get("origin")
        answer: Answer | PageAnswer
        try:
            answer, cors = await self._handle(request, origin)
        except Exception:  # a malformed request must never take the server down
            answer, cors = error_answer(500, "Internal error.", type="server_error"), False
        response: Response
        if isinstance(answer, PageAnswer):
            response = Response(
                answer.content, answer.status, dict(answer.headers), answer.media_type
            )
        elif answer.status == 204:
            response = Response(status_code=204, headers=dict(answer.headers))
        else:
            response = JSONResponse(answer.body, answer.status, headers=dict(answer.headers))
        response.headers["Cache-Control"] = "no-store"
        if cors and origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        # Logged before it is sent: whoever reads the log after reading the answer (a test,
        # a script) finds its line there, instead of racing the server thread for it.
        self._emit(
            ServeEvent(
                time=self._clock(),
                method=request.method,
                path=str(scope.get("path", "")),
                origin=origin,
                status=answer.status,
                session_id=answer.session_id if isinstance(answer, Answer) else None,
                error_code=answer.error_code if isinstance(answer, Answer) else None,
            )
        )
        await response(scope, receive, send)

    async def _handle(
        self, request: Request, origin: str | None
    ) -> tuple[Answer | PageAnswer, bool]:
        """The answer, and whether it carries CORS headers (only for an allowed origin)."""
        policy = self.policy
        # Before anything else: a Host that is not this server is DNS rebinding or a mistake.
        if not host_allowed(
            request.headers.get("host"), bound_host=self._bound_host, port=self._port()
        ):
            return error_answer(
                403, "This Host is not allowed.", type="forbidden", code="host_not_allowed"
            ), False
        if origin is not None and not policy.origin_allowed(origin):
            return error_answer(
                403,
                "This Origin is not allowed; start serve with --origin to allow it.",
                type="forbidden",
                code="origin_not_allowed",
            ), False
        cors = origin is not None
        path, method = str(request.scope.get("path", "")), request.method
        if method == "OPTIONS":
            headers = {
                "Access-Control-Allow-Methods": ALLOW_METHODS,
                "Access-Control-Allow-Headers": ALLOW_HEADERS,
                "Access-Control-Max-Age": "600",
            }
            return Answer(204, {}, headers), cors
        if path in PAGE_PATHS:
            if method != "GET":
                return _not_allowed("GET"), cors
            return page_answer(path, *self.minter.served()), False
        if path == "/health":
            if method != "GET":
                return _not_allowed("GET"), cors
            return Answer(200, {"status": "ok"}), cors
        if path not in MINT_PATHS:
            return error_answer(404, f"No route {path}.", code="not_found"), cors
        if method not in ("GET", "POST") or (method == "GET" and path not in _GET_MINTS):
            return _not_allowed("GET, POST" if path in _GET_MINTS else "POST"), cors
        if policy.token is not None and not token_matches(
            request.headers.get("authorization"), policy.token
        ):
            return error_answer(
                401,
                "Missing or wrong token: send Authorization: Bearer <token> (serve printed it).",
                code="invalid_token",
            ), cors
        caller_body: Any | None = None
        if method == "POST":
            try:
                caller_body = await self._read_json(request)
            except _BodyRefused as refused:
                return refused.answer, cors
        wait = self._limiter.admit()
        if wait is not None:
            return error_answer(
                429,
                f"More than {policy.rate} secrets a minute were asked for; retry in {wait} s.",
                type="requests",
                code="rate_limit_exceeded",
                headers={"Retry-After": str(wait)},
            ), cors
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(
            self._executor,
            lambda: self.minter.mint(
                caller_body,
                allowed=policy.allow_override,
                max_ttl=policy.max_ttl,
                aliases=MINT_PATHS[path] or self.minter.api.value == "beta",
                origin=origin,
            ),
        )
        return answer, cors

    async def _read_json(self, request: Request) -> Any | None:
        """The JSON body, None when empty; refused past the size limit, slow or not JSON."""
        limit = self.policy.max_body
        too_large = error_answer(
            413, f"The body is larger than {limit // 1024} KiB.", code="request_too_large"
        )
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            raise _BodyRefused(too_large)
        chunks: list[bytes] = []
        size = 0

        async def collect() -> None:
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _BodyRefused(too_large)
                chunks.append(chunk)

        try:
            await asyncio.wait_for(collect(), self.policy.body_timeout)
        except asyncio.TimeoutError:
            raise _BodyRefused(
                error_answer(408, "The body arrived too slowly.", code="request_timeout")
            ) from None
        except ClientDisconnect:
            raise _BodyRefused(
                error_answer(400, "The body ended early.", code="invalid_body")
            ) from None
        raw = b"".join(chunks)
        if not raw.strip():
            return None
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json" and not media.endswith("+json"):
            raise _BodyRefused(
                error_answer(
                    415,
                    "The body must be JSON (Content-Type: application/json).",
                    code="unsupported_media_type",
                )
            )
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            raise _BodyRefused(
                error_answer(400, "The body is not valid JSON.", code="invalid_json")
            ) from None


def _not_allowed(methods: str) -> Answer:
    return error_answer(
        405, f"Method not allowed here (allowed: {methods}).", code="method_not_allowed",
        headers={"Allow": methods},
    )  # fmt: skip
