"""What kind of place a path is on, decided from path strings, environment values and
file-system type names: tables of the cases each OS presents, run on any OS."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from eventsync.messages import Text
from eventsync.volumes import (
    DRIVE_REMOTE,
    LOCAL,
    MNT_LOCAL,
    Kind,
    Mount,
    Place,
    case_insensitive,
    cloud_of,
    darwin_place,
    dropbox_roots_of,
    linux_place,
    mount_of,
    parse_mountinfo,
    path_key,
    place_of,
    unc_share,
    windows_place,
)

WIN_HOME = r"C:\Users\hanako"
WIN_ENV = {
    "OneDrive": r"C:\Users\hanako\OneDrive - Contoso",
    "OneDriveConsumer": r"D:\Personal Sync",
}
MAC_HOME = "/Users/hanako"


@pytest.mark.parametrize(
    ("path", "env", "service"),
    [
        (r"C:\Users\hanako\OneDrive - Contoso\Events", WIN_ENV, "OneDrive"),
        (r"c:\users\HANAKO\onedrive - contoso\events", WIN_ENV, "OneDrive"),  # any case
        (r"D:\Personal Sync\marketing", WIN_ENV, "OneDrive"),  # named only by the variable
        (r"D:\Personal Sync\marketing", {"ONEDRIVECONSUMER": r"D:\Personal Sync"}, "OneDrive"),
        (r"D:\Personal Synced\marketing", WIN_ENV, None),  # a prefix, not the folder
        (r"C:\Users\hanako\OneDrive\イベント", {}, "OneDrive"),  # by the folder's name
        (r"C:\Users\hanako\OneDrive - 株式会社サンプル\イベント", {}, "OneDrive"),
        (r"C:\Users\hanako\Dropbox\events", {}, "Dropbox"),
        (r"E:\Dropbox (Contoso)\events", {}, "Dropbox"),
        (r"G:\My Drive\events", {}, "Google Drive"),
        (r"C:\Users\hanako\Google Drive\events", {}, "Google Drive"),
        (r"C:\Users\hanako\iCloudDrive\events", {}, "iCloud Drive"),
        (r"C:\Users\hanako\Box\Marketing", {}, "Box"),
        (r"C:\Users\hanako\Box Sync\Marketing", {}, "Box"),
        (r"C:\Work\Box\Marketing", {}, None),  # a folder named Box elsewhere is just a folder
        (r"C:\Users\hanako\Documents\events", WIN_ENV, None),
        (r"C:\Users\hanako\OneDriveBackup\events", {}, None),
        (r"\\fileserver\marketing\events", WIN_ENV, None),  # network, not cloud
    ],
)
def test_cloud_folders_on_windows(path, env, service):
    assert cloud_of(path, env=env, home=WIN_HOME, windows=True) == service


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (f"{MAC_HOME}/Library/Mobile Documents/com~apple~CloudDocs/Events", "iCloud Drive"),
        (f"{MAC_HOME}/Library/Mobile Documents/iCloud~com~apple~numbers/x", "iCloud Drive"),
        (f"{MAC_HOME}/Library/CloudStorage/OneDrive-Contoso/Events", "OneDrive"),
        (f"{MAC_HOME}/Library/CloudStorage/OneDrive-Personal", "OneDrive"),
        (f"{MAC_HOME}/Library/CloudStorage/Dropbox/Events", "Dropbox"),
        (
            f"{MAC_HOME}/Library/CloudStorage/GoogleDrive-hanako@example.com/My Drive",
            "Google Drive",
        ),
        (f"{MAC_HOME}/Library/CloudStorage/Box-Box/Marketing", "Box"),
        (f"{MAC_HOME}/Library/CloudStorage/pCloud-Drive/Events", "pCloud"),
        (f"{MAC_HOME}/Library/CloudStorage", None),  # the folder of folders itself
        (f"{MAC_HOME}/Dropbox/Events", "Dropbox"),
        (f"{MAC_HOME}/Documents/Events", None),
        (f"{MAC_HOME}/Library/Application Support/eventsync/states/x", None),
        ("/home/hanako/Dropbox (Personal)/events", "Dropbox"),
        ("/home/hanako/OneDrive/events", "OneDrive"),
        ("/home/hanako/events", None),
    ],
)
def test_cloud_folders_on_macos_and_linux(path, service):
    assert cloud_of(path, env={}, home=MAC_HOME) == service


def test_dropbox_says_where_its_folders_are():
    info = '{"personal": {"path": "/Users/hanako/Sync", "host": 1}, "business": {"path": "/Volumes/Work/Team"}}'
    roots = dropbox_roots_of(info)
    assert roots == ["/Users/hanako/Sync", "/Volumes/Work/Team"]
    assert cloud_of("/Volumes/Work/Team/events", env={}, home=MAC_HOME, dropbox_roots=roots) == (
        "Dropbox"
    )
    assert cloud_of("/Volumes/Work/Other", env={}, home=MAC_HOME, dropbox_roots=roots) is None
    assert dropbox_roots_of("not json") == [] and dropbox_roots_of("[1, 2]") == []
    assert dropbox_roots_of('{"personal": {"path": 3}}') == []


def test_a_dropbox_marker_file_makes_its_folder_dropbox(tmp_path):
    root = tmp_path / "Sync Here"
    (root / "events").mkdir(parents=True)
    assert place_of(root / "events", {}) == LOCAL
    (root / ".dropbox").write_text("{}")
    assert place_of(root / "events" / "not-made-yet", {}) == Place(Kind.CLOUD, "Dropbox")


@pytest.mark.parametrize(
    ("path", "share"),
    [
        (r"\\fileserver\marketing\events", r"\\fileserver\marketing"),
        ("//fileserver/marketing/events", r"\\fileserver\marketing"),
        (r"\\?\UNC\fileserver\marketing\events", r"\\fileserver\marketing"),
        (r"\\fileserver\marketing", r"\\fileserver\marketing"),
        (r"\\?\C:\Users\hanako", None),
        (r"\\.\PhysicalDrive0", None),
        (r"C:\Users\hanako", None),
        (r"\\fileserver", None),
        ("/home/hanako", None),
    ],
)
def test_unc_shares(path, share):
    assert unc_share(path) == share


@pytest.mark.parametrize(
    ("path", "drive_type", "place"),
    [
        (r"Z:\events", DRIVE_REMOTE, Place(Kind.NETWORK, "Z:\\")),
        (r"C:\events", 3, LOCAL),  # DRIVE_FIXED
        (r"E:\events", 2, LOCAL),  # DRIVE_REMOVABLE: a USB stick is this computer's
        (r"\\nas\share\events", 1, Place(Kind.NETWORK, r"\\nas\share")),
        (r"C:\events", None, LOCAL),  # Windows could not say
    ],
)
def test_windows_drives(path, drive_type, place):
    assert windows_place(path, drive_type) == place


MOUNTINFO = r"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
25 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw
31 22 0:26 / /home/hanako/shared\040drive rw,relatime shared:20 - cifs //nas/marketing rw,vers=3.1.1
32 22 0:27 / /mnt/nfs rw,relatime shared:21 - nfs4 nas:/export rw
33 32 0:28 / /mnt/nfs/local-cache rw shared:22 - tmpfs tmpfs rw
34 22 0:29 / /mnt/c rw,noatime - 9p C:\134 rw,aname=drvfs
35 22 0:30 / /home/hanako/remote rw,nosuid master:3 - fuse.sshfs hanako@host:/data rw
36 22 0:31 / /mnt/over rw shared:23 - tmpfs tmpfs rw
37 22 0:32 / /mnt/over rw shared:24 - nfs nas:/over rw
garbage line
"""


@pytest.mark.parametrize(
    ("path", "place"),
    [
        ("/home/hanako/events", LOCAL),
        ("/home/hanako/shared drive/events", Place(Kind.NETWORK, "SMB")),
        ("/home/hanako/shared drive2", LOCAL),  # a prefix of the name is not the mount
        ("/mnt/nfs/events", Place(Kind.NETWORK, "NFS")),
        ("/mnt/nfs/local-cache/x", LOCAL),  # a local mount inside the network one
        ("/mnt/c/Users/hanako", Place(Kind.NETWORK, "9P, a Windows drive seen from WSL")),
        ("/home/hanako/remote/x", Place(Kind.NETWORK, "SSHFS")),
        ("/mnt/over/x", Place(Kind.NETWORK, "NFS")),  # the later mount hides the earlier
    ],
)
def test_linux_mounts(path, place):
    mount = mount_of(path, parse_mountinfo(MOUNTINFO))
    assert mount is not None
    assert linux_place(mount.fstype) == place


def test_mountinfo_fields_are_unescaped():
    mounts = parse_mountinfo(MOUNTINFO)
    assert Mount("/home/hanako/shared drive", "cifs", "//nas/marketing") in mounts
    assert Mount("/mnt/c", "9p", "C:\\") in mounts
    assert len(mounts) == 9


def test_this_machines_own_mounts_are_read(tmp_path):
    """The probe on this machine: the tests' own temporary folder is on a local disk."""
    if not os.path.exists("/proc/self/mountinfo"):
        pytest.skip("no /proc here (macOS, Windows): the table above is the check")
    assert place_of(tmp_path, {}) == LOCAL


@pytest.mark.parametrize(
    ("fstypename", "flags", "place"),
    [
        ("apfs", MNT_LOCAL, LOCAL),
        ("hfs", MNT_LOCAL, LOCAL),
        ("msdos", MNT_LOCAL, LOCAL),  # a USB stick
        ("smbfs", 0, Place(Kind.NETWORK, "SMB")),
        ("nfs", 0, Place(Kind.NETWORK, "NFS")),
        ("afpfs", 0, Place(Kind.NETWORK, "AFP")),
        ("webdav", 0, Place(Kind.NETWORK, "WebDAV")),
        ("macfuse", 0, Place(Kind.NETWORK, "macfuse")),  # not stored locally, whatever it is
    ],
)
def test_macos_volumes(fstypename, flags, place):
    assert darwin_place(fstypename, flags) == place


@pytest.mark.parametrize(
    ("path", "insensitive", "unicode", "key"),
    [
        ("/Users/Hanako/Sheets", True, True, "/users/hanako/sheets"),
        ("/Users/Hanako/Sheets", False, False, "/Users/Hanako/Sheets"),
        ("/Users/x/\u30d8\u3099", True, True, "/users/x/\u30d9"),  # ヘ+゛ (as HFS stored it) is ベ
        ("/home/x/\u30d8\u3099", False, False, "/home/x/\u30d8\u3099"),
        ("C:\\Users\\STRASSE", True, False, "c:\\users\\strasse"),
    ],
)
def test_path_keys(path, insensitive, unicode, key):
    assert path_key(path, case_insensitive=insensitive, unicode_insensitive=unicode) == key


def test_this_file_systems_case_is_found_by_looking(tmp_path):
    folder = tmp_path / "Sheets"
    folder.mkdir()
    other_case = tmp_path / "sHEETS"
    expected = other_case.exists()  # case-insensitive volumes find it under that name
    assert case_insensitive(folder) is expected
    if not expected:
        other_case.mkdir()  # a second folder, not the same one: still case-sensitive
        assert case_insensitive(folder) is False


@pytest.mark.skipif(sys.platform != "win32", reason="Windows' own drive probe (GetDriveTypeW)")
def test_windows_probe_finds_shares_and_local_drives(tmp_path):
    assert place_of(tmp_path, {}) == LOCAL
    assert place_of(Path(r"\\fileserver\marketing\events"), {}) == Place(
        Kind.NETWORK, r"\\fileserver\marketing"
    )


def test_a_wsl_drive_is_described_in_the_reader_s_language():
    place = linux_place("9p")
    where = Text("place.network", what=place.what)
    assert where.in_language("ja") == "ネットワークドライブ（WSLから見たWindowsのドライブ、9P）"
    assert where == "on a network drive (9P, a Windows drive seen from WSL)"
    assert Text("place.network", what=darwin_place("", 0).what).in_language("ja") == (
        "ネットワークドライブ（ネットワークボリューム）"
    )
