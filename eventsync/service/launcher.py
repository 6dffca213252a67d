"""`eventsyncw`: eventsync without a console window (the Windows task runs it).

pip and uv make `eventsyncw.exe` from `[project.gui-scripts]`: a launcher that starts
pythonw, so no console window opens (and none stays open). pythonw has no stdout or
stderr (None). `watch --log-file` writes everything watch prints, and why it could not
start, into its UTF-8 log itself (the task always names one): so a missing stream is
pointed at the null device, where a write cannot fail and no line is logged twice.
Never opens a window, never changes streams that exist.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from eventsync.cli import main as cli_main


def _stream() -> TextIO:
    return open(os.devnull, "w", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None or sys.stderr is None:
        stream = _stream()
        sys.stdout = sys.stdout or stream
        sys.stderr = sys.stderr or stream
    return cli_main(words)


if __name__ == "__main__":  # pythonw.exe -m eventsync.service.launcher ...
    sys.exit(main())
