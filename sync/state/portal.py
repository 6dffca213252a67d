"""Which HubSpot account (portal) a run talks to: the key the state is kept under.

Every portal sits behind the same https://api.hubapi.com, and one sandbox answers at
both localhost and 127.0.0.1: a base URL names neither. HubSpot's account details give
the account id the token belongs to; a token whose account HubSpot does not name is
known by a fingerprint (a salted hash, never the token). Once found, the portal of a
token is remembered in the state database, so later runs make no extra request.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sync.errors import DiskFullError, StateDatabaseError
from sync.messages import Text
from sync.state.database import StateDatabase, database_path, portal_key

SALT = b"eventsync credential fingerprint v1\x00"


class AccountReader(Protocol):
    def account_id(self) -> str | None: ...


@dataclass(frozen=True)
class Portal:
    key: str  # what the state is kept under
    label: str  # for people: "HubSpot account 880001 at https://api.hubapi.com"


def credential_of(token: str) -> str:
    return hashlib.sha256(SALT + token.encode()).hexdigest()[:32]


def identify_portal(
    database_dir: Path,
    base_url: str,
    token: str | None,
    client: AccountReader | None,
    *,
    remember: bool,
) -> Portal:
    """The portal of this token at this base URL: remembered, else asked of HubSpot
    (one request; `remember` keeps the answer: a run that may write state). Without a
    token, the portal last used at this base URL (`plan` without a token)."""
    credential = credential_of(token) if token else None
    path = database_path(database_dir)
    known = None
    if path.exists():
        database = StateDatabase.open(path)
        try:
            known = database.portal_of(base_url, credential)
        finally:
            database.close()
    if known is not None:
        return Portal(known, _label(known, base_url))
    if credential is None or client is None:
        return Portal(portal_key(base_url), f"{base_url} (account not known without a token)")
    account = client.account_id()
    key = f"hubspot-{account}" if account else f"token-{credential[:16]}"
    if remember and path.exists():
        # Only a cache (the next run would ask again), kept once the state database
        # exists: the run's first confirmed batch makes it, never this lookup. A state
        # folder that cannot take it is reported by the store when it matters.
        with contextlib.suppress(DiskFullError, StateDatabaseError):
            database = StateDatabase.open(path)
            try:
                now = datetime.now(UTC).isoformat(timespec="milliseconds")
                database.remember_portal(base_url, credential, key, now)
            finally:
                database.close()
    return Portal(key, _label(key, base_url))


def _label(key: str, base_url: str) -> str:
    if key.startswith("hubspot-"):
        return Text("portal.account", account=key.removeprefix("hubspot-"), url=base_url)
    if key.startswith("token-"):
        return Text("portal.unnamed", url=base_url)
    return base_url
