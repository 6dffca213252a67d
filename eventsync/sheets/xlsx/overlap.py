"""Inflating a sheet part in a thread beside the pass that scans it.

A 100,000-row sheet is about 60 MB of XML deflated to 5; inflating it (and checking its
CRC) takes a fifth of a second per pass, and the reader's cell scan, the check before a
send and the write each make a pass. zlib leaves the interpreter free while it works, so
a thread inflates the next chunk while the pass scans this one (a 1%-edit sync of
100,000 rows: about half a second sooner). The bytes are the same, in the same order,
and any error of the read (a damaged part, a bad CRC) is raised in the pass, where the
caller's handling of it stands. (Deflating the write's output the same way gained
nothing measurable.)
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

DEPTH = 1  # one chunk inflated ahead: enough to keep the thread busy, and a few MB at most
# The pieces the write's pass reads: memory the thread takes for them stays with the
# thread's allocator, where the pass cannot use it again, and the write-back is the first
# sync's peak of memory (1 MB pieces: 7 MB more at 100,000 rows; these: about 1 MB).
PIECE_BYTES = 256 << 10


class ReadAhead:
    """`read()` gives the stream's chunks in order, b"" at the end; only this object
    reads the stream while it is open."""

    def __init__(self, stream: IO[bytes], chunk_bytes: int) -> None:
        self._stream = stream
        self._chunk_bytes = chunk_bytes
        self._chunks: queue.Queue[bytes | BaseException] = queue.Queue(DEPTH)
        self._stop = threading.Event()
        self._ended = False
        self._thread = threading.Thread(target=self._fill, name="eventsync-read-ahead")
        self._thread.daemon = True
        self._thread.start()

    def _fill(self) -> None:
        while not self._stop.is_set():
            try:
                chunk: bytes | BaseException = self._stream.read(self._chunk_bytes)
            except BaseException as error:  # raised where the bytes were wanted
                chunk = error
            self._chunks.put(chunk)
            if not chunk or isinstance(chunk, BaseException):
                return

    def read(self, size: int = -1) -> bytes:  # (size: the chunk size given at the start)
        if self._ended:
            return b""
        chunk = self._chunks.get()
        if isinstance(chunk, BaseException):
            self._ended = True
            raise chunk
        if not chunk:
            self._ended = True
        return chunk

    def close(self) -> None:
        """Stop the thread (a pass may end early: a refusal) before the stream closes."""
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._chunks.get(timeout=0.05)  # unblock a thread waiting to put
        self._thread.join()


@contextmanager
def read_ahead(stream: IO[bytes], chunk_bytes: int) -> Iterator[ReadAhead]:
    reader = ReadAhead(stream, chunk_bytes)
    try:
        yield reader
    finally:
        reader.close()
