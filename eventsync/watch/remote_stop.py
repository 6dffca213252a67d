"""`eventsync watch --stop`: ask the watch holding this state folder to stop, and wait.

The portable graceful stop, for services and scripts on every system: no signal (Windows
has no SIGTERM, and a windowless task has no console for Ctrl+Break). It reads the pid
of the watch from the state folder's lock file, writes a stop request naming that pid
into the state folder (`stopping.request_stop`), and waits for the lock to be let go:
the watch looks for the request once a second and stops as on Ctrl-C, between syncs or
after the batch in flight. Never stops anything but a watch, and never kills it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eventsync.errors import EventsyncError, ExitCode
from eventsync.messages import Text, command
from eventsync.state.lock import Holder, lock_holder
from eventsync.watch.stopping import request_stop

STOP_WAIT_S = 30.0  # a sync stops after the batch in flight: seconds, even when paced
LOOK_EVERY_S = 0.2


class NoWatchError(EventsyncError):
    """No watch holds this state folder: nothing to stop (exit 1, as `pkill` when
    nothing matched; a script can tell it from a stop)."""

    exit_code = ExitCode.ROWS_FAILED


class WatchDidNotStopError(EventsyncError):
    """The watch was asked, and did not stop in time (exit 1; the request stands)."""

    exit_code = ExitCode.ROWS_FAILED


@dataclass(frozen=True)
class Stopped:
    pid: int
    waited_s: float


def stop_watch(
    state_dir: Path,
    *,
    tell: Callable[[str], None],
    wait_s: float = STOP_WAIT_S,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Stopped:
    """Ask the watch on `state_dir` to stop; return once its lock is let go."""
    holder = lock_holder(state_dir)
    if holder is None:
        raise NoWatchError(Text("stop.no_watch", folder=state_dir, watch=command("watch")))
    pid = holder.known_pid
    if holder.command != "watch" or pid is None:
        raise NoWatchError(Text("stop.not_a_watch", pid=holder.pid, folder=state_dir))
    request_stop(state_dir, pid)
    tell(Text("stop.asked", pid=pid, seconds=f"{wait_s:g}"))
    started = clock()
    while clock() - started < wait_s:
        if not _still_held_by(lock_holder(state_dir), pid):
            return Stopped(pid, clock() - started)
        sleep(LOOK_EVERY_S)
    if not _still_held_by(lock_holder(state_dir), pid):
        return Stopped(pid, clock() - started)
    raise WatchDidNotStopError(
        Text("stop.timeout", pid=pid, seconds=f"{wait_s:g}", again=command("watch", "--stop"))
    )


def _still_held_by(holder: Holder | None, pid: int) -> bool:
    return holder is not None and holder.known_pid == pid
