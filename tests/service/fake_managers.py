"""Stand-ins for the system's service managers (schtasks, launchctl, systemctl): real
executables, first on PATH, that record each call's arguments and the files named in
them (what Task Scheduler or launchd would have been given), and answer as told."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MANAGERS = ("schtasks", "launchctl", "systemctl")

FAKE = """\
import base64, json, os, sys
from pathlib import Path
argv = [Path(sys.argv[0]).name, *sys.argv[1:]]
files = {}
for word in argv[1:]:
    if os.path.isfile(word):
        files[word] = base64.b64encode(Path(word).read_bytes()).decode()
with open(os.environ["FAKE_MANAGER_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({"argv": argv, "files": files}) + "\\n")
line = " ".join(argv)
for failing in filter(None, os.environ.get("FAKE_MANAGER_FAIL", "").split("|")):
    if line.startswith(failing):
        print("ERROR: Access is denied.", file=sys.stderr)
        sys.exit(1)
sys.exit(0)
"""


@dataclass(frozen=True)
class Call:
    argv: list[str]
    files: dict[str, bytes]


class FakeManagers:
    def __init__(self, folder: Path):
        self.bin = folder / "bin"
        self.bin.mkdir(parents=True)
        self.log = folder / "calls.jsonl"
        for name in MANAGERS:
            script = self.bin / name
            script.write_text(f"#!{sys.executable}\n{FAKE}", encoding="utf-8")
            script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def calls(self) -> list[Call]:
        import base64

        if not self.log.exists():
            return []
        found = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            files = {k: base64.b64decode(v) for k, v in entry["files"].items()}
            found.append(Call(entry["argv"], files))
        return found

    def argvs(self) -> list[list[str]]:
        return [call.argv for call in self.calls()]


def start_process(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def clean_environment(**extra: str) -> dict[str, str]:
    """The environment a service manager gives: none of the test run's eventsync settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSYNC_", "HUBSPOT_"))}
    return {**env, **extra}


def wait_until(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {timeout} s")
