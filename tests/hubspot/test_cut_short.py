"""A stop asked for (a watcher's stop request) reaches HubSpot's client as `stopping()`:
the client sends nothing more and answers with a stop cut short, a value like every
other stop (issue 23). The pacer's part is a table over plain values and an injected
clock; the client's is over real HTTP to the sandbox. Also: `close()` lets go of the
client's connections."""

from __future__ import annotations

import time

import pytest
from helpers import FakeClock

from eventsync.config import Settings
from eventsync.errors import ExitCode, RunStoppedError
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.pacing import Pacer
from eventsync.hubspot.retry import RetryPolicy
from eventsync.model import FieldChange, PlannedUpdate, RowStatus
from eventsync.sandbox.server import Sandbox, make_event

IDS = [str(n) for n in range(7_400_001, 7_400_005)]
TOKEN = "pat-cut-short-test"
DEADLINE_S = 10.0


class StopAt:
    """Time injected, and a stop asked for when the `at`-th sleep begins (None: never):
    what `threading.Event.wait` does for the watcher, with no real waiting."""

    def __init__(self, at: int | None):
        self.clock = FakeClock()
        self.at = at
        self.sleeps = 0
        self.asked = at == 0

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        if self.at is not None and self.sleeps >= self.at:
            self.asked = True  # the wait ends at once
            return
        self.clock.sleep(seconds)

    def stopping(self) -> bool:
        return self.asked


# -- the pacer: a table --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stop_at", "returned", "next_goes_at"),
    [
        (None, 10.0, 20.0),  # never asked: waits the window out and takes the slot
        (0, None, 10.0),  # asked before: no wait, no slot taken
        (1, None, 10.0),  # asked during the wait: it ends there, no slot taken
    ],
    ids=["never", "before-the-wait", "during-the-wait"],
)
def test_the_pacer_waits_for_a_slot_unless_a_stop_is_asked_for(stop_at, returned, next_goes_at):
    stop = StopAt(stop_at)
    pacer = Pacer(1, stop.clock, stop.sleep, stop.stopping)  # one request per 10 s
    stop.asked = False  # (the first slot is free: taken at 0, before any stop)
    assert pacer.wait_for_slot() == 0.0
    pacer.observe({})
    stop.asked = stop_at == 0
    assert pacer.wait_for_slot() == returned
    # A slot not taken counts against nothing: the next request goes when the first
    # leaves the window, not a window later.
    stop.at, stop.asked = None, False
    pacer.wait_for_slot()
    assert stop.clock.now == pytest.approx(next_goes_at)


def test_a_pacer_with_a_free_slot_still_sends_nothing_once_a_stop_is_asked_for():
    stop = StopAt(0)
    assert Pacer(100, stop.clock, stop.sleep, stop.stopping).wait_for_slot() is None


# -- the client, over HTTP -----------------------------------------------------------------


@pytest.fixture
def sandbox():
    with Sandbox([make_event(i) for i in IDS], token=TOKEN) as server:
        yield server


def client_for(sandbox, stop: StopAt, *, per_10s: int = 100) -> HubSpotClient:
    settings = Settings(
        base_url=sandbox.url, token=TOKEN, max_retries=3, max_requests_per_10s=per_10s
    )
    policy = RetryPolicy(max_retries=3, base_wait_s=1.0, jitter=0)
    return HubSpotClient(
        settings, sleep=stop.sleep, stopping=stop.stopping, clock=stop.clock, policy=policy
    )


def rename(object_id: str) -> list[PlannedUpdate]:
    return [PlannedUpdate(2, object_id, (FieldChange("eventName", "Old", f"New {object_id}"),))]


@pytest.mark.parametrize(
    ("case", "fault", "per_10s", "stop_at", "sent", "cut_short"),
    [
        ("never asked", 503, 100, None, [503, 200, 200], (False, False)),
        ("asked before", None, 100, 0, [], (True, True)),
        ("asked in the retry wait after a 503", 503, 100, 1, [503], (True, True)),
        ("asked in the pacer's wait for the second batch", None, 1, 1, [200], (False, True)),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_stop_asked_for_sends_nothing_more_and_ends_in_a_stop_cut_short(
    sandbox, case, fault, per_10s, stop_at, sent, cut_short
):
    """Two batches of one row. The first sleep is the retry's wait after a 503, or, at
    one request a 10 s window, the pacer's wait for the second batch."""
    if fault is not None:
        sandbox.script_fault(1, status=fault)
    stop = StopAt(stop_at)
    client = client_for(sandbox, stop, per_10s=per_10s)
    results = [client.batch_update(rename(IDS[0])), client.batch_update(rename(IDS[1]))]
    assert [r.status for r in sandbox.requests] == sent
    for result, cut in zip(results, cut_short, strict=True):
        if cut:
            assert result.stop is not None and result.stop.cut_short
            assert result.stop.exit_code == ExitCode.OK and result.outcomes == ()
        else:
            assert result.stop is None
            assert [o.status for o in result.outcomes] == [RowStatus.UPDATED]


def test_a_read_cut_short_raises_a_stop_that_is_no_failure(sandbox):
    """Reads return no partial results: their stop is raised, and says it was asked for."""
    client = client_for(sandbox, StopAt(0))
    with pytest.raises(RunStoppedError) as stopped:
        list(client.list_events())
    assert stopped.value.cut_short and stopped.value.exit_code == ExitCode.OK
    assert stopped.value.stop.cut_short and "stopped as asked" in str(stopped.value)
    assert sandbox.request_count == 0


# -- close ---------------------------------------------------------------------------------


def open_connections(sandbox: Sandbox) -> int:
    return len(sandbox._server._open)  # the sandbox's own count of keep-alive sockets


def wait_until(condition, deadline_s: float = DEADLINE_S) -> bool:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_close_lets_go_of_the_clients_connection(sandbox):
    client = client_for(sandbox, StopAt(None))
    client.batch_update(rename(IDS[0]))
    assert open_connections(sandbox) == 1  # kept alive for the next request
    client.close()
    assert wait_until(lambda: open_connections(sandbox) == 0)
