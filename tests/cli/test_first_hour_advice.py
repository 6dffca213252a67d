"""End to end: the advice a new user meets in the first hour is true and asks for what
they asked. A plan with no sheets folder suggests a plan (not a sync) with a path;
`template` into the sheets folder gives the next step, not "save it into the sheets
folder"; an .ods is met with one advice, LibreOffice's Save As, wherever it is met; the
run log tells a read of HubSpot's events from a send, with what the number counts.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from helpers import Workspace


def test_a_plan_with_no_sheets_folder_suggests_a_plan_of_a_named_file(workspace: Workspace):
    missing = workspace.root / "elsewhere"
    for verb in ("plan", "sync"):
        english = workspace.run(verb, EVENTSYNC_SHEETS_DIR="elsewhere", EVENTSYNC_LANG="en")
        assert english.code == 2
        assert english.err == (
            f"eventsync: {missing}: no sheets folder; run eventsync init to make it with an"
            " empty events workbook, or create it and put your events workbook in it, or name"
            f" the file: eventsync {verb} PATH\n"
        )
        japanese = workspace.run(verb, EVENTSYNC_SHEETS_DIR="elsewhere", EVENTSYNC_LANG="ja")
        assert japanese.err.endswith(f"ファイルを指定してください：「eventsync {verb} PATH」\n")
    assert workspace.sandbox.batch_update_requests() == []


def test_template_into_the_sheets_folder_says_the_next_step_only(workspace: Workspace):
    inside = Path("sheets", "events.xlsx")
    made = workspace.run("template", str(inside))
    assert made.code == 0, made.err
    assert made.out == (
        f"wrote {workspace.root / inside}: fill in the Events sheet, save it, then run"
        " eventsync plan\n"
    )
    japanese = workspace.run("template", "--force", "--lang", "ja", str(inside))
    assert japanese.out.splitlines()[-1] == (
        f"{workspace.root / inside}を書き込みました：「Events」シートに入力して保存し、"
        "「eventsync plan」を実行してください"
    )
    # Elsewhere, moving it into the sheets folder is a step still to take.
    outside = workspace.run("template", "mine.xlsx")
    assert outside.out == (
        f"wrote {workspace.root / 'mine.xlsx'}: fill the Events sheet, save it into the sheets"
        " folder, then run eventsync plan\n"
    )


ODS_ADVICE = (
    "{names}: it is an OpenDocument spreadsheet, which eventsync does not sync; open it in"
    " LibreOffice and save it as .xlsx (File > Save As, file type Excel 2007-365), then run"
    " again"
)
ODS_ADVICE_JA = (
    "{names}：OpenDocumentのスプレッドシートで、eventsyncでは同期できません。LibreOffice"
    "で開いて.xlsx形式で保存してから（ファイル>名前を付けて保存、ファイルの種類は"
    "Excel 2007-365）、もう一度実行してください"
)


def ods_file(path: Path) -> Path:
    """An .ods as LibreOffice starts one: a zip whose first member is its mimetype."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def test_a_folder_of_only_ods_files_gets_the_save_as_advice_and_no_empty_workbook(
    workspace: Workspace,
):
    ods_file(workspace.sheets / "2026.ods")
    english = workspace.run("plan", EVENTSYNC_LANG="en")
    assert english.code == 2
    assert english.err == (
        f"eventsync: {workspace.sheets}: no .xlsx, .xlsm or .csv file in it; "
        + ODS_ADVICE.format(names="2026.ods")
        + "\n"
    )
    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert japanese.err == (
        f"eventsync: {workspace.sheets}：.xlsx、.xlsm、.csvのファイルがありません。"
        + ODS_ADVICE_JA.format(names="2026.ods")
        + "\n"
    )


def test_an_ods_named_or_renamed_xlsx_gets_the_same_advice(workspace: Workspace):
    named = ods_file(workspace.root / "2026.ods")
    result = workspace.run("plan", str(named.name), EVENTSYNC_LANG="en")
    assert result.code == 2
    assert ODS_ADVICE.format(names="2026.ods") in result.err
    flat = ods_file(workspace.root / "2026.fods")  # LibreOffice's flat XML: the same save
    result = workspace.run("plan", str(flat.name), EVENTSYNC_LANG="en")
    assert result.code == 2
    assert ODS_ADVICE.format(names="2026.fods") in result.err
    renamed = ods_file(workspace.root / "2026.xlsx")  # saved as .ods, named .xlsx
    result = workspace.run("plan", str(renamed.name), EVENTSYNC_LANG="ja")
    assert result.code == 2
    assert ODS_ADVICE_JA.format(names="2026.xlsx") in result.err
    assert "Excel or LibreOffice" not in result.err


def test_the_run_log_says_how_many_events_a_read_brought_back(workspace: Workspace):
    workspace.sample_workbook()  # the sandbox's 20 sample events
    synced = workspace.run("sync")
    assert synced.code == 0, synced.out + synced.err
    shown = workspace.run("log")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    listed = [line for line in lines if "  GET " in line and "marketing-events" in line]
    assert len(listed) == 1 and re.search(
        r"  GET /marketing/marketing-events/2026-09: read 20 events from HubSpot, attempt 1, 200,",
        listed[0],
    ), shown.out
    account = next(line for line in lines if "  GET /account-info/" in line)
    assert re.search(r"/details: attempt 1, 200, correlationId ", account), account
    sent = next(line for line in lines if "  POST " in line)
    assert "/batch/update: 20 events, attempt 1, 200," in sent
    assert not [line for line in lines if " 0 events" in line]
