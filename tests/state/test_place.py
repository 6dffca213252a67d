"""Where the state database goes: the decision as a table, and the per-user folder's
name for a working folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsync.state.place import Where, decide, local_state_dir, readable_name
from eventsync.volumes import LOCAL, Kind, Place

CLOUD = Place(Kind.CLOUD, "OneDrive")
SHARE = Place(Kind.NETWORK, "SMB")


@pytest.mark.parametrize(
    ("state", "explicit", "allowed", "local", "where"),
    [
        (LOCAL, False, False, LOCAL, Where.STATE_FOLDER),
        (LOCAL, True, False, CLOUD, Where.STATE_FOLDER),  # a local state folder is used as named
        (CLOUD, False, False, LOCAL, Where.THIS_COMPUTER),
        (SHARE, False, False, LOCAL, Where.THIS_COMPUTER),
        (CLOUD, True, False, LOCAL, Where.REFUSE_SETTING),  # named by the user: not moved
        (SHARE, True, False, LOCAL, Where.REFUSE_SETTING),
        (CLOUD, True, True, LOCAL, Where.STATE_FOLDER),  # the user said it may be anywhere
        (SHARE, False, True, SHARE, Where.STATE_FOLDER),
        (SHARE, False, False, SHARE, Where.REFUSE_NO_LOCAL),  # a home folder all on a network
        (CLOUD, False, False, CLOUD, Where.REFUSE_NO_LOCAL),
    ],
)
def test_where_the_database_goes(state, explicit, allowed, local, where):
    assert decide(state, explicit=explicit, allowed=allowed, local=local) is where


@pytest.mark.parametrize(
    ("name", "readable"),
    [
        ("Marketing", "Marketing"),
        ("イベント管理", "イベント管理"),
        ('a:b*c?"d"<e>|f', "a_b_c__d__e__f"),
        ("trailing dots...", "trailing dots"),
        ("", "folder"),
        ("x" * 60, "x" * 40),
    ],
)
def test_the_working_folders_name_is_kept_readable(name, readable):
    assert readable_name(name) == readable


def test_one_folder_per_working_folder():
    home = Path("/data/eventsync")
    one = local_state_dir(home, "Events", "/users/hanako/onedrive/events")
    assert one.parent == home / "states"
    assert one.name.startswith("Events-") and len(one.name) == len("Events-") + 12
    assert local_state_dir(home, "Events", "/users/hanako/onedrive/events") == one
    assert local_state_dir(home, "Events", "/users/hanako/dropbox/events") != one
