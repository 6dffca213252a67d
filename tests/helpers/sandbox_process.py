"""The sandbox as a person runs it: `python -m eventsync.sandbox ...` in a process of its
own, its banner read as printed, and the commands that change its events."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE_EVENTS = REPO / "templates" / "sample-events.json"
START_TIMEOUT_S = 30  # a cold start on a busy 2-core machine, or under Wine
LAST_BANNER_LINE = "docs/sandbox.md"  # the walkthrough, named at the end in both languages


def clean_env(**extra: str) -> dict[str, str]:
    """A child's environment with none of the developer's own settings: no
    EVENTSYNC_LANG, PORT or EVENTSYNC_VIA unless the test gives them."""
    keep = {"PATH", "SYSTEMROOT", "TMP", "TEMP", "TMPDIR", "HOME", "USERPROFILE", "WINEPREFIX"}
    env = {k: v for k, v in os.environ.items() if k.upper() in keep}
    return {**env, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8", **extra}


@dataclass
class Running:
    process: subprocess.Popen[str]
    port: int
    banner: list[str]
    after: str = ""  # what it printed after the banner, until stopped (stdout and stderr)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def running_sandbox(folder: Path, *args: str, **env: str) -> Iterator[Running]:
    """`python -m eventsync.sandbox --port 0 ARGS` started in `folder`; stopped afterwards."""
    port_file = folder / "sandbox.port"
    command = [
        sys.executable,
        "-m",
        "eventsync.sandbox",
        "--port",
        "0",
        "--port-file",
        str(port_file),
    ]
    process = subprocess.Popen(
        [*command, *args],
        cwd=folder,
        env=clean_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stdout is not None
        banner: list[str] = []
        while not banner or LAST_BANNER_LINE not in banner[-1]:
            line = process.stdout.readline()
            assert line, f"the sandbox stopped: {process.communicate(timeout=5)}"
            banner.append(line.rstrip("\n"))
        running = Running(process, int(port_file.read_text(encoding="utf-8")), banner)
        yield running
    finally:
        process.terminate()
        try:
            out, err = process.communicate(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()  # never left running behind the suite
            process.communicate()
            raise AssertionError(f"the sandbox ignored SIGTERM for {START_TIMEOUT_S} s") from None
    running.after = out + err


def sandbox_command(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m eventsync.sandbox ARGS` run to its end in `folder`, as typed in a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "eventsync.sandbox", *args],
        cwd=folder,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=START_TIMEOUT_S,
    )
