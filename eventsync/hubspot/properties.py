"""HubSpot's property definitions as its properties API lists them -> `PortalProperties`.

The wire shape of the properties API (`GET /crm/v3/properties/0-54`: hubspot/routes.py)
lives here and nowhere else: name, type, fieldType, label, options[{label, value}].
Pure: it reads an answer already received, never sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eventsync.errors import ExitCode
from eventsync.hubspot.answers import items_of
from eventsync.hubspot.retry import describe
from eventsync.hubspot.transport import Reply
from eventsync.messages import Text, command
from eventsync.model import Stop
from eventsync.portal_model import PortalProperties, PropertyDefinition, PropertyOption


def portal_properties(reply: Reply) -> PortalProperties:
    """The definitions HubSpot answered, or why there are none: a 403 refuses this read
    only (a scope the key lacks); anything else (HubSpot out, the token refused, the
    daily limit, an answer that is no list) is a stop, as for any read."""
    if reply.stop and reply.status == 403:
        return PortalProperties(None, reply.stop.message)
    if reply.stop:
        return PortalProperties(None, reply.stop.message, reply.stop)
    if reply.gave_up or reply.status != 200 or reply.body is None:
        why = reply.gave_up or describe(reply.status, reply.body or {})
        row = Text("hubspot.long_wait_row", why=why, again=command("sync"))
        return PortalProperties(None, why, Stop(why, row, ExitCode.ROWS_FAILED))
    found = [definition_of(item) for item in items_of(reply.body, "results")]
    return PortalProperties.known([d for d in found if d is not None])


def definition_of(item: Mapping[str, Any]) -> PropertyDefinition | None:
    """One property of the properties API's answer; None without a name."""
    name = item.get("name")
    if not isinstance(name, str) or not name:
        return None
    options = item.get("options")
    return PropertyDefinition(
        name,
        _text(item.get("type")),
        _text(item.get("fieldType")),
        _text(item.get("label")),
        tuple(
            PropertyOption(_text(option.get("label")), _text(option.get("value")))
            for option in (options if isinstance(options, list) else [])
            if isinstance(option, Mapping) and isinstance(option.get("value"), str | int | bool)
        ),
    )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, str | int | float) else ""
