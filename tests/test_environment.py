"""The process facts output depends on (how eventsync was started, the terminal) are read
once when a command starts and injected: a caller (a test, an embedding program) hands
main() its own, and nothing read from the process later changes what the command says."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from eventsync.cli import main
from eventsync.environment import Environment, current, using

PACKAGE = Path(__file__).resolve().parents[1] / "eventsync"


def plan_without_sheets(tmp_path: Path, environment: Environment) -> str:
    err = io.StringIO()
    code = main(
        ["plan"],
        env={"HUBSPOT_ACCESS_TOKEN": "pat-environment-test"},
        cwd=tmp_path,
        stdout=io.StringIO(),
        stderr=err,
        environment=environment,
    )
    assert code == 2
    return err.getvalue()


def test_under_make_the_suggested_commands_are_make_s(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTSYNC_VIA", raising=False)  # the process says: not make
    said = plan_without_sheets(tmp_path, Environment(via_make=True))
    assert 'name the file: make plan ARGS="PATH"' in said, said
    assert "run .venv/bin/eventsync init" in said, said


def test_typed_by_hand_the_suggested_commands_are_eventsync_s(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTSYNC_VIA", "make")  # the process says make; main() is told not
    said = plan_without_sheets(tmp_path, Environment())
    assert "name the file: eventsync plan PATH" in said, said
    assert "make plan" not in said and ".venv" not in said, said


def test_the_environment_is_the_command_s_only_while_it_runs(monkeypatch):
    monkeypatch.setenv("EVENTSYNC_VIA", "make")
    monkeypatch.setenv("TERM", "dumb")
    assert current() == Environment(via_make=True, dumb_terminal=True, windows=current().windows)
    with using(Environment()):
        assert current() == Environment()
    assert current().via_make


def test_a_dumb_terminal_gets_no_redrawn_lines():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert Environment().interactive(Terminal())
    assert not Environment(dumb_terminal=True).interactive(Terminal())
    assert not Environment().interactive(io.StringIO())


def test_no_module_reads_the_terminal_or_make_settings_for_itself():
    readers = sorted(
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in ("TERM", "EVENTSYNC_VIA")
    )
    assert readers == [str(Path("eventsync") / "environment.py")] * 2
