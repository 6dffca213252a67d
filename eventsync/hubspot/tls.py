"""Send, wire side: HTTPS that trusts the certificates the operating system trusts.

requests checks a server's certificate against certifi's bundle alone. Behind a company's
TLS-inspecting proxy, whose root certificate IT installed into Windows' or macOS' store,
every request then fails, though the browser works. truststore verifies through the
system instead (Windows' certificate store, macOS' keychain, OpenSSL's system paths and
SSL_CERT_FILE on Linux). Narrow on purpose: an adapter mounted for https:// on this
client's own session, never a process-wide patch of `ssl`; plain http (the loopback
sandbox) does not pass through it. It must never turn verification off.
"""

from __future__ import annotations

import ssl
from typing import Any

import requests
import truststore
from requests.adapters import HTTPAdapter
from urllib3 import PoolManager, ProxyManager


class SystemTrustAdapter(HTTPAdapter):
    """An HTTPAdapter whose TLS connections, direct or through a proxy, use one
    truststore context."""

    def __init__(self) -> None:
        self._context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("ssl_context", self._context)
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager | ProxyManager:
        # An HTTPS_PROXY (or Windows' proxy setting, which requests reads) builds its own
        # pools: without this the tunnelled connection to HubSpot would use certifi again.
        proxy_kwargs.setdefault("ssl_context", self._context)
        manager: PoolManager | ProxyManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        return manager


def new_session() -> requests.Session:
    """A requests session for HubSpot: HTTPS verified through the system's trust store."""
    session = requests.Session()
    session.mount("https://", SystemTrustAdapter())
    return session
