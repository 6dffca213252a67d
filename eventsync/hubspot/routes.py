"""Send: HubSpot's routes per API version, the one table of the paths eventsync calls.

Keyed by the version names `config` accepts (`config.API_VERSIONS`; a test keeps both in
step). Each path is as HubSpot's published OpenAPI files name it, and each version's end
of support as HubSpot announced it: docs/hubspot-api-assumptions.md and
docs/api-versions.md give the sources. With the table, the pure decisions that read it
(what a missing route means, when to warn of the end of support); it never sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from eventsync.config import API_VERSIONS, DEFAULT_API_VERSION
from eventsync.errors import SettingsError
from eventsync.messages import Text, command

# How long before a version's end of support `plan` says so: HubSpot announced the end of
# v1-v3 and of legacy private apps twelve months ahead, the window it gives to migrate.
NOTICE_WINDOW = timedelta(days=366)
# Legacy private apps' tokens (HubSpot's changelog: unsupported from September 2027, as v3).
LEGACY_TOKEN_PREFIX = "pat-"
LEGACY_TOKENS_UNSUPPORTED_FROM = date(2027, 9, 1)

# HubSpot's object type id of marketing events ("Understanding the CRM", object type
# ids): the properties API takes an object type id or name, and the id is the one
# HubSpot documents for this object.
MARKETING_EVENTS_TYPE = "0-54"


@dataclass(frozen=True)
class Routes:
    """The paths of one API version, and the first day HubSpot no longer supports it."""

    events: str  # the prefix of one event (`/{objectId}`) and of `/batch/update`
    list: str  # the events list, paged
    account: str  # the account details: which account (portal) a token belongs to
    properties: str  # the property definitions of marketing events
    unsupported_from: date

    def event(self, object_id: str) -> str:
        return f"{self.events}/{object_id}"

    @property
    def batch_update(self) -> str:
        return f"{self.events}/batch/update"

    @property
    def batch_archive(self) -> str:
        """Deleting events by objectId, any app's (docs/create-events-research.md)."""
        return f"{self.events}/batch/archive"

    # Creates by external id (docs/create-events-research.md: the same paths under every
    # version, after the events prefix).
    @property
    def upsert(self) -> str:
        return f"{self.events}/events/upsert"

    def by_external_id(self, external_event_id: str) -> str:
        """Get by external ids (`?externalAccountId=` with it): the creating app only."""
        return f"{self.events}/events/{quote(external_event_id, safe='')}"

    def complete(self, external_event_id: str) -> str:
        """Mark completed (`?externalAccountId=`, a body with the start and end): the
        creating app only, and the only way to complete an event in any version."""
        return f"{self.events}/events/{quote(external_event_id, safe='')}/complete"

    def identifiers(self, external_event_id: str) -> str:
        """The portal-wide lookup of an external event id (searchable after minutes)."""
        return f"{self.events}/{quote(external_event_id, safe='')}/identifiers"


# Participants (issue 26; docs/participants-research.md): the CRM contacts batch read of
# each version (which emails HubSpot already knows), and recording attendance by email.
CONTACTS_READ: dict[str, str] = {
    "v3": "/crm/v3/objects/contacts/batch/read",
    "2026-03": "/crm/objects/2026-03/contacts/batch/read",
    "2026-09": "/crm/objects/2026-09/contacts/batch/read",
}


def attendance_path(routes: Routes, object_id: str, state: str) -> str:
    """`P/{objectId}/attendance/{state}/email-create`: by email, the event by objectId."""
    return f"{routes.events}/{object_id}/attendance/{state}/email-create"


def breakdown_path(routes: Routes, object_id: str) -> str:
    """`P/participations/{objectId}/breakdown`: each contact's state in one event, paged
    (participants-research.md, "Participations: counters and breakdowns")."""
    return f"{routes.events}/participations/{object_id}/breakdown"


ROUTES: dict[str, Routes] = {
    # v1-v3 paths: unsupported from September 2027 (HubSpot's changelog, "Legacy APIs and
    # Apps: What's Going Unsupported and When"). The list with a trailing slash, as both
    # official SDKs call it (the current v3 spec file names /marketing/marketing-events/v3,
    # a path neither SDK uses: docs/hubspot-api-assumptions.md).
    "v3": Routes(
        events="/marketing/v3/marketing-events",
        list="/marketing/v3/marketing-events/",
        account="/account-info/v3/details",
        properties=f"/crm/v3/properties/{MARKETING_EVENTS_TYPE}",
        unsupported_from=date(2027, 9, 1),
    ),
    # Date versions: unsupported 18 months after their release (HubSpot's "Developer
    # platform and API versioning"): 2026-03 released 30 March 2026, 2026-09 on
    # 8 September 2026. Their list paths have no trailing slash, as published.
    "2026-03": Routes(
        events="/marketing/marketing-events/2026-03",
        list="/marketing/marketing-events/2026-03",
        account="/account-info/2026-03/details",
        properties=f"/crm/properties/2026-03/{MARKETING_EVENTS_TYPE}",
        unsupported_from=date(2027, 9, 30),
    ),
    "2026-09": Routes(
        events="/marketing/marketing-events/2026-09",
        list="/marketing/marketing-events/2026-09",
        account="/account-info/2026-09/details",
        properties=f"/crm/properties/2026-09/{MARKETING_EVENTS_TYPE}",
        unsupported_from=date(2028, 3, 8),
    ),
}


def routes_for(api_version: str) -> Routes:
    """The routes of a version `config` accepted (a KeyError is our own bug)."""
    return ROUTES[api_version]


def route_error(api_version: str, path: str, status: int) -> SettingsError:
    """A redirect or a 404 where the events list should be: the route is not there under
    this version (a setting to change, exit 2), not an answer about the portal's events."""
    other = next(v for v in (DEFAULT_API_VERSION, *reversed(API_VERSIONS)) if v != api_version)
    return SettingsError(
        [
            Text(
                "routes.list_missing",
                path=path,
                version=api_version,
                status=status,
                other=other,
                again=command("plan"),
            )
        ]
    )


def support_notices(api_version: str, *, token: str | None, today: date) -> list[Text]:
    """What `plan` says of HubSpot's end of support (pure): for the version in use and
    for a legacy private app's token, from `NOTICE_WINDOW` before the date on. The
    default version is never flagged: its successor comes with a newer eventsync."""
    notices = []
    ends = routes_for(api_version).unsupported_from
    if api_version != DEFAULT_API_VERSION and today >= ends - NOTICE_WINDOW:
        month, newest = f"{ends:%Y-%m}", DEFAULT_API_VERSION
        if today >= ends:
            notices.append(
                Text("routes.unsupported", version=api_version, month=month, newest=newest)
            )
        else:
            soon = Text("routes.unsupported_soon", version=api_version, month=month, newest=newest)
            notices.append(soon)
    legacy = token is not None and token.startswith(LEGACY_TOKEN_PREFIX)
    if legacy and today >= LEGACY_TOKENS_UNSUPPORTED_FROM - NOTICE_WINDOW:
        notices.append(Text("routes.legacy_token", month=f"{LEGACY_TOKENS_UNSUPPORTED_FROM:%Y-%m}"))
    return notices
