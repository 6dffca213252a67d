"""A folder the system keeps eventsync out of is a message naming it and what to do
(exit 2), never "a bug": macOS privacy controls (EPERM, for a launchd agent reading
~/Documents) and plain permissions (EACCES).

The end-to-end test makes a real unreadable sheets folder. The tests run as root, which
reads through any permission: the watch is started with the capabilities that let root
do so dropped (setpriv), so the kernel refuses it as it would refuse a user."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys

import pytest

from eventsync.access import refused_access


def test_macos_privacy_controls_name_the_folder_full_disk_access_and_the_program():
    error = PermissionError(errno.EPERM, "Operation not permitted", "/Users/aiko/Documents/ev")
    refused = refused_access(error, platform="darwin", program="/opt/homebrew/bin/python3.12")
    assert refused is not None and refused.exit_code == 2
    text = str(refused)
    assert text.startswith("/Users/aiko/Documents/ev: macOS did not let eventsync read it")
    assert "Full Disk Access" in text and "/opt/homebrew/bin/python3.12" in text
    assert "move the working folder" in text
    assert "フルディスクアクセス" in refused.args[0].in_language("ja")


@pytest.mark.parametrize(
    ("platform", "number"),
    [
        ("darwin", errno.EACCES),
        ("linux", errno.EPERM),
        ("linux", errno.EACCES),
        ("win32", errno.EACCES),
    ],
)
def test_plain_permissions_say_no_permission_everywhere_else(platform, number):
    error = PermissionError(number, os.strerror(number), "/srv/events/sheets")
    refused = refused_access(error, platform=platform)
    assert refused is not None
    assert str(refused).startswith("/srv/events/sheets: no permission to read it")
    assert "Full Disk Access" not in str(refused)


def test_an_error_that_names_no_path_or_is_no_refusal_is_not_explained():
    assert refused_access(PermissionError(errno.EPERM, "Operation not permitted")) is None
    assert refused_access(OSError(errno.EIO, "I/O error", "/x")) is None
    # Windows' sharing violation arrives as EACCES too: a file in use, not a permission.
    in_use = PermissionError(errno.EACCES, "in use", "C:\\e\\events.xlsx")
    in_use.winerror = 32  # type: ignore[attr-defined]  # typeshed: only on Windows
    assert refused_access(in_use, platform="win32") is None


def without_root_powers() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root without setpriv: cannot make a folder unreadable to this test")
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"]


def run_watch(workspace) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSYNC_", "HUBSPOT_"))}
    return subprocess.run(
        [*without_root_powers(), sys.executable, "-m", "eventsync", "watch"],
        cwd=workspace.root,
        env={**env, **workspace.env, "PYTHONUTF8": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.posix_only("a folder made unreadable with chmod 000 and setpriv")
def test_watch_in_a_working_folder_it_may_not_list_names_it_and_exits_2(workspace):
    """What a launchd agent meets in ~/Documents: it may enter the folder, not read it."""
    workspace.sample_workbook()
    workspace.root.chmod(0o111)
    try:
        done = run_watch(workspace)
    finally:
        workspace.root.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert f"eventsync: {workspace.root}: no permission to read it" in done.stderr
    assert "bug" not in done.stderr and "not set" not in done.stderr


@pytest.mark.slow
@pytest.mark.posix_only("a folder made unreadable with chmod 000 and setpriv")
def test_watch_on_an_unreadable_sheets_folder_names_it_and_exits_2(workspace):
    workspace.sample_workbook()
    workspace.sheets.chmod(0o000)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSYNC_", "HUBSPOT_"))}
        done = subprocess.run(
            [*without_root_powers(), sys.executable, "-m", "eventsync", "watch"],
            cwd=workspace.root,
            env={**env, **workspace.env, "PYTHONUTF8": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        workspace.sheets.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert f"eventsync: {workspace.sheets}: no permission to read it" in done.stderr
    assert "bug" not in done.stderr
    assert workspace.sandbox.batch_update_requests() == []
