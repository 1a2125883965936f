"""A local token endpoint: prototypes fetch a fresh client secret from 127.0.0.1 per request.

The API a front end uses (the CLI's ``serve`` command today, a window panel later)::

    from realtime_gui.core.serve import ServePolicy, ServeServer, allowed_origins, new_token

    server = ServeServer(config, connection, api_key,
                         policy=ServePolicy(origins=allowed_origins(["http://localhost:5173"]),
                                            token=new_token(), rate=30),
                         host="127.0.0.1", port=8787)
    unsubscribe = server.subscribe(on_event)  # on_event(ServeEvent), on the server thread
    server.start()                            # returns once listening; ServeFailed: port taken
    server.url, server.token                  # "http://127.0.0.1:8787", the bearer token or None
    server.set_session(config, connection)    # any thread; InvalidInput keeps the old session
    server.stop()                             # any thread; within about 1 s; start() again works

- ``start()`` runs uvicorn on its own daemon thread with its own asyncio loop and installs
  no signal handlers; the caller owns Ctrl+C. Nothing here imports Qt.
- ``ServeEvent`` is a frozen dataclass (time, method, path, origin, status, session id or
  error code) and never carries a secret: a window turns each one into a Qt signal
  (``Signal(object)`` emitted from the listener is queued to the GUI thread).
- Mints run on a pool of worker threads sharing one ``MintClient`` (one connection pool).

Modules: ``policy`` (Host, Origin, token, rate limit), ``overrides`` (the caller's body over
the configured one), ``minting`` (the core client and answers as JSON), ``routes`` (the ASGI
app and the order of checks), ``events`` (the request-log event), ``server`` (the runner).
"""

from __future__ import annotations

from .events import ServeEvent
from .policy import (
    DEFAULT_MAX_TTL,
    DEFAULT_RATE,
    ServePolicy,
    allowed_origins,
    is_loopback,
    new_token,
    read_token_file,
)
from .server import DEFAULT_HOST, DEFAULT_PORT, ServeFailed, ServeServer

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_TTL",
    "DEFAULT_PORT",
    "DEFAULT_RATE",
    "ServeEvent",
    "ServeFailed",
    "ServePolicy",
    "ServeServer",
    "allowed_origins",
    "is_loopback",
    "new_token",
    "read_token_file",
]
