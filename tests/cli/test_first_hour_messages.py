"""Issue 24, items 4 and 5: messages a new user meets in the first hour say the right
thing, once, in natural Japanese.

An older copy's rows share one rule: the terminal says it once per file with the count,
each row's cell keeps a short form. A mistyped objectId (one HubSpot does not know) on a
row synced before is not "a new sync state": its row says to check the id.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import Workspace, edit, read_rows, sent_inputs

OBJECT_ID, NAME = 1, 2  # columns of the sample workbook
STALE_ROWS = range(2, 10)  # eight rows


def old_copy_with_eight_stale_rows(workspace: Workspace) -> Path:
    """A copy kept after the first sync; eight of its events were changed and synced
    since from the current workbook, which is then moved out of the sheets folder."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    old_copy = workspace.root / "events - old.xlsx"
    shutil.copyfile(book, old_copy)
    edit(book, {(row, NAME): f"Renamed {row}" for row in STALE_ROWS})
    assert workspace.run("sync").code == 0
    book.replace(workspace.root / "events - current.xlsx")
    shutil.copyfile(old_copy, book)
    # One fresh edit in the old copy, on each of the stale rows: all stay unsent.
    edit(book, {(row, NAME): f"Old copy edit {row}" for row in STALE_ROWS})
    return book


@pytest.mark.slow
def test_an_old_copy_says_its_rule_once_with_the_count_and_each_cell_a_short_form(workspace):
    book = old_copy_with_eight_stale_rows(workspace)
    before = len(workspace.sandbox.batch_update_requests())

    result = workspace.run("sync")

    assert result.code == 1, result.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert result.out.count("from an older copy") == 1, result.out
    assert "8 rows are from an older copy of this file (rows 2-9)" in result.out
    assert "HubSpot confirmed a newer version of their events" in result.out
    assert "eventsync sync --two-way" in result.out
    rows = read_rows(book)
    for row in rows[:8]:
        oid = row["objectId"]
        cell = row["syncError"]
        assert cell.startswith("updatedAt: from an older copy (synced "), cell
        assert cell.endswith(f"not sent; to send it as it is, run eventsync sync --force {oid}")
        assert len(cell) < 200, cell  # the short form, not the rule (400 characters)
        assert " JST" in cell  # times as the user reads them (EVENTSYNC_TIMEZONE)
    assert all(row["syncError"] is None for row in rows[8:])


@pytest.mark.slow
def test_an_old_copy_in_japanese_says_the_rule_once_and_each_cell_a_short_form(workspace):
    book = old_copy_with_eight_stale_rows(workspace)

    result = workspace.run("sync", EVENTSYNC_LANG="ja")

    assert result.code == 1, result.out
    assert result.out.count("古いコピー") == 1, result.out
    assert "8行（2-9行目）はこのファイルの古いコピーのものです。" in result.out
    assert "「eventsync sync --two-way」を実行して編集をやり直すか" in result.out
    for row in read_rows(book)[:8]:
        cell = row["syncError"]
        assert cell.startswith("updatedAt：古いコピーの行です（"), cell
        assert " JSTに同期。HubSpotには" in cell
        assert cell.endswith(
            f"送信しません。このまま送るには「eventsync sync --force {row['objectId']}」を"
            "実行してください"
        )


def test_a_mistyped_id_on_a_synced_row_says_to_check_the_id_not_that_the_state_is_new(
    workspace,
):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    edit(book, {(3, OBJECT_ID): 5823713299})  # one digit wrong; the row keeps its updatedAt
    before = len(workspace.sandbox.batch_update_requests())

    plan = workspace.run("plan")
    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    result = workspace.run("sync")

    assert plan.code == 1, plan.out
    assert "no record of the last sync" not in plan.out
    assert "row 3: objectId: HubSpot has no event 5823713299; check the id" in plan.out
    assert "前回の同期の記録" not in japanese.out and "状態が新しく" not in japanese.out
    assert "3行目：objectId：HubSpotにイベント5823713299はありません。IDを確認して" in japanese.out
    assert result.code == 1, result.out
    assert "no record of the last sync" not in result.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert read_rows(book)[1]["syncError"] == (
        "objectId: HubSpot has no event 5823713299; check the id (copy it from HubSpot)"
    )
