"""The one catalogue: every message key -> (English, Japanese), gathered from the
parts kept beside it by subject. A key is defined once (tests/test_messages.py checks
that, and that both languages name the same fields)."""

from __future__ import annotations

from sync.messages.api_routes import API_ROUTES
from sync.messages.custom_values import CUSTOM_VALUES
from sync.messages.errors import ERRORS
from sync.messages.files import FILES
from sync.messages.first_hour_doors import FIRST_HOUR_DOORS
from sync.messages.first_hour_sheets import FIRST_HOUR_SHEETS
from sync.messages.first_hour_text import FIRST_HOUR_TEXT
from sync.messages.first_hour_walk import FIRST_HOUR_WALK
from sync.messages.hubspot import HUBSPOT
from sync.messages.limits import LIMITS
from sync.messages.own_writes import OWN_WRITES
from sync.messages.places import PLACES
from sync.messages.portal_versions import PORTAL_VERSIONS
from sync.messages.refusals import REFUSALS
from sync.messages.report import REPORT
from sync.messages.rows import ROWS
from sync.messages.run_lines import RUN_LINES
from sync.messages.sandbox_hand import SANDBOX_HAND
from sync.messages.service import SERVICE
from sync.messages.setup import SETUP
from sync.messages.sharing import SHARING
from sync.messages.streams import STREAMS
from sync.messages.trust_files import TRUST_FILES
from sync.messages.trust_rows import TRUST_ROWS

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
    FIRST_HOUR_WALK,
)
CATALOGUE: dict[str, tuple[str, str]] = {key: text for part in PARTS for key, text in part.items()}
