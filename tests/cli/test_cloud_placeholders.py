"""Sheets a cloud service keeps only online are named with what brings them to this
computer, never passed over in silence; the other sheets sync as usual."""

from __future__ import annotations

import pytest
from helpers import sent_inputs

from eventsync.sheets.folder import (
    FILE_ATTRIBUTE_OFFLINE,
    FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS,
    FILE_ATTRIBUTE_RECALL_ON_OPEN,
    Cloud,
    Placeholder,
    placeholder_of,
)

ICLOUD_TEXT = (
    "Events.xlsx is in iCloud but not downloaded on this Mac: open it in Finder (or"
    " right-click it and choose Download Now), then run again"
)
FILE_ATTRIBUTE_ARCHIVE = 0x20
FILE_ATTRIBUTE_PINNED = 0x80000  # "Always keep on this device": here, and staying


def icloud_stub(workspace, name="Events.xlsx"):
    stub = workspace.sheets / f".{name}.icloud"
    stub.write_bytes(b"bplist00\xd4\x01\x02")  # what iCloud writes: a small property list
    return stub


def test_an_icloud_placeholder_is_named_and_the_other_sheets_sync(workspace):
    workspace.sample_workbook()
    icloud_stub(workspace)
    plan = workspace.run("plan")
    assert plan.code == 0, plan.err
    assert f"not synced: {ICLOUD_TEXT}. The other sheets sync as usual" in plan.err
    assert "events.xlsx (sheet Events): 20 rows, 20 to send" in plan.out

    result = workspace.run("sync")
    assert result.code == 0, result.err
    assert ICLOUD_TEXT in result.err
    assert len(sent_inputs(workspace.sandbox)) == 20


def test_a_folder_holding_only_placeholders_is_refused_naming_them(workspace):
    icloud_stub(workspace)
    icloud_stub(workspace, "予算.csv")
    (workspace.sheets / ".notes.txt.icloud").write_bytes(b"bplist00")  # not a sheet
    result = workspace.run("sync")
    assert result.code == 2
    assert result.err == (
        f"eventsync: {workspace.sheets}: no sheet in it is on this computer; {ICLOUD_TEXT};"
        " 予算.csv is in iCloud but not downloaded on this Mac: open it in Finder (or"
        " right-click it and choose Download Now), then run again\n"
    )
    assert sent_inputs(workspace.sandbox) == []

    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert japanese.code == 2
    assert "Events.xlsxはiCloudにありますが、このMacにダウンロードされていません" in (japanese.err)


def test_a_named_sheet_only_in_icloud_is_refused_naming_it(workspace):
    icloud_stub(workspace)
    result = workspace.run("plan", "sheets/Events.xlsx")
    assert result.code == 2
    assert result.err == f"eventsync: {ICLOUD_TEXT}\n"


def test_a_downloaded_sheet_beside_its_old_stub_syncs(workspace):
    workspace.sample_workbook("Events.xlsx")
    icloud_stub(workspace)  # iCloud removes it once the download is complete
    result = workspace.run("plan")
    assert result.code == 0 and "iCloud" not in result.err


@pytest.mark.parametrize(
    ("name", "attributes", "placeholder"),
    [
        (".Events.xlsx.icloud", 0, Placeholder("Events.xlsx", Cloud.ICLOUD)),
        (".予算.CSV.icloud", 0, Placeholder("予算.CSV", Cloud.ICLOUD)),
        (".notes.txt.icloud", 0, None),
        ("..hidden.xlsx.icloud", 0, None),  # a hidden file's stub: not a sheet either way
        (".~$Events.xlsx.icloud", 0, None),  # Excel's lock file
        (
            "Events.xlsx",
            FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS,
            Placeholder("Events.xlsx", Cloud.ONLINE_ONLY),
        ),
        (
            "Events.xlsx",
            FILE_ATTRIBUTE_RECALL_ON_OPEN,
            Placeholder("Events.xlsx", Cloud.ONLINE_ONLY),
        ),
        ("Events.xlsx", FILE_ATTRIBUTE_OFFLINE, Placeholder("Events.xlsx", Cloud.ONLINE_ONLY)),
        (
            "Events.xlsx",
            FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS | FILE_ATTRIBUTE_ARCHIVE,
            Placeholder("Events.xlsx", Cloud.ONLINE_ONLY),
        ),
        ("Events.xlsx", FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_PINNED, None),  # downloaded
        ("Events.xlsx", 0, None),
        ("notes.txt", FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS, None),
    ],
)
def test_which_entries_are_placeholders(name, attributes, placeholder):
    assert placeholder_of(name, attributes) == placeholder
