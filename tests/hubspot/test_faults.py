"""The fault matrix: the CLI over real HTTP against the sandbox, 1,000 events a sheet,
with HubSpot's rate limits, failures and refusals scripted per test, alone and mixed.

After each: every row annotated as it should be, the snapshot equal to what HubSpot
holds, the next runs send only what failed and then nothing, and no row HubSpot
confirmed is ever sent again. Retry waits are injected short (see bulk_sync.FAST).

No outcome here may hinge on two wall-clock moments less than a second apart: on a
busy machine a thread can stall that long. Rate windows last 2 s, and a late answer
comes 1.5 s after the client gave up and 2 s before its retry.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import requests
from helpers import DAILY_429, DAILY_STOP, TOKEN
from helpers.bulk_sync import (
    FAST,
    BulkWorkspace,
    assert_no_confirmed_row_sent_again,
    assert_sheet_snapshot_and_hubspot_agree,
    assert_stderr_is_clean,
    batch_sends,
    hubspot_events,
    object_ids,
    sent_ids,
    sheet_rows,
    write_csv,
    write_xlsx,
)

from eventsync.sandbox.server import Sandbox
from eventsync.sheets.xlsx.patch import patch_cells

pytestmark = pytest.mark.slow

EVENTS = 1000
IDS = object_ids(EVENTS)
READS = 10  # before sending, the remote check lists HubSpot's events: 10 pages of 100


def nth_batch(k: int) -> int:
    """The sandbox's number of the k-th batch update request, when nothing before it
    was retried."""
    return READS + k


def ids_of_batches(first: int, last: int) -> list[str]:
    return IDS[(first - 1) * 100 : last * 100]


def rolling_429(retry_after: str | None) -> dict:
    """A scripted 429 exactly as HubSpot sends it for its ten-second window."""
    body = {
        "status": "error",
        "message": "You have reached your ten_secondly_rolling limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "5a1b2c3d-rolling",
        "policyName": "TEN_SECONDLY_ROLLING",
    }
    return {
        "status": 429,
        "body": body,
        "headers": {"Retry-After": retry_after} if retry_after else {},
    }


@pytest.fixture
def bulk(tmp_path):
    with Sandbox(hubspot_events(EVENTS), token=TOKEN) as sandbox:
        yield BulkWorkspace(tmp_path, sandbox)


def csv_sheet(bulk: BulkWorkspace, names: dict[str, str] | None = None, *, events: int = EVENTS):
    return write_csv(bulk.sheets / "events.csv", sheet_rows(events, names))


def statuses(bulk: BulkWorkspace) -> list[int | None]:
    """What the client saw of each batch update, in order."""
    return [status for _, status in batch_sends(bulk)]


def assert_converges(bulk: BulkWorkspace, path, resend: list[str], *, events: int = EVENTS) -> None:
    """The next run sends exactly `resend`, once each, and syncs everything; the one
    after that sends nothing at all."""
    before = len(bulk.sandbox.batch_update_requests())
    again = bulk.run("sync")
    assert again.code == 0, again.out + again.err
    assert sorted(sent_ids(bulk, before)) == sorted(resend)
    assert_sheet_snapshot_and_hubspot_agree(bulk, path)
    count = bulk.sandbox.request_count
    third = bulk.run("sync")
    assert third.code == 0 and f"{events} unchanged, 0 sent" in third.out
    assert bulk.sandbox.request_count == count
    assert_no_confirmed_row_sent_again(bulk)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 423])
def test_a_transient_failure_is_retried_with_backoff_and_the_run_completes(bulk, status):
    path = csv_sheet(bulk)
    bulk.sandbox.script_fault(nth_batch(2), status=status)
    bulk.sandbox.script_fault(nth_batch(2) + 1, status=status)
    result = bulk.run("sync")
    assert result.code == 0, result.err
    assert "1000 sent, 1000 updated, 0 failed" in result.out
    waits = re.findall(r"^(.*); waiting (\d+\.\d) s \(retry (\d) of 5\)$", result.err, re.M)
    assert [retry for _, _, retry in waits] == ["1", "2"]
    if status == 423:
        assert waits[0][0] == "HubSpot says the record is locked"
    else:
        assert waits[0][0].startswith(f"HubSpot answered {status} (category INTERNAL_ERROR")
    assert all(0.0 <= float(wait) <= 0.2 for _, wait, _ in waits)
    assert_stderr_is_clean(result)
    assert statuses(bulk) == [200, status, status] + [200] * 9
    assert_sheet_snapshot_and_hubspot_agree(bulk, path)
    assert_converges(bulk, path, resend=[])


def test_after_the_last_retry_the_batch_fails_naming_status_and_correlation_id(bulk):
    path = csv_sheet(bulk)
    for n in range(3):
        bulk.sandbox.script_fault(nth_batch(3) + n, status=503)
    result = bulk.run("sync", EVENTSYNC_MAX_RETRIES="2")
    assert result.code == 1
    assert "1000 sent, 900 updated, 100 failed" in result.out
    assert "(retry 2 of 2)" in result.err and "(retry 3 of" not in result.err
    assert_stderr_is_clean(result)
    assert statuses(bulk) == [200, 200, 503, 503, 503] + [200] * 7  # the run went on
    [last_503] = [e for e in bulk.log_entries() if e["status"] == 503][-1:]
    error = (
        f"HubSpot answered 503 (category INTERNAL_ERROR, correlationId {last_503['correlationId']}):"
        " Service Unavailable (scripted sandbox fault); gave up after 3 tries; not synced"
        " (run eventsync sync again)"
    )
    failed = ids_of_batches(3, 3)
    assert_sheet_snapshot_and_hubspot_agree(bulk, path, failed=dict.fromkeys(failed, error))
    assert_converges(bulk, path, resend=failed)


def test_dropped_connections_are_retried(bulk):
    path = csv_sheet(bulk)
    for n in (nth_batch(2), nth_batch(2) + 1, nth_batch(6) + 2):
        bulk.sandbox.script_fault(n, drop=True)
    result = bulk.run("sync")
    assert result.code == 0, result.err
    waits = re.findall(r"^(.*); waiting \d+\.\d s \(retry (\d) of 5\)$", result.err, re.M)
    assert waits == [("no answer from HubSpot (the connection was dropped)", r) for r in "121"]
    assert_stderr_is_clean(result)
    assert statuses(bulk) == [200, None, None, 200, 200, 200, 200, None] + [200] * 5
    assert_sheet_snapshot_and_hubspot_agree(bulk, path)
    assert_converges(bulk, path, resend=[])


def test_a_read_timeout_is_retried_and_the_batch_hubspot_applied_late_is_harmless(bulk):
    """HubSpot answers batch 3 only after the client gave up waiting: it applied it, the
    client did not see it, and sends it again. The same values twice: no harm."""
    path = csv_sheet(bulk)
    # The client gives up at 2 s; HubSpot answers at 3.5 s; the retry goes out at 5.5 s,
    # after the late answer, so HubSpot's last updatedAt is the one the client sees.
    bulk.sandbox.script_fault(nth_batch(3), delay_s=3.5)
    bulk.policy = replace(FAST, base_wait_s=3.5, max_wait_s=3.5, jitter=0.0)
    result = bulk.run("sync", EVENTSYNC_TIMEOUT_S="2")
    assert result.code == 0, result.err
    assert "no answer from HubSpot (no answer within 2 s); waiting 3.5 s (retry 1 of 5)" in (
        result.err.splitlines()
    )
    assert_stderr_is_clean(result)
    assert statuses(bulk) == [200, 200, None] + [200] * 8
    late, retried = bulk.sandbox.batch_update_requests()[2:4]
    assert late.status == 200 and late.body == retried.body  # applied, then applied again
    assert_sheet_snapshot_and_hubspot_agree(bulk, path)
    assert_converges(bulk, path, resend=[])


@pytest.mark.parametrize("retry_after", [False, True], ids=["no-retry-after", "retry-after"])
def test_a_rolling_rate_limit_waits_for_the_window_and_pacing_avoids_more(tmp_path, retry_after):
    """Another app used up the window just before the run: the first request gets a real
    429; eventsync waits (Retry-After when sent, else until the window frees), then
    paces itself to HubSpot's reported limit and meets no other 429.

    The window is 2 s, so the run's first request meets it full even on a busy machine;
    300 events make 3 reads and 3 batches: more than the 4 the window holds, so pacing
    has to act, and the test takes about 4 s."""
    events, window_s = 300, 2
    with Sandbox(
        hubspot_events(events),
        token=TOKEN,
        rate_limit=f"4/{window_s}",
        retry_after=retry_after,
    ) as sandbox:
        bulk = BulkWorkspace(tmp_path, sandbox)
        path = csv_sheet(bulk, events=events)
        for _ in range(4):  # the other app's requests
            requests.get(
                f"{sandbox.url}/marketing/v3/marketing-events/",
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=5,
            ).raise_for_status()
        result = bulk.run("sync")
        assert result.code == 0, result.err
        [wait] = re.findall(
            r"^HubSpot rate limit; waiting (\d+\.\d) s \(retry 1 of 5\)$", result.err, re.M
        )
        if retry_after:  # HubSpot's whole seconds, honoured as sent
            assert wait in ("1.0", "2.0")
        else:  # until our refused request leaves the window: most of its 2 s
            assert window_s / 2 <= float(wait) <= window_s
        assert_stderr_is_clean(result)
        # The 429 met the run's first call, for the account details: HubSpot counts it
        # against the window too, and the sandbox does not number it among requests.
        answered = [r.status for r in sandbox.requests[4:]]
        assert answered == [200] * (3 + 3)
        assert_sheet_snapshot_and_hubspot_agree(bulk, path)
        assert_converges(bulk, path, resend=[], events=events)


def test_the_daily_limit_stops_the_run_at_once_and_the_rest_is_marked_not_sent(bulk):
    path = write_xlsx(bulk.sheets / "events.xlsx", sheet_rows(EVENTS))
    # Batch 5 is one request too many (the run's account-details call counts too).
    bulk.sandbox.configure(daily_limit=nth_batch(4) + 1)
    result = bulk.run("sync")
    assert result.code == 1
    assert result.err.splitlines() == [
        "eventsync: HubSpot's daily API limit is reached; nothing more was sent. Run again"
        " after midnight (your HubSpot account's time zone)."
    ]
    assert_stderr_is_clean(result)
    assert bulk.sandbox.request_count == nth_batch(5)  # no retry, nothing after it
    assert statuses(bulk) == [200] * 4 + [429]
    not_sent = ids_of_batches(5, 10)
    assert_sheet_snapshot_and_hubspot_agree(bulk, path, failed=dict.fromkeys(not_sent, DAILY_STOP))
    bulk.sandbox.configure(daily_limit=None)  # the next day
    assert_converges(bulk, path, resend=not_sent)


def test_a_wait_longer_than_the_cap_ends_the_run_keeping_what_was_confirmed(bulk):
    path = csv_sheet(bulk)
    bulk.sandbox.script_fault(nth_batch(4), status=477, headers={"Retry-After": "3600"})
    result = bulk.run("sync")
    assert result.code == 1
    assert result.err.splitlines() == [
        "eventsync: HubSpot is migrating this account: HubSpot asks to wait 3600 s, longer than"
        " eventsync waits (5 s); what was confirmed so far is kept. Run eventsync sync again later."
    ]
    assert bulk.sandbox.request_count == nth_batch(4)
    not_sent = ids_of_batches(4, 10)
    note = "not sent: HubSpot is migrating this account; run eventsync sync again later"
    assert_sheet_snapshot_and_hubspot_agree(bulk, path, failed=dict.fromkeys(not_sent, note))
    assert_converges(bulk, path, resend=not_sent)


def test_a_rejected_row_is_isolated_by_splitting_its_batch_and_gets_hubspots_message(bulk):
    bad = IDS[437]  # the 38th row of batch 5
    path = csv_sheet(bulk, names={bad: "REJECT-ME launch"})
    bulk.sandbox.configure(reject_marker="REJECT-ME")
    result = bulk.run("sync")
    assert result.code == 1
    assert "1000 sent, 999 updated, 1 failed" in result.out
    assert_stderr_is_clean(result)

    def hubspots_message(error: str) -> bool:
        return error.startswith(
            "HubSpot answered 400 (category VALIDATION_ERROR, correlationId "
        ) and error.endswith(".eventName: contains the rejected value 'REJECT-ME'")

    assert_sheet_snapshot_and_hubspot_agree(bulk, path, failed={bad: hubspots_message})
    # HubSpot's 400 names the row (errors[].in, context): the other 99 go out again at once.
    split = [400, 200]
    assert statuses(bulk) == [200] * 4 + split + [200] * 5
    good = [i for i in ids_of_batches(5, 5) if i != bad]
    confirmed = [i for ids, status in batch_sends(bulk) if status == 200 for i in ids]
    assert sorted(i for i in confirmed if i in set(good)) == sorted(good)  # each exactly once
    assert_no_confirmed_row_sent_again(bulk)

    # Sent again as it is, only that row goes out, and fails the same way.
    before = len(bulk.sandbox.batch_update_requests())
    again = bulk.run("sync")
    assert again.code == 1 and sent_ids(bulk, before) == [bad]
    assert_sheet_snapshot_and_hubspot_agree(bulk, path, failed={bad: hubspots_message})
    # Fixed, it syncs; then nothing is left to send.
    path.write_text(
        path.read_text(encoding="utf-8").replace("REJECT-ME launch", "Launch"), encoding="utf-8"
    )
    assert_converges(bulk, path, resend=[bad])


def test_a_refused_token_mid_run_stops_with_exit_3_keeping_what_was_confirmed(bulk):
    path = csv_sheet(bulk)
    bulk.sandbox.script_fault(nth_batch(4), status=401)
    result = bulk.run("sync")
    assert result.code == 3
    assert "eventsync: HubSpot refused the access token (401" in result.err
    assert_stderr_is_clean(result)
    assert bulk.sandbox.request_count == nth_batch(4)
    not_sent = ids_of_batches(4, 10)

    def token_refused(error: str) -> bool:
        return error.startswith("not sent: HubSpot refused the access token (401")

    assert_sheet_snapshot_and_hubspot_agree(
        bulk, path, failed=dict.fromkeys(not_sent, token_refused)
    )
    assert_converges(bulk, path, resend=not_sent)


def test_mixed_faults_then_the_daily_limit_while_splitting_a_rejected_batch(bulk):
    """Every kind of fault in one run of an .xlsx sheet; the daily limit strikes while a
    batch with a rejected row is being split, after its first half was confirmed: that
    half must reach the snapshot, or the next day's run would send it again."""
    bad = IDS[675]  # in the second half of batch 7
    path = write_xlsx(
        bulk.sheets / "events.xlsx", sheet_rows(EVENTS, names={bad: "REJECT-ME launch"})
    )
    # A 400 that names no row: the client tries one row alone, then splits the rest.
    bulk.sandbox.configure(reject_marker="REJECT-ME", reject_names_row=False)
    script = {
        3: {"status": 503},  # a page of the remote check
        12: rolling_429("0.2"),  # batch 1
        13: {"drop": True},  # batch 1, second try
        15: {"status": 502},  # batch 2
        16: {"status": 477, "headers": {"Retry-After": "0.1"}},  # batch 2, second try
        25: DAILY_429,  # batch 7's second half, after its first row alone and first half
    }
    for number, fault in script.items():
        bulk.sandbox.script_fault(number, **fault)
    result = bulk.run("sync")
    assert result.code == 1
    lines = result.err.splitlines()
    assert re.fullmatch(r"HubSpot answered 503 \(.*\); waiting 0\.\d s \(retry 1 of 5\)", lines[0])
    assert lines[1] == "HubSpot rate limit; waiting 0.2 s (retry 1 of 5)"
    assert re.fullmatch(
        r"no answer from HubSpot \(the connection was dropped\); waiting 0\.\d s \(retry 2 of 5\)",
        lines[2],
    )
    assert re.fullmatch(r"HubSpot answered 502 \(.*\); waiting 0\.\d s \(retry 1 of 5\)", lines[3])
    assert lines[4] == "HubSpot is migrating this account; waiting 0.1 s (retry 2 of 5)"
    assert lines[5].startswith("eventsync: HubSpot's daily API limit is reached")
    assert len(lines) == 6
    assert_stderr_is_clean(result)
    assert statuses(bulk) == [429, None, 200, 502, 477, 200, 200, 200, 200, 200, 400, 200, 200, 429]
    not_sent = IDS[650:]
    assert_sheet_snapshot_and_hubspot_agree(bulk, path, failed=dict.fromkeys(not_sent, DAILY_STOP))
    assert_no_confirmed_row_sent_again(bulk)

    # The run log tells the story, without the token or any event's contents.
    log = bulk.run("log")
    assert log.code == 0
    assert ", attempt 2, no answer" in log.out
    assert "429, correlationId 5a1b2c3d-rolling -> retry in 0.2 s" in log.out
    assert "429, correlationId 5a1b2c3d-daily -> stopped: daily limit" in log.out
    assert "finished with exit code 1: HubSpot's daily API limit is reached" in log.out
    logs = "".join(p.read_text(encoding="utf-8") for p in (bulk.root / ".eventsync/logs").glob("*"))
    assert TOKEN not in logs and "Renamed" not in logs and "REJECT-ME" not in logs

    # The next day: only what was not sent goes out; the rejected row fails again.
    before = len(bulk.sandbox.batch_update_requests())
    again = bulk.run("sync")
    assert again.code == 1
    assert sorted(set(sent_ids(bulk, before))) == sorted(not_sent)
    assert_sheet_snapshot_and_hubspot_agree(
        bulk,
        path,
        failed={bad: lambda e: e.startswith("HubSpot answered 400 (category VALIDATION_ERROR")},
    )
    assert_no_confirmed_row_sent_again(bulk)
    temp = path.with_name("edited.tmp")
    patch_cells(path, temp, "Events", {(IDS.index(bad) + 2, 2): "Launch"})
    temp.replace(path)
    assert_converges(bulk, path, resend=[bad])


@pytest.mark.parametrize(
    ("daily_at", "confirmed"), [(3, 0), (13, 200)], ids=["while-checking", "while-sending"]
)
def test_after_the_daily_limit_the_rows_of_later_sheets_are_marked_not_sent_too(
    bulk, daily_at, confirmed
):
    """Met on a page of the conflict check (whose reads count too) or on a batch of the
    first sheet: nothing more is sent, and every row not sent, in this sheet and in the
    sheets after it, says so."""
    rows = sheet_rows(EVENTS)
    first = write_csv(bulk.sheets / "a.csv", rows[:501])
    second = write_csv(bulk.sheets / "b.csv", [rows[0], *rows[501:]])
    bulk.sandbox.script_fault(daily_at, **DAILY_429)
    result = bulk.run("sync")
    assert result.code == 1
    assert result.err.splitlines() == [
        "eventsync: HubSpot's daily API limit is reached; nothing more was sent. Run again"
        " after midnight (your HubSpot account's time zone)."
    ]
    assert bulk.sandbox.request_count == daily_at
    not_sent = dict.fromkeys(IDS[confirmed:], DAILY_STOP)
    assert_sheet_snapshot_and_hubspot_agree(bulk, first, failed=not_sent)
    assert_sheet_snapshot_and_hubspot_agree(bulk, second, failed=not_sent)
    # The next day, the rest goes out, once.
    before = len(bulk.sandbox.batch_update_requests())
    again = bulk.run("sync")
    assert again.code == 0, again.err
    assert sorted(sent_ids(bulk, before)) == IDS[confirmed:]
    assert_sheet_snapshot_and_hubspot_agree(bulk, first)
    assert_sheet_snapshot_and_hubspot_agree(bulk, second)
    assert_no_confirmed_row_sent_again(bulk)
