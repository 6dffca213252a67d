"""Stopping the watcher cleanly: Ctrl-C and SIGTERM ask for a stop, which is taken
between syncs, or inside one after the batch in flight (`StoppingError`)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class StoppingError(Exception):
    """Raised inside a sync when a stop was asked for: after the batch in flight, or in
    a retry wait. What HubSpot confirmed is in the state already (saved per batch)."""


@contextlib.contextmanager
def stop_signals(stop: threading.Event) -> Iterator[None]:
    """While watching, Ctrl-C and SIGTERM set `stop`; a second Ctrl-C interrupts at once.
    Signals can only be caught in the main thread: elsewhere (tests) `stop` is set by hand."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    asked = 0

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal asked
        asked += 1
        if signum == signal.SIGINT and asked > 1:
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
