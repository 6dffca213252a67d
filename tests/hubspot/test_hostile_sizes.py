"""Answers too large to parse safely: an answer over MAX_ANSWER_BYTES is not read, and
one holding more values than any real answer is not parsed (JSON costs memory per
value: 63 MB of them took 1.7 GB). Either ends as "no answer" with a clear reason,
never a crash; a real answer with long texts is read whole."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import TOKEN
from test_hostile_server import UPDATES, Answer, client, hostile

from eventsync.hubspot.client import ReadFailedError
from eventsync.hubspot.transport import MAX_ANSWER_BYTES, MAX_ANSWER_VALUES, PARSED_FREELY_BYTES
from eventsync.model import RowStatus

ROOT = Path(__file__).resolve().parents[2]
MB = 1 << 20


def reply(status: str, body: bytes) -> Answer:
    """`status` and `body`, then a graceful close: the rest of the request is read until
    the client hangs up (closing with it unread would reset the connection, and the
    client would lose the answer's end: "the connection was dropped")."""
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"

    def answer(connection: socket.socket) -> None:
        connection.sendall(head.encode() + body)
        connection.shutdown(socket.SHUT_WR)
        while connection.recv(65536):
            pass

    return answer


def many_values(size: int) -> bytes:
    """`{"results": [[],[],...]}` of about `size` bytes: three bytes a value."""
    return b'{"results": [' + b"[]," * (size // 3) + b"[]]}"


def long_texts(size: int) -> bytes:
    """A real answer's shape, its texts long: 100 results of one event each."""
    text = "説明" * (size // 600)
    results = [
        {"objectId": str(n), "updatedAt": "2026-05-01T10:00:00.000Z", "eventDescription": text}
        for n in range(100)
    ]
    return json.dumps({"status": "COMPLETE", "results": results}, ensure_ascii=False).encode()


def test_an_answer_over_the_cap_is_not_read_and_the_row_says_why():
    body = b" " * (MAX_ANSWER_BYTES + 1)
    with hostile(reply("200 OK", body)) as url:
        result = client(url).batch_update(UPDATES)
    [outcome] = result.outcomes
    assert outcome.status is RowStatus.FAILED
    assert f"an answer larger than {MAX_ANSWER_BYTES >> 20} MB" in outcome.message
    assert "run eventsync sync again" in outcome.message


def test_an_answer_of_too_many_values_is_not_parsed():
    body = many_values(2 * MB)
    assert len(body) > PARSED_FREELY_BYTES
    with hostile(reply("200 OK", body)) as url:
        result = client(url).batch_update(UPDATES)
    [outcome] = result.outcomes
    assert outcome.status is RowStatus.FAILED
    assert f"more than {MAX_ANSWER_VALUES:,} values" in outcome.message


def test_a_list_page_of_too_many_values_stops_the_read_with_the_reason():
    with (
        hostile(reply("200 OK", many_values(2 * MB))) as url,
        pytest.raises(ReadFailedError) as failed,
    ):
        list(client(url).list_events())
    assert "values, far more than any real one" in str(failed.value)


def test_a_real_answer_with_long_texts_is_read_whole():
    """Strings count for nothing but their bytes: 5 MB of descriptions are one value each."""
    body = long_texts(5 * MB)
    assert len(body) > 4 * MB
    update = UPDATES[0]
    answer = json.loads(body)
    answer["results"][0]["objectId"] = update.object_id
    answer["results"][0]["eventName"] = "A"
    with hostile(reply("200 OK", json.dumps(answer, ensure_ascii=False).encode())) as url:
        result = client(url).batch_update(UPDATES)
    assert [o.status for o in result.outcomes] == [RowStatus.UPDATED], result.outcomes


def test_sync_meeting_a_huge_answer_ends_with_exit_1_and_a_clear_message(tmp_path):
    from helpers import Workspace

    class Fake:  # the Workspace only needs the URL
        url = ""

    with hostile(reply("200 OK", many_values(4 * MB))) as url:
        Fake.url = url
        ws = Workspace(tmp_path, Fake)  # type: ignore[arg-type]
        ws.csv_sheet("events.csv", [["objectId", "eventName"], ["11", "A"]])
        result = ws.run("sync", "--no-remote-check", EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1, result.err
    shown = result.out + result.err
    assert "far more than any real one, was not read" in shown
    assert "bug" not in result.err and TOKEN not in shown


@pytest.mark.slow
@pytest.mark.posix_only("resource.getrusage")
@pytest.mark.parametrize("make", [many_values, long_texts], ids=["many-values", "long-texts"])
def test_an_answer_just_under_the_cap_costs_the_client_under_200_mb(make):
    """The worst answers the cap lets through, served from here to a child process that
    only runs the client: its peak memory is the client's."""
    probe = textwrap.dedent(
        """
        import sys
        from eventsync.config import Settings
        from eventsync.hubspot.client import HubSpotClient
        from eventsync.hubspot.retry import RetryPolicy
        from eventsync.model import FieldChange, PlannedUpdate
        settings = Settings(base_url=sys.argv[1], token="pat-probe", timeout_s=60)
        client = HubSpotClient(settings, policy=RetryPolicy(max_retries=0), sleep=lambda s: None)
        update = PlannedUpdate(2, "11", (FieldChange("eventName", None, "A"),))
        [outcome] = client.batch_update([update]).outcomes
        print(outcome.status.value)
        """
    )
    # Measured from a small process in between: Linux keeps a process's peak across
    # fork and exec, so a child of this (large) test process would report this one's.
    between = textwrap.dedent(
        """
        import resource, subprocess, sys
        done = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]],
                              capture_output=True, text=True)
        sys.stderr.write(done.stderr)
        print(done.stdout.strip(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        sys.exit(done.returncode)
        """
    )
    with hostile(reply("200 OK", make(MAX_ANSWER_BYTES - 1024))) as url:
        done = subprocess.run(
            [sys.executable, "-c", between, probe, url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    status, peak_kb = done.stdout.split()
    peak = int(peak_kb) if sys.platform == "darwin" else int(peak_kb) * 1024  # macOS: bytes
    assert peak < 200 * MB, f"{make.__name__}: the client took {peak / MB:.0f} MB"
    print(make.__name__, status, f"{peak / MB:.0f} MB")
