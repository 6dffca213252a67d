"""docs/sandbox.md's "Try it by hand", step by step, as a newcomer follows it: the
sandbox started as `make sandbox` starts it, `.env` made of the two lines its banner
shows, pull, a cell edited, the same event changed as a colleague would, the conflict
seen and then resolved. eventsync runs through `eventsync.cli.main`; the sandbox and the
colleague's command are processes of their own, over real HTTP."""

from __future__ import annotations

import requests
from helpers import all_files_text, edit, read_rows, run_in
from helpers.sandbox_process import SAMPLE_EVENTS, running_sandbox, sandbox_command

from eventsync.sandbox.startup import SANDBOX_TOKEN

FIRST = "5823713201"  # row 2 of the pulled workbook
MINE, THEIRS = "Renamed in my sheet", "Renamed by a colleague"


def event_name(url: str, object_id: str) -> str:
    return requests.get(f"{url}/_sandbox/events/{object_id}", timeout=10).json()["eventName"]


def test_try_it_by_hand_from_pull_to_a_conflict_and_its_resolution(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    # 1. Start the sandbox (make sandbox: --events templates/sample-events.json).
    with running_sandbox(tmp_path, "--events", str(SAMPLE_EVENTS)) as sandbox:
        # 2. Point .env at it: the banner's two lines, pasted as they are.
        pasted = [
            line.strip()
            for line in sandbox.banner
            if line.startswith("    ") and "-m eventsync.sandbox" not in line
        ]
        assert [line.split("=", 1)[0] for line in pasted] == [
            "HUBSPOT_ACCESS_TOKEN",
            "EVENTSYNC_BASE_URL",
        ]
        (work / ".env").write_text("\n".join(pasted) + "\n", encoding="utf-8")

        # 3. Pull the sandbox's events into a workbook (make pull).
        pulled = run_in(work, "pull", "sheets/events.xlsx")
        assert pulled.code == 0, pulled.out + pulled.err
        workbook = work / "sheets" / "events.xlsx"
        assert read_rows(workbook)[0]["objectId"] == int(FIRST)

        # 4. Edit a cell, as in Excel: the first event's eventName.
        edit(workbook, {(2, 2): MINE})

        # 5. The same event changed as a colleague would, from another terminal.
        colleague = sandbox_command(
            work, "edit", FIRST, f"eventName={THEIRS}", "--port", str(sandbox.port)
        )
        assert colleague.returncode == 0, colleague.stderr

        # 6. See the conflict: plan names it, sync sends nothing and says it in the row.
        plan = run_in(work, "plan")
        assert plan.code == 1
        assert f'row 2: conflict: eventName was changed in HubSpot to "{THEIRS}"' in plan.out
        synced = run_in(work, "sync")
        assert synced.code == 1 and "1 conflict" in synced.out
        assert read_rows(workbook)[0]["syncError"].startswith(
            f'conflict: eventName was changed in HubSpot to "{THEIRS}"'
        )
        assert event_name(sandbox.url, FIRST) == THEIRS  # the colleague's edit is kept

        # 7. Resolve it: send mine for that event only.
        forced = run_in(work, "sync", "--force", FIRST)
        assert forced.code == 0, forced.out + forced.err
        assert event_name(sandbox.url, FIRST) == MINE
        assert not read_rows(workbook)[0]["syncError"]

    # The sandbox's token is in .env, where the newcomer pasted it, and nowhere else.
    outputs = [pulled, plan, synced, forced]
    assert all(SANDBOX_TOKEN not in result.out + result.err for result in outputs)
    (work / ".env").unlink()
    assert SANDBOX_TOKEN not in all_files_text(work)
    assert SANDBOX_TOKEN not in colleague.stdout + colleague.stderr + sandbox.after
