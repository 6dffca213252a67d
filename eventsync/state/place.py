"""Where the state database is kept: in the state folder, unless that folder is on a
network file system or in a folder a cloud service syncs; then on this computer's own
disk, in a per-user application-data folder keyed by the working folder.

State stage. SQLite's write-ahead log needs one computer's file system (its shared
memory and locks do not cross a network), and a sync client that copies a database
file by file while it is written damages it. Only the database moves: backups, logs and
the run lock stay in the state folder beside the sheets. It never deletes a database:
one moved away from an unsafe place stays there renamed `state.sqlite3.moved`, and a
move that cannot be done safely is refused before anything is sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from eventsync.config import Settings
from eventsync.errors import SettingsError, StateFolderError
from eventsync.messages import Text
from eventsync.safe_files import temp_path
from eventsync.state.database import DB_NAME, StateDatabase, database_path
from eventsync.state.lock import state_folder_error
from eventsync.volumes import Kind, Place, case_insensitive, existing, path_key, place_of

STATE_DIR_SETTING = "EVENTSYNC_STATE_DIR"
DEFAULT_STATE_DIR = ".eventsync"
# The per-user folder for state kept on this computer (platformdirs' user data folder
# when unset): tests and unusual set-ups point it elsewhere.
DATA_HOME_SETTING = "EVENTSYNC_DATA_HOME"
# Keep the database in EVENTSYNC_STATE_DIR even on a network or cloud-synced folder:
# for a place wrongly taken for one, or a home folder that is all on a network.
ALLOW_SETTING = "EVENTSYNC_STATE_DIR_ANYWHERE"
MOVED_SUFFIX = ".moved"
NAME_CHARS = 40  # of the working folder's name in the per-user folder's name
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')  # what Windows refuses in a name


class Where(Enum):
    STATE_FOLDER = "state folder"  # the database stays beside backups and logs
    THIS_COMPUTER = "this computer"  # in the per-user folder on this computer's disk
    REFUSE_SETTING = "refuse the setting"  # EVENTSYNC_STATE_DIR names an unsafe place
    REFUSE_NO_LOCAL = "refuse: nowhere local"  # the per-user folder is not local either


def decide(state: Place, *, explicit: bool, allowed: bool, local: Place) -> Where:
    """Where the database goes: the state folder when it is on this computer's disk (or
    the user said it may be anywhere); a state folder the user named elsewhere is
    refused, not second-guessed; the default one is swapped for the per-user folder."""
    if state.local or allowed:
        return Where.STATE_FOLDER
    if explicit:
        return Where.REFUSE_SETTING
    return Where.THIS_COMPUTER if local.local else Where.REFUSE_NO_LOCAL


def readable_name(folder_name: str) -> str:
    """The working folder's name as part of a folder name on any OS."""
    name = _NOT_IN_NAMES.sub("_", folder_name).strip(" .")[:NAME_CHARS].strip(" .")
    return name or "folder"


def local_state_dir(data_home: Path, folder_name: str, key: str) -> Path:
    """`<data home>/states/<name>-<hash>`: one per working folder (`key`: its resolved
    path as the file system compares names), readable by its name."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return data_home / "states" / f"{readable_name(folder_name)}-{digest}"


def where_text(place: Place) -> Text:
    """ "in a folder OneDrive syncs" / "on a network drive (SMB)"."""
    if place.kind is Kind.CLOUD:
        return Text("place.cloud", service=place.what)
    return Text("place.network", what=place.what)


@dataclass(frozen=True)
class StatePlace:
    state_dir: Path  # backups, logs, the lock
    database_dir: Path  # where the database is kept
    why: Place | None = None  # the state folder's place, when the database is elsewhere
    to_move: Path | None = None  # an older eventsync's database in the state folder
    read_in_place: bool = False  # `to_move` is read where it is (`for_reading`)

    @property
    def database(self) -> Path:
        return database_path(self.database_dir)

    def applied(self, settings: Settings) -> Settings:
        """The settings with the database where this run uses it."""
        used = self.state_dir if self.read_in_place else self.database_dir
        return replace(settings, database_elsewhere=used if used != self.state_dir else None)

    def for_reading(self) -> StatePlace:
        """A run that writes nothing (`plan`, `history`) and holds no lock reads an older
        eventsync's database where it is; the next sync moves it."""
        if self.to_move is not None and not self.database.exists():
            return replace(self, read_in_place=True)
        return self


def locate_state(settings: Settings, env: Mapping[str, str], cwd: Path) -> StatePlace:
    """Where this working folder's state database is kept (see `decide`): a
    `SettingsError` for EVENTSYNC_STATE_DIR on an unsafe place, a `StateFolderError` when
    no safe place can be had or two databases stand where one belongs."""
    state_dir = settings.state_dir
    allowed = _allowed(env.get(ALLOW_SETTING))  # checked wherever the folder is
    state = place_of(state_dir, env)
    if state.local:
        return StatePlace(state_dir, state_dir)
    named = (env.get(STATE_DIR_SETTING) or "").strip()
    explicit = bool(named) and os.path.abspath(cwd / named) != os.path.abspath(
        cwd / DEFAULT_STATE_DIR
    )
    working = state_dir.parent
    real = existing(working)
    key = path_key(
        str(real),
        case_insensitive=case_insensitive(real),
        unicode_insensitive=sys.platform == "darwin",
    )
    local_dir = local_state_dir(_data_home(env), real.name, key)
    # The per-user folder's own place matters only when the database would go there.
    local = state if allowed or explicit else place_of(local_dir, env)
    where = decide(state, explicit=explicit, allowed=allowed, local=local)
    if where is Where.STATE_FOLDER:
        return StatePlace(state_dir, state_dir)
    if where is Where.REFUSE_SETTING:
        raise SettingsError(
            [
                Text(
                    "place.refused_setting",
                    setting=STATE_DIR_SETTING,
                    folder=state_dir,
                    where=where_text(state),
                    allow=f"{ALLOW_SETTING}=1",
                )
            ]
        )
    if where is Where.REFUSE_NO_LOCAL:
        raise StateFolderError(
            Text(
                "place.no_local",
                folder=state_dir,
                where=where_text(state),
                local=local_dir,
                local_where=where_text(local),
                setting=STATE_DIR_SETTING,
            )
        )
    old = database_path(state_dir)
    to_move = old if old.exists() else None
    if to_move is not None and database_path(local_dir).exists():
        raise StateFolderError(
            Text(
                "place.two_databases",
                old=old,
                where=where_text(state),
                database=database_path(local_dir),
            )
        )
    return StatePlace(state_dir, local_dir, why=state, to_move=to_move)


def _allowed(value: str | None) -> bool:
    text = (value or "").strip().lower()
    if text in ("", "0", "no", "false", "off"):
        return False
    if text in ("1", "yes", "true", "on"):
        return True
    raise SettingsError([Text("place.allow_value", setting=ALLOW_SETTING, value=value)])


def _data_home(env: Mapping[str, str]) -> Path:
    named = (env.get(DATA_HOME_SETTING) or "").strip()
    if named:
        return Path(named)
    from platformdirs import user_data_dir

    # Not roaming: on Windows the local AppData folder, which is never redirected to a
    # network share (the roaming one can be).
    return Path(user_data_dir("eventsync", appauthor=False, roaming=False))


def move_database(place: StatePlace) -> Path | None:
    """Move an older eventsync's database out of the unsafe state folder into
    `place.database_dir`, under the run lock: a checked copy first, then the old file
    renamed `state.sqlite3.moved` (kept as the backup), then the copy put in place.
    Anything that fails leaves the old database as it was and stops the run (nothing
    sent). Returns the renamed old file, or None when there was nothing to move."""
    old, why = place.to_move, place.why
    if old is None or why is None or not old.exists():
        return None
    new = place.database
    if new.exists():  # made since `locate_state` looked: by another run of ours
        raise StateFolderError(
            Text("place.two_databases", old=old, where=where_text(why), database=new)
        )
    try:
        place.database_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise state_folder_error(place.database_dir, error) from None
    temp = temp_path(new)
    source = StateDatabase.open(old)  # ours, readable, of a format this eventsync reads
    try:
        source.copy_to(temp)
        source.checkpoint()  # the old file whole in itself: its log emptied
    except BaseException:
        _remove(temp)
        raise
    finally:
        source.close()
    backup = old.with_name(DB_NAME + MOVED_SUFFIX)
    try:
        os.replace(old, backup)
    except OSError as error:
        _remove(temp)
        raise StateFolderError(
            Text("place.cannot_move", old=old, database=new, why=error.strerror)
        ) from None
    for leftover in ("-wal", "-shm"):  # emptied by the checkpoint; SQLite's, not the user's
        _remove(old.with_name(DB_NAME + leftover))
    try:
        os.replace(temp, new)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.replace(backup, old)
        _remove(temp)
        raise StateFolderError(
            Text("place.cannot_move", old=old, database=new, why=error.strerror)
        ) from None
    return backup


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def kept_message(
    place: StatePlace, *, moved: Path | None = None, first_time_only: bool = False
) -> Text | None:
    """What a run says about where the state is: None when it is in the state folder
    (and, `first_time_only`, when the database is already where it is kept: a sync says
    so the first time, or when it moves the database; `plan` each time)."""
    if place.why is None:
        return None
    where = where_text(place.why)
    if moved is not None:
        return Text("place.moved", database=place.database, where=where, backup=moved)
    if place.read_in_place:  # until a sync moves it
        return Text("place.will_move", folder=place.state_dir, where=where, database=place.database)
    if first_time_only and place.database.exists():
        return None
    return Text("place.kept", folder=place.state_dir, where=where, database=place.database)
