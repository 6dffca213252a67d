"""Output: what `plan` and `sync` say of participants sheets (rows to send per event and
state, the contacts they would create, rows held back and why), and their --json part.

Rendering only: it reads the run's values and never decides anything.
"""

from __future__ import annotations

from typing import Any

from eventsync.config import Settings
from eventsync.messages import Language, Text, command, localise, say
from eventsync.output.participants_two_way import two_way_json, two_way_lines
from eventsync.participants_run import ParticipantsResult, SheetOutcome, allow_how, unknown_why
from eventsync.plan.participant_events import named_by_external_id
from eventsync.plan.participants import Hold, counts_per_event, state_text

EMAILS_SHOWN = 5  # emails named per event; then "and N more"
PROBLEMS_SHOWN = 10  # rows with problems listed per sheet


def people_language(result: ParticipantsResult, settings: Settings) -> Language:
    """EVENTSYNC_LANG, else Japanese when every participants sheet is headed so."""
    if settings.language is not None:
        return settings.language
    if result.sheets and all(o.sheet.language == "ja" for o in result.sheets):
        return "ja"
    return settings.run_language


def plan_lines(result: ParticipantsResult, language: Language) -> list[str]:
    lines: list[str] = []
    for outcome in result.sheets:
        lines.extend(_sheet_plan(outcome, language))
    return lines


def _sheet_plan(outcome: SheetOutcome, language: Language) -> list[str]:
    lines = [say(language, "people.title", file=outcome.sheet.name)]
    how = allow_how()
    # Why each event's rows are held (one reason per sheet), looked up once per event:
    # a scan of every held row per event took seconds for thousands of events.
    hold_of: dict[str, Hold] = {}
    for row, hold in outcome.plan.held:
        hold_of.setdefault(row.event, hold)
    names = named_by_external_id(outcome.plan)
    for event in counts_per_event(outcome.plan):
        name = event_name(event.object_id, names)
        if event.per_state:
            states = "、" if language == "ja" else ", "
            said = states.join(
                say(language, "people.state_count", count=n, state=state_text(s))
                for s, n in event.per_state.items()
            )
            lines.append("  " + say(language, "people.event_line", object_id=name, states=said))
        else:
            lines.append("  " + say(language, "people.event_nothing", object_id=name))
        if event.new_contacts:
            lines.append(
                "    "
                + say(
                    language,
                    "people.new_contacts",
                    count=len(event.new_contacts),
                    emails=_some(event.new_contacts, language),
                )
            )
        if event.held and hold_of[event.object_id] is Hold.EVENT_PENDING:
            held = say(language, "event_key.held", count=event.held, sync=command("sync"))
            lines.append("    " + held)
        elif event.held and hold_of[event.object_id] is Hold.WOULD_CREATE:
            lines.append("    " + say(language, "people.held", count=event.held, how=how))
        elif event.held:
            lines.append("    " + say(language, "people.held_unknown", count=event.held, how=how))
    if outcome.contacts.emails is not None:
        pass
    elif outcome.allow_create:
        why = unknown_why(outcome.contacts)
        lines.append("  " + say(language, "people.unknown_allowed", why=why))
    else:
        lines.append("  " + say(language, "people.unknown", why=unknown_why(outcome.contacts)))
    if outcome.plan.unchanged:
        lines.append("  " + say(language, "people.unchanged", count=len(outcome.plan.unchanged)))
    lines.extend(two_way_lines(outcome, language, sending=False))
    lines.extend(_problem_lines(outcome, language))
    return lines


def event_name(event: str, names: dict[str, str]) -> str:
    """An event as the user named it: its objectId, with the externalEventId its rows
    name it by; an event not created yet by that id alone."""
    external_id = names.get(event)
    if external_id is None:
        return event
    if event == external_id:
        return Text("event_key.name_pending", external_id=external_id)
    return Text("event_key.name", object_id=event, external_id=external_id)


def _event_json(event: str, names: dict[str, str]) -> dict[str, Any]:
    """The --json identity of an event: its objectId (null for an event not created
    yet) and the externalEventId its rows name it by, if they do."""
    external_id = names.get(event)
    if external_id is None:
        return {"objectId": event}
    return {"objectId": None if event == external_id else event, "externalEventId": external_id}


def _some(emails: tuple[str, ...], language: Language) -> str:
    shown = ", ".join(emails[:EMAILS_SHOWN])
    if len(emails) > EMAILS_SHOWN:
        more = say(language, "people.and_more", count=len(emails) - EMAILS_SHOWN)
        shown = f"{shown}, {more}"
    return shown


def _problem_lines(outcome: SheetOutcome, language: Language) -> list[str]:
    bad = outcome.plan.bad
    if not bad:
        return []
    lines = ["  " + say(language, "people.problems", count=len(bad))]
    for row in bad[:PROBLEMS_SHOWN]:
        lines.append(
            "    " + say(language, "people.row_problem", row=row.row_number, message=row.message)
        )
    if len(bad) > PROBLEMS_SHOWN:
        lines.append(
            "    " + say(language, "people.more_problems", count=len(bad) - PROBLEMS_SHOWN)
        )
    return lines


def sync_lines(result: ParticipantsResult, language: Language) -> list[str]:
    lines = []
    for outcome in result.sheets:
        plan = outcome.plan
        lines.append(
            say(
                language,
                "people.synced",
                file=outcome.sheet.name,
                sent=outcome.sent,
                failed=len(outcome.failed),
                held=len(plan.held),
                bad=len(plan.bad),
                unchanged=len(plan.unchanged),
            )
        )
        if outcome.contacts.emails is None and plan.held:
            lines.append("  " + say(language, "people.unknown", why=unknown_why(outcome.contacts)))
        lines.extend(two_way_lines(outcome, language, sending=True))
        if outcome.warning:
            lines.append(localise(outcome.warning, language))
    return lines


def participants_json(result: ParticipantsResult, language: Language) -> list[dict[str, Any]]:
    """The --json part: one object per participants sheet."""
    documents = []
    for outcome in result.sheets:
        plan = outcome.plan
        contacts = outcome.contacts
        names = named_by_external_id(plan)
        document: dict[str, Any] = {
            "sheet": outcome.sheet.name,
            "events": [
                {
                    **_event_json(event.object_id, names),
                    "send": dict(event.per_state),
                    "newContacts": list(event.new_contacts),
                    "held": event.held,
                }
                for event in counts_per_event(plan)
            ],
            "contactsKnown": contacts.emails is not None,
            "unchanged": len(plan.unchanged),
            "problems": [
                {
                    "row": row.row_number,
                    "code": row.problem.value,
                    "message": localise(row.message, language),
                }
                for row in plan.bad
            ],
        }
        if contacts.missing_scope is not None:
            document["missingScope"] = contacts.missing_scope
        if outcome.two_way is not None:
            document["twoWay"] = two_way_json(outcome)
        if result.sending:
            document["sent"] = outcome.sent
            document["failed"] = [
                {"row": row, "message": localise(message, language)}
                for row, message in outcome.failed
            ]
        documents.append(document)
    return documents
