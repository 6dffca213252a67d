"""Long runs are never silent: on a terminal, the read of HubSpot before sending shows
how far it got; piped into a file or a script, nothing of it is printed."""

from __future__ import annotations

import io

import pytest
from helpers import TOKEN, Workspace

from eventsync.cli import main
from eventsync.sandbox.server import Sandbox, make_event

COUNT = 800


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_two_way(tmp_path, stderr: io.StringIO) -> int:
    events = [make_event(7_000_000 + n) for n in range(COUNT)]
    with Sandbox(events, token=TOKEN) as sandbox:
        workspace = Workspace(tmp_path, sandbox)
        rows = [["objectId", "eventName"], *([str(7_000_000 + n), f"E {n}"] for n in range(COUNT))]
        workspace.csv_sheet("events.csv", rows)
        assert workspace.run("sync").code == 0
        out = io.StringIO()
        return main(
            ["sync", "--two-way"],
            env=workspace.env,
            cwd=workspace.root,
            stdout=out,
            stderr=stderr,
        )


@pytest.mark.slow
def test_the_read_before_sending_shows_progress_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    terminal = Terminal()
    assert run_two_way(tmp_path, terminal) == 0
    shown = terminal.getvalue()
    assert f"events.csv: reading HubSpot 100/{COUNT} events" in shown
    assert f"events.csv: reading HubSpot {COUNT}/{COUNT} events\n" in shown


@pytest.mark.slow
def test_piped_output_gets_no_progress_lines(tmp_path):
    piped = io.StringIO()
    assert run_two_way(tmp_path, piped) == 0
    assert "reading HubSpot" not in piped.getvalue()
