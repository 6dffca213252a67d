"""`eventsync watch --log-file PATH`: watch's own log, UTF-8 whatever the console.

A service has no console to read, and a console's code page (cp932, cp1252) is not
the place to keep a log of Japanese sheets. Every line watch prints, on stdout and
stderr in the order printed, is appended here too, as UTF-8, one line at a time (line
buffered: a `Get-Content -Wait` or `tail -f` sees each sync as it ends). Each line
starts with the date and time; a JSON object (`--json`) is written as it is, since
its `time` says when.

Never stops the syncing: a log that cannot be written any more (a full disk) is said
once on stderr and watch goes on. It holds only what watch prints, which never holds
the token.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from eventsync.errors import SettingsError
from eventsync.messages import Text

# The console's lines that already begin with the time ("10:42:07  events.xlsx: ...").
_TIMED = re.compile(r"\d\d:\d\d:\d\d  ")


def log_lines(at: datetime, text: str, *, as_is: bool = False) -> list[str]:
    """The lines the log holds for `text` printed at `at`: each with the date and the
    time in front (a console line that starts with its time gets the date only)."""
    if as_is:
        return text.split("\n")
    lines = []
    for line in text.split("\n"):
        if _TIMED.match(line):
            lines.append(f"{at:%Y-%m-%d} {line}")
        else:
            lines.append(f"{at:%Y-%m-%d %H:%M:%S}  {line}")
    return lines


@dataclass
class WatchLog:
    path: Path
    file: TextIO | None  # None once writing failed: the rest is not tried

    @classmethod
    def open(cls, path: Path) -> WatchLog:
        """Opened for appending before watch starts: a path it cannot write is a setting
        to fix (exit 2), said now rather than found after the first sync."""
        try:
            # backslashreplace: a file name that is not valid Unicode (POSIX) still logs.
            file = path.open("a", encoding="utf-8", errors="backslashreplace", buffering=1)
        except OSError as error:
            raise SettingsError(
                [Text("watch.log_file", file=path, why=error.strerror or type(error).__name__)]
            ) from None
        return cls(path, file)

    def write(self, at: datetime, text: str, *, as_is: bool = False) -> Text | None:
        """Append `text`; the message to tell once when the log cannot be written."""
        if self.file is None:
            return None
        try:
            for line in log_lines(at, text, as_is=as_is):
                self.file.write(line + "\n")
        except OSError as error:
            self.close()
            why = error.strerror or type(error).__name__
            return Text("watch.log_file_lost", file=self.path, why=why)
        return None

    def close(self) -> None:
        if self.file is not None:
            file, self.file = self.file, None
            with contextlib.suppress(OSError):  # what could not be written is said already
                file.close()
