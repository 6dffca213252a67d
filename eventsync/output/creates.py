"""Render new rows becoming HubSpot events: what `plan` says a sync would create (with
the fields and external id), what a sync created, and the rows held or refused.

Pure: values in, lines and dicts out (output/report.py places them). It never prints
a request body of a real sync.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from eventsync.columns import EXTERNAL_EVENT_ID, OBJECT_ID
from eventsync.messages import Language, localise, say
from eventsync.model import Sheet
from eventsync.output.listing import MAX_LISTED
from eventsync.plan.creates import CreateRow, CreateStatus
from eventsync.values import show_value


def plan_create_lines(
    sheet: Sheet, rows: Sequence[CreateRow], zone: tzinfo, language: Language
) -> list[str]:
    """Each new row a sync would create (its fields), find, hold or refuse."""
    out: list[str] = []
    column, id_label = external_label(sheet), sheet.column_label(OBJECT_ID)
    for row in list(rows)[:MAX_LISTED]:
        where = {"row": row.row_number, "column": column}
        if row.status is CreateStatus.WOULD_CREATE:
            if row.external_id is None:
                out.append("  " + say(language, "create.plan_new", **where))
            else:
                out.append("  " + say(language, "create.plan_again", **where, id=row.external_id))
            for field, value in row.values.items():
                label = sheet.column_label(field)
                new = show_value(value, field, zone)
                out.append("      " + say(language, "report.change_first", label=label, new=new))
        elif row.status is CreateStatus.ADOPTED:
            found = {"row": row.row_number, "label": id_label, "id": row.object_id}
            out.append("  " + say(language, "create.plan_adopt", **found))
        elif row.message:
            message = localise(row.message, language)
            out.append("  " + say(language, "report.row", row=row.row_number, message=message))
    creating = sum(row.status is CreateStatus.WOULD_CREATE for row in rows)
    if creating:
        out.append("  " + say(language, "create.plan_count", count=creating))
    return out


def external_label(sheet: Sheet) -> str:
    """The externalEventId column as the sheet names it, or will."""
    return sheet.header_for(EXTERNAL_EVENT_ID)


def run_create_lines(sheet: Sheet, rows: Sequence[CreateRow], language: Language) -> list[str]:
    """What a sync did with the new rows: counts, and each row not done with why."""
    out: list[str] = []
    label = sheet.column_label(OBJECT_ID)
    created = sum(row.status is CreateStatus.CREATED for row in rows)
    adopted = sum(row.status is CreateStatus.ADOPTED for row in rows)
    if created:
        out.append("  " + say(language, "create.run_created", count=created, label=label))
    if adopted:
        out.append("  " + say(language, "create.run_adopted", count=adopted, label=label))
    for row in rows:
        if not row.done and row.message:
            message = localise(row.message, language)
            out.append("  " + say(language, "report.row", row=row.row_number, message=message))
    return out


def creates_json(rows: Sequence[CreateRow]) -> list[dict[str, Any]]:
    return [
        {
            "row": row.row_number,
            "externalEventId": row.external_id,
            "status": row.status.value,
            "objectId": row.object_id,
            "updatedAt": row.updated_at,
            "fields": dict(row.values),
            "error": row.message or None,
        }
        for row in rows
    ]
