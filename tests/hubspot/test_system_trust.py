"""HTTPS through the operating system's trust store (truststore), as behind a company's
TLS-inspecting proxy: the sandbox served over TLS with a certificate from a "company
root CA" that certifi does not hold. On Linux the system store is OpenSSL's, which
SSL_CERT_FILE points at here, as IT would install the CA on Windows or macOS.

fixtures/tls/: company-root-ca.pem (its key was thrown away), proxy.pem and proxy.key
(the server's, for 127.0.0.1), valid for 100 years.
"""

from __future__ import annotations

import io
import ssl
from functools import partial
from pathlib import Path

import pytest
import requests
from helpers import TOKEN, ZONE, CliResult, edit

from eventsync.cli import main
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import RetryPolicy
from eventsync.hubspot.tls import new_session
from eventsync.sandbox.sample import sample_events, sample_rows
from eventsync.sandbox.server import Sandbox
from eventsync.sheets.template import build_workbook

TLS = Path(__file__).parent / "fixtures" / "tls"


@pytest.fixture
def tls_sandbox():
    """The sandbox, its listening socket wrapped in TLS (the handshake happens in each
    connection's own thread, at its first read)."""
    with Sandbox(events=sample_events(), token=TOKEN, custom_properties=["region"]) as server:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(TLS / "proxy.pem", TLS / "proxy.key")
        listening = server._server  # the test's own reach into the sandbox's server
        assert listening is not None
        listening.socket = context.wrap_socket(
            listening.socket, server_side=True, do_handshake_on_connect=False
        )
        yield server, f"https://127.0.0.1:{server.port}"


def run(cwd: Path, url: str, *argv: str) -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    env = {"HUBSPOT_ACCESS_TOKEN": TOKEN, "EVENTSYNC_BASE_URL": url, "EVENTSYNC_TIMEZONE": ZONE}
    client = partial(HubSpotClient, policy=RetryPolicy(max_retries=1, base_wait_s=0.01))
    code = main(list(argv), env=env, cwd=cwd, stdout=out, stderr=err, make_client=client)
    return CliResult(int(code), out.getvalue(), err.getvalue())


@pytest.mark.posix_only(
    "the test puts its CA in the store through SSL_CERT_FILE, which Windows' own certificate store ignores"
)
def test_a_ca_in_the_system_store_is_trusted_and_one_outside_it_is_not(
    tmp_path, tls_sandbox, monkeypatch
):
    sandbox, url = tls_sandbox
    (tmp_path / "sheets").mkdir()
    build_workbook(sample_rows(), custom=("region",)).save(tmp_path / "sheets" / "events.xlsx")
    # requests on its own (certifi's bundle) refuses the company's certificate, even with
    # the CA in the system store: what users behind such a proxy met before.
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "company-root-ca.pem"))
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url + "/", timeout=10)
    synced = run(tmp_path, url, "sync")
    assert synced.code == 0, synced.err
    assert len(sandbox.batch_update_requests()) == 1

    # Without the CA in the system store, verification is on: nothing is sent. (A row
    # edited, so that plan reads HubSpot: the account is remembered since the sync.)
    edit(tmp_path / "sheets" / "events.xlsx", {(3, 2): "Renamed"})
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    before = sandbox.request_count
    refused = run(tmp_path, url, "plan")
    assert refused.code == 1
    # (said on stdout when HubSpot's events cannot be read, on stderr when the custom
    # properties' definitions, read first, cannot: either way before anything is sent)
    said = refused.out + refused.err
    assert "the server's certificate is not trusted by this computer" in said
    assert "system's certificate store" in said
    assert sandbox.request_count == before


def test_only_https_goes_through_the_system_trust_adapter():
    session = new_session()
    assert type(session.get_adapter("https://api.hubapi.com")).__name__ == "SystemTrustAdapter"
    assert type(session.get_adapter("http://127.0.0.1:8765")).__name__ == "HTTPAdapter"
