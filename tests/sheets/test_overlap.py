"""The read-ahead gives a pass exactly the bytes of the sheet part, raises what the read
met where the bytes were wanted, and lets a pass that ends early (a refusal) go."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.sheets.xlsx.overlap import read_ahead


@given(st.binary(max_size=5000), st.integers(min_value=1, max_value=700))
def test_the_bytes_come_whole_and_in_order(data, chunk):
    parts = []
    with read_ahead(io.BytesIO(data), chunk) as stream:
        while piece := stream.read(chunk):
            parts.append(piece)
        assert stream.read(chunk) == b""  # and stay ended
    assert b"".join(parts) == data


def test_a_damaged_part_raises_in_the_pass_that_reads_it(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 50_000)
    data = bytearray(path.read_bytes())
    data[200:260] = bytes(60)  # inside the deflated member
    path.write_bytes(bytes(data))
    with (
        zipfile.ZipFile(path) as zf,
        zf.open("xl/worksheets/sheet1.xml") as raw,
        pytest.raises(zipfile.BadZipFile),
        read_ahead(raw, 1024) as stream,
    ):
        while stream.read(1024):
            pass


def test_a_pass_that_stops_early_ends_the_thread():
    before = threading.active_count()
    with read_ahead(io.BytesIO(bytes(10_000_000)), 1000) as stream:
        assert stream.read(1000) == bytes(1000)
    assert threading.active_count() == before
