"""Every fault survived: the CLI and the window name it, nothing hangs, the next mint works."""

from __future__ import annotations

import datetime
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_API_KEY
from tests.e2e.cli_runner import CliResult, run_cli
from tests.e2e.misbehaving import CLIENT_TIMEOUT, FAULTS, Fault
from tests.fake_api import FakeRealtimeApi
from tests.gui.conftest import WindowFactory, wait_for_secret


def cli_mint(base_url: str, env: dict[str, str], *extra: str) -> CliResult:
    env = {**env, "OPENAI_API_KEY": TEST_API_KEY}
    result = run_cli(
        "mint", "--base-url", base_url, "--timeout", str(CLIENT_TIMEOUT), *extra, env=env
    )
    assert "Traceback" not in result.stderr
    assert TEST_API_KEY not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_cli_names_each_fault_and_recovers(
    fake_api: FakeRealtimeApi, cli_env: dict[str, str], fault: Fault
) -> None:
    fault.script(fake_api)
    failed = cli_mint(fake_api.base_url, cli_env)
    assert failed.code == fault.exit_code, failed.stderr
    assert fault.message in failed.stderr
    assert failed.stdout == ""
    assert len(failed.stderr.strip().splitlines()) <= 2  # one or two plain lines
    again = cli_mint(fake_api.base_url, cli_env)
    assert again.code == 0 and again.stdout.startswith("ek_")


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_window_shows_each_fault_in_the_banner_and_recovers(
    qtbot: QtBot, make_window: WindowFactory, fake_api: FakeRealtimeApi, fault: Fault
) -> None:
    window = make_window()
    window.timeoutInput.setValue(CLIENT_TIMEOUT)
    fault.script(fake_api)
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=15_000)
    assert type(window.last_error).__name__ == fault.error
    assert fault.message in window.statusBanner.message
    assert TEST_API_KEY not in window.statusBanner.message
    assert TEST_API_KEY not in window.statusBanner.detailsView.toPlainText()
    assert window.mintButton.isEnabled()
    window.mint()
    wait_for_secret(qtbot, window)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused_in_cli_and_window(
    qtbot: QtBot, make_window: WindowFactory, cli_env: dict[str, str]
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    result = cli_mint(url, cli_env)
    assert result.code == 5 and "Could not connect" in result.stderr
    window = make_window()
    window.baseUrlInput.setText(url)
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=15_000)
    assert type(window.last_error).__name__ == "ConnectionFailed"
    assert "Could not connect" in window.statusBanner.message


@pytest.fixture
def untrusted_tls_api(tmp_path: Path) -> Iterator[FakeRealtimeApi]:
    """The local API behind TLS with a self-signed certificate no trust store knows."""
    crypto = pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    assert crypto is not None
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server = FakeRealtimeApi(TEST_API_KEY)
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_untrusted_certificate_in_cli_and_window(
    qtbot: QtBot,
    make_window: WindowFactory,
    cli_env: dict[str, str],
    untrusted_tls_api: FakeRealtimeApi,
) -> None:
    url = f"https://127.0.0.1:{untrusted_tls_api.port}/v1"
    result = cli_mint(url, cli_env)
    assert result.code == 5
    assert "TLS verification failed" in result.stderr and "certificate" in result.stderr
    assert "SSL_CERT_FILE" in result.stderr  # the fix, named; verification is never turned off
    assert untrusted_tls_api.requests == []  # the key never crossed the untrusted connection
    window = make_window()
    window.baseUrlInput.setText(url)
    window.mint()
    qtbot.waitUntil(window.statusBanner.isVisible, timeout=15_000)
    assert type(window.last_error).__name__ == "TlsError"
    assert "TLS verification failed" in window.statusBanner.message
