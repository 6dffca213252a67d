"""Benchmark pacing: sync 10,000 changed events against a sandbox limited to 20 requests/s.

Run: .venv/bin/python benchmarks/bench_sync.py [--events N] [--rate N/S]

The sandbox runs in this process; `python -m eventsync sync` runs as a child process, as a
user would run it. Two runs, each on a fresh sheet and state folder:

- `--no-remote-check`: only the batch updates (ceil(events / 100) requests);
- the default sync: first reads HubSpot's current state (the paged list, 100 events a
  page), then sends the same batch updates.

Figures per run: the requests, the 429s (from the run log, which stamps every request),
and the time spent sending (first request out to last answer in) against the ideal,
requests / limit; the whole command's wall time is shown too, but the target is on
sending, which is what pacing governs: start-up, reading, planning and writing the
sheet back are benchmarked by bench_csv_file.py and bench_xlsx_patch.py.
Targets: sending at most 1.10x the ideal, no 429 after the first window of the limit,
and exactly ceil(changed / batch size) successful batch updates. Exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventsync.sandbox.server import Sandbox, make_event, parse_rate_limit  # noqa: E402

TOKEN = "pat-bench-0000"
BATCH_SIZE = 100
MAX_RATIO = 1.10


def write_sheet(path: Path, count: int) -> None:
    """Every row renames its event, so every row is a change to send."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["objectId", "eventName", "eventType", "eventOrganizer"])
        for n in range(count):
            writer.writerow([1000000 + n, f"Renamed event {n}", "WEBINAR", "Acme Events"])


def run_log_entries(state_dir: Path) -> list[dict]:
    [log] = sorted((state_dir / "logs").glob("*.jsonl"))
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def bench(label: str, count: int, rate: str, extra_args: list[str]) -> bool:
    limits = parse_rate_limit(rate)
    assert limits is not None, rate  # --rate always names a limit
    limit, interval_s = limits
    events = [make_event(1000000 + n) for n in range(count)]
    with tempfile.TemporaryDirectory() as folder, Sandbox(events, rate_limit=rate) as sandbox:
        root = Path(folder)
        (root / "sheets").mkdir()
        write_sheet(root / "sheets" / "events.csv", count)
        env = {
            **os.environ,
            "HUBSPOT_ACCESS_TOKEN": TOKEN,
            "EVENTSYNC_BASE_URL": sandbox.url,
            "EVENTSYNC_TIMEZONE": "UTC",
            "EVENTSYNC_BATCH_SIZE": str(BATCH_SIZE),
            # The tier that 20 requests a second is (200 per 10 s): the sandbox binds.
            "EVENTSYNC_MAX_REQUESTS_PER_10S": "200",
        }
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "eventsync", "sync", *extra_args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        wall_s = time.perf_counter() - started
        if done.returncode != 0:
            print(f"{label}: sync failed with exit code {done.returncode}\n{done.stderr}")
            return False
        requests = sandbox.requests
        entries = [e for e in run_log_entries(root / ".eventsync") if e["kind"] == "request"]

    answered = [datetime.fromisoformat(e["at"]).timestamp() for e in entries]
    first = answered[0] - entries[0].get("took_s", 0.0)  # when the first request went out
    late_429s = sum(
        1
        for e, t in zip(entries, answered, strict=True)
        if e["status"] == 429 and t - first >= interval_s
    )
    all_429s = sum(1 for r in requests if r.status == 429)
    updates_ok = sum(
        1 for r in requests if r.path.endswith("/batch/update") and r.status in (200, 207)
    )
    wanted_updates = math.ceil(count / BATCH_SIZE)
    ideal_s = len(requests) / (limit / interval_s)
    send_s = answered[-1] - first
    ratio = send_s / ideal_s
    print(f"-- {label}: {count} changed events, sandbox limit {rate} requests/s")
    print(
        f"   requests {len(requests)} ({updates_ok} batch updates OK), 429s {all_429s}"
        f" ({late_429s} after the first {interval_s:g} s)"
    )
    print(
        f"   sending (first request out to last answer in) {send_s:.2f} s, ideal {ideal_s:.2f} s:"
        f" {ratio:.3f}x"
    )
    print(
        f"   whole command {wall_s:.2f} s ({wall_s / ideal_s:.3f}x; the other"
        f" {wall_s - send_s:.2f} s are start-up, reading and planning the sheet, writing it back)"
    )
    checks = [
        (f"sending takes at most {MAX_RATIO:.2f}x the ideal", ratio <= MAX_RATIO),
        ("no 429 after the first window", late_429s == 0),
        (f"exactly {wanted_updates} successful batch updates", updates_ok == wanted_updates),
    ]
    for text, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")
    return all(ok for _, ok in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rate", default="20/1", help="the sandbox limit, N/S")
    args = parser.parse_args()
    results = [
        bench("sync --no-remote-check", args.events, args.rate, ["--no-remote-check"]),
        bench("sync (reads HubSpot first)", args.events, args.rate, []),
    ]
    print("bench_sync:", "PASS" if all(results) else "FAIL")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
