"""`make demo`: the whole flow against the local sandbox, with nothing set up beforehand.

Starts the sandbox with the sample events, builds the sample workbook (the one
`make templates` saves as templates/sample-events.xlsx) in a scratch folder, runs plan
and sync, shows the annotated rows, edits two cells, and syncs again to show that
exactly those two events go out. Never talks to the real HubSpot.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from eventsync.messages import Language, Text, localise
from eventsync.sandbox import startup
from eventsync.sandbox.sample import SAMPLE_CUSTOM, SAMPLE_PROPERTIES, sample_events, sample_rows
from eventsync.sandbox.server import Sandbox
from eventsync.sheets.template import build_workbook, save_workbook
from eventsync.sheets.xlsx.patch import patch_cells
from eventsync.terminal import escaping_system_streams

DEMO_TOKEN = "demo-token-not-a-secret"


# The language of the demo's own lines: EVENTSYNC_LANG, as for the eventsync output they
# frame (a Japanese user would otherwise read English around Japanese).
LANGUAGE: Language = "en"


def say(message: Text) -> str:
    return localise(message, LANGUAGE)


def step(title: Text) -> None:
    print(f"\n=== {say(title)} ===", flush=True)


def eventsync(folder: Path, env: dict[str, str], *args: str, lines: int = 30) -> int:
    """Run the real CLI; long output is cut to its first `lines` lines for the screen."""
    print(f"$ eventsync {' '.join(args)}", flush=True)
    # UTF-8 both ways through the pipe, whatever the code page (Windows' cp1252 or
    # cp932): the demo's own stdout then says it as that console can.
    done = subprocess.run(
        [sys.executable, "-m", "eventsync", *args],
        cwd=folder,
        env={**env, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        encoding="utf-8",
        errors="replace",
    )
    output = done.stdout.splitlines()
    print("\n".join(output[:lines]))
    if len(output) > lines:
        more = say(Text("demo.more_lines", count=len(output) - lines))
        print(f"  {more}\n{output[-1]}")
    sys.stderr.write(done.stderr)
    return done.returncode


def _short(value: object, width: int = 50) -> str:
    text = str(value).removesuffix(".0")
    return text if len(text) <= width else text[: width - 3] + "..."


def show_rows(workbook: Path, limit: int = 6) -> None:
    grid = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Events").to_python()
    header = [str(h) for h in grid[0]]
    wanted = [header.index(name) for name in ("objectId", "eventName", "updatedAt", "syncError")]
    rows = [[_short(row[i]) for i in wanted] for row in grid[1:] if row[wanted[0]] != ""]
    widths = [
        max(len(r[i]) for r in [*rows, [header[j] for j in wanted]]) for i in range(len(wanted))
    ]
    for row in [[header[j] for j in wanted], *rows[:limit]]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    if len(rows) > limit:
        print("  " + say(Text("demo.more_rows", count=len(rows) - limit)))


def main() -> int:
    global LANGUAGE  # noqa: PLW0603 - set once, before anything is printed
    LANGUAGE = startup.language()
    scratch = Path(tempfile.mkdtemp(prefix="eventsync-demo-"))
    try:
        ok = _demo(scratch)
    except BaseException:  # a crash or Ctrl-C: the folder is what there is to look at
        finish(scratch, ok=False)
        raise
    step(Text("demo.done") if ok else Text("demo.went_wrong"))
    finish(scratch, ok=ok)
    return 0 if ok else 1


def finish(scratch: Path, *, ok: bool) -> None:
    """Remove the scratch folder after a demo that went well (each `make demo` would
    otherwise leave one in the system temp folder for good); keep it, saying where,
    after one that did not, so the sheet and the run log can be looked at."""
    if not ok:
        print(say(Text("demo.files_kept", folder=scratch)), flush=True)
        return
    try:
        shutil.rmtree(scratch)
    except OSError as error:  # e.g. a virus scanner holding a file on Windows
        print(say(Text("demo.not_removed", folder=scratch, why=error)))
        return
    readme = "README.ja.md" if LANGUAGE == "ja" else "README.md"
    print(say(Text("demo.removed", readme=readme)))


def _demo(scratch: Path) -> bool:
    (scratch / "sheets").mkdir()
    workbook = scratch / "sheets" / "events.xlsx"
    # Built from the code, not copied from templates/: an installed eventsync has no
    # templates/ folder, and the workbook is the same.
    save_workbook(build_workbook(sample_rows(), custom=SAMPLE_CUSTOM), workbook)
    with Sandbox(
        events=sample_events(), token=DEMO_TOKEN, property_definitions=list(SAMPLE_PROPERTIES)
    ) as sandbox:
        env = {
            **os.environ,
            "HUBSPOT_ACCESS_TOKEN": DEMO_TOKEN,
            "EVENTSYNC_BASE_URL": sandbox.url,
            "EVENTSYNC_TIMEZONE": "Asia/Tokyo",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        }
        print(say(Text("demo.started", url=sandbox.url, folder=scratch)))

        step(Text("demo.step_plan"))
        eventsync(scratch, env, "plan")
        step(Text("demo.step_sync"))
        first = eventsync(scratch, env, "sync")
        step(Text("demo.step_rows"))
        show_rows(workbook)
        step(Text("demo.step_again"))
        before = sandbox.request_count
        again = eventsync(scratch, env, "sync")
        print(say(Text("demo.requests", count=sandbox.request_count - before)))

        step(Text("demo.step_edit"))
        patch_cells(
            workbook,
            workbook.with_suffix(".tmp"),
            "Events",
            {(3, 2): "Spring Product Update 02 (Osaka)", (7, 3): "Hybrid"},
        )
        os.replace(workbook.with_suffix(".tmp"), workbook)
        print(say(Text("demo.edited", first="eventName", second="eventType")))
        eventsync(scratch, env, "plan")
        before = len(sandbox.batch_update_requests())
        last = eventsync(scratch, env, "sync")
        sent = sandbox.batch_update_requests()[before:]
        inputs = [item for request in sent for item in request.body["inputs"]]
        print(say(Text("demo.received", requests=len(sent), events=len(inputs))))
        for request in sent:
            body = json.dumps(request.body, ensure_ascii=False, indent=2)
            print(f"POST {request.path}\n{body}")

        step(Text("demo.step_conflict"))
        sandbox.edit_event("5823713204", eventName="Renamed in HubSpot")
        patch_cells(workbook, workbook.with_suffix(".tmp"), "Events", {(5, 2): "Renamed in Excel"})
        os.replace(workbook.with_suffix(".tmp"), workbook)
        before = len(sandbox.batch_update_requests())
        conflict = eventsync(scratch, env, "sync")
        kept = sandbox.events["5823713204"]["eventName"] == "Renamed in HubSpot"
        print(say(Text("demo.kept") if kept else Text("demo.overwritten")))
        show_rows(workbook, limit=4)
        no_send = len(sandbox.batch_update_requests()) == before

    ok = first == again == last == 0 and len(sent) == 1 and len(inputs) == 2
    return ok and conflict == 1 and kept and no_send


if __name__ == "__main__":
    # A console whose code page has no kanji (cp1252) escapes the Japanese lines instead
    # of stopping the demo halfway.
    with escaping_system_streams():
        code = main()
    sys.exit(code)
