"""Custom properties never fail a row falsely; a property the portal lacks is said once."""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest
from helpers import TOKEN, Workspace

from eventsync.sandbox.server import Sandbox, make_event

IDS = ["5101", "5102"]
HEADER = ["objectId", "eventName", "custom:region", "custom:vip"]


def write(ws: Workspace, rows: list[list[str]]) -> object:
    return ws.csv_sheet("events.csv", [HEADER, *rows])


def errors(path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["objectId"]: row.get("syncError") or "" for row in csv.DictReader(handle)}


@pytest.mark.parametrize("echo", [True, False], ids=["echoed", "not-echoed"])
def test_custom_property_edits_sync_once_whether_or_not_results_echo_them(tmp_path, echo):
    events = [make_event(i) for i in IDS]
    knobs: dict[str, Any] = {"custom_properties": ["region", "vip"], "boolean_properties": ["vip"]}
    with Sandbox(events, token=TOKEN, echo_custom_properties=echo, **knobs) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        path = write(ws, [[IDS[0], "A", "EMEA", "TRUE"], [IDS[1], "B", "apac", "FALSE"]])
        first = ws.run("sync")
        assert first.code == 0, first.err
        assert errors(path) == dict.fromkeys(IDS, "")
        stored = {p["name"]: p["value"] for p in sandbox.events[IDS[0]]["customProperties"]}
        assert stored == {"region": "EMEA", "vip": "true"}
        before = len(sandbox.batch_update_requests())
        second = ws.run("sync")
        assert second.code == 0 and len(sandbox.batch_update_requests()) == before


def test_a_property_the_portal_lacks_is_reported_once_and_not_resent_for_ever(tmp_path):
    with Sandbox([make_event(i) for i in IDS], token=TOKEN, custom_properties=["region"]) as sb:
        ws = Workspace(tmp_path, sb)
        path = write(ws, [[IDS[0], "A", "EMEA", "TRUE"], [IDS[1], "B", "", ""]])
        first = ws.run("sync")
        assert first.code == 1
        message = errors(path)[IDS[0]]
        assert "HubSpot has no custom property vip on marketing events" in message
        assert errors(path)[IDS[1]] == ""
        properties_reads = [r for r in sb.requests if "/properties/" in r.path]
        assert len(properties_reads) == 1  # once per run, only when an echo did not match
        before = len(sb.batch_update_requests())
        assert ws.run("sync").code == 0
        assert len(sb.batch_update_requests()) == before  # not resent


# A property list that cannot be read holds the custom values that would need converting:
# tests/cli/test_trust_custom_values.py. How each type is converted: tests/plan/test_custom_values.py.


def test_plan_names_the_custom_columns_the_portal_lacks_before_anything_is_sent(tmp_path):
    events = [make_event(i) for i in IDS]
    with Sandbox(events, token=TOKEN, custom_properties=["region"]) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        write(ws, [[IDS[0], "A", "EMEA", "TRUE"]])
        plan = ws.run("plan")
        assert "Custom properties defined in HubSpot: region (" in plan.out, plan.out
        assert "Custom property not defined in HubSpot: vip; HubSpot would not keep it." in (
            plan.out
        )
        as_json = json.loads(ws.run("plan", "--json").out)
        assert as_json["customProperties"]["vip"] is None
        assert as_json["customProperties"]["region"] is not None
        assert sandbox.batch_update_requests() == []
        # Without reading HubSpot nothing is claimed about the portal.
        offline = ws.run("plan", "--no-remote-check")
        assert "Custom propert" not in offline.out
