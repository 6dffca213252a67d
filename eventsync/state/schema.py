"""The state database's format: its tables, and the number a newer eventsync raises.

Format 1 kept events, history and imports per base URL; 2 added which portal (HubSpot
account) a credential belongs to; 3 the sends not yet answered; 4 each create, recorded
before it is sent; 5 the events known to be deleted; 6 the participants HubSpot
confirmed. An older file is upgraded in place (tables added, nothing rewritten); a
newer one is refused.
"""

from __future__ import annotations

SCHEMA_VERSION = 6  # PRAGMA user_version; a newer eventsync may raise it, never lower it
APPLICATION_ID = 0x45565359  # "EVSY": a SQLite file that is not ours is refused

SCHEMA = """
CREATE TABLE events (
    portal TEXT NOT NULL,
    object_id TEXT NOT NULL,
    field_values TEXT NOT NULL,   -- JSON object: field -> value, as confirmed
    updated_at TEXT NOT NULL,     -- HubSpot's updatedAt with those values
    PRIMARY KEY (portal, object_id)
) WITHOUT ROWID;
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    portal TEXT NOT NULL,
    run TEXT NOT NULL,
    at TEXT NOT NULL,
    object_id TEXT NOT NULL,
    field TEXT NOT NULL,
    kind TEXT NOT NULL,
    before TEXT,                  -- JSON, or NULL: the field had never been synced
    value TEXT NOT NULL,          -- JSON
    updated_at TEXT NOT NULL,
    sheet TEXT,
    row_number INTEGER
);
CREATE INDEX history_by_event ON history (portal, object_id, id);
CREATE TABLE imports (
    portal TEXT NOT NULL,
    source TEXT NOT NULL,         -- the JSON snapshot's file name
    events INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (portal, source)
);
"""
# Format 2: which portal (HubSpot account) a credential at a base URL belongs to. The
# credential is a fingerprint (a salted hash), never the token.
PORTALS = """
CREATE TABLE portals (
    base_url TEXT NOT NULL,
    credential TEXT NOT NULL,
    portal TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (base_url, credential)
);
"""
# Format 3: what was sent and not yet answered (a kill while HubSpot applies a batch):
# finding exactly these values in HubSpot later is eventsync's own write, not an edit.
IN_FLIGHT = """
CREATE TABLE in_flight (
    id INTEGER PRIMARY KEY,
    portal TEXT NOT NULL,
    object_id TEXT NOT NULL,
    field_values TEXT NOT NULL,   -- JSON object: field -> value, as sent
    at TEXT NOT NULL
);
CREATE INDEX in_flight_by_event ON in_flight (portal, object_id, id);
"""
# Format 4: each create, recorded before it is sent (its external id is in the row too):
# a create whose answer was lost is looked up by these ids, never sent blind again
# (docs/creating-events.md). `object_id` is NULL until HubSpot's id is known; `sent_at`
# NULL while it was never sent.
CREATES = """
CREATE TABLE creates (
    portal TEXT NOT NULL,
    external_event_id TEXT NOT NULL,
    external_account_id TEXT NOT NULL,
    sheet TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    field_values TEXT NOT NULL,   -- JSON object: field -> value, as sent
    written_at TEXT NOT NULL,
    sent_at TEXT,
    object_id TEXT,
    PRIMARY KEY (portal, external_event_id)
) WITHOUT ROWID;
"""
# Format 5: events eventsync knows to be deleted (a row's Delete marker archived them, or
# HubSpot no longer had them): never sent, added or created again (state/deleted.py).
DELETED = """
CREATE TABLE IF NOT EXISTS deleted (
    portal TEXT NOT NULL,
    object_id TEXT NOT NULL,
    kind TEXT NOT NULL,           -- lifecycle.DeleteKind: deleted, deleted in HubSpot
    at TEXT NOT NULL,             -- when eventsync learnt it (UTC, ISO 8601)
    PRIMARY KEY (portal, object_id)
) WITHOUT ROWID;
"""
# Format 6: each participant HubSpot confirmed, per portal, event and email (folded for
# matching): the state and times last sent, and HubSpot's contact id for the email.
PARTICIPATIONS = """
CREATE TABLE participations (
    portal TEXT NOT NULL,
    object_id TEXT NOT NULL,
    email_key TEXT NOT NULL,      -- the email as matched: NFKC, no spaces, case-folded
    email TEXT NOT NULL,          -- as sent
    state TEXT NOT NULL,          -- register, attend or cancel
    interaction_ms INTEGER,       -- the row's interactionDateTime; NULL: none given
    joined_at TEXT,
    left_at TEXT,
    contact_id TEXT,              -- HubSpot's vid for the email
    sent_at TEXT NOT NULL,
    PRIMARY KEY (portal, object_id, email_key)
) WITHOUT ROWID;
"""
