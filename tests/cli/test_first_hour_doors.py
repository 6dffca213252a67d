"""The command line's first doors (issue 24): `eventsync` alone, a mistyped command,
and `--force` followed by a sheet, end to end through `eventsync.cli.main`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import edit, read_rows, sent_inputs

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ("sync", "plan", "init", "pull", "template", "log", "history", "watch", "service")


def test_eventsync_alone_prints_the_help_and_succeeds(workspace):
    result = workspace.run()
    assert result.code == 0
    assert result.err == ""
    assert result.out.startswith("usage: eventsync")
    assert all(name in result.out for name in COMMANDS)


@pytest.mark.slow
def test_eventsync_alone_as_typed_in_a_terminal_prints_the_help(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "eventsync"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "", "SYSTEMROOT": "C:\\Windows"},
    )
    assert done.returncode == 0, done.stderr
    assert "send every changed row to HubSpot" in done.stdout
    assert done.stderr == ""


def test_a_mistyped_command_suggests_the_closest(workspace):
    result = workspace.run("snyc", "events.xlsx")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(
        'eventsync: "snyc" is not an eventsync command; did you mean "sync"?'
    )
    assert "sync, plan, init, pull" in result.err
    assert "eventsync --help" in result.err


def test_a_mistyped_command_is_told_in_japanese(workspace):
    result = workspace.run("Pln", EVENTSYNC_LANG="ja")
    assert result.code == 2
    assert "「Pln」はeventsyncのコマンドではありません。「plan」のことですか？" in result.err


def test_a_word_close_to_no_command_lists_them_without_a_guess(workspace):
    result = workspace.run("frobnicate")
    assert result.code == 2
    assert '"frobnicate" is not an eventsync command. The commands: sync, plan' in result.err
    assert "did you mean" not in result.err


def test_options_before_the_command_are_still_argparses(workspace, capsys):
    # `--version` is an option, not a mistyped command
    try:
        workspace.run("--version")
    except SystemExit as done:
        assert done.code == 0
    assert capsys.readouterr().out.startswith("eventsync ")


# -- --force followed by a sheet ------------------------------------------------------


def _two_conflicts(workspace) -> Path:
    """events.xlsx beside sheets/ (an empty folder): it syncs only if named."""
    book = workspace.sample_workbook().rename(workspace.root / "events.xlsx")
    assert workspace.run("sync", "events.xlsx").code == 0
    workspace.sandbox.edit_event("5823713202", eventName="Renamed in HubSpot 02")
    workspace.sandbox.edit_event("5823713203", eventName="Renamed in HubSpot 03")
    edit(book, {(3, 2): "Mine 02", (4, 2): "Mine 03"})
    return book


@pytest.mark.slow
def test_sync_force_then_a_sheet_forces_every_event_of_that_sheet(workspace):
    book = _two_conflicts(workspace)
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync", "--force", "events.xlsx")
    assert result.code == 0, result.err
    sent = sent_inputs(workspace.sandbox, before)
    assert sorted((i["objectId"], i["eventName"]) for i in sent) == [
        ("5823713202", "Mine 02"),
        ("5823713203", "Mine 03"),
    ]
    assert workspace.sandbox.events["5823713203"]["eventName"] == "Mine 03"
    assert all(row["syncError"] in ("", None) for row in read_rows(book))


def test_plan_force_ids_then_a_sheet_forces_only_those(workspace):
    _two_conflicts(workspace)
    result = workspace.run("plan", "--force", "5823713202", "events.xlsx")
    assert result.code == 1  # 5823713203 is still a conflict
    assert "row 4: conflict: eventName was changed in HubSpot" in result.out
    assert "row 3: conflict" not in result.out


def test_force_then_a_sheet_that_is_missing_says_the_sheet_is_missing(workspace):
    result = workspace.run("plan", "--force", "typo.xlsx")
    assert result.code == 2
    assert "typo.xlsx" in result.err
    assert "objectIds" not in result.err  # about the file, not about --force


def test_force_then_neither_ids_nor_a_sheet_is_told_in_the_users_language(workspace):
    workspace.sample_workbook()
    result = workspace.run("plan", "--force", "spring", EVENTSYNC_LANG="ja")
    assert result.code == 2
    assert "「--force spring」：「--force」にはカンマ区切りのobjectId" in result.err
    assert workspace.sandbox.batch_update_requests() == []
