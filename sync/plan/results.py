"""Results -> annotations: what each row's updatedAt / syncError cell should say.

Pure. Rows sent get HubSpot's updatedAt (or the error they hit); invalid rows get their
validation errors; rows already in sync show the updatedAt HubSpot last confirmed, so
a stale error from an earlier run does not linger. Rows it knows nothing about are
left as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sync.model import Annotation, Plan, RowOutcome, SyncedEvent


@dataclass(frozen=True)
class Tally:
    rows_read: int
    unchanged: int
    sent: int
    updated: int
    failed: int
    invalid: int
    conflicts: int = 0  # rows not sent because HubSpot changed the same field

    def as_dict(self) -> dict[str, int]:
        return {
            "rowsRead": self.rows_read,
            "unchanged": self.unchanged,
            "sent": self.sent,
            "updated": self.updated,
            "failed": self.failed,
            "invalid": self.invalid,
            "conflicts": self.conflicts,
        }


def annotations_for(
    plan: Plan,
    outcomes: Mapping[str, RowOutcome],
    not_sent: Mapping[str, str],
    snapshot: Mapping[str, SyncedEvent],
) -> dict[int, Annotation]:
    """`outcomes` and `not_sent` (objectId -> why) are keyed by objectId."""
    notes: dict[int, Annotation] = {}
    for event in plan.unchanged:
        synced = snapshot.get(event.object_id)
        if synced is not None:
            notes[event.row_number] = Annotation(synced.updated_at, "")
    for update in plan.updates:
        outcome = outcomes.get(update.object_id)
        if outcome is not None:
            notes[update.row_number] = Annotation(outcome.updated_at, outcome.error or "")
        elif update.object_id in not_sent:
            notes[update.row_number] = Annotation(None, not_sent[update.object_id])
    messages: dict[int, list[str]] = defaultdict(list)
    for problem in plan.problems:
        messages[problem.row_number].append(problem.message)
    for row_number, texts in messages.items():
        notes[row_number] = Annotation(None, "; ".join(texts))
    return notes


def tally(rows_read: int, plan: Plan, outcomes: Mapping[str, RowOutcome]) -> Tally:
    sent = [u for u in plan.updates if u.object_id in outcomes]
    conflicted = {p.row_number for p in plan.problems if p.code == "conflict"}
    # A row HubSpot took only in part (a dropped custom property) is not done.
    updated = sum(1 for u in sent if outcomes[u.object_id].ok and not outcomes[u.object_id].error)
    return Tally(
        rows_read=rows_read,
        unchanged=len(plan.unchanged),
        sent=len(sent),
        updated=updated,
        failed=len(plan.updates) - updated,
        invalid=len({p.row_number for p in plan.problems if p.code != "conflict"} - conflicted),
        conflicts=len(conflicted),
    )
