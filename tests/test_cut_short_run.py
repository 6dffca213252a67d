"""A run asked to stop in mid-sync (what `watch` does on Ctrl-C, SIGTERM or `watch
--stop`), through the run session over real HTTP to the sandbox: the batch in flight is
saved, nothing after it is sent, the workbook is left exactly as it was (no "not sent"
marks), the run log ends with exit 0, and the next sync sends the rest, each row once.
Also: the session closes the HubSpot client it made, not one lent to it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import TOKEN, ZONE, edit, read_rows

from eventsync.config import Settings, load_settings
from eventsync.errors import ExitCode, RunStoppedError
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import RetryPolicy
from eventsync.model import Stop
from eventsync.run import RunOptions
from eventsync.session import RunSession
from eventsync.state.runlog import logs_dir, read_entries

FAST = RetryPolicy(max_retries=1, base_wait_s=0.01, jitter=0)
DEADLINE_S = 10.0


def settings_for(root: Path, sandbox) -> Settings:
    env = {
        "EVENTSYNC_BASE_URL": sandbox.url,
        "EVENTSYNC_TIMEZONE": ZONE,
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "EVENTSYNC_BATCH_SIZE": "5",  # the sample's 20 rows: 4 batches
    }
    return load_settings(env, cwd=root, require_token=False)


class StopAfter:
    """`make_client` whose client is asked to stop once it has made a request to a
    path holding `part`: as the watcher's stop event, set by a signal meanwhile."""

    def __init__(self, part: str):
        self.part = part
        self.asked = False

    def __call__(self, settings: Settings, *, log_request, **kwargs) -> HubSpotClient:
        def seen(entry: dict) -> None:
            log_request(entry)
            if self.part in str(entry.get("path", "")):
                self.asked = True

        return HubSpotClient(
            settings, policy=FAST, log_request=seen, stopping=lambda: self.asked, **kwargs
        )


def cut_short_sync(workspace, sandbox, book: Path, stop_after: str) -> Stop:
    """One sync of `book` as a watch runs it, asked to stop once a request to a path
    holding `stop_after` is made; its stop."""
    settings = settings_for(workspace.root, sandbox)
    maker = StopAfter(stop_after)
    try:
        with RunSession(settings, writing=True, log="sync", make_client=maker) as run:
            run.open()
            stop = run.run([book], RunOptions(), command="watch").stop
    except RunStoppedError as raised:  # a read cut short (reads return no partial results)
        stop = raised.stop
    assert stop is not None and stop.cut_short and stop.exit_code == ExitCode.OK
    logs = sorted(logs_dir(settings.state_dir).glob("sync-*.jsonl"))
    last = read_entries(logs[-1])[-1]
    assert last["kind"] == "end" and last["exitCode"] == 0
    assert "stopped as asked" in last["message"]
    return stop


def sent_ids(sandbox, since: int = 0) -> list[str]:
    return [
        i["objectId"] for r in sandbox.batch_update_requests()[since:] for i in r.body["inputs"]
    ]


@pytest.mark.parametrize(
    ("stop_after", "batches_sent"),
    [("/batch/update", 1), ("/account-info", 0)],
    ids=["after-the-first-batch", "before-anything-is-sent"],
)
def test_a_run_asked_to_stop_keeps_the_batch_in_flight_and_leaves_the_rest_as_it_was(
    workspace, sandbox, stop_after, batches_sent
):
    book = workspace.sample_workbook()
    before, rows_before = book.read_bytes(), read_rows(book)
    cut_short_sync(workspace, sandbox, book, stop_after)
    assert len(sandbox.batch_update_requests()) == batches_sent
    sent = set(sent_ids(sandbox))
    assert len(sent) == 5 * batches_sent
    events = sandbox.events
    for old, new in zip(rows_before, read_rows(book), strict=True):
        if str(new["objectId"]) in sent:  # confirmed: annotated as after any sync
            assert new["updatedAt"] == events[str(new["objectId"])]["updatedAt"]
            assert not new.get("syncError")
        else:  # not sent: exactly as it was, no "not sent" mark
            assert new == old
    if not sent:
        assert book.read_bytes() == before  # not even rewritten

    again = workspace.run("sync")  # the next start: the rest goes, nothing twice
    assert again.code == 0, again.err
    inputs = sent_ids(sandbox)
    assert len(inputs) == len(set(inputs)) == 20
    rows, events = read_rows(book), sandbox.events  # (a copy: read again)
    assert all(row["updatedAt"] == events[str(row["objectId"])]["updatedAt"] for row in rows)
    assert not any(row.get("syncError") for row in rows)


def test_a_row_sent_before_the_stop_and_edited_after_it_is_sent_at_the_next_start(
    workspace, sandbox
):
    """Its updatedAt cell says the version HubSpot confirmed in the run that stopped:
    the edit is the user's newest, not an older copy's, and goes out."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    header = list(read_rows(book)[0])
    name = header.index("eventName") + 1
    edit(book, {(n, name): f"Second {n}" for n in range(2, 22)})
    since = len(sandbox.batch_update_requests())
    cut_short_sync(workspace, sandbox, book, "/batch/update")
    first = sent_ids(sandbox, since)[0]
    [row] = [n for n, r in enumerate(read_rows(book), start=2) if str(r["objectId"]) == first]
    edit(book, {(row, name): "Edited after the stop"})
    again = workspace.run("sync")
    assert again.code == 0, again.out + again.err
    assert "older copy" not in again.out + again.err
    assert sandbox.events[first]["eventName"] == "Edited after the stop"


# -- the session closes the client it made ------------------------------------------------


def open_connections(sandbox) -> int:
    return len(sandbox._server._open)  # the sandbox's own count of keep-alive sockets


def eventually(condition) -> bool:
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end and not condition():
        time.sleep(0.05)
    return condition()


@pytest.mark.slow
def test_the_session_closes_the_client_it_made_and_not_one_lent_to_it(tmp_path, sandbox):
    (tmp_path / "sheets").mkdir()
    settings = settings_for(tmp_path, sandbox)
    made = StopAfter("never")
    with RunSession(settings, writing=False, make_client=made) as session:
        session.open()  # one request: the account's details
        assert open_connections(sandbox) == 1
    assert eventually(lambda: open_connections(sandbox) == 0)

    lent = HubSpotClient(settings, policy=FAST)
    with RunSession(settings, writing=False, client=lent) as session:
        session.open()
    time.sleep(1.0)  # (time enough for a closed connection to be seen closed)
    assert open_connections(sandbox) == 1  # still the lender's
    lent.close()  # its owner's to close
    assert eventually(lambda: open_connections(sandbox) == 0)
