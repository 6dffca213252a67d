"""The state belongs to the HubSpot account the token belongs to, not to the URL's
spelling: every portal sits behind the same https://api.hubapi.com, and one sandbox
answers at both localhost and 127.0.0.1 (issue 13, case 6)."""

from __future__ import annotations

import pytest
from helpers import TOKEN

from eventsync.sandbox.sample import sample_events
from eventsync.sandbox.server import Sandbox

OTHER_TOKEN = "pat-other-portal-canary-3c9d"


def names_sent(sandbox) -> list[str]:
    return [i["objectId"] for r in sandbox.batch_update_requests() for i in r.body["inputs"]]


def test_localhost_and_127_0_0_1_are_the_same_portal(workspace):
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    localhost = workspace.sandbox.url.replace("127.0.0.1", "localhost")
    plan = workspace.run("plan", EVENTSYNC_BASE_URL=localhost)
    assert plan.code == 0, plan.out + plan.err
    assert f"portal: HubSpot account 880001 at {localhost}" in plan.out
    assert "0 to send, 20 unchanged" in plan.out


@pytest.mark.slow
def test_another_portal_behind_the_same_url_has_its_own_state(workspace):
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    port = workspace.sandbox.port
    workspace.sandbox.stop()
    # The token of another account, answered at the very same URL (as every portal is
    # at api.hubapi.com): that portal still holds HubSpot's original values.
    with Sandbox(sample_events(), token=OTHER_TOKEN, portal_id=990002, port=port) as other:
        env = {"HUBSPOT_ACCESS_TOKEN": OTHER_TOKEN}
        plan = workspace.run("plan", **env)
        assert f"portal: HubSpot account 990002 at {other.url}" in plan.out, plan.out
        assert "20 unchanged" not in plan.out  # not the first portal's state
        result = workspace.run("sync", **env)
        # Its own state is new: the rows' versions are the first portal's, so every
        # differing cell is a conflict and nothing of that portal is overwritten.
        assert result.code == 1, result.out + result.err
        assert "0 sent" in result.out and "20 conflicts" in result.out
        assert other.batch_update_requests() == []
    # The first portal's state is untouched: back on its token, nothing to send.
    with Sandbox(sample_events(), token=TOKEN, port=port) as first:
        assert first.url == workspace.env["EVENTSYNC_BASE_URL"]
        again = workspace.run("plan")
        assert "portal: HubSpot account 880001" in again.out


def test_a_key_without_the_account_scope_is_known_by_a_fingerprint_never_the_token(
    workspace, tmp_path
):
    workspace.sandbox.configure(account_details=False)
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    plan = workspace.run("plan")
    assert "the account of this token (HubSpot did not name it)" in plan.out
    assert "0 to send, 20 unchanged" in plan.out
    state = b"".join(p.read_bytes() for p in workspace.root.rglob("*") if p.is_file())
    assert TOKEN.encode() not in state
