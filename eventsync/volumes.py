"""Volumes: what kind of place a path is on (this computer's own disk, a network file
system, a folder a cloud service syncs) and whether names there are case-insensitive.

Vocabulary stage. The decisions are pure functions over path strings, environment
values and file-system type names (table-tested on any OS); the probes that ask the
operating system (`place_of`, `case_insensitive`) only read, and never raise: a probe
that cannot tell says "this computer's own disk" (and, for case, what the OS usually is).
It never writes anything anywhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from eventsync.messages import Text


class Kind(Enum):
    LOCAL = "local"
    NETWORK = "network"  # SMB, NFS, a mapped drive: SQLite's WAL needs one host's memory
    CLOUD = "cloud"  # a folder a sync client copies to other computers, file by file


@dataclass(frozen=True)
class Place:
    kind: Kind
    what: str = ""  # "OneDrive", "iCloud Drive", "SMB", "NFS", "\\\\server\\share"...

    @property
    def local(self) -> bool:
        return self.kind is Kind.LOCAL


LOCAL = Place(Kind.LOCAL)

# Windows sets these for the signed-in user's OneDrive folders (personal, work/school).
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")
DRIVE_REMOTE = 4  # GetDriveTypeW: a network drive (mapped letter)
MNT_LOCAL = 0x00001000  # macOS statfs f_flags: "stored locally"

# Folder names the sync clients give their roots (any OS), matched case-insensitively.
_CLOUD_FOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"onedrive( - .+)?", re.IGNORECASE), "OneDrive"),
    (re.compile(r"dropbox( \(.+\))?", re.IGNORECASE), "Dropbox"),
    (re.compile(r"google drive|googledrive-.+|my drive", re.IGNORECASE), "Google Drive"),
    (re.compile(r"icloud ?drive.*", re.IGNORECASE), "iCloud Drive"),
    (re.compile(r"box sync", re.IGNORECASE), "Box"),
)
# macOS: ~/Library/CloudStorage/<provider>-<account> (File Provider clients).
_CLOUD_STORAGE: tuple[tuple[str, str], ...] = (
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("googledrive", "Google Drive"),
    ("box", "Box"),
    ("icloud", "iCloud Drive"),
)

# Linux file-system types (mountinfo's fstype) that are another computer's disk.
NETWORK_FILE_SYSTEMS: Mapping[str, str] = {
    "nfs": "NFS",
    "nfs4": "NFS",
    "cifs": "SMB",
    "smb3": "SMB",
    "smbfs": "SMB",
    "ncpfs": "NetWare",
    "afs": "AFS",
    "ceph": "CephFS",
    "glusterfs": "GlusterFS",
    "fuse.glusterfs": "GlusterFS",
    "lustre": "Lustre",
    "gpfs": "GPFS",
    "fuse.sshfs": "SSHFS",
    "fuse.rclone": "rclone",
    "fuse.s3fs": "S3",
    "davfs": "WebDAV",
    "fuse.davfs2": "WebDAV",
    # WSL: Windows' drives under /mnt/c are 9P (WSL 2) or drvfs (WSL 1), where SQLite's
    # locks are known not to hold.
    "9p": Text("place.wsl_drive", fs="9P"),
    "drvfs": Text("place.wsl_drive", fs="drvfs"),
}
# macOS statfs f_fstypename of network volumes.
DARWIN_NETWORK_TYPES: Mapping[str, str] = {
    "smbfs": "SMB",
    "nfs": "NFS",
    "afpfs": "AFP",
    "webdav": "WebDAV",
    "cifs": "SMB",
    "ftp": "FTP",
}


# -- cloud folders (pure) ------------------------------------------------------------


def _flavour(windows: bool) -> type[PurePath]:
    return PureWindowsPath if windows else PurePosixPath


def _fold(part: str) -> str:
    return unicodedata.normalize("NFC", part).casefold()


def is_under(path: PurePath, root: PurePath) -> bool:
    """`path` is `root` or inside it, names compared case-insensitively (every cloud
    client's OS is case-insensitive by default, and a false "no" is the costly one)."""
    parts, base = [_fold(p) for p in path.parts], [_fold(p) for p in root.parts]
    return bool(base) and parts[: len(base)] == base


def cloud_of(
    path: str,
    *,
    env: Mapping[str, str],
    home: str,
    dropbox_roots: Iterable[str] = (),
    windows: bool = False,
) -> str | None:
    """The cloud service that syncs the folder `path` (absolute, symlinks resolved), or
    None. From where Windows says OneDrive is, the sync clients' own folder names,
    macOS's iCloud and CloudStorage folders, and Dropbox's own list of its roots."""
    flavour = _flavour(windows)
    where = flavour(path)
    for name in ONEDRIVE_VARIABLES:
        # os.environ's keys are upper case on Windows, a test's mapping as typed
        root = (env.get(name) or env.get(name.upper()) or "").strip()
        if root and flavour(root).is_absolute() and is_under(where, flavour(root)):
            return "OneDrive"
    for root in dropbox_roots:
        if root and is_under(where, flavour(root)):
            return "Dropbox"
    user = flavour(home)
    if is_under(where, user / "Library" / "Mobile Documents"):
        return "iCloud Drive"
    storage = user / "Library" / "CloudStorage"
    if is_under(where, storage) and len(where.parts) > len(storage.parts):
        provider = where.parts[len(storage.parts)]
        for prefix, service in _CLOUD_STORAGE:
            if provider.casefold().startswith(prefix):
                return service
        return provider.split("-")[0] or provider
    if is_under(where, user / "Box"):
        return "Box"
    for part in where.parts[1:]:  # not the drive or root
        for pattern, service in _CLOUD_FOLDERS:
            if pattern.fullmatch(part):
                return service
    return None


def dropbox_roots_of(info_json: str) -> list[str]:
    """The folders Dropbox syncs, from its `info.json` ({"personal": {"path": ...},
    "business": {"path": ...}}); nothing from a file that is not that."""
    try:
        info = json.loads(info_json)
    except ValueError:
        return []
    if not isinstance(info, dict):
        return []
    roots = []
    for account in info.values():
        if isinstance(account, dict) and isinstance(account.get("path"), str):
            roots.append(account["path"])
    return roots


# -- network file systems (pure) -----------------------------------------------------


def unc_share(path: str) -> str | None:
    r"""`\\server\share` when `path` is on a Windows network share (UNC, also in its
    `\\?\UNC\` form); None for a drive letter and for `\\?\C:\` or `\\.\` device paths."""
    text = path.replace("/", "\\")
    if text[:8].upper() == "\\\\?\\UNC\\":
        text = "\\\\" + text[8:]
    elif text.startswith(("\\\\?\\", "\\\\.\\")) or not text.startswith("\\\\"):
        return None
    server, _, rest = text[2:].partition("\\")
    share = rest.partition("\\")[0]
    if not server or not share:
        return None
    return f"\\\\{server}\\{share}"


def windows_place(path: str, drive_type: int | None) -> Place:
    """A Windows path's place: a UNC share, or a drive letter Windows calls remote."""
    share = unc_share(path)
    if share is not None:
        return Place(Kind.NETWORK, share)
    if drive_type == DRIVE_REMOTE:
        return Place(Kind.NETWORK, PureWindowsPath(path).drive + "\\")
    return LOCAL


@dataclass(frozen=True)
class Mount:
    mount_point: str
    fstype: str
    source: str


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), field)


def parse_mountinfo(text: str) -> list[Mount]:
    """/proc/self/mountinfo's lines: `id parent maj:min root mount-point options
    [optional...] - fstype source super-options`. Lines not of that shape are passed over."""
    mounts = []
    for line in text.splitlines():
        fields = line.split(" ")
        if "-" not in fields[6:]:
            continue
        dash = fields.index("-", 6)
        if len(fields) < dash + 3 or len(fields) < 5:
            continue
        mounts.append(Mount(_unescape(fields[4]), fields[dash + 1], _unescape(fields[dash + 2])))
    return mounts


def mount_of(path: str, mounts: Sequence[Mount]) -> Mount | None:
    """The mount `path` (absolute, resolved) is on: the last-mounted of the deepest
    mount points holding it (a later mount over the same point hides the earlier)."""
    where = PurePosixPath(path).parts
    best: Mount | None = None
    for mount in mounts:
        point = PurePosixPath(mount.mount_point).parts
        if where[: len(point)] == point and (
            best is None or len(point) >= len(PurePosixPath(best.mount_point).parts)
        ):
            best = mount
    return best


def linux_place(fstype: str) -> Place:
    what = NETWORK_FILE_SYSTEMS.get(fstype.lower())
    return LOCAL if what is None else Place(Kind.NETWORK, what)


def darwin_place(fstypename: str, flags: int) -> Place:
    """A macOS volume's place from statfs: its type name, and the flag it lacks when it
    is not "stored locally" (any network volume, whatever its type)."""
    what = DARWIN_NETWORK_TYPES.get(fstypename.lower())
    if what is not None:
        return Place(Kind.NETWORK, what)
    if not flags & MNT_LOCAL:
        return Place(Kind.NETWORK, fstypename or Text("place.network_volume"))
    return LOCAL


# -- names as the OS compares them (pure) ---------------------------------------------


def path_key(path: str, *, case_insensitive: bool, unicode_insensitive: bool) -> str:
    """`path` as the file system compares names: NFC where names are normalisation-
    insensitive (macOS: "ベ" typed and "ベ" stored decomposed are one file), case-folded
    where they are case-insensitive (APFS and NTFS by default)."""
    if unicode_insensitive:
        path = unicodedata.normalize("NFC", path)
    return path.casefold() if case_insensitive else path


# -- probes (I/O: read only, never raise) ---------------------------------------------


def existing(path: Path) -> Path:
    """`path` absolute with symlinks resolved, as far as it exists (a state folder not
    made yet is where its nearest existing parent is)."""
    full = Path(os.path.abspath(path))
    for candidate in (full, *full.parents):
        with contextlib.suppress(OSError):
            if candidate.exists():
                return Path(os.path.realpath(candidate))
    return full


def place_of(path: Path, env: Mapping[str, str]) -> Place:
    """Where `path` is: a cloud-synced folder, a network file system, or local."""
    real = existing(path)
    cloud = cloud_of(
        str(real),
        env=env,
        home=str(_home()),
        dropbox_roots=_dropbox_roots(real, env),
        windows=sys.platform == "win32",
    )
    if cloud is not None:
        return Place(Kind.CLOUD, cloud)
    return _network_place(real)


def _dropbox_roots(real: Path, env: Mapping[str, str]) -> list[str]:
    roots = [str(folder) for folder in (real, *real.parents) if _is_file(folder / ".dropbox")]
    infos = [_home() / ".dropbox" / "info.json"]
    for name in ("APPDATA", "LOCALAPPDATA"):  # Dropbox on Windows
        if env.get(name):
            infos.append(Path(env[name]) / "Dropbox" / "info.json")
    for info in infos:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            roots += dropbox_roots_of(info.read_text(encoding="utf-8"))
    return roots


def _home() -> Path:
    """The user's home folder; "/" where the OS cannot say (no HOME, no user entry)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        return Path(os.sep)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _network_place(real: Path) -> Place:
    if sys.platform == "win32":
        import ctypes

        share = unc_share(str(real))
        if share is not None:
            return Place(Kind.NETWORK, share)
        drive = os.path.splitdrive(str(real))[0]
        if not drive:
            return LOCAL
        try:
            drive_type = int(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\"))
        except (OSError, AttributeError):
            return LOCAL
        return windows_place(str(real), drive_type)
    elif sys.platform == "darwin":
        found = _darwin_statfs(real)
        return LOCAL if found is None else darwin_place(*found)
    else:
        try:
            with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as info:
                mounts = parse_mountinfo(info.read())
        except OSError:
            return LOCAL
        mount = mount_of(str(real), mounts)
        return LOCAL if mount is None else linux_place(mount.fstype)


def _darwin_statfs(real: Path) -> tuple[str, int] | None:
    """(f_fstypename, f_flags) of the volume `real` is on, by libc's statfs (the 64-bit
    inode layout: `statfs$INODE64` on Intel, plain `statfs` on Apple silicon)."""
    import ctypes

    class StatFs(ctypes.Structure):
        _fields_ = [  # noqa: RUF012 - ctypes' own declaration form
            ("f_bsize", ctypes.c_uint32),
            ("f_iosize", ctypes.c_int32),
            ("f_blocks", ctypes.c_uint64),
            ("f_bfree", ctypes.c_uint64),
            ("f_bavail", ctypes.c_uint64),
            ("f_files", ctypes.c_uint64),
            ("f_ffree", ctypes.c_uint64),
            ("f_fsid", ctypes.c_int32 * 2),
            ("f_owner", ctypes.c_uint32),
            ("f_type", ctypes.c_uint32),
            ("f_flags", ctypes.c_uint32),
            ("f_fssubtype", ctypes.c_uint32),
            ("f_fstypename", ctypes.c_char * 16),
            ("f_mntonname", ctypes.c_char * 1024),
            ("f_mntfromname", ctypes.c_char * 1024),
            ("f_flags_ext", ctypes.c_uint32),
            ("f_reserved", ctypes.c_uint32 * 7),
        ]

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        statfs = getattr(libc, "statfs$INODE64", None) or libc.statfs
        found = StatFs()
        if statfs(os.fsencode(real), ctypes.byref(found)) != 0:
            return None
    except (OSError, AttributeError):
        return None
    return found.f_fstypename.decode("utf-8", "replace"), int(found.f_flags)


def case_insensitive(folder: Path) -> bool:
    """Are names in `folder` compared case-insensitively? Asked of the folder itself:
    can it be found under its own name with the case swapped? A path with no letter to
    swap gets what its OS usually is (macOS and Windows: insensitive)."""
    real = existing(folder)
    for depth, part in enumerate(reversed(real.parts[1:])):
        swapped = part.swapcase()
        if swapped == part:
            continue
        ancestor = Path(*real.parts[: len(real.parts) - depth])
        other = ancestor.with_name(swapped)
        try:
            return other.exists() and os.path.samefile(ancestor, other)
        except OSError:
            return False
    return sys.platform in ("darwin", "win32")
