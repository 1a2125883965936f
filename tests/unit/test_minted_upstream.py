"""MintedSecret keeps the server's whole JSON object, out of repr, for the token endpoint."""

from __future__ import annotations

import json

from realtime_gui.core.responses import parse_minted
from realtime_gui.core.session import ApiShape

GA = {
    "value": "ek_upstream_secret",
    "expires_at": 2_000_000_000,
    "session": {"id": "sess_1", "type": "realtime", "model": "gpt-realtime"},
    "extra_field": {"kept": True},
}
BETA = {
    "id": "sess_2",
    "object": "realtime.session",
    "model": "gpt-realtime",
    "client_secret": {"value": "ek_beta_secret", "expires_at": 2_000_000_000},
}


def test_ga_upstream_is_the_whole_object_in_order() -> None:
    minted = parse_minted(ApiShape.GA, json.dumps(GA).encode())
    assert minted.upstream == GA
    assert list(minted.upstream) == list(GA)


def test_beta_upstream_is_the_whole_object() -> None:
    minted = parse_minted(ApiShape.BETA, json.dumps(BETA).encode())
    assert minted.upstream == BETA


def test_upstream_is_not_in_repr() -> None:
    minted = parse_minted(ApiShape.GA, json.dumps(GA).encode())
    assert "ek_upstream_secret" not in repr(minted)
    assert "extra_field" not in repr(minted)
