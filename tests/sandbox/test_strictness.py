"""The sandbox is as strict as HubSpot's published material says HubSpot is (issue 22):
typed custom property values, undefined properties dropped, HubSpot-shaped errors,
token scopes, rate-limit headers by default, required fields, the schema's
`customProperties`. Each choice is listed in docs/hubspot-api-assumptions.md."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers import TOKEN, Workspace, sent_inputs

from eventsync.sandbox.properties import value_problem
from eventsync.sandbox.sample import SAMPLE_PROPERTIES, sample_events
from eventsync.sandbox.server import Sandbox, make_event, parse_args

ID = "7301"
V3 = "/marketing/v3/marketing-events"
READ = "crm.objects.marketing_events.read"
WRITE = "crm.objects.marketing_events.write"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
VENUE = {
    "name": "venue",
    "type": "enumeration",
    "fieldType": "select",
    "options": [{"label": "Tokyo", "value": "tokyo"}, {"label": "Osaka", "value": "osaka"}],
}
TRACKS = {**VENUE, "name": "tracks", "fieldType": "checkbox"}
DEFINITIONS: list[dict[str, Any]] = [
    VENUE,
    TRACKS,
    {"name": "starts_at", "type": "datetime", "fieldType": "date"},
    {"name": "day", "type": "date", "fieldType": "date"},
    {"name": "vip", "type": "bool", "fieldType": "booleancheckbox"},
    {"name": "seats", "type": "number", "fieldType": "number"},
    {"name": "note", "type": "string", "fieldType": "textarea"},
]
KIND = {d["name"]: d for d in DEFINITIONS}


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("starts_at", "2026-04-06T01:00:00Z", None),
        ("starts_at", "2026-04-06T01:00:00.250Z", None),
        ("starts_at", "2026-04-06T01:00Z", None),
        ("starts_at", "2026-04-06T01:00:00+00:00", None),
        ("starts_at", "1775437200000", None),
        ("starts_at", "2026-04-06T10:00:00+09:00", "INVALID_DATETIME"),  # not UTC
        ("starts_at", "2026-04-06T10:00:00", "INVALID_DATETIME"),  # no zone at all
        ("starts_at", "2026/4/6 10:00", "INVALID_DATETIME"),
        ("starts_at", "2026-02-30T01:00:00Z", "INVALID_DATETIME"),
        ("day", "2026-04-06", None),
        ("day", "1775433600000", None),  # midnight UTC
        ("day", "1775437200000", "INVALID_DATE"),  # 01:00 UTC
        ("day", "2026-04-06T00:00:00Z", "INVALID_DATE"),
        ("day", "2026-13-01", "INVALID_DATE"),
        ("vip", "true", None),
        ("vip", "false", None),
        ("vip", "TRUE", None),  # stored as true (see the no-source entry)
        ("vip", "yes", "INVALID_BOOLEAN"),
        ("vip", "1", "INVALID_BOOLEAN"),
        ("venue", "tokyo", None),
        ("venue", "Tokyo", "INVALID_OPTION"),  # the label is not the internal value
        ("venue", "tokyo;osaka", "INVALID_OPTION"),  # a dropdown takes one
        ("tracks", "tokyo;osaka", None),
        ("tracks", "osaka", None),
        ("tracks", "tokyo;nagoya", "INVALID_OPTION"),
        ("seats", "12", None),
        ("seats", "-3.5", None),
        ("seats", "1,200", "INVALID_NUMBER"),
        ("seats", "twelve", "INVALID_NUMBER"),
        ("note", "anything at all", None),
        ("note", "x" * 65_536, None),
        ("note", "x" * 65_537, "INVALID_STRING"),
        ("seats", "", None),  # "" clears a property of any type
        ("venue", "", None),
    ],
)
def test_a_custom_value_is_checked_by_its_property_type(name, value, code):
    problem = value_problem(KIND[name], value)
    assert (problem[0] if problem else None) == code


def update(sandbox, *inputs, path=V3, token=TOKEN):
    return requests.post(
        f"{sandbox.url}{path}/batch/update",
        json={"inputs": list(inputs)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_a_refused_value_is_a_hubspot_shaped_400_and_changes_nothing():
    with Sandbox(
        [make_event(ID), make_event("7302")], token=TOKEN, property_definitions=DEFINITIONS
    ) as sb:
        before = sb.events
        props = [{"name": "venue", "value": "Nagoya"}]
        fine = {"objectId": "7302", "eventName": "B", "customProperties": []}
        answer = update(sb, {"objectId": ID, "customProperties": props}, fine)
        assert answer.status_code == 400
        body = answer.json()
        assert body["status"] == "error" and body["category"] == "VALIDATION_ERROR"
        assert body["correlationId"] == answer.headers["X-HubSpot-Correlation-Id"]
        assert body["message"].startswith("Property values were not valid: venue: Nagoya")
        [detail] = body["errors"]
        assert detail["code"] == "INVALID_OPTION"
        assert detail["context"] == {"objectId": [ID], "propertyName": ["venue"]}
        assert sb.events == before  # all or nothing: the good input was not applied either


def test_a_property_the_portal_does_not_define_is_dropped_and_the_rest_is_set():
    with Sandbox([make_event(ID)], token=TOKEN, property_definitions=DEFINITIONS) as sb:
        props = [{"name": "venue", "value": "osaka"}, {"name": "nowhere", "value": "x"}]
        answer = update(sb, {"objectId": ID, "customProperties": props})
        assert answer.status_code == 200
        stored = sb.events[ID]["customProperties"]
        assert stored == [{"name": "venue", "value": "osaka"}]


def test_an_update_that_empties_a_required_field_is_refused():
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        for field in ("eventName", "eventOrganizer"):
            answer = update(sb, {"objectId": ID, field: "", "customProperties": []})
            assert answer.status_code == 400
            [detail] = answer.json()["errors"]
            assert detail["code"] == "REQUIRED_FIELD" and detail["in"] == f"inputs[0].{field}"
        assert sb.events[ID]["eventName"] == f"Event {ID}"
        # Other text fields may be emptied.
        assert update(sb, {"objectId": ID, "eventDescription": ""}).status_code == 200


def test_a_207_error_carries_every_field_of_hubspots_standard_error():
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        answer = update(
            sb, {"objectId": ID, "eventName": "A"}, {"objectId": "999", "eventName": "B"}
        )
        assert answer.status_code == 207
        [error] = answer.json()["errors"]
        assert {"status", "category", "message", "context", "errors", "links"} <= set(error)
        assert error["context"] == {"objectId": ["999"]}


def test_under_2026_09_row_errors_come_inside_a_200():
    # The 2026-09 spec lists only a 200 for batch/update, its body with errors[].
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        path = "/marketing/marketing-events/2026-09"
        answer = update(sb, {"objectId": ID, "eventName": "A"}, {"objectId": "999"}, path=path)
        assert answer.status_code == 200
        assert answer.json()["numErrors"] == 1
        assert answer.json()["errors"][0]["category"] == "OBJECT_NOT_FOUND"


@pytest.mark.parametrize(
    ("scopes", "read_status", "write_status"),
    [(None, 200, 200), ([READ], 200, 403), ([WRITE], 403, 200), ([READ, WRITE], 200, 200)],
)
def test_a_token_holds_only_the_scopes_it_was_given(scopes, read_status, write_status):
    with Sandbox([make_event(ID)], token=TOKEN, scopes=scopes) as sb:
        listed = requests.get(f"{sb.url}{V3}", headers=AUTH, timeout=10)
        one = requests.get(f"{sb.url}{V3}/{ID}", headers=AUTH, timeout=10)
        written = update(sb, {"objectId": ID, "eventName": "A"})
    assert (listed.status_code, one.status_code, written.status_code) == (
        read_status,
        read_status,
        write_status,
    )
    for answer, scope in ((listed, READ), (written, WRITE)):
        if answer.status_code == 403:
            body = answer.json()
            assert body["category"] == "MISSING_SCOPES"
            assert body["errors"][0]["context"]["requiredScopes"] == [scope]


def test_scopes_and_the_schema_knob_come_from_the_command_line_too():
    args = parse_args(["--scopes", "a, b", "--require-custom-properties"])
    sb = Sandbox(scopes=args.scopes, require_custom_properties=args.require_custom_properties)
    assert sb.config.scopes == frozenset({"a", "b"})
    assert sb.config.require_custom_properties is True
    assert Sandbox().config.scopes is None  # by default the token holds every scope


def test_a_plan_without_the_read_scope_names_it(tmp_path):
    with Sandbox(sample_events(), token=TOKEN, scopes=[WRITE], custom_properties=["region"]) as sb:
        ws = Workspace(tmp_path, sb)
        ws.sample_workbook()
        result = ws.run("plan")
    assert result.code == 3, result.out + result.err
    assert READ in result.out + result.err


def test_a_sync_without_the_write_scope_names_it_and_changes_nothing(tmp_path):
    with Sandbox(sample_events(), token=TOKEN, scopes=[READ], custom_properties=["region"]) as sb:
        ws = Workspace(tmp_path, sb)
        ws.sample_workbook()
        before = sb.events
        result = ws.run("sync")
        assert sb.events == before
    assert result.code != 0
    assert WRITE in result.out + result.err


def test_rate_limit_headers_come_by_default_with_hubspots_published_limits():
    with Sandbox([make_event(ID)], token=TOKEN) as sb:
        answer = requests.get(f"{sb.url}{V3}", headers=AUTH, timeout=10)
    assert answer.headers["X-HubSpot-RateLimit-Max"] == "100"
    assert answer.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert answer.headers["X-HubSpot-RateLimit-Remaining"] == "99"
    assert answer.headers["X-HubSpot-RateLimit-Daily"] == "250000"
    assert answer.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "249999"


@pytest.mark.parametrize("version", ["v3", "2026-03", "2026-09"])
def test_the_account_details_call_counts_against_the_limit(version):
    with Sandbox([make_event(ID)], token=TOKEN, rate_limit="2/60") as sb:
        details = requests.get(f"{sb.url}/account-info/{version}/details", headers=AUTH, timeout=10)
        assert details.status_code == 200
        assert details.headers["X-HubSpot-RateLimit-Remaining"] == "1"
        assert requests.get(f"{sb.url}{V3}", headers=AUTH, timeout=10).status_code == 200
        third = requests.get(f"{sb.url}/account-info/{version}/details", headers=AUTH, timeout=10)
        assert third.status_code == 429
        assert len(sb.requests) == 1  # still not numbered: scripted faults hit the API calls


def test_without_the_oauth_scope_account_details_answer_403():
    with Sandbox([make_event(ID)], token=TOKEN, scopes=[READ, WRITE]) as sb:
        answer = requests.get(f"{sb.url}/account-info/2026-09/details", headers=AUTH, timeout=10)
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["context"]["requiredScopes"] == ["oauth"]


@pytest.mark.parametrize("strict", [False, True])
def test_eventsync_leaves_out_custom_properties_and_a_schema_strict_refusal_is_said(
    tmp_path, strict
):
    """The choice (docs/hubspot-api-assumptions.md): an input carries customProperties
    only when a custom value changed, as HubSpot's guide shows. Under the guide's reading
    the sync goes through; a HubSpot enforcing the schema's `required` would refuse the
    batch, and then nothing is applied and each row says why."""
    with Sandbox(
        sample_events(), token=TOKEN, custom_properties=["region"], require_custom_properties=strict
    ) as sb:
        ws = Workspace(tmp_path, sb)
        ws.sample_workbook()
        before = sb.events
        result = ws.run("sync")
        inputs = sent_inputs(sb, 0)
        assert inputs and all("customProperties" not in item for item in inputs)
        if strict:
            assert result.code == 1 and sb.events == before
            assert "customProperties: is required" in result.out
        else:
            assert result.code == 0


def test_the_schema_strict_sandbox_refuses_an_input_without_custom_properties():
    with Sandbox([make_event(ID)], token=TOKEN, require_custom_properties=True) as sb:
        refused = update(sb, {"objectId": ID, "eventName": "A"})
        taken = update(sb, {"objectId": ID, "eventName": "A", "customProperties": []})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["in"] == "inputs[0].customProperties"
    assert taken.status_code == 200
    with Sandbox([make_event(ID)], token=TOKEN) as lenient:  # the guide's reading
        assert update(lenient, {"objectId": ID, "eventName": "A"}).status_code == 200


def test_the_sample_events_carry_only_properties_the_sample_portal_defines():
    defined = {d["name"] for d in SAMPLE_PROPERTIES}
    for event in sample_events():
        for prop in event["customProperties"]:
            assert prop["name"] in defined
            assert (
                value_problem(
                    next(d for d in SAMPLE_PROPERTIES if d["name"] == prop["name"]), prop["value"]
                )
                is None
            )


def test_pull_then_plan_against_the_sample_sandbox_warns_of_no_column(tmp_path):
    """What `make sandbox`, `make pull`, `make plan` do, in-process: the sample portal
    defines every property its events carry, so `plan` finds nothing to warn about in
    the columns `pull` wrote."""
    with Sandbox(sample_events(), token=TOKEN, property_definitions=SAMPLE_PROPERTIES) as sb:
        ws = Workspace(tmp_path, sb)
        pulled = ws.run("pull", "sheets/events.xlsx")
        assert pulled.code == 0, pulled.out + pulled.err
        planned = ws.run("plan")
    assert planned.code == 0, planned.out + planned.err
    said = planned.out + planned.err
    assert "Custom properties defined in HubSpot: region (enumeration)." in said
    assert "not defined in HubSpot" not in said and planned.err == ""


def test_the_makefile_sandbox_serves_the_sample_property_definitions():
    makefile = (Path(__file__).parents[2] / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nsandbox:", 1)[1].split("\n\n", 1)[0]
    line = recipe.replace("\\\n", " ")
    assert "--property-definitions templates/sample-properties.json" in line
    saved = Path(__file__).parents[2] / "templates" / "sample-properties.json"
    assert json.loads(saved.read_text(encoding="utf-8")) == list(SAMPLE_PROPERTIES)


def _imports(path: Path, package: str) -> set[str]:
    """Every module of `package` that `path` imports, at any depth (type-only too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(package):
            found.add(node.module.rsplit(".", 1)[-1])
        elif isinstance(node, ast.Import):
            found |= {a.name.rsplit(".", 1)[-1] for a in node.names if a.name.startswith(package)}
    return found


def test_the_sandbox_has_no_import_circle_not_even_a_type_only_one():
    folder = Path(__file__).parents[2] / "eventsync" / "sandbox"
    graph = {p.stem: _imports(p, "eventsync.sandbox") for p in folder.glob("*.py")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, set()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(m for m in graph if reaches(m, m, {m}))
    assert circles == []
