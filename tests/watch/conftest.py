"""What the watch tests share: `watcher(*args, **env)` starts `eventsync watch --json` as a
real child process (watch_process.WatchProcess); every one started is killed at the end."""

from __future__ import annotations

import pytest
from watch_process import WatchProcess


@pytest.fixture
def watcher(workspace):
    started: list[WatchProcess] = []

    def start(*args: str, **env: str) -> WatchProcess:
        started.append(WatchProcess(workspace, *args, **env))
        return started[-1]

    yield start
    for process in started:
        process.kill()
