"""Pull: every marketing event of the portal -> a new workbook, and into the snapshot.

The pulled values go through the same normalisation the reader applies to a cell, and
are recorded as "what both sides agree on", so a sync right after a pull sends nothing
and the first real sync sends only what the user then edits. It never overwrites an
existing file unless told to (--force).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from eventsync.columns import COLUMNS, CUSTOM_PREFIX, EXTERNAL_EVENT_ID
from eventsync.errors import SheetError
from eventsync.hubspot.client import HubSpotClient
from eventsync.messages import Text, command, reason
from eventsync.model import CellValue, SyncedEvent, frozen
from eventsync.neighbours import held_beside
from eventsync.participant_mapping import ParticipantMapping
from eventsync.plan.counters import counter_values
from eventsync.plan.event_cells import cell_values, event_cells
from eventsync.portal_model import NO_COUNTERS, Counters
from eventsync.pull_participants import (
    PeoplePull,
    PulledPeople,
    confirmed_people,
    people_sheet,
    read_people,
)
from eventsync.sheets.backups import back_up
from eventsync.sheets.in_use import refuse_if_open, refused_if_in_use
from eventsync.sheets.participants_sheet import NO_MAPPING
from eventsync.sheets.pulled import PulledWorkbook
from eventsync.state.deleted import deleted_events
from eventsync.state.runlog import RunLog
from eventsync.state.snapshot import SnapshotStore
from eventsync.values import is_blank


@dataclass(frozen=True)
class PullResult:
    path: Path
    events: int
    custom_properties: tuple[str, ...]
    beside: str | None = None  # with --keep-both: the sheets beside holding these events
    people: PulledPeople | None = None  # with --participants: the Participants sheet's rows


def pull(
    client: HubSpotClient,
    target: Path,
    zone: tzinfo,
    store: SnapshotStore,
    *,
    lang: str = "en",
    force: bool = False,
    keep_both: bool = False,
    typed: str | None = None,
    on_page: Callable[[int], None] | None = None,
    log: RunLog | None = None,
    participants: PeoplePull | None = None,
    mapping: ParticipantMapping = NO_MAPPING,
) -> PullResult:
    """`on_page(events)` after each page read (the CLI's progress line); `log` counts
    the events of each page in the run log (its end, on a refusal, is the session's:
    eventsync/session.py). The snapshot takes the pulled events in transactions of a
    thousand, after the workbook is written. With `participants`, each event's
    breakdown is read too into a Participants sheet, and its rows recorded as confirmed
    once the workbook is written."""
    if target.suffix.lower() != ".xlsx":
        raise SheetError(Text("refuse.pull_not_xlsx", target=target))
    # The same language as the pull refused: a Japanese workbook is replaced by one.
    language = ("--lang", "ja") if lang == "ja" else ()
    again = command("pull", *language, "--force", typed or str(target))
    if target.exists() and not force:
        raise SheetError(Text("pull.exists", target=target, again=again))
    refuse_if_open(target, again)  # before the portal is read: it could not be written

    def page_done(count: int) -> None:
        if log is not None:
            log.write("page", events=count)
        if on_page is not None:
            on_page(count)

    if log is not None:
        log.write("start", command="pull", sheets=[target.name])
    # Each event is turned into its row's XML and its normalised values as it comes in,
    # while the next page is paced, and only those are kept (not HubSpot's whole event):
    # the list ends at the pace HubSpot allows, and what is left after the last page (the
    # custom-property columns, known only then, the row numbers, the write and the
    # snapshot) is what makes a pull slower than its requests.
    table = [column.key for column in COLUMNS]
    pulled: list[_Pulled] = []
    book = PulledWorkbook(lang)

    backed_up: list[Path] = []

    def back_up_first() -> None:
        # Once: this runs again before each retry of a replace another program refused.
        if not backed_up and target.exists():
            backed_up.append(back_up(target, store.state_dir))

    gone = deleted_events(store)  # never brought back into a sheet (state/deleted.py)
    for event in client.list_events(on_page=page_done):
        object_id = event.object_id
        if object_id in gone:
            continue
        cells = event_cells(event, table, zone)
        try:
            row = book.cells(cells)
        except SheetError as error:
            problem = reason(error)
            raise SheetError(
                Text("refuse.pulled_event", object_id=object_id, problem=problem)
            ) from None
        updated_at = event.updated_at
        values = frozen(cell_values(table, cells, zone))
        pulled.append(
            _Pulled(
                int(object_id),
                object_id,
                row,
                SyncedEvent(values, updated_at),
                dict(event.custom),
                updated_at,
                _external_id(event.fields),
                event.counters,
            )
        )
    pulled.sort(key=lambda one: one.sort_key)
    names = tuple(sorted({name for one in pulled for name in one.custom}))
    custom_fields = [CUSTOM_PREFIX + name for name in names]
    if names:
        for one in pulled:
            custom = cell_values(custom_fields, one.custom_cells(names), zone)
            one.synced = SyncedEvent(frozen({**one.synced.values, **custom}), one.synced.updated_at)
    beside = held_beside(target, {one.object_id for one in pulled}, mapping)
    if beside is not None and not keep_both:
        others, count = beside
        keep = command("pull", *language, "--keep-both", typed or str(target))
        refusal = Text(
            "pull.beside_same_events", target=target.name, count=count, others=others, keep=keep
        )
        raise SheetError(refusal)
    # Read after every refusal above: they cost a request or more per event.
    people = _read_people(client, [one.object_id for one in pulled], zone, participants, log)
    # An externalEventId column when HubSpot holds one (events eventsync created): the
    # rows then carry what proves which event each is (docs/creating-events.md).
    external = any(one.external for one in pulled)
    with refused_if_in_use(target, again):
        book.write(
            target,
            (
                (
                    one.row,
                    [
                        *one.custom_cells(names),
                        *counter_values(one.counters),
                        one.updated_at,
                        None,
                        *one.tail(external),
                    ],
                )
                for one in pulled
            ),
            count=len(pulled),
            custom=names,
            external=external,
            before_replace=back_up_first,
            side=None if people is None else people_sheet(people, lang),
        )

    _record(store, pulled, people, participants)
    if log is not None:
        log.write("end", exitCode=0, message=f"{len(pulled)} events pulled")
    note = None
    if beside is not None:
        note = Text("pull.kept_both", others=beside[0], count=beside[1])
    return PullResult(target, len(pulled), names, note, people)


def _read_people(
    client: HubSpotClient,
    object_ids: list[str],
    zone: tzinfo,
    participants: PeoplePull | None,
    log: RunLog | None,
) -> PulledPeople | None:
    if participants is None:
        return None
    people = read_people(client, object_ids, zone, on_progress=participants.on_progress)
    if log is not None:
        log.write("participants", events=people.events, participants=len(people.rows))
    return people


def _record(
    store: SnapshotStore,
    pulled: list[_Pulled],
    people: PulledPeople | None,
    participants: PeoplePull | None,
) -> None:
    """The pulled events into the snapshot; with the participants, what HubSpot has of
    each recorded as confirmed, as sync records it: a sync of the workbook sends none."""
    store.merge({one.object_id: one.synced for one in pulled})
    if people is not None and participants is not None:
        store.confirm_participations(confirmed_people(people, participants.now()))


@dataclass(slots=True)
class _Pulled:
    """One pulled event as pull keeps it: its row's cells of the table's columns, what
    the snapshot takes (their normalised values), its custom properties and updatedAt."""

    sort_key: int
    object_id: str
    row: bytes  # its cells in the table's columns, as `PulledWorkbook.cells` wrote them
    synced: SyncedEvent
    custom: dict[str, object]  # name -> value, for the names `custom_names` accepts
    updated_at: CellValue  # as HubSpot sent it (its text), into the updatedAt cell
    external: str | None = None  # its externalEventId (an event eventsync created)
    counters: Counters = NO_COUNTERS  # HubSpot's, read only: into the sheet, not the snapshot

    def tail(self, external: bool) -> list[CellValue]:
        return [self.external] if external else []

    def custom_cells(self, names: tuple[str, ...]) -> list[CellValue]:
        found = [self.custom.get(name) for name in names]
        return [None if is_blank(value) else str(value) for value in found]


def _external_id(fields: Mapping[str, object]) -> str | None:
    value = fields.get(EXTERNAL_EVENT_ID)
    return value if isinstance(value, str) and value.strip() else None
