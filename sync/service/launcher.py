"""`eventsyncw`: eventsync without a console window (the Windows task runs it).

pip and uv make `eventsyncw.exe` from `[project.gui-scripts]`: a launcher that starts
pythonw, so no console window opens (and none stays open). pythonw has no stdout or
stderr (None): every line eventsync prints would be lost, and a write to None would end
it as a bug. So before the CLI runs, a missing stream is pointed at the UTF-8 log file
named by `--log-file` (what goes wrong before watch's own log starts, a setting to fix,
lands there too), or at the null device when there is none. Never opens a window,
never changes streams that exist.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from sync.cli import main as cli_main

LOG_OPTION = "--log-file"


def log_file_of(argv: Sequence[str]) -> str | None:
    """The value of --log-file in `argv` (either `--log-file PATH` or `--log-file=PATH`)."""
    for at, word in enumerate(argv):
        if word == LOG_OPTION and at + 1 < len(argv):
            return argv[at + 1]
        if word.startswith(LOG_OPTION + "="):
            return word.split("=", 1)[1]
    return None


def _stream(log: str | None) -> TextIO:
    if log is not None:
        try:
            return open(log, "a", encoding="utf-8", errors="backslashreplace", buffering=1)
        except OSError:
            pass  # the CLI reports an unusable log file itself, where it can be seen
    return open(os.devnull, "w", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None or sys.stderr is None:
        stream = _stream(log_file_of(words))
        sys.stdout = sys.stdout or stream
        sys.stderr = sys.stderr or stream
    return cli_main(words)


if __name__ == "__main__":  # pythonw.exe -m sync.service.launcher ...
    sys.exit(main())
