"""Which HubSpot account (portal) a run talks to: the key the state is kept under.

State stage. Every portal sits behind the same https://api.hubapi.com, and one sandbox
answers at both localhost and 127.0.0.1: a base URL names neither. HubSpot's account
details give the account id the token belongs to; a key whose account HubSpot does not
name is known by a fingerprint (a salted hash, never the token). Once found, the portal
of a token is remembered in the state database, so later runs make no extra request:
at once when the database exists, else in the transaction of the run's first write
(`Portal.pending`, taken by `SnapshotStore`), so the first sync remembers it too.

It never switches a folder to a new, empty state because HubSpot failed to answer: no
answer stops the run before anything is sent (`decide_portal`). State kept under the
fingerprint of an earlier key is taken over by a new key that reaches the same events
(a rotated Service Key), never by one that cannot show them.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Protocol

from eventsync.config import Settings
from eventsync.errors import DiskFullError, RunStoppedError, StateDatabaseError
from eventsync.messages import Text
from eventsync.portal_model import ACCOUNT_SCOPE, AccountAnswer, Lookup, PortalEvent
from eventsync.state.database import Seen, StateDatabase, database_path, portal_key
from eventsync.state.snapshot import SnapshotStore
from eventsync.values import parse_utc

SALT = b"eventsync credential fingerprint v1\x00"
SAMPLE_EVENTS = 3  # events of an orphaned state read again to know it is the same portal


class AccountReader(Protocol):
    def account_details(self) -> AccountAnswer: ...

    def get_event(self, object_id: str) -> PortalEvent | None: ...


@dataclass(frozen=True)
class Portal:
    key: str  # what the state is kept under
    label: str  # for people: "HubSpot account 880001 at https://api.hubapi.com"
    # HubSpot's answer, still to be remembered: with the run's first write (no state
    # database yet when it was found). None: remembered already, or nothing to remember.
    pending: Seen | None = None
    how: str = ""  # how it was found, for `plan`'s first line: a message, or "" (no token)

    @property
    def described(self) -> str:
        """The label, and how the portal was identified (`plan` prints it)."""
        return Text("portal.found", portal=self.label, how=self.how) if self.how else self.label


def credential_of(token: str) -> str:
    return hashlib.sha256(SALT + token.encode()).hexdigest()[:32]


class Choice(Enum):
    REMEMBERED = "the portal remembered for this key"
    LAST_USED = "the portal last used at this URL"  # no token: nothing to ask with
    ASKED = "the portal HubSpot named, or the key's fingerprint"
    STOP = "stop: HubSpot did not answer"


def decide_portal(*, remembered: bool, token: bool, lookup: Lookup | None) -> Choice:
    """Where the portal of a run comes from (pure). A key remembered is never asked
    again; without a token there is nothing to ask with. A lookup that failed says
    nothing about the account: taking the fingerprint then (as a key without the scope
    is taken) would move the folder to a new, empty state for one run, and guessing the
    portal last used here could mix two accounts' states (a new key may belong to a
    HubSpot sandbox account). So the run stops, before anything is sent."""
    if remembered:
        return Choice.REMEMBERED
    if not token:
        return Choice.LAST_USED
    if lookup is Lookup.NO_ANSWER:
        return Choice.STOP
    return Choice.ASKED


def same_events(stored: Sequence[tuple[str, str]], found: Mapping[str, str | None]) -> bool:
    """Do HubSpot's events, read with a new key, show that an orphaned state is this
    portal's (pure)? Every event sampled from it (`found`: its updatedAt now, None for
    an event HubSpot does not have) must exist, at a version no older than the one it
    recorded (HubSpot's updatedAt only moves on): another account does not hold the same
    objectIds."""
    if not stored:
        return False
    for object_id, version in stored:
        now = found.get(object_id)
        if now is None:
            return False
        then = parse_utc(version)
        seen = parse_utc(now)
        if then is None or seen is None or _utc(seen) < _utc(then):
            return False
    return True


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_store(settings: Settings, portal: Portal, *, writing: bool) -> SnapshotStore:
    """The store of `portal`'s state (identified already), read-only for a run that only
    reads; a portal found before the database existed is remembered with its first write."""
    return SnapshotStore(
        settings.state_dir,
        settings.base_url,
        portal=portal.key,
        read_only=not writing,
        database_dir=settings.database_dir,
        remember=portal.pending,
    )


def identify_portal(
    database_dir: Path,
    base_url: str,
    token: str | None,
    client: AccountReader | None,
    *,
    remember: bool,
) -> Portal:
    """The portal of this token at this base URL: remembered, else asked of HubSpot
    (one request; `remember`: a run that may write state, which keeps the answer).
    Without a token (or a client), the portal last used at this base URL. Raises
    `RunStoppedError` when HubSpot does not answer (see `decide_portal`)."""
    credential = credential_of(token) if token else None
    path = database_path(database_dir)
    database = StateDatabase.open(path) if path.exists() else None
    try:
        known = database.portal_of(base_url, credential) if database is not None else None
        asking = credential is not None and client is not None and known is None
        answer = client.account_details() if asking and client is not None else None
        choice = decide_portal(
            remembered=known is not None,
            token=credential is not None and client is not None,
            lookup=answer.lookup if answer is not None else None,
        )
        if choice is Choice.REMEMBERED and known is not None:
            return Portal(known, _label(known, base_url), how=Text("portal.how_remembered"))
        if choice is Choice.LAST_USED:
            if known is not None:
                return Portal(known, _label(known, base_url))
            return Portal(portal_key(base_url), Text("portal.no_token", url=base_url))
        if choice is Choice.STOP or answer is None or credential is None or client is None:
            raise RunStoppedError(
                Text("portal.no_answer", url=base_url, why=answer.why if answer else None),
                Text("portal.no_answer_row"),
            )
        key = f"hubspot-{answer.account}" if answer.lookup is Lookup.NAMED else None
        key = key or f"token-{credential[:16]}"
        how = _how(answer)
        seen: Seen = (base_url, credential, _now())
        if database is None:
            return Portal(key, _label(key, base_url), seen if remember else None, how)
        orphan = _orphan_of(database, base_url, key, client.get_event)
        if orphan is not None and not remember:
            return Portal(orphan, _label(orphan, base_url), how=how)  # read where it is (plan)
        if remember:
            # Only a cache, but taken over state must move with it: one transaction.
            # A state folder that cannot take it is reported by the store when it matters.
            with contextlib.suppress(DiskFullError, StateDatabaseError):
                if orphan is not None:
                    database.adopt(orphan, key, seen)
                else:
                    database.remember_portal(seen, key)
        return Portal(key, _label(key, base_url), how=how)
    finally:
        if database is not None:
            database.close()


def _orphan_of(
    database: StateDatabase,
    base_url: str,
    key: str,
    read_event: Callable[[str], PortalEvent | None],
) -> str | None:
    """State a rotated key left behind, known by its fingerprint, that this key's portal
    shows to be its own (`same_events`); None when this key's portal has state already."""
    if database.rows("SELECT 1 FROM events WHERE portal = ? LIMIT 1", (key,)):
        return None
    orphans = database.rows(
        "SELECT portal, MAX(seen_at) AS last FROM portals WHERE base_url = ? AND portal"
        " LIKE 'token-%' AND portal != ? AND EXISTS (SELECT 1 FROM events WHERE"
        " events.portal = portals.portal) GROUP BY portal ORDER BY last DESC",
        (base_url, key),
    )
    for orphan, _ in orphans:
        stored = [
            (str(object_id), str(version))
            for object_id, version in database.rows(
                "SELECT object_id, updated_at FROM events WHERE portal = ?"
                " ORDER BY updated_at DESC LIMIT ?",
                (orphan, SAMPLE_EVENTS),
            )
        ]
        events = {object_id: read_event(object_id) for object_id, _ in stored}
        found = {i: event.updated_at if event else None for i, event in events.items()}
        if same_events(stored, found):
            return str(orphan)
    return None


def _how(answer: AccountAnswer) -> str:
    """How HubSpot's account details identified the portal, for `plan` to say."""
    if answer.lookup is Lookup.NAMED:
        return Text("portal.how_details")
    if answer.refused is not None:
        return Text("portal.how_refused", status=answer.refused, scope=ACCOUNT_SCOPE)
    return Text("portal.how_not_named")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _label(key: str, base_url: str) -> str:
    if key.startswith("hubspot-"):
        return Text("portal.account", account=key.removeprefix("hubspot-"), url=base_url)
    if key.startswith("token-"):
        return Text("portal.unnamed", url=base_url)
    return base_url
