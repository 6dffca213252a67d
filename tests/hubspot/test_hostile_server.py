"""A hostile server gets a clear "no": trickled answers end at EVENTSYNC_TIMEOUT_S, a
redirect is never followed, malformed answers never crash (no exit 70)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from helpers import TOKEN

from eventsync.config import Settings
from eventsync.hubspot.client import HubSpotClient, ReadFailedError
from eventsync.hubspot.retry import RetryPolicy
from eventsync.model import FieldChange, PlannedUpdate, RowStatus

NO_RETRY = RetryPolicy(max_retries=0)
UPDATES = [PlannedUpdate(2, "11", (FieldChange("eventName", None, "A"),))]

Answer = Callable[[socket.socket], None]


@contextmanager
def hostile(answer: Answer) -> Iterator[str]:
    """A tiny server on 127.0.0.1 port 0 that answers every connection with `answer`."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(10)
                try:
                    connection.recv(65536)
                    answer(connection)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stopping.set()
        thread.join(5)
        listener.close()


def reply(status: str, body: bytes, headers: str = "") -> Answer:
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{headers}Connection: close\r\n\r\n"
    return lambda connection: connection.sendall(head.encode() + body)


def trickle(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
    for _ in range(10):  # one byte every 0.5 s: each read succeeds, the whole takes 5 s
        connection.sendall(b" ")
        time.sleep(0.5)


def client(url: str, timeout_s: float = 1.0) -> HubSpotClient:
    settings = Settings(base_url=url, token=TOKEN, timeout_s=timeout_s)
    return HubSpotClient(settings, policy=NO_RETRY, sleep=lambda s: None)


@pytest.mark.slow
def test_a_trickling_server_cannot_keep_a_request_past_the_timeout():
    with hostile(trickle) as url:
        started = time.monotonic()
        result = client(url, timeout_s=1.0).batch_update(UPDATES)
        took = time.monotonic() - started
    # The whole answer's 1 s deadline, not 5 s of reads that each succeed (3 s of slack
    # for a busy machine).
    assert took < 4.0
    outcome = result.outcomes[0]
    assert outcome.status is RowStatus.FAILED and "no" in outcome.message


@pytest.mark.parametrize("status", ["301 Moved Permanently", "307 Temporary Redirect"])
def test_a_redirect_is_an_error_naming_the_status_and_is_never_followed(status):
    followed = []

    def elsewhere(connection: socket.socket) -> None:
        followed.append(True)
        reply("200 OK", b"{}")(connection)

    with (
        hostile(elsewhere) as other,
        hostile(
            reply(status, b"", f"Location: {other}/marketing/v3/marketing-events/batch/update\r\n")
        ) as url,
    ):
        result = client(url).batch_update(UPDATES)
    assert not followed
    message = result.outcomes[0].message
    assert status.split()[0] in message and "redirect" in message and TOKEN not in message


MALFORMED = {
    "results-5": b'{"results": 5}',
    "errors-5": b'{"errors": 5, "results": []}',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"results": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "not-json": b"<html>gateway</html>",
    "list": b"[1, 2]",
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_batch_answer_gives_the_rows_a_clear_message(body):
    with hostile(reply("200 OK", body)) as url:
        result = client(url).batch_update(UPDATES)
    outcome = result.outcomes[0]
    assert outcome.status is RowStatus.FAILED
    assert "run eventsync sync again" in outcome.message


UNLISTABLE = {k: v for k, v in MALFORMED.items() if k != "errors-5"}


@pytest.mark.parametrize("body", UNLISTABLE.values(), ids=UNLISTABLE.keys())
def test_a_malformed_list_answer_is_a_read_failure_not_a_crash(body):
    with hostile(reply("200 OK", body)) as url, pytest.raises(ReadFailedError):
        list(client(url).list_events())


def test_cli_exit_is_never_70_on_a_malformed_answer(tmp_path):
    from helpers import Workspace

    class Fake:  # the Workspace only needs the URL
        url = ""

    with hostile(reply("200 OK", json.dumps({"results": 5}).encode())) as url:
        Fake.url = url
        ws = Workspace(tmp_path, Fake)  # type: ignore[arg-type]
        ws.csv_sheet("events.csv", [["objectId", "eventName"], ["11", "A"]])
        result = ws.run("sync", "--no-remote-check")
    assert result.code == 1, result.err
    assert "bug" not in result.err
