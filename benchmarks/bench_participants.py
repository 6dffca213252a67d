"""Benchmark participants: 10,000 participant rows over 20 events, planned and synced
against the sandbox at HubSpot's lowest limit (100 requests per 10 s).

Run: .venv/bin/python benchmarks/bench_participants.py [--rows N] [--events N] [--rate N/S]
(`make bench` runs it with the defaults, about half a minute; `--rows 1000` tries it quickly.)

The sheets folder holds one participants CSV (docs/participants.md): `--events` events
of `--rows / --events` rows each, 60% register, 30% attend (with joinedAt / leftAt), 10%
cancel; `--rows / 2` people, each in two events; half of them (the even-numbered) are
contacts the sandbox already has (`add_contacts`), the others are created by the sync.
Each command runs as a child process (`python -m eventsync ...`), as a user runs it, its
peak memory its own (bench_state's launcher):

  plan               `plan`: exactly ceil(people / 100) contacts batch reads and no
                     attendance request; the file unchanged; exit 0
  sync               `sync --create-contacts`, started once the plan's requests have left
                     the limit's window (as after reading the plan): exactly the
                     minimum, ceil(people / 100) reads and the sum over events and states
                     of ceil(rows / 100) attendance requests; no 429; every row
                     annotated (contactId, sentAt, no syncError); the sandbox has every
                     person in every event and created exactly the unknown half
  second sync        the same command on the unchanged file: no request at all, the
                     file unchanged
  1% edited          every 100th row (a register row) made attend, the same command:
                     only those rows sent, in the fewest attendance requests (per event
                     and state), no contacts read (their ids are in the state); every
                     row annotated; HubSpot has that many more attendees

Wall times are the whole command's, against the ideal, requests / limit (what the limit
forces on a steady stream): at most 1.10x, or one window of the limit when that is
longer (a command of a few requests is mostly start-up). The limit's window lets the
first 100 requests go at once, so a run of R requests can end as early as
floor((R - 1) / 100) windows; that floor is printed too. Peak RSS under 400 MB. PASS/FAIL per target; exit
code 1 on a miss.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_state  # noqa: E402 (beside this file: the launcher, the environment)

from eventsync.sandbox.contacts import add_contacts, created_contacts  # noqa: E402
from eventsync.sandbox.participants import participation_states  # noqa: E402
from eventsync.sandbox.server import Sandbox, make_event, parse_rate_limit  # noqa: E402

LIMIT_PER_REQUEST = 100  # emails per contacts read, inputs per attendance request
MAX_RATIO = 1.10
PACED = f"at most {MAX_RATIO:.2f}x the ideal (or one window, if longer: start-up then outweighs it)"
MEMORY_MB = 400
FIRST_ID = 7_000_001
EDIT_EVERY = 100  # 1% of the rows change state after the first sync
HEADER = ["email", "objectId", "state", "interactionDateTime", "joinedAt", "leftAt"]
# Of every ten rows of an event: six register, three attend, one cancels.
STATE_OF = ["register"] * 6 + ["attend"] * 3 + ["cancel"]


def email(person: int) -> str:
    return f"person{person:06d}@example.com"


def participant_rows(rows: int, events: int) -> list[list[str]]:
    """Event e's slot j is person (e * per_event + j) mod people: with people = rows / 2,
    each person is in two events and never twice in one."""
    per_event, people = rows // events, rows // 2
    table = []
    for e in range(events):
        for j in range(per_event):
            state = STATE_OF[j % len(STATE_OF)]
            times = ["2026-05-01 10:00", "2026-05-01 11:30"] if state == "attend" else ["", ""]
            person = (e * per_event + j) % people
            table.append([email(person), str(FIRST_ID + e), state, "2026-04-20 09:00", *times])
    return table


def write_csv(path: Path, table: list[list[str]]) -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([HEADER, *table])
    path.write_bytes(text.getvalue().encode("utf-8"))


def minimum_requests(table: list[list[str]]) -> tuple[int, int]:
    """(contacts reads, attendance requests) the fewest HubSpot's batch sizes allow."""
    people = {row[0] for row in table}
    per_event_and_state = Counter((row[1], row[2]) for row in table)
    writes = sum(math.ceil(n / LIMIT_PER_REQUEST) for n in per_event_and_state.values())
    return math.ceil(len(people) / LIMIT_PER_REQUEST), writes


def counted(requests: list) -> tuple[int, int, int]:
    """(contacts reads, attendance requests, 429s) among the sandbox's requests."""
    reads = sum(1 for r in requests if r.path.endswith("/batch/read") and r.status != 429)
    writes = sum(1 for r in requests if "/attendance/" in r.path and r.status != 429)
    return reads, writes, sum(1 for r in requests if r.status == 429)


def check(text: str, ok: bool) -> bool:
    return bench_state.check(text, ok)


def figures(
    label: str, requests: list, wall: float, rss: float, rate: tuple[int, float]
) -> tuple[int, int, int, bool]:
    """Print one command's figures; returns (reads, writes, 429s, within the target
    `PACED`)."""
    limit, interval_s = rate
    reads, writes, too_many = counted(requests)
    ideal = len(requests) / (limit / interval_s)
    floor = (len(requests) - 1) // limit * interval_s if requests else 0.0
    ratio = wall / ideal if ideal else 0.0
    paced = wall <= max(MAX_RATIO * ideal, interval_s)
    print(f"-- {label}")
    print(
        f"   {len(requests)} requests: {reads} contacts reads, {writes} attendance, 429s {too_many}"
    )
    versus = f"ideal {ideal:.1f} s: {ratio:.3f}x; floor {floor:.0f} s" if requests else "no ideal"
    print(
        f"   whole command {wall:.2f} s (CPU {bench_state.last_cpu_s:.2f} s), {versus};"
        f" peak RSS {rss:.0f} MB"
    )
    return reads, writes, too_many, paced


def read_back(path: Path) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def all_annotated(path: Path) -> bool:
    rows = read_back(path)
    return all(r["contactId"] and r["sentAt"] and not r["syncError"] for r in rows)


def bench(rows: int, events: int, rate: str) -> bool:
    limits = parse_rate_limit(rate)
    assert limits is not None, rate  # --rate always names a limit
    limit, interval_s = limits
    table = participant_rows(rows, events)
    min_reads, min_writes = minimum_requests(table)
    people = len({row[0] for row in table})
    known = [email(n) for n in range(0, rows // 2, 2)]
    sandbox_events = [make_event(FIRST_ID + e) for e in range(events)]
    print(
        f"participants: {len(table)} rows, {events} events, {people} people ({len(known)} known"
        f" to HubSpot); sandbox limit {rate} requests/s"
    )
    with tempfile.TemporaryDirectory() as folder, Sandbox(sandbox_events, rate_limit=rate) as sb:
        add_contacts(sb, *known)
        root = Path(folder)
        (root / "sheets").mkdir()
        sheet = root / "sheets" / "participants.csv"
        write_csv(sheet, table)
        before = sheet.read_bytes()
        env = bench_state.environment(sb.url, limit, interval_s)
        command = [sys.executable, "-m", "eventsync"]

        code, wall, rss, err = bench_state.child([*command, "plan"], root, env)
        reads, writes, _, paced = figures("plan", sb.requests, wall, rss, limits)
        results = [
            check("exit code 0", code == 0) or print(err[-2000:]) is not None and False,
            check(
                f"exactly {min_reads} contacts reads, no attendance, at most one other"
                " (plan's access check of the events API)",
                (reads, writes) == (min_reads, 0) and len(sb.requests) <= min_reads + 1,
            ),
            check(PACED, paced),
            check("the file unchanged", sheet.read_bytes() == before),
            check(f"peak RSS under {MEMORY_MB} MB", rss < MEMORY_MB),
        ]

        time.sleep(interval_s)  # the plan's requests leave the window, as while reading it
        start = len(sb.requests)
        sync = [*command, "sync", "--create-contacts"]
        code, wall, rss, err = bench_state.child(sync, root, env)
        sent = sb.requests[start:]
        reads, writes, too_many, paced = figures("sync --create-contacts", sent, wall, rss, limits)
        wanted = (min_reads, min_writes)
        in_hubspot = sum(len(participation_states(sb, FIRST_ID + e)) for e in range(events))
        created = len(created_contacts(sb))
        print(f"   HubSpot has {in_hubspot} participations; {created} contacts created")
        results += [
            check("exit code 0", code == 0) or print(err[-2000:]) is not None and False,
            check(
                f"exactly the minimum: {min_reads} reads, {min_writes} attendance requests",
                (reads, writes) == wanted and len(sent) == sum(wanted),
            ),
            check("no 429", too_many == 0),
            check(PACED, paced),
            check("every row annotated: contactId, sentAt, no syncError", all_annotated(sheet)),
            check(f"HubSpot has all {len(table)} rows", in_hubspot == len(table)),
            check(
                f"exactly {people - len(known)} contacts created", created == people - len(known)
            ),
            check(f"peak RSS under {MEMORY_MB} MB", rss < MEMORY_MB),
        ]

        synced = sheet.read_bytes()
        start = len(sb.requests)
        code, wall, rss, err = bench_state.child(sync, root, env)
        figures("second sync, file unchanged", sb.requests[start:], wall, rss, limits)
        results += [
            check("exit code 0", code == 0) or print(err[-2000:]) is not None and False,
            check("no request at all", len(sb.requests) == start),
            check("the file unchanged", sheet.read_bytes() == synced),
            check(f"peak RSS under {MEMORY_MB} MB", rss < MEMORY_MB),
        ]
        results.append(bench_edit(sb, root, env, sync, events, limits))
    return all(results)


def attended(sb: Sandbox, events: int) -> int:
    states = (participation_states(sb, FIRST_ID + e).values() for e in range(events))
    return sum(list(each).count("ATTENDED") for each in states)


def edit_states(path: Path) -> list[list[str]]:
    """Every `EDIT_EVERY`-th row (a register row) becomes attend; returns the rows
    edited. The other cells, results included, stay as the sync wrote them."""
    table = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    edited = []
    for row in table[1::EDIT_EVERY]:
        row[HEADER.index("state")] = "attend"
        edited.append(row)
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(table)
    path.write_bytes(text.getvalue().encode("utf-8"))
    return edited


def bench_edit(
    sb: Sandbox,
    root: Path,
    env: dict[str, str],
    sync: list[str],
    events: int,
    limits: tuple[int, float],
) -> bool:
    """1% of the rows change state after the sync: only they are sent, nothing is read."""
    before = attended(sb, events)
    edited = edit_states(root / "sheets" / "participants.csv")
    _, min_writes = minimum_requests(edited)
    time.sleep(limits[1])  # the last sync's requests leave the window
    start = len(sb.requests)
    code, wall, rss, err = bench_state.child(sync, root, env)
    label = f"sync after {len(edited)} rows (1%) changed register -> attend"
    reads, writes, too_many, paced = figures(label, sb.requests[start:], wall, rss, limits)
    now = attended(sb, events)
    return all(
        [
            check("exit code 0", code == 0) or print(err[-2000:]) is not None and False,
            check(
                f"exactly {min_writes} attendance requests, no contacts read",
                (reads, writes) == (0, min_writes) and len(sb.requests) - start == min_writes,
            ),
            check("no 429", too_many == 0),
            check(PACED, paced),
            check(
                "every row annotated",
                all_annotated(root / "sheets" / "participants.csv"),
            ),
            check(f"HubSpot has {len(edited)} more attendees", now - before == len(edited)),
            check(f"peak RSS under {MEMORY_MB} MB", rss < MEMORY_MB),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--rate", default="100/10", help="the sandbox limit, N/S")
    args = parser.parse_args()
    if not 2 <= args.events <= args.rows // 2:
        parser.error("--events must be at least 2, --rows at least twice --events")
    ok = bench(args.rows, args.events, args.rate)
    print("bench_participants:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
