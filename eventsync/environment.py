"""The facts of the process eventsync's output depends on, read once when a command
starts and handed to what renders (httpie's `Environment` is the model): whether make
runs it (EVENTSYNC_VIA=make: suggested commands take make's form), whether the terminal
can redraw a line (TERM=dumb cannot), and whether commands are quoted for Windows.

Stage: below everything (layer 0). It never prints and never reads the process's
environment after the start: `main()` reads it with `of_process` and installs it with
`using` for the command's duration; renderers ask `current()`. Outside a command (a
function called on its own, a test) `current()` is the process's as it is then.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# Set by the Makefile on the commands it runs: the messages then show the make form.
VIA_VARIABLE = "EVENTSYNC_VIA"


@dataclass(frozen=True, slots=True)
class Environment:
    via_make: bool = False  # EVENTSYNC_VIA=make
    dumb_terminal: bool = False  # TERM=dumb: no carriage-return redraws
    windows: bool = False  # commands quoted for cmd.exe and PowerShell

    def interactive(self, stream: object) -> bool:
        """Whether a progress line may be redrawn on `stream`: a terminal that can."""
        isatty = getattr(stream, "isatty", None)
        return callable(isatty) and bool(isatty()) and not self.dumb_terminal

    @classmethod
    def of_process(
        cls, environ: Mapping[str, str] | None = None, platform: str | None = None
    ) -> Environment:
        """The facts from `environ` (default: the process's) and `platform`."""
        values = os.environ if environ is None else environ
        return cls(
            via_make=values.get(VIA_VARIABLE) == "make",
            dumb_terminal=values.get("TERM") == "dumb",
            windows=(platform or sys.platform) == "win32",
        )


_CURRENT: ContextVar[Environment | None] = ContextVar("eventsync_environment", default=None)


def current() -> Environment:
    """The command's environment; outside a command, the process's as it is now."""
    return _CURRENT.get() or Environment.of_process()


@contextmanager
def using(environment: Environment) -> Iterator[Environment]:
    """`environment` for everything rendered inside the block (one command's run)."""
    token = _CURRENT.set(environment)
    try:
        yield environment
    finally:
        _CURRENT.reset(token)
