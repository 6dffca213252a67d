"""Plan, lifecycle: what a row's status column asks for, and the rows it takes out of
the ordinary update path (deletions, events known to be deleted, completions).

Pure: no files, no network, no clock. The one home of the lifecycle rules:
- a status cell's words (`parse_status`) and what Scheduled / Cancelled set
  (`status_fields`: eventCancelled, through the ordinary diff, so an unchanged status
  sends nothing);
- whether a row can be completed, and how (`completion_for`: the seam for events
  eventsync created by external id);
- which rows are deletions, which name an event eventsync knows to be deleted (never
  sent, added or created again), which events HubSpot no longer has (`gone_rows`);
- the guard against a status column filled down with Delete (`delete_guard`).
It must never send, and never decide a deletion from anything but the typed marker.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import tzinfo
from types import MappingProxyType
from typing import Protocol

from eventsync.columns import COMPLETED, LIFECYCLE
from eventsync.lifecycle import Archived, DeletedEvent, DeleteKind, EventStatus
from eventsync.messages import Moment, Quoted, Text, command
from eventsync.model import (
    EventUpdate,
    FieldValue,
    Plan,
    ProblemCode,
    RowOutcome,
    RowProblem,
    RowResult,
    RowStatus,
    Stop,
    SyncedEvent,
)

Built = EventUpdate | tuple[RowProblem, ...]
NO_SNAPSHOT: Mapping[str, SyncedEvent] = MappingProxyType({})

# The words a status cell takes, compared without case, width or spaces (NFKC).
STATUS_WORDS: dict[str, EventStatus] = {
    "scheduled": EventStatus.SCHEDULED,
    "予定": EventStatus.SCHEDULED,
    "completed": EventStatus.COMPLETED,
    "完了": EventStatus.COMPLETED,
    "cancelled": EventStatus.CANCELLED,
    "canceled": EventStatus.CANCELLED,  # (the American spelling, as HubSpot's own field)
    "中止": EventStatus.CANCELLED,
    "delete": EventStatus.DELETE,
    "削除": EventStatus.DELETE,
}
ALLOWED = "Scheduled, Completed, Cancelled, Delete (予定, 完了, 中止, 削除)"

# The delete guard: more deletions than this in one run, or most rows of a sheet marked
# (two or more), look like a status filled down by mistake: `sync` refuses before
# anything is sent, unless --allow-deletes says they are meant.
MAX_DELETES = 5


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def parse_status(raw: object) -> EventStatus | None:
    """A status cell -> what it asks for (None: empty); ValueError names the words."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str):
        found = STATUS_WORDS.get(_fold(raw))
        if found is not None:
            return found
        shown = raw.strip()
    else:
        shown = str(raw)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    raise ValueError(Text("lifecycle.bad_status", value=Quoted(shown), allowed=ALLOWED))


def status_fields(status: EventStatus | None) -> dict[str, FieldValue]:
    """The fields a status sets through the ordinary update by objectId."""
    if status is EventStatus.CANCELLED:
        return {"eventCancelled": True}
    if status is EventStatus.SCHEDULED:
        return {"eventCancelled": False}
    return {}


def status_word(typed: object, *, cancelled: bool) -> str | None:
    """What a status cell holding `typed` says once HubSpot's cancellation comes into the
    sheet (two-way sync): Cancelled or Scheduled, in the language the cell was typed in
    (中止 / 予定 for a Japanese word). None: the cell asks for no cancellation (empty,
    Completed, Delete, unreadable), so it is left as it is."""
    try:
        status = parse_status(typed)
    except ValueError:
        return None
    if status not in (EventStatus.SCHEDULED, EventStatus.CANCELLED):
        return None
    japanese = isinstance(typed, str) and not unicodedata.normalize("NFKC", typed).isascii()
    if japanese:
        return "中止" if cancelled else "予定"
    return EventStatus.CANCELLED.value if cancelled else EventStatus.SCHEDULED.value


def status_clash(status: EventStatus | None, values: Mapping[str, FieldValue]) -> str | None:
    """The row's own eventCancelled cell says otherwise than its status: which one is
    meant is not ours to guess. The field's name, or None."""
    for field, value in status_fields(status).items():
        own = values.get(field)
        if own is not None and own != value:
            return field
    return None


# -- completing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """How a row marked Completed is completed: by HubSpot's complete call with the
    external ids eventsync created the event with, and the event's start and end (the
    call requires both)."""

    row_number: int
    object_id: str
    external_account_id: str
    external_event_id: str
    start: str = ""  # startDateTime as HubSpot takes it (the row's, else the last synced)
    end: str = ""
    # The dates the user typed (the row's, differing from the last synced): HubSpot's
    # current values, where read, stand for the others (`with_hubspot_dates`).
    own: frozenset[str] = frozenset()

    @property
    def values(self) -> Mapping[str, FieldValue]:
        """What HubSpot holds once it confirms the call (for the state and its history)."""
        return {COMPLETED: True, START: self.start, END: self.end}


# objectId -> (externalAccountId, externalEventId) of events eventsync created itself.
CreatedEvents = Mapping[str, tuple[str, str]]
# No event created by eventsync (a state without creates; callers that complete nothing).
NONE_CREATED: CreatedEvents = MappingProxyType({})
# (columns.COMPLETED: the snapshot's mark of an event eventsync completed; a Completed
# row whose event has it is not sent again.)
START, END = "startDateTime", "endDateTime"


class CreatedRecord(Protocol):
    """What `created_events` reads of a create the state remembers (model.CreateRecord)."""

    @property
    def external_id(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def object_id(self) -> str | None: ...


def created_events(records: Iterable[CreatedRecord]) -> CreatedEvents:
    """The events eventsync created, from the state's creates: those HubSpot gave an
    objectId for (a create still in flight has none, and no event to complete yet)."""
    return MappingProxyType(
        {r.object_id: (r.account, r.external_id) for r in records if r.object_id}
    )


def completion_for(
    update: EventUpdate,
    created: CreatedEvents,
    known: SyncedEvent | None = None,
    label: Callable[[str], str] = str,
) -> Completion | str:
    """Whether the row's event can be completed, and how; else why not (a message).

    HubSpot completes an event only through the external-id endpoints of the app that
    created it (docs/create-events-research.md): eventsync can complete exactly the
    events it created. `created` holds those (the create path's record). The call needs
    the start and end: the row's, else what HubSpot holds as last synced (`known`);
    `label(field)` names a missing one as the sheet's header does."""
    ids = created.get(update.object_id)
    if ids is None:
        return Text("lifecycle.cannot_complete", object_id=update.object_id)
    dates = completion_dates(update.values, known.values if known else {})
    if isinstance(dates, list):
        return Text("lifecycle.complete_needs_dates", fields=", ".join(map(label, dates)))
    own = own_dates(update.values, known.values if known else {})
    return Completion(update.row_number, update.object_id, ids[0], ids[1], *dates, own)


def own_dates(row: Mapping[str, FieldValue], known: Mapping[str, FieldValue]) -> frozenset[str]:
    """The start and end the row changes (it holds one, and not the last synced one)."""
    return frozenset(f for f in (START, END) if row.get(f) and row.get(f) != known.get(f))


def with_hubspot_dates(
    completes: Iterable[Completion],
    remote: Mapping[str, HubSpotEvent | None],
    snapshot: Mapping[str, SyncedEvent],
) -> tuple[tuple[Completion, ...], tuple[SettledRow, ...]]:
    """The completions once HubSpot was read (`remote`: objectId -> the event, None where
    HubSpot had none): a date the user did not change is HubSpot's current one (a
    colleague's new end is not overwritten by the last synced one); an event HubSpot no
    longer has is deleted there (the rule of `deleted_in_hubspot`), else left for
    HubSpot's own answer."""
    kept: list[Completion] = []
    gone: list[SettledRow] = []
    for complete in completes:
        if complete.object_id not in remote:
            kept.append(complete)
            continue
        event = remote[complete.object_id]
        if event is None:
            if complete.object_id in snapshot:
                gone.append(SettledRow(complete.row_number, complete.object_id))
            else:
                kept.append(complete)
            continue
        now = {f: event.values.get(f) for f in (START, END) if f not in complete.own}
        start = str(now.get(START) or complete.start)
        end = str(now.get(END) or complete.end)
        kept.append(replace(complete, start=start, end=end))
    return tuple(kept), tuple(gone)


class HubSpotEvent(Protocol):
    """What `with_hubspot_dates` reads of HubSpot's event (plan/event_cells.RemoteEvent)."""

    @property
    def values(self) -> Mapping[str, FieldValue]: ...


def completion_dates(
    row: Mapping[str, FieldValue], known: Mapping[str, FieldValue]
) -> tuple[str, str] | list[str]:
    """(start, end) for the complete call: each the row's, else the last synced value;
    else the fields neither holds (HubSpot requires both)."""
    found = [row.get(field) or known.get(field) for field in (START, END)]
    missing = [field for field, value in zip((START, END), found, strict=True) if not value]
    if missing:
        return missing
    return str(found[0]), str(found[1])


def completion_changes(
    confirmed: Mapping[str, FieldValue], known: SyncedEvent | None
) -> dict[str, FieldValue]:
    """What a confirmed completion changed, for the state and its history: the mark, and
    a start or end only where it is not what both sides held already."""
    held = known.values if known is not None else {}
    return {f: v for f, v in confirmed.items() if f == COMPLETED or held.get(f, v is None) != v}


def already_completed(known: SyncedEvent | None) -> bool:
    """eventsync completed this event before (its state says so): a Completed row is then
    an ordinary row, and nothing is sent for its status again."""
    return known is not None and known.values.get(COMPLETED) is True


# -- the rows the lifecycle takes out of the update path -----------------------------


@dataclass(frozen=True)
class PlannedDelete:
    row_number: int
    object_id: str


@dataclass(frozen=True)
class SettledRow:
    """A row naming an event eventsync knows to be deleted: nothing is sent for it."""

    row_number: int
    object_id: str


@dataclass(frozen=True)
class Lifecycle:
    """A sheet's rows that are not ordinary updates."""

    deletes: tuple[PlannedDelete, ...] = ()
    settled: tuple[SettledRow, ...] = ()  # already deleted (known from the state)
    gone: tuple[SettledRow, ...] = ()  # HubSpot no longer has the event: found this run
    completes: tuple[Completion, ...] = ()  # Completed now, for events eventsync created


def split_lifecycle(
    built: Iterable[Built],
    deleted: Mapping[str, DeletedEvent],
    created: CreatedEvents,
    label: Callable[[str], str],
    snapshot: Mapping[str, SyncedEvent] = NO_SNAPSHOT,
) -> tuple[list[Built], Lifecycle]:
    """The rows for the ordinary diff, and the lifecycle's own. `label(field)`: the
    header the sheet shows for a field. A row Completed since the last sync is a
    completion; one completed before (`snapshot`) is an ordinary row."""
    rest: list[Built] = []
    deletes: list[PlannedDelete] = []
    settled: list[SettledRow] = []
    completes: list[Completion] = []
    for item in built:
        if not isinstance(item, EventUpdate):
            rest.append(item)
        elif not item.object_id:  # a new row (plan/creates): no event to delete or complete yet
            rest.append(_new_row_status(item, label) or item)
        elif item.object_id in deleted:
            settled.append(SettledRow(item.row_number, item.object_id))
        elif item.status is EventStatus.DELETE:
            deletes.append(PlannedDelete(item.row_number, item.object_id))
        elif item.status is EventStatus.COMPLETED and not already_completed(
            snapshot.get(item.object_id)
        ):
            how = completion_for(item, created, snapshot.get(item.object_id), label)
            if isinstance(how, Completion):
                completes.append(how)
            else:
                rest.append(_cannot_complete(item, how, label))
        else:
            rest.append(item)
    return rest, Lifecycle(tuple(deletes), tuple(settled), (), tuple(completes))


def _cannot_complete(item: EventUpdate, why: str, label: Callable[[str], str]) -> Built:
    column = label(LIFECYCLE)
    text = Text("cell.problem", label=column, problem=why)
    return (RowProblem(item.row_number, column, ProblemCode.CANNOT_COMPLETE, text),)


def _new_row_status(item: EventUpdate, label: Callable[[str], str]) -> Built | None:
    """A new row marked Delete or Completed: nothing to delete or complete yet, and
    creating it would go against what the row asks; the row says so, nothing is sent."""
    if item.status not in (EventStatus.DELETE, EventStatus.COMPLETED):
        return None
    column = label(LIFECYCLE)
    text = Text("cell.problem", label=column, problem=Text("lifecycle.new_row_status"))
    return (RowProblem(item.row_number, column, ProblemCode.BAD_STATUS, text),)


def deleted_in_hubspot(row: EventUpdate, snapshot: Mapping[str, SyncedEvent]) -> bool:
    """The one rule, for a row whose event HubSpot says it does not have (a 404 on get,
    missing from the list, "not found" in a batch answer): deleted in HubSpot when this
    state synced that event before. Not the row's own updatedAt: a synced row whose id
    was mistyped carries one too, and a typo is no deletion to remember; such a row (and
    one of a state that is new) stays an error asking to check the id."""
    return row.object_id in snapshot


def gone_rows(
    rows: Iterable[EventUpdate],
    remote: Mapping[str, object | None],
    snapshot: Mapping[str, SyncedEvent],
) -> tuple[SettledRow, ...]:
    """Rows whose event HubSpot was read for and no longer has (`remote`: objectId ->
    the event read, None where HubSpot had none): deleted in HubSpot."""
    return tuple(
        SettledRow(row.row_number, row.object_id)
        for row in rows
        if row.object_id in remote
        and remote[row.object_id] is None
        and deleted_in_hubspot(row, snapshot)
    )


def gone_in_answers(
    outcomes: Iterable[RowOutcome],
    rows: Iterable[EventUpdate],
    snapshot: Mapping[str, SyncedEvent],
) -> tuple[SettledRow, ...]:
    """Rows sent whose batch answer said HubSpot has no such event: deleted in HubSpot
    (the same rule as `gone_rows`: what HubSpot answered, not how it was asked)."""
    missing = {o.object_id for o in outcomes if o.not_found}
    return tuple(
        SettledRow(row.row_number, row.object_id)
        for row in rows
        if row.object_id in missing and deleted_in_hubspot(row, snapshot)
    )


def without_rows(plan: Plan, rows: set[int]) -> Plan:
    """The plan less these rows (the lifecycle has taken them)."""
    if not rows:
        return plan
    return Plan(
        tuple(u for u in plan.updates if u.row_number not in rows),
        tuple(u for u in plan.unchanged if u.row_number not in rows),
        tuple(p for p in plan.problems if p.row_number not in rows),
    )


def status_conflicts(
    plan: Plan,
    conflicts: Iterable[StatusConflict],
    status_label: str | None,
    cancelled_label: str | None,
    zone: tzinfo,
) -> Plan:
    """A conflict on eventCancelled in a sheet whose status column stands for it (no
    eventCancelled column): said in the status's words, since typing HubSpot's TRUE
    into a status cell would be no status at all."""
    if status_label is None or cancelled_label is not None:
        return plan
    typed = "Scheduled" if unicodedata.normalize("NFKC", status_label).isascii() else "予定"
    said = {
        c.row_number: Text(
            "lifecycle.status_conflict",
            label=status_label,
            word=Quoted(str(status_word(typed, cancelled=c.hubspot_value is True))),
            at=Moment(c.hubspot_updated_at, zone),
            force=command("sync", "--force", c.object_id),
        )
        for c in conflicts
        if c.field == CANCELLED
    }
    if not said:
        return plan
    problems = tuple(
        replace(p, column=status_label, message=said[p.row_number])
        if p.code is ProblemCode.CONFLICT and p.column == CANCELLED and p.row_number in said
        else p
        for p in plan.problems
    )
    return replace(plan, problems=problems)


class StatusConflict(Protocol):
    """What `status_conflicts` reads of a conflict (plan/conflicts.Conflict)."""

    @property
    def row_number(self) -> int: ...
    @property
    def object_id(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def hubspot_value(self) -> FieldValue: ...
    @property
    def hubspot_updated_at(self) -> str: ...


CANCELLED = "eventCancelled"


# -- the guard --------------------------------------------------------------------


@dataclass(frozen=True)
class DeleteCount:
    """One sheet's deletions, for the guard."""

    file: str
    deletes: int
    rows: int  # the sheet's rows read


def delete_guard(counts: Sequence[DeleteCount], *, allowed: bool) -> str | None:
    """Why a run must not delete what its sheets mark (None: it may). More than
    MAX_DELETES in one run, or two or more rows that are most of a sheet: a Delete
    filled down or pasted by mistake looks exactly so."""
    if allowed:
        return None
    total = sum(count.deletes for count in counts)
    most = [c for c in counts if c.deletes >= 2 and c.deletes * 2 > c.rows]
    if total <= MAX_DELETES and not most:
        return None
    files = ", ".join(c.file for c in counts if c.deletes)
    return Text(
        "lifecycle.too_many_deletes",
        count=total,
        files=files,
        most=MAX_DELETES,
        allow=command("sync", "--allow-deletes"),
        plan=command("plan"),
    )


# -- results ----------------------------------------------------------------------


def deleted_message(event: DeletedEvent, zone: tzinfo) -> str:
    """What a row naming a deleted event says (its syncError cell)."""
    at = Moment(event.at, zone)
    if event.kind is DeleteKind.BY_EVENTSYNC:
        return Text("lifecycle.row_deleted", at=at)
    return Text("lifecycle.row_gone", at=at)


def lifecycle_rows(lifecycle: Lifecycle) -> list[int]:
    """Every row the lifecycle may annotate."""
    rows = [row.row_number for row in (*lifecycle.settled, *lifecycle.gone)]
    rows += (delete.row_number for delete in lifecycle.deletes)
    return rows + [complete.row_number for complete in lifecycle.completes]


def lifecycle_results(
    lifecycle: Lifecycle,
    archived: Mapping[str, Archived],
    deleted: Mapping[str, DeletedEvent],
    stop: Stop | None,
    zone: tzinfo,
    completed: Mapping[str, RowOutcome] = MappingProxyType({}),
) -> list[RowResult]:
    """One result per lifecycle row, after a sync: deleted (now or before), completed
    (`completed`: HubSpot's answer per objectId), failed (HubSpot's reason, or an answer
    that left it unclear), or not sent."""
    results: list[RowResult] = []
    for row in (*lifecycle.settled, *lifecycle.gone):
        event = deleted.get(row.object_id)
        message = deleted_message(event, zone) if event else ""
        results.append(RowResult(row.row_number, row.object_id, RowStatus.DELETED, message))
    for delete in lifecycle.deletes:
        answer = archived.get(delete.object_id)
        event = deleted.get(delete.object_id)
        if answer is None:
            why = stop.row_message if stop else Text("row.not_sent", again=command("sync"))
            results.append(RowResult(delete.row_number, delete.object_id, RowStatus.NOT_SENT, why))
        elif answer.deleted and event is not None:
            message = deleted_message(event, zone)
            results.append(
                RowResult(delete.row_number, delete.object_id, RowStatus.DELETED, message)
            )
        else:
            results.append(
                RowResult(delete.row_number, delete.object_id, RowStatus.FAILED, answer.message)
            )
    results += (completion_result(c, completed.get(c.object_id), stop) for c in lifecycle.completes)
    return results


def completion_result(
    complete: Completion, answer: RowOutcome | None, stop: Stop | None
) -> RowResult:
    """A completion's row after a sync: its new updatedAt, HubSpot's reason, or not sent."""
    row, object_id = complete.row_number, complete.object_id
    if answer is None:
        why = stop.row_message if stop else Text("row.not_sent", again=command("sync"))
        return RowResult(row, object_id, RowStatus.NOT_SENT, why)
    if answer.status is RowStatus.NOT_SENT:  # (the run stopped at its request)
        return RowResult(row, object_id, RowStatus.NOT_SENT, answer.message)
    if answer.status is RowStatus.UPDATED:
        return RowResult(row, object_id, RowStatus.UPDATED, "", answer.updated_at)
    return RowResult(row, object_id, RowStatus.FAILED, answer.message)
