"""The token endpoint's rules on their own: origins, Host, token, rate limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from realtime_gui.core.errors import InvalidInput
from realtime_gui.core.serve.policy import (
    RateLimiter,
    ServePolicy,
    allowed_origins,
    host_allowed,
    is_loopback,
    new_token,
    parse_origin,
    read_token_file,
    token_matches,
)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:5173", True),
        ("http://127.0.0.1:3000", True),
        ("http://localhost", True),
        ("https://localhost:5173", False),  # the scheme is part of the origin
        ("http://localhost.evil.example:5173", False),
        ("http://evil.example", False),
        ("null", False),
        ("http://127.0.0.1:3000/path", False),
        ("", False),
    ],
)
def test_default_origins(origin: str, allowed: bool) -> None:
    assert ServePolicy().origin_allowed(origin) is allowed


def test_an_added_origin_is_exact_unless_its_port_is_a_wildcard() -> None:
    policy = ServePolicy(
        origins=allowed_origins(["https://app.example:8443", "http://dev.example:*"])
    )
    assert policy.origin_allowed("https://app.example:8443")
    assert not policy.origin_allowed("https://app.example:8444")
    assert not policy.origin_allowed("https://app.example")
    assert policy.origin_allowed("http://dev.example:1234")
    assert not policy.origin_allowed("http://sub.dev.example:1234")


@pytest.mark.parametrize(
    "text", ["*", "http://*", "http://*.example", "ftp://x", "localhost:3000", "http://a/b",
             "http://a:99999", "http://a:1:*"],
)  # fmt: skip
def test_wildcards_other_than_a_port_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="origin"):
        parse_origin(text)


@pytest.mark.parametrize(
    ("host", "bound", "allowed"),
    [
        ("127.0.0.1:8787", "127.0.0.1", True),
        ("localhost:8787", "127.0.0.1", True),
        ("[::1]:8787", "127.0.0.1", True),
        ("LOCALHOST:8787", "127.0.0.1", True),
        ("127.0.0.1:8788", "127.0.0.1", False),  # another port
        ("127.0.0.1", "127.0.0.1", False),  # no port
        ("evil.example:8787", "127.0.0.1", False),  # DNS rebinding
        ("192.168.1.5:8787", "127.0.0.1", False),
        ("192.168.1.5:8787", "192.168.1.5", True),  # the bound host
        ("192.168.1.5:8787", "0.0.0.0", True),  # an IP literal on a wildcard bind  # noqa: S104
        ("evil.example:8787", "0.0.0.0", False),  # but never a name  # noqa: S104
        ("", "127.0.0.1", False),
        (None, "127.0.0.1", False),
    ],
)
def test_host_allow_list(host: str | None, bound: str, allowed: bool) -> None:
    assert host_allowed(host, bound_host=bound, port=8787) is allowed


def test_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")  # noqa: S104


def test_token_is_random_and_long() -> None:
    tokens = {new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 32 for t in tokens)  # 256 bits in URL-safe base64


def test_token_match() -> None:
    assert token_matches("Bearer abc-123", "abc-123")
    assert token_matches("bearer abc-123", "abc-123")
    assert not token_matches("Bearer abc-124", "abc-123")
    assert not token_matches("abc-123", "abc-123")
    assert not token_matches(None, "abc-123")
    assert not token_matches("Basic abc-123", "abc-123")


def test_token_file(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("  a-token-from-a-file-0123  \n", encoding="utf-8")
    assert read_token_file(str(path)) == "a-token-from-a-file-0123"
    path.write_text("short", encoding="utf-8")
    with pytest.raises(InvalidInput, match="token_file"):
        read_token_file(str(path))
    with pytest.raises(InvalidInput, match="cannot read"):
        read_token_file(str(tmp_path / "missing"))


def test_policy_repr_hides_the_token() -> None:
    assert "s3cret-token-value" not in repr(ServePolicy(token="s3cret-token-value"))


def test_rate_limiter_slides() -> None:
    now = [1000.0]
    limiter = RateLimiter(3, clock=lambda: now[0])
    assert [limiter.admit() for _ in range(3)] == [None, None, None]
    assert limiter.admit() == 60
    now[0] += 59.5
    assert limiter.admit() == 1
    now[0] += 0.5
    assert limiter.admit() is None  # the first one left the window
