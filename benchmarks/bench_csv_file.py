"""Time sync.csv_file on 100,000 rows x 15 columns against pd.read_csv.

Run: .venv/bin/python benchmarks/bench_csv_file.py
Three files: plain UTF-8 (no quotes: the fast path), CP932 with Japanese text and some
quoted fields (multi-line, embedded delimiters), and a quote-every-field UTF-8 file.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Literal

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventsync.sheets.csv_file import read_csv, write_csv_cells  # noqa: E402

ROWS = 100_000
COLUMNS = 15


def make_rows(*, japanese: bool, tricky: bool) -> list[list[str]]:
    header = [f"column{c}" for c in range(COLUMNS - 2)] + ["updatedAt", "syncError"]
    rows = [header]
    for r in range(ROWS):
        row = [f"value {r}-{c}" for c in range(COLUMNS - 2)] + ["", ""]
        if japanese:
            row[1] = f"東京ビッグサイト 展示会 {r}"
        if tricky and r % 10 == 0:
            row[2] = f'line one\r\nline "two", {r}'
        rows.append(row)
    return rows


def serialise(rows: list[list[str]], *, quoting: Literal[0, 1, 2, 3], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench(label: str, data: bytes, folder: Path) -> None:
    src, dst = folder / f"{label}.csv", folder / f"{label}.out.csv"
    src.write_bytes(data)
    encoding = read_csv(src).format.encoding
    cells = {}
    for row_number in range(2, ROWS + 2):
        cells[(row_number, COLUMNS - 1)] = "2025-03-01T09:00:00Z"
        cells[(row_number, COLUMNS)] = 'HubSpot said: 404, "not found"'
    pandas_s = timed(lambda: pd.read_csv(src, encoding=encoding, dtype=str))
    read_s = timed(lambda: read_csv(src))
    write_s = timed(lambda: write_csv_cells(src, dst, cells))
    print(
        f"{label:<22} {len(data) / 1e6:6.1f} MB  pd.read_csv {pandas_s:5.2f} s  "
        f"read_csv {read_s:5.2f} s  write_csv_cells {write_s:5.2f} s"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        plain = make_rows(japanese=False, tricky=False)
        bench("utf8-plain", serialise(plain, quoting=csv.QUOTE_MINIMAL, encoding="utf-8"), folder)
        japanese = make_rows(japanese=True, tricky=True)
        bench(
            "cp932-some-quoted",
            serialise(japanese, quoting=csv.QUOTE_MINIMAL, encoding="cp932"),
            folder,
        )
        bench(
            "utf8-quote-all", serialise(japanese, quoting=csv.QUOTE_ALL, encoding="utf-8"), folder
        )


if __name__ == "__main__":
    main()
