"""Benchmark the annotate write-back: 100,000 rows x 15 columns, 2 columns patched per row.

Run: .venv/bin/python benchmarks/bench_xlsx_patch.py [--rows N] [--keep DIR]

The workbook is generated with xlsxwriter (shared strings, like Excel), then each patch
runs in a fresh child process so its peak memory (max RSS) is not mixed with the
generator's. Two runs: a first annotation that appends columns P and Q, and a
re-annotation that overwrites them. Target: at most 4 s and 400 MB per patch.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

COLUMNS = 15

PATCH = """
import resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from eventsync.sheets.xlsx.patch import patch_cells
rows, src, dst, stamp = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
cells = {(1, 16): "updatedAt", (1, 17): "syncError"}
for row in range(2, rows + 2):
    cells[(row, 16)] = stamp
    cells[(row, 17)] = "" if row % 10 else f"row {row}: startDateTime is not a date"
t1 = time.perf_counter()
patch_cells(src, dst, "Events", cells)
t2 = time.perf_counter()
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{t1 - t0:.2f} {t2 - t1:.2f} {peak_mb:.0f}")
"""


def generate(path: Path, rows: int) -> None:
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Events")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    sheet.write_row(0, 0, [f"column{c}" for c in range(COLUMNS)], header)
    for row in range(1, rows + 1):
        sheet.write_row(
            row,
            0,
            [f"event {row}", row, row * 1.5] + [f"text {row % 997}-{c}" for c in range(3, COLUMNS)],
        )
    sheet.autofilter(0, 0, rows, COLUMNS - 1)
    sheet.freeze_panes(1, 0)
    workbook.close()


def run_patch(rows: int, src: Path, dst: Path, stamp: str) -> tuple[float, float, float, float]:
    """One patch in a fresh interpreter: wall time of the process, of its set-up (imports,
    building the cells mapping) and of patch_cells itself, and its peak RSS in MB."""
    repo = Path(__file__).resolve().parent.parent
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PATCH, str(rows), str(src), str(dst), stamp],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - start
    setup_s, patch_s, peak_mb = (float(x) for x in out.split())
    return wall, setup_s, patch_s, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated files in")
    parser.add_argument("--reuse", action="store_true", help="reuse events.xlsx in --keep")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_xlsx_patch_"))
    folder.mkdir(parents=True, exist_ok=True)
    src, first, second = folder / "events.xlsx", folder / "first.xlsx", folder / "second.xlsx"
    if not (args.reuse and src.exists()):
        start = time.perf_counter()
        generate(src, args.rows)
        print(f"generated in {time.perf_counter() - start:.1f} s")
    print(f"{src}: {args.rows} rows x {COLUMNS} columns, {src.stat().st_size / 1e6:.1f} MB")
    for label, a, b, stamp in (
        ("annotate (append P, Q)", src, first, "2024-05-01T10:00:00Z"),
        ("re-annotate (overwrite P, Q)", first, second, "2024-05-02T11:30:00Z"),
    ):
        wall, setup_s, patch_s, peak_mb = run_patch(args.rows, a, b, stamp)
        print(
            f"{label}: patch_cells {patch_s:.2f} s; whole process {wall:.2f} s "
            f"(imports + building the cells mapping {setup_s:.2f} s); "
            f"peak RSS {peak_mb:.0f} MB; output {b.stat().st_size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
