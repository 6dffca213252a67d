"""Render the lifecycle's rows: what `plan` says will be deleted (prominently, with the
count and the guard), what `sync` deleted or found deleted in HubSpot, and their JSON.

Pure: strings and dicts from the planned sheets and the results; never prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo
from typing import Any

from eventsync.columns import OBJECT_ID
from eventsync.hubspot.completing import complete_body
from eventsync.hubspot.payload import archive_body
from eventsync.messages import Language, Moment, command, localise, say
from eventsync.model import RowStatus
from eventsync.output.listing import MAX_LISTED
from eventsync.plan.lifecycle import delete_guard
from eventsync.plan.planned import PlannedSheet, delete_counts
from eventsync.plan.results import SheetResult


def lifecycle_plan_lines(
    planned: PlannedSheet, language: Language, zone: tzinfo = UTC
) -> list[str]:
    """Under a sheet's summary in `plan`: every deletion, every completion, every event
    found deleted in HubSpot, and how many rows name events already deleted."""
    lifecycle, sheet = planned.lifecycle, planned.sheet
    label = sheet.column_label(OBJECT_ID)
    out = []
    for delete in lifecycle.deletes[:MAX_LISTED]:
        where = {"row": delete.row_number, "label": label, "id": delete.object_id}
        out.append("  " + say(language, "lifecycle.plan_delete_row", **where))
    for complete in lifecycle.completes[:MAX_LISTED]:
        where = {"row": complete.row_number, "label": label, "id": complete.object_id}
        dates = {"start": Moment(complete.start, zone), "end": Moment(complete.end, zone)}
        out.append("  " + say(language, "lifecycle.plan_complete_row", **where, **dates))
    for gone in lifecycle.gone[:MAX_LISTED]:
        where = {"row": gone.row_number, "label": label, "id": gone.object_id}
        out.append("  " + say(language, "lifecycle.plan_gone_row", **where, sync=command("sync")))
    if lifecycle.settled:
        out.append("  " + say(language, "lifecycle.plan_settled", count=len(lifecycle.settled)))
    return out


def deletes_total_lines(
    planned_sheets: Sequence[PlannedSheet], total: int, language: Language
) -> list[str]:
    """The plan's last lines: how many events a sync would mark completed, how many it
    would delete, and whether the delete guard would stop it."""
    completes = sum(len(planned.lifecycle.completes) for planned in planned_sheets)
    out = [say(language, "lifecycle.would_complete", events=completes)] if completes else []
    if not total:
        return out
    out.append(say(language, "lifecycle.would_delete", events=total))
    why = delete_guard(delete_counts(planned_sheets), allowed=False)
    if why is not None:
        guard = say(language, "lifecycle.plan_guard", sync=command("sync"), why=why)
        out.append(guard)
    return out


def _deleted_now(result: SheetResult) -> tuple[list[int], list[int]]:
    """Rows deleted by this sync's markers, and rows found deleted in HubSpot now."""
    lifecycle = result.planned.lifecycle
    deleted = {r.row_number for r in result.rows if r.status is RowStatus.DELETED}
    marked = [d.row_number for d in lifecycle.deletes if d.row_number in deleted]
    gone = [g.row_number for g in lifecycle.gone if g.row_number in deleted]
    return marked, gone


def _completed_now(result: SheetResult) -> list[int]:
    """Rows whose event this sync marked completed."""
    updated = {r.row_number for r in result.rows if r.status is RowStatus.UPDATED}
    return [c.row_number for c in result.planned.lifecycle.completes if c.row_number in updated]


def lifecycle_run_summary(result: SheetResult, language: Language) -> str:
    marked, gone = _deleted_now(result)
    text = say(language, "lifecycle.run_deleted", count=len(marked)) if marked else ""
    if completed := _completed_now(result):
        text += say(language, "lifecycle.run_completed", count=len(completed))
    if gone:
        text += say(language, "lifecycle.run_gone", count=len(gone))
    return text


def lifecycle_run_lines(result: SheetResult, language: Language) -> list[str]:
    """One line per row deleted now, or found deleted in HubSpot now."""
    marked, gone = _deleted_now(result)
    now = set(marked) | set(gone)
    return [
        "  " + say(language, "report.row", row=r.row_number, message=localise(r.message, language))
        for r in result.rows
        if r.row_number in now
    ][:MAX_LISTED]


def lifecycle_json(planned: PlannedSheet, batch_size: int | None = None) -> dict[str, Any]:
    """The lifecycle's rows; with `batch_size` (plan), the exact `batch/archive` bodies."""
    lifecycle = planned.lifecycle
    ids = [d.object_id for d in lifecycle.deletes]
    bodies = (
        {
            "archiveRequests": [
                archive_body(ids[i : i + batch_size]) for i in range(0, len(ids), batch_size)
            ]
        }
        if batch_size
        else {}
    )
    return {
        **bodies,
        "deletes": [{"row": d.row_number, "objectId": d.object_id} for d in lifecycle.deletes],
        "completes": [
            {
                "row": c.row_number,
                "objectId": c.object_id,
                "externalEventId": c.external_event_id,
                "externalAccountId": c.external_account_id,
                "body": complete_body(c.start, c.end),
            }
            for c in lifecycle.completes
        ],
        "deletedInHubSpot": [
            {"row": g.row_number, "objectId": g.object_id} for g in lifecycle.gone
        ],
        "alreadyDeleted": [
            {"row": s.row_number, "objectId": s.object_id} for s in lifecycle.settled
        ],
    }
