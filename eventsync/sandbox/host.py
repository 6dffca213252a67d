"""Sandbox host: what the HTTP handler and the admin endpoints need of a running sandbox.

`SandboxState` plus the few things only a serving sandbox knows (its URL, whether it is
stopping, how loud to be) and `configure`. `server.Sandbox` is the one implementation;
`handler` and `admin` depend on this base, never on `server`, so the package has no
import circle (type-only imports included). It must never bind a socket itself.
"""

from __future__ import annotations

from typing import Any

from eventsync.sandbox.knobs import build_config
from eventsync.sandbox.state import SandboxState


class Host(SandboxState):
    """A sandbox state that is (or will be) served; `server.Sandbox` fills in the rest."""

    verbose: bool = False

    @property
    def url(self) -> str:
        raise NotImplementedError

    def pause(self, seconds: float) -> bool:
        """Sleep unless stopping; True means the sandbox is stopping and must not answer."""
        raise NotImplementedError

    def configure(self, **knobs: Any) -> None:
        """Change knobs at run time (what POST /_sandbox/config does)."""
        self.set_config(build_config(self.config, knobs))
