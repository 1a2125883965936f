"""The HTTP side of minting: where to send, which headers, and every transport failure mapped."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

import httpcore

from .credentials import check_key
from .endpoint import (
    AZURE_PREVIEW_API_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    Connection,
    MintRequest,
    Provider,
    endpoint_url,
)
from .errors import (
    ConnectionFailed,
    InvalidInput,
    MintCancelled,
    NetworkError,
    RequestTimeout,
    TlsError,
    UnusableResponse,
)
from .httpx_import import httpx
from .request import PreparedRequest, prepare
from .responses import MintedSecret, error_from_response, parse_minted

__all__ = [
    "AZURE_PREVIEW_API_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_RESPONSE_BYTES",
    "Connection",
    "MintClient",
    "MintRequest",
    "PreparedRequest",
    "Provider",
    "endpoint_url",
]

CONNECT_TIMEOUT = 10.0
# A client-secret answer is a few KB; anything past this is not one.
MAX_RESPONSE_BYTES = 2 * 1024 * 1024


class _AbortableStream(httpcore.NetworkStream):
    """A network stream that can be shut down from another thread to end a blocked read."""

    def __init__(self, inner: httpcore.NetworkStream, backend: _AbortableBackend) -> None:
        self._inner = inner
        self._backend = backend
        backend.register(self)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._backend.unregister(self)
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        self._backend.unregister(self)
        return _AbortableStream(
            self._inner.start_tls(ssl_context, server_hostname, timeout), self._backend
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)

    def abort(self) -> None:
        # close() alone does not wake a thread blocked in recv() on Linux; shutdown() does.
        sock = self._inner.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _AbortableBackend(httpcore.SyncBackend):
    """httpcore's sync backend, remembering open streams so abort_all() can end them."""

    def __init__(self) -> None:
        self._streams: set[_AbortableStream] = set()
        self._lock = threading.Lock()
        self._aborted = False

    def register(self, stream: _AbortableStream) -> None:
        with self._lock:
            self._streams.add(stream)
            aborted = self._aborted
        if aborted:
            stream.abort()

    def unregister(self, stream: _AbortableStream) -> None:
        with self._lock:
            self._streams.discard(stream)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect on a helper thread, so that cancel() and the timeout also end a DNS lookup.

        getaddrinfo() cannot be interrupted and has no timeout of its own; a caller that
        waits for it directly (the worker thread) could be stuck for as long as the
        resolver likes, and the window could not join that thread when it closes.
        """
        if self._aborted:
            raise httpcore.ConnectError("cancelled")
        connect = super().connect_tcp
        attempt = _ConnectAttempt(
            lambda: connect(host, port, timeout, local_address, socket_options)
        )
        inner = attempt.wait(timeout, lambda: self._aborted)
        return _AbortableStream(inner, self)

    def abort_all(self) -> None:
        with self._lock:
            self._aborted = True
            streams = list(self._streams)
        for stream in streams:
            stream.abort()


class _Closeable(Protocol):
    def close(self) -> None: ...


_C = TypeVar("_C", bound=_Closeable)


class _ConnectAttempt(Generic[_C]):
    """One connect running on a daemon thread; the caller may stop waiting for it at any time.

    A stream (or, for the connection test, a socket) that arrives after the caller gave up
    is closed by the helper thread itself.
    """

    _POLL = 0.02  # how soon a cancel is noticed while waiting

    def __init__(self, connect: Callable[[], _C]) -> None:
        self._connect = connect
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._abandoned = False
        self._stream: _C | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name="realtime-gui-connect", daemon=True).start()

    def _run(self) -> None:
        try:
            stream = self._connect()
        except BaseException as exc:  # handed to the waiting thread, which raises it
            with self._lock:
                self._error = exc
                self._done.set()
            return
        with self._lock:
            if not self._abandoned:
                self._stream = stream
                self._done.set()
                return
        stream.close()

    def wait(self, timeout: float | None, cancelled: Callable[[], bool]) -> _C:
        """The connected stream; ConnectError when cancelled, ConnectTimeout past ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._done.wait(self._POLL):
            gave_up: type[httpcore.ConnectError] | type[httpcore.ConnectTimeout] | None = None
            if cancelled():
                gave_up = httpcore.ConnectError
            elif deadline is not None and time.monotonic() > deadline:
                gave_up = httpcore.ConnectTimeout
            if gave_up is None:
                continue
            with self._lock:
                if self._done.is_set():
                    break
                self._abandoned = True
            raise gave_up("cancelled" if gave_up is httpcore.ConnectError else "timed out")
        if self._error is not None:
            raise self._error
        assert self._stream is not None  # noqa: S101 - set together with _done
        return self._stream


def _install_backend(client: httpx.Client, backend: _AbortableBackend) -> bool:
    """Route every transport of ``client`` through ``backend``; False if httpx changed shape."""
    transports = [client._transport, *client._mounts.values()]
    pools: list[Any] = [getattr(t, "_pool", None) for t in transports if t is not None]
    if not pools or not all(hasattr(p, "_network_backend") for p in pools):
        return False
    for pool in pools:
        pool._network_backend = backend
    return True


def _tls_failure(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class MintClient:
    """Mints client secrets over one reused ``httpx.Client`` (keep-alive across mints)."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # verify stays on; SSL_CERT_FILE/SSL_CERT_DIR still apply through trust_env.
        self._client = httpx.Client(transport=transport, follow_redirects=False)
        self._clock = clock
        self._backend = _AbortableBackend()
        self.cancellable = transport is None and _install_backend(self._client, self._backend)
        self._cancelled = False

    def __enter__(self) -> MintClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self._client.close()

    def cancel(self) -> None:
        """From any thread: end an in-flight mint at once; it raises MintCancelled.

        The client is unusable afterwards. A mint still resolving DNS or connecting ends
        when that step does (at most the connect timeout).
        """
        self._cancelled = True
        self._backend.abort_all()

    def mint(self, request: MintRequest, api_key: str) -> MintedSecret:
        """Prepare the request and send it: ``send(prepare(config, connection), api_key)``."""
        return self.send(prepare(request.config, request.connection), api_key)

    def send(self, prepared: PreparedRequest, api_key: str) -> MintedSecret:
        """Send exactly ``prepared`` with the key filled in; return the secret carrying it.

        Nothing is validated or rendered again. Raises a RealtimeGuiError subclass.
        """
        if check_key(api_key) != api_key:
            raise InvalidInput.single("api_key", "has white space around it")
        if self._cancelled:
            raise MintCancelled("The mint was cancelled.")
        try:
            status, payload, retry_after = self._post(prepared, api_key)
        except NetworkError:
            if self._cancelled:
                raise MintCancelled("The mint was cancelled.") from None
            raise
        # The server may echo parts of the request; make sure the key is never among them.
        payload = payload.replace(api_key.encode(), b"[redacted]")
        if 200 <= status < 300:
            secret = parse_minted(prepared.api, payload, now=self._clock())
            return dataclasses.replace(secret, request=prepared)
        raise error_from_response(
            prepared.api, status, payload, retry_after=retry_after, now=self._clock()
        )

    def _post(self, prepared: PreparedRequest, api_key: str) -> tuple[int, bytes, str | None]:
        total = prepared.timeout
        timeout = httpx.Timeout(total, connect=min(CONNECT_TIMEOUT, total))
        deadline = time.monotonic() + total
        host = prepared.host
        try:
            # Built by hand, not by the client: the client would add its default headers
            # (Accept-Encoding, Connection, ...) and the preview would no longer be exact.
            request = httpx.Request(
                prepared.method,
                prepared.url,
                headers=prepared.wire_headers(api_key),
                content=prepared.content,
                extensions={"timeout": timeout.as_dict()},
            )
            with contextlib.closing(self._client.send(request, stream=True)) as response:
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_RESPONSE_BYTES:
                        raise UnusableResponse(
                            f"The response is larger than {MAX_RESPONSE_BYTES // 1024} KB; "
                            "it cannot be a client secret.",
                            status=response.status_code,
                            hint="Check the base URL: it should point at the API, not a web page.",
                        )
                    # A server trickling bytes would otherwise reset the read timeout forever.
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("total time exceeded")
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks), response.headers.get("retry-after")
        except httpx.InvalidURL as exc:
            raise InvalidInput.single("base_url", f"is not a usable URL: {exc}") from None
        except httpx.TimeoutException as exc:
            phase = "connecting to" if isinstance(exc, httpx.ConnectTimeout) else "waiting for"
            raise RequestTimeout(f"Timed out after {total:g} s {phase} {host}.") from None
        except httpx.TransportError as exc:
            tls = _tls_failure(exc)
            if isinstance(tls, ssl.SSLCertVerificationError):
                reason = tls.verify_message or tls.reason or str(tls)
                raise TlsError(f"TLS verification failed for {host}: {reason}.") from None
            if tls is not None:
                raise TlsError(
                    f"The TLS handshake with {host} failed: {tls.reason or tls}.",
                    hint="Check that the server speaks https:// at this URL (not plain http://).",
                ) from None
            detail = str(exc).replace(api_key, "[redacted]") or type(exc).__name__
            if isinstance(exc, httpx.ConnectError):
                raise ConnectionFailed(f"Could not connect to {host}: {detail}") from None
            raise ConnectionFailed(
                f"The connection to {host} broke before the answer was complete: {detail}"
            ) from None
