"""A whole sync without the network, at 1k, 10k and 100k rows x 15 columns, xlsx and csv.

Run: .venv/bin/python benchmarks/bench_sheets.py [--sizes 1000,10000,100000] [--keep DIR]
(`make bench` runs it with the defaults.)

Each sheet looks like one a user synced before: every row has its updatedAt, and the
snapshot agrees with the sheet except for 1% of the rows, which a colleague edited
(their eventName differs). Each step runs in a fresh Python process, timed from the
outside (start-up and imports included, as a user waits for them) and from the inside
(the step alone); its peak memory is the child's own max RSS (os.wait4):

  read      read_sheet
  plan      read_sheet + build_updates + plan_changes (inside: the last two only)
  annotate  annotate() of the 1% as if HubSpot confirmed them (inside: annotate only;
            the sheet's rows and the annotations come from a pickle, not a read)
  sync      read + plan + annotate, end to end: what `eventsync sync` costs but the HTTP
  openpyxl  load_workbook + save of the same file (xlsx only), the naive write-back

Targets at 100k rows (issue 4): the 1%-changed xlsx sync takes at most 0.3x the
openpyxl round trip, and no sync takes more than 600 MB. PASS/FAIL per target; the
exit code is 1 on a miss.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import events_sheet  # noqa: E402 (beside this file)
from events_sheet import COLUMNS  # noqa: E402

BASE_URL = "http://127.0.0.1:1"  # the snapshot's key; nothing is ever sent
ZONE = "Asia/Tokyo"
FIRST_ID = 5_823_700_000
CHANGED_EVERY = 100  # 1% of the rows changed in HubSpot's last confirmed state
UPDATED_AT = "2026-03-01T09:00:00.000Z"
CONFIRMED_AT = "2026-03-02T10:30:00.000Z"
RATIO_TARGET = 0.3
MEMORY_TARGET_MB = 600
TARGET_ROWS = 100_000


# --- the files --------------------------------------------------------------------------


def event_row(n: int) -> list[object]:
    return events_sheet.event_row(n, first_id=FIRST_ID, updated_at=UPDATED_AT)


def write_xlsx(path: Path, rows: int) -> None:
    events_sheet.write_xlsx(path, range(1, rows + 1), event_row)


def write_csv(path: Path, rows: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n in range(1, rows + 1):
        row = event_row(n)
        row[6] = "TRUE" if row[6] else "FALSE"
        row[7], row[8] = (f"{d:%Y-%m-%d %H:%M}" for d in row[7:9])
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def write_snapshot(state: Path, sheet_path: Path) -> None:
    """What HubSpot last confirmed: the sheet's own values, but for 1% of the rows."""
    from zoneinfo import ZoneInfo

    from eventsync.model import EventUpdate, SyncedEvent, frozen
    from eventsync.plan.inputs import build_updates
    from eventsync.sheets.reader import read_sheet
    from eventsync.state.snapshot import save_snapshot

    events = {}
    for item in build_updates(read_sheet(sheet_path), ZoneInfo(ZONE)):
        assert isinstance(item, EventUpdate), item
        values = dict(item.values)
        if (int(item.object_id) - FIRST_ID) % CHANGED_EVERY == 0:
            values["eventName"] = "renamed in HubSpot"
        events[item.object_id] = SyncedEvent(frozen(values), UPDATED_AT)
    save_snapshot(state, BASE_URL, events)


# --- the steps, each in a fresh interpreter ---------------------------------------------

PRELUDE = """
import pickle, sys, time
from pathlib import Path
from zoneinfo import ZoneInfo
path, state, pickled = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
ZONE = ZoneInfo("Asia/Tokyo")
BASE_URL, CONFIRMED_AT = "http://127.0.0.1:1", "2026-03-02T10:30:00.000Z"
times = {}
def timed(name, action):
    start = time.perf_counter()
    result = action()
    times[name] = time.perf_counter() - start
    return result
def plan_of(sheet):
    from eventsync.plan.diff import plan_changes
    from eventsync.plan.inputs import build_updates
    from eventsync.state.snapshot import load_snapshot
    snapshot = load_snapshot(state, BASE_URL)
    labels = {name: header.text for name, header in sheet.headers.items()}
    return plan_changes(build_updates(sheet, ZONE), snapshot, labels), snapshot
def confirmed(plan, snapshot):
    from eventsync.model import RowOutcome
    from eventsync.plan.results import annotations_for, row_results
    from eventsync.state.snapshot import advance
    outcomes = {u.object_id: RowOutcome.updated(u.object_id, CONFIRMED_AT, dict(u.values)) for u in plan.updates}
    snapshot = advance(snapshot, list(outcomes.values()))
    return annotations_for(row_results(plan, outcomes, snapshot))
"""

STEPS = {
    "read": """
from eventsync.sheets.reader import read_sheet
sheet = timed("read", lambda: read_sheet(path))
assert sheet.rows
""",
    "plan": """
from eventsync.sheets.reader import read_sheet
sheet = read_sheet(path)
plan, snapshot = timed("plan", lambda: plan_of(sheet))
assert len(plan.updates) == len(sheet.rows) // 100, len(plan.updates)
# Hand the annotate step what it needs, so that it runs without reading the sheet.
notes = confirmed(plan, snapshot)
rows = [(r.row_number, {k: r.cells[k] for k in ("updatedAt", "syncError") if k in r.cells})
        for r in sheet.rows]
headers = {k: (h.text, h.column_number) for k, h in sheet.headers.items()}
light = (sheet.format, sheet.sheet_name, headers, sheet.last_column, rows, notes)
pickled.write_bytes(pickle.dumps(light))
""",
    "annotate": """
from eventsync.model import HeaderCell, Sheet, SheetRow, frozen
from eventsync.sheets.writer import annotate
fmt, name, headers, last, rows, notes = pickle.loads(pickled.read_bytes())
sheet = Sheet(path, fmt, name, frozen({k: HeaderCell(*h) for k, h in headers.items()}), last,
              tuple(SheetRow(n, frozen(cells)) for n, cells in rows))
written = timed("annotate", lambda: annotate(sheet, notes, state))
assert written == len(notes) // 100, written
""",
    "sync": """
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import annotate
sheet = timed("read", lambda: read_sheet(path))
plan, snapshot = timed("plan", lambda: plan_of(sheet))
notes = confirmed(plan, snapshot)
written = timed("annotate", lambda: annotate(sheet, notes, state))
assert written == len(plan.updates), (written, len(plan.updates))
""",
    "openpyxl": """
import openpyxl
def round_trip():
    openpyxl.load_workbook(path).save(path.with_name("openpyxl-" + path.name))
timed("openpyxl", round_trip)
""",
}


def run_step(step: str, path: Path, state: Path, pickled: Path) -> tuple[float, dict, float]:
    """(wall seconds of the child, its own step timings, its peak RSS in MB)."""
    code = PRELUDE + STEPS[step] + "\nimport json; print(json.dumps(times))\n"
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(path), str(state), str(pickled)],
            cwd=REPO,
            stdout=out,
            stderr=err,
            text=True,
        )
        # wait4, not wait: it hands back this child's own resource usage (its peak RSS).
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{step} on {path.name} failed:\n{err.read()}")
        times = json.loads(out.read().strip().splitlines()[-1])
    peak_mb = usage.ru_maxrss / 1024  # Linux reports KiB
    return wall, times, peak_mb


# --- the run ----------------------------------------------------------------------------


def bench_file(folder: Path, fmt: str, rows: int) -> dict[str, tuple[float, dict, float]]:
    work = folder / f"{fmt}-{rows}"
    work.mkdir()
    original = work / f"events.{fmt}"
    state = work / "state"
    # Made in a child too: a child's max RSS counts the memory of the parent it was
    # forked from, so this process stays small (nothing but the standard library).
    prepare = [sys.executable, __file__, "--prepare", fmt, str(rows), str(original), str(state)]
    subprocess.run(prepare, check=True)
    pickled = work / "annotate-input.pickle"
    results = {}
    for step in ("read", "plan", "annotate", "sync", "openpyxl"):
        if step == "openpyxl" and fmt != "xlsx":
            continue
        # Every step starts from the untouched file (annotate and sync change it).
        target = work / f"{step}.{fmt}"
        shutil.copyfile(original, target)
        results[step] = run_step(step, target, state, pickled)
        shutil.rmtree(state / "backups", ignore_errors=True)
    return results


def report(fmt: str, rows: int, results: dict) -> list[tuple[str, bool]]:
    print(f"\n{fmt} {rows:,} rows x {len(COLUMNS)} columns ({rows // CHANGED_EVERY:,} changed)")
    print(f"  {'step':<9} {'process':>9} {'step alone':>11} {'peak RSS':>9}")
    for step, (wall, inner, peak) in results.items():
        alone = " + ".join(f"{name} {s:.2f}" for name, s in inner.items())
        print(f"  {step:<9} {wall:8.2f}s {peak:8.0f} MB   {alone}")
    if rows != TARGET_ROWS:
        return []
    verdicts = []
    sync_wall, _, sync_peak = results["sync"]
    if "openpyxl" in results:
        ratio = sync_wall / results["openpyxl"][0]
        ok = ratio <= RATIO_TARGET
        verdicts.append((f"{fmt} sync / openpyxl round trip = {ratio:.2f} (<= {RATIO_TARGET})", ok))
    ok = sync_peak <= MEMORY_TARGET_MB
    verdicts.append((f"{fmt} sync peak {sync_peak:.0f} MB (<= {MEMORY_TARGET_MB} MB)", ok))
    return verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    parser.add_argument("--prepare", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        fmt, rows, path, state = args.prepare
        (write_xlsx if fmt == "xlsx" else write_csv)(Path(path), int(rows))
        write_snapshot(Path(state), Path(path))
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_sheets_"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    verdicts = []
    try:
        for rows in (int(s) for s in args.sizes.split(",")):
            for fmt in args.formats.split(","):
                verdicts += report(fmt, rows, bench_file(folder, fmt, rows))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    for text, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(benchmark ran {time.perf_counter() - started:.0f} s; its own peak {own_mb:.0f} MB)")
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
