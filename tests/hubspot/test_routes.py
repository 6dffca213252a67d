"""HubSpot's routes per API version (hubspot/routes.py): the table agrees with the versions
`config` accepts, each version calls its own paths, a missing list route is a setting to
change, the account details never stop a run, and `plan` says how the portal was found
and when HubSpot's support of the version (or of a legacy token) ends."""

from __future__ import annotations

import io
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from helpers import TOKEN, ZONE, FakeClock, Workspace
from test_hostile_server import hostile, reply

from eventsync.cli import main
from eventsync.config import API_VERSIONS, DEFAULT_API_VERSION, Settings
from eventsync.errors import ExitCode
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import RetryPolicy
from eventsync.hubspot.routes import (
    LEGACY_TOKENS_UNSUPPORTED_FROM,
    NOTICE_WINDOW,
    ROUTES,
    routes_for,
    support_notices,
)
from eventsync.model import FieldChange, PlannedUpdate, RowStatus
from eventsync.portal_model import Lookup
from eventsync.sandbox.sample import sample_events
from eventsync.sandbox.server import Sandbox

SERVICE_KEY = "svc-test-canary-5d2e8a17"  # a token that is no legacy private app's (pat-)
TODAY = date(2026, 12, 7)


def test_the_routes_table_has_exactly_the_versions_config_accepts():
    assert set(ROUTES) == set(API_VERSIONS)
    assert DEFAULT_API_VERSION in ROUTES
    for version, routes in ROUTES.items():
        paths = (routes.events, routes.list, routes.account, routes.properties)
        assert all(f"/{version}/" in p or p.endswith(f"/{version}") for p in paths), version


# (version) -> the paths HubSpot's published spec files and SDKs name
PUBLISHED = {
    "v3": (
        "/marketing/v3/marketing-events/",  # the SDKs' list (the v3 spec file differs)
        "/marketing/v3/marketing-events/12/",
        "/account-info/v3/details",
        "/crm/v3/properties/0-54",
    ),
    "2026-03": (
        "/marketing/marketing-events/2026-03",
        "/marketing/marketing-events/2026-03/12/",
        "/account-info/2026-03/details",
        "/crm/properties/2026-03/0-54",
    ),
    "2026-09": (
        "/marketing/marketing-events/2026-09",
        "/marketing/marketing-events/2026-09/12/",
        "/account-info/2026-09/details",
        "/crm/properties/2026-09/0-54",
    ),
}


@pytest.mark.parametrize("version", API_VERSIONS)
def test_each_version_has_its_published_paths(version):
    routes = routes_for(version)
    listed, one, account, properties = PUBLISHED[version]
    assert routes.list == listed
    assert routes.event("12") + "/" == one
    assert routes.batch_update == routes.events + "/batch/update"
    assert (routes.account, routes.properties) == (account, properties)


def plan_in(ws: Workspace, *, today: date = TODAY, **env: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["plan"],
        env={**ws.env, **env},
        cwd=ws.root,
        stdout=out,
        stderr=err,
        today=lambda: today,
    )
    return int(code), out.getvalue(), err.getvalue()


@pytest.fixture
def workspace(tmp_path):
    with Sandbox(sample_events(), token=SERVICE_KEY, portal_id=880001) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        ws.env["HUBSPOT_ACCESS_TOKEN"] = SERVICE_KEY
        ws.sample_workbook()
        yield ws


@pytest.mark.parametrize("version", API_VERSIONS)
def test_the_account_details_are_asked_in_the_versions_own_path(version):
    # (the sandbox answers account details aside, unrecorded: the client's log says)
    asked: list[object] = []
    with Sandbox(sample_events(1), token=SERVICE_KEY, portal_id=880001) as sandbox:
        settings = Settings(base_url=sandbox.url, token=SERVICE_KEY, api_version=version)
        answer = HubSpotClient(settings, log_request=asked.append).account_details()
    assert (answer.lookup, answer.account) == (Lookup.NAMED, "880001")
    assert [entry["path"] for entry in asked] == [routes_for(version).account]


def test_plan_says_the_portal_came_from_the_account_details(workspace):
    code, out, _ = plan_in(workspace)
    assert code == 0
    first = out.splitlines()[0]
    url = workspace.sandbox.url
    assert first == f"portal: HubSpot account 880001 at {url}, from HubSpot's account details"


def test_a_key_without_the_account_details_scope_plans_and_plan_says_why(workspace):
    workspace.sandbox.configure(account_details=False)  # HubSpot's 403 for the scope
    code, out, err = plan_in(workspace)
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.endswith(
        "from the token's fingerprint: HubSpot refused the account details call"
        " (403; it needs the scope oauth)"
    )


@pytest.mark.parametrize("status", ["401 Unauthorized", "403 Forbidden"])
def test_a_401_or_403_on_the_account_details_is_an_answer_never_a_stop(status):
    with hostile(reply(status, b"{}", "Content-Type: application/json\r\n")) as url:
        settings = Settings(base_url=url, token=SERVICE_KEY)
        answer = HubSpotClient(settings, policy=RetryPolicy(max_retries=0)).account_details()
    assert (answer.lookup, answer.refused) == (Lookup.NOT_NAMED, int(status[:3]))


def test_a_key_without_the_account_scope_syncs_keyed_by_its_fingerprint(workspace):
    workspace.sandbox.configure(account_details=False)  # 403 on the account details
    assert workspace.run("sync").code == 0
    code, out, _ = plan_in(workspace)
    assert code == 0
    assert "(HubSpot did not name it)" in out.splitlines()[0]
    assert "as remembered for this token" in out.splitlines()[0]


def test_plan_in_japanese_says_how_the_portal_was_found(workspace):
    code, out, _ = plan_in(workspace, EVENTSYNC_LANG="ja")
    assert code == 0
    assert "HubSpotのアカウント情報から特定" in out.splitlines()[0]


@pytest.mark.parametrize("status", [301, 302, 404])
@pytest.mark.parametrize("command", ["plan", "pull"])
def test_a_missing_list_route_is_one_line_naming_the_version_setting(tmp_path, status, command):
    with Sandbox(sample_events(), token=SERVICE_KEY) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        ws.env["HUBSPOT_ACCESS_TOKEN"] = SERVICE_KEY
        target = ws.sheets / "events.xlsx"
        if command == "plan":
            ws.sample_workbook()  # plan reads the properties (request 1), then the list
        sandbox.script_fault(2 if command == "plan" else 1, status=status, headers=MOVED)
        argv = [command] if command == "plan" else [command, str(target)]
        result = ws.run(*argv, EVENTSYNC_API_VERSION="v3")
    assert result.code == ExitCode.BAD_INPUT
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("eventsync: HubSpot has no events list at /marketing/v3/")
    assert f"it answered {status}" in lines[0]
    assert "set EVENTSYNC_API_VERSION=2026-09 in .env" in lines[0]
    assert target.exists() is (command == "plan")  # pull wrote nothing


MOVED = {"Location": "/marketing/marketing-events/v3"}


# (version, legacy token, today) -> the notices `plan` prints (keys)
NOTICES = [
    ("v3", False, TODAY, ["routes.unsupported_soon"]),
    ("v3", False, date(2026, 8, 30), []),  # more than twelve months before
    ("v3", False, date(2027, 9, 1), ["routes.unsupported"]),
    ("2026-03", False, TODAY, ["routes.unsupported_soon"]),  # 18 months after March 2026
    ("2026-09", False, TODAY, []),
    ("2026-09", False, date(2028, 6, 1), []),  # the default: a newer eventsync brings the next
    ("2026-09", True, TODAY, ["routes.legacy_token"]),
    ("2026-09", True, LEGACY_TOKENS_UNSUPPORTED_FROM - NOTICE_WINDOW, ["routes.legacy_token"]),
    ("2026-09", True, date(2026, 8, 30), []),
    ("v3", True, TODAY, ["routes.unsupported_soon", "routes.legacy_token"]),
]


@pytest.mark.parametrize(("version", "legacy", "today", "keys"), NOTICES)
def test_when_plan_warns_of_hubspots_end_of_support(version, legacy, today, keys):
    token = TOKEN if legacy else SERVICE_KEY
    assert TOKEN.startswith("pat-") and not SERVICE_KEY.startswith("pat-")
    found = support_notices(version, token=token, today=today)
    assert [notice.key for notice in found] == keys


def test_plan_on_v3_says_when_hubspots_support_ends_and_what_to_set(workspace):
    code, out, _ = plan_in(workspace, EVENTSYNC_API_VERSION="v3")
    assert code == 0
    said = out.splitlines()[1]
    assert said == (
        "HubSpot ends its support for API version v3 in 2027-09: set"
        " EVENTSYNC_API_VERSION=2026-09 in .env before then (docs/api-versions.md)"
    )
    _, out, _ = plan_in(workspace, EVENTSYNC_API_VERSION="v3", EVENTSYNC_LANG="ja")
    assert "HubSpotはAPIバージョンv3のサポートを2027-09に終了します" in out
    _, out, _ = plan_in(workspace, today=date(2026, 6, 1), EVENTSYNC_API_VERSION="v3")
    assert "API version" not in out
    _, out, _ = plan_in(workspace)  # the default, 2026-09, with a Service Key
    assert "API version" not in out and "legacy" not in out


def test_plan_with_a_legacy_private_app_token_says_to_make_a_service_key(tmp_path):
    with Sandbox(sample_events(), token=TOKEN) as sandbox:
        ws = Workspace(tmp_path, sandbox)
        ws.sample_workbook()
        code, out, _ = plan_in(ws)
    assert code == 0
    assert (
        "the token in HUBSPOT_ACCESS_TOKEN is a legacy private app's (pat-...), which HubSpot"
        " stops supporting in 2027-09: create a Service Key" in out
    )
    assert TOKEN not in out


@pytest.mark.parametrize("header", ["10000", "600"])
def test_a_429_asking_an_unknown_long_wait_waits_out_the_window_and_sends_again(header):
    clock = FakeClock()
    event = sample_events(1)[0]
    with Sandbox([event], token=SERVICE_KEY) as sandbox:
        sandbox.script_fault(1, status=429, headers={"Retry-After": header})
        settings = Settings(base_url=sandbox.url, token=SERVICE_KEY, timezone=ZoneInfo(ZONE))
        client = HubSpotClient(settings, sleep=clock.sleep, clock=clock, policy=RetryPolicy())
        update = PlannedUpdate(2, event["objectId"], (FieldChange("eventName", None, "New"),))
        result = client.batch_update([update])
        assert [r.status for r in sandbox.batch_update_requests()] == [429, 200]
    assert result.stop is None and result.outcomes[0].status is RowStatus.UPDATED
    assert 0 < clock.now <= 10.0  # the 10 s window at most: neither 10000 s nor no wait


def test_a_route_message_is_said_in_japanese_too(workspace):
    workspace.sandbox.script_fault(2, status=404)  # plan's list, after the properties
    result = workspace.run("plan", EVENTSYNC_API_VERSION="v3", EVENTSYNC_LANG="ja")
    assert result.code == ExitCode.BAD_INPUT
    assert (
        "イベントの一覧がありません" in result.err and "EVENTSYNC_API_VERSION=2026-09" in result.err
    )
