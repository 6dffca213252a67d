"""The user's streams, safe for any console code page and any redirection.

Below every stage (layer 0): the CLI wraps stdout and stderr here before anything is
printed, so no stage has to think about encodings. What this module must never do: end
a run because of a character. A run's output comes after HubSpot took the data; a ✓
in a HubSpot value printed to a cp932 or cp1252 console (or a file the shell redirected
to, or a pipe) used to end `sync` with "this is a bug" (issue 19). A character the
stream's encoding cannot hold is shown as its Python escape (`\\u2713`): never dropped,
never a look-alike, so two values that differ still print differently.

The streams are also the one filter between what eventsync shows and the terminal:
every text written to them passes `visible.visible_text` (an escape sequence in a
HubSpot message or a file name, a bidi override in a value `history` shows, reach the
terminal as escapes, whichever command printed them). The one carriage return that
may pass is a progress line's own (`redraw`).

JSON for scripts is UTF-8 whatever the console's code page, written as bytes under the
text stream when it has them, and its hidden characters escaped as JSON escapes
(`visible.visible_json`): a script gets the same strings, a terminal shows no raw
U+202E or DEL.

A write to a pipe whose reader has gone fails on Windows with OSError(EINVAL)
(CPython issue 79935) where POSIX says EPIPE; it is raised here as the
BrokenPipeError POSIX gives, so one `except BrokenPipeError` serves both. Only this
module's writes are translated: an EINVAL from anything else (a file name Windows
refuses) stays what it is.
"""

from __future__ import annotations

import contextlib
import errno
import io
import sys
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from eventsync.visible import visible_json, visible_text

ESCAPE = "backslashreplace"  # how a character the stream cannot hold is shown


def escaped(text: str, encoding: str | None) -> str:
    """`text` as a stream in `encoding` shows it: what the encoding cannot hold as its
    escape. None (an in-memory stream, which holds anything): `text` itself."""
    if encoding is None or text.isascii():
        return text
    try:
        # Decoding what was encoded gives what a console in that code page shows, and
        # encodes again to the same bytes, so a strict stream takes it.
        return text.encode(encoding, ESCAPE).decode(encoding)
    except LookupError:  # a stream naming an encoding Python does not know
        return text


class SafeStream(io.TextIOBase, TextIO):
    """A text stream that writes to `inner` and cannot fail on a character, and shows
    hidden characters as escapes; with `as_json=True` it escapes them as JSON does and
    writes UTF-8 bytes to `inner.buffer` when there is one. `inner` None (no console at
    all, e.g. pythonw.exe): what is written goes nowhere.

    Closing it leaves `inner` open: the stream is the caller's."""

    def __init__(self, inner: TextIO | None, *, as_json: bool = False):
        super().__init__()
        self.inner = inner
        self._shown = visible_json if as_json else visible_text
        # io.StringIO has no bytes underneath: it takes the text as it is.
        self._bytes: BinaryIO | None = getattr(inner, "buffer", None) if as_json else None
        self._encoding = "utf-8" if self._bytes is not None else getattr(inner, "encoding", None)

    @property
    def encoding(self) -> str | None:  # type: ignore[override]  # None as io.StringIO's: any text
        return self._encoding

    def write(self, text: str) -> int:
        self._write(self._shown(text))
        return len(text)

    def redraw(self, line: str, *, last: bool) -> None:
        """`line` over the terminal's current line (a progress bar: a carriage return
        first), and a line break after the `last` one."""
        self._write("\r" + self._shown(line) + ("\n" if last else ""))

    def _write(self, text: str) -> None:
        if self.inner is None:
            return
        with closed_pipe_as_broken():
            if self._bytes is not None:
                self.inner.flush()  # what was written as text before keeps its place
                self._bytes.write(text.encode("utf-8", ESCAPE))
            else:
                self.inner.write(escaped(text, self._encoding))

    def flush(self) -> None:
        if self.inner is None:
            return
        with closed_pipe_as_broken():
            self.inner.flush()
            if self._bytes is not None:
                self._bytes.flush()

    def close(self) -> None:
        """Nothing to close: `inner` belongs to the caller. (IOBase would flush here,
        also when the object is collected, where a closed pipe could only be ignored.)"""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:  # progress bars are drawn only on a terminal
        return self.inner is not None and self.inner.isatty()

    def fileno(self) -> int:
        if self.inner is None:
            raise io.UnsupportedOperation("no stream")
        return self.inner.fileno()


def redraw(stream: TextIO, line: str, *, last: bool) -> None:
    """Draw a progress line over the previous one on `stream` (the CLI's SafeStream, or
    any text stream a test passes)."""
    if isinstance(stream, SafeStream):
        stream.redraw(line, last=last)
    else:
        stream.write(f"\r{line}" + ("\n" if last else ""))
    stream.flush()


@contextlib.contextmanager
def closed_pipe_as_broken() -> Iterator[None]:
    """Windows' EINVAL for a write to a closed pipe raised as BrokenPipeError."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
        raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe") from error


@contextlib.contextmanager
def escaping_system_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr escape what their encoding cannot hold while the block
    runs: argparse writes there directly (a usage error quoting a kanji argument on a
    cp1252 console), whatever streams the caller passed. Set back afterwards."""
    changed: list[tuple[io.TextIOWrapper, str | None]] = []
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors != ESCAPE:
            with contextlib.suppress(OSError, ValueError):
                before = stream.errors
                stream.reconfigure(errors=ESCAPE)
                changed.append((stream, before))
    try:
        yield
    finally:
        for stream, before in changed:
            with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed stream
                stream.reconfigure(errors=before)
