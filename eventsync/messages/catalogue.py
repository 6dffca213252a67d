"""The one catalogue: every message key -> (English, Japanese), gathered from the
parts kept beside it by subject. A key is defined once (tests/test_messages.py checks
that, and that both languages name the same fields)."""

from __future__ import annotations

from eventsync.messages.api_routes import API_ROUTES
from eventsync.messages.counters import COUNTERS
from eventsync.messages.creates import CREATES
from eventsync.messages.custom_values import CUSTOM_VALUES
from eventsync.messages.errors import ERRORS
from eventsync.messages.first_hour_doors import FIRST_HOUR_DOORS
from eventsync.messages.first_hour_sheets import FIRST_HOUR_SHEETS
from eventsync.messages.first_hour_text import FIRST_HOUR_TEXT
from eventsync.messages.first_hour_walk import FIRST_HOUR_WALK
from eventsync.messages.help_text import HELP_TEXT
from eventsync.messages.hubspot import HUBSPOT
from eventsync.messages.lifecycle import LIFECYCLE
from eventsync.messages.limits import LIMITS
from eventsync.messages.own_writes import OWN_WRITES
from eventsync.messages.participant_mapping import PARTICIPANT_MAPPING
from eventsync.messages.participants import PARTICIPANTS
from eventsync.messages.participants_events import PARTICIPANTS_EVENTS
from eventsync.messages.participants_files import PARTICIPANTS_FILES
from eventsync.messages.participants_two_way import PARTICIPANTS_TWO_WAY
from eventsync.messages.participants_watch import PARTICIPANTS_WATCH
from eventsync.messages.participants_xlsx import PARTICIPANTS_XLSX
from eventsync.messages.places import PLACES
from eventsync.messages.portal_versions import PORTAL_VERSIONS
from eventsync.messages.pull_participants import PULL_PARTICIPANTS
from eventsync.messages.refusals import REFUSALS
from eventsync.messages.report import REPORT
from eventsync.messages.rows import ROWS
from eventsync.messages.run_lines import RUN_LINES
from eventsync.messages.sandbox_hand import SANDBOX_HAND
from eventsync.messages.service import SERVICE
from eventsync.messages.setup import SETUP
from eventsync.messages.sharing import SHARING
from eventsync.messages.storage import FILES
from eventsync.messages.streams import STREAMS
from eventsync.messages.trust_files import TRUST_FILES
from eventsync.messages.trust_rows import TRUST_ROWS
from eventsync.messages.usage_errors import USAGE_ERRORS
from eventsync.messages.watch_stop import WATCH_STOP

PARTS: tuple[dict[str, tuple[str, str]], ...] = (
    ROWS,
    HUBSPOT,
    REPORT,
    ERRORS,
    FILES,
    STREAMS,
    SETUP,
    SERVICE,
    SHARING,
    PLACES,
    PORTAL_VERSIONS,
    LIMITS,
    OWN_WRITES,
    TRUST_ROWS,
    TRUST_FILES,
    CUSTOM_VALUES,
    FIRST_HOUR_DOORS,
    FIRST_HOUR_SHEETS,
    FIRST_HOUR_TEXT,
    API_ROUTES,
    SANDBOX_HAND,
    REFUSALS,
    RUN_LINES,
    WATCH_STOP,
    FIRST_HOUR_WALK,
    HELP_TEXT,
    USAGE_ERRORS,
    LIFECYCLE,
    CREATES,
    PARTICIPANTS,
    PARTICIPANTS_XLSX,
    COUNTERS,
    PARTICIPANT_MAPPING,
    PULL_PARTICIPANTS,
    PARTICIPANTS_WATCH,
    PARTICIPANTS_EVENTS,
    PARTICIPANTS_TWO_WAY,
    PARTICIPANTS_FILES,
)
CATALOGUE: dict[str, tuple[str, str]] = {key: text for part in PARTS for key, text in part.items()}
