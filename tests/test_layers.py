"""The package's stages import downwards only, as the stage table of docs/internals.md says.

Read from the code's own import statements, so a new upward import fails here before
a reviewer has to find it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "eventsync"

# Lower numbers are lower layers: a module may import its own layer and those below.
LAYERS = {
    "eventsync": 0,
    "eventsync.model": 0,
    "eventsync.columns": 0,
    "eventsync.values": 0,
    "eventsync.dates": 0,
    "eventsync.errors": 0,
    "eventsync.safe_files": 0,
    "eventsync.volumes": 0,  # what kind of place a path is on: local, network, cloud-synced
    "eventsync.config": 0,
    "eventsync.participant_mapping": 0,  # the header mapping of other tools' participants exports
    "eventsync.language": 0,  # which language a reader gets
    "eventsync.environment": 0,  # the process's facts output depends on, read once at start
    "eventsync.messages": 0,  # the catalogue of messages, in English and Japanese
    "eventsync.terminal": 0,  # the user's streams, safe for any code page
    "eventsync.visible": 0,  # what a person may be shown of text eventsync did not write
    "eventsync.access": 0,  # folders the system keeps eventsync out of, as a message
    "eventsync.encodings": 0,  # what a Shift-JIS file can hold
    "eventsync.merged_cells": 0,  # which cells a merge hides
    "eventsync.lifecycle": 0,  # the words of an event's lifecycle: status, deleted events
    "eventsync.portal_model": 0,  # values HubSpot's answers become, shared by the four stages
    "eventsync.sheets": 1,
    "eventsync.plan": 2,
    "eventsync.hubspot": 3,
    "eventsync.state": 4,
    "eventsync.run": 5,
    "eventsync.participants_run": 5,  # participants sheets: plan, send, annotate (issue 26)
    "eventsync.event_lookups": 5,  # which event a participants row's externalEventId names
    "eventsync.pull": 5,
    "eventsync.participants_two_way": 5,  # sync --two-way of participants sheets: HubSpot's breakdown in
    "eventsync.pull_participants": 5,  # pull --participants: breakdowns into a Participants sheet
    "eventsync.session": 5,  # one run's client, portal, state store and run log (sync, plan, pull, watch)
    "eventsync.neighbours": 5,  # the other sheets of a sheet's folder, for two-way sync and pull
    "eventsync.workfolder": 5,  # eventsync init: the working folder, beside pull
    "eventsync.creating": 5,  # new rows created as events, beside the run loop
    "eventsync.output": 6,
    "eventsync.watch": 6,  # eventsync watch: on top of the run loop, beside the report
    "eventsync.cli": 7,
    "eventsync.arguments": 7,  # the command line's words, beside cli
    "eventsync.parser_errors": 7,  # argparse's usage errors as catalogue messages, for arguments
    "eventsync.service": 7,  # eventsync service: watch run by the system's service manager
    "eventsync.__main__": 8,
    "eventsync.sandbox": 9,  # the stand-in for HubSpot: nothing in the product imports it
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int | None:
    """A module's stage: its own entry, or its package's. The package itself ("eventsync")
    places only its __init__, so a module nobody placed has no stage (and fails below)."""
    for prefix, rank in sorted(LAYERS.items(), key=lambda item: -len(item[0])):
        if module == prefix or (prefix != "eventsync" and module.startswith(prefix + ".")):
            return rank
    return None


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_higher_stage(path):
    own = module_name(path)
    rank = layer(own)
    assert rank is not None, f"{own} has no place in LAYERS: add it (and to docs/internals.md)"
    assert not upward_imports(path, rank), (
        f"{own} imports {upward_imports(path, rank)}, a higher stage"
    )


def upward_imports(path: Path, rank: int) -> list[str]:
    """What `path` imports from a stage above `rank` (the package's own modules only)."""
    return sorted(
        name
        for name in imports_of(path)
        if name.startswith("eventsync.") and (layer(name) or 0) > rank
    )


def test_the_layer_rule_sees_an_upward_import_and_an_unplaced_module(tmp_path):
    module = tmp_path / "upward.py"
    module.write_text("from eventsync.cli import main\nimport eventsync.run\n", encoding="utf-8")
    assert upward_imports(module, LAYERS["eventsync.plan"]) == [
        "eventsync.cli",
        "eventsync.cli.main",
        "eventsync.run",
    ]
    assert layer("eventsync.not_placed_anywhere") is None
    assert layer("eventsync") == 0 and layer("eventsync.plan.diff") == LAYERS["eventsync.plan"]


# The four stages in the middle know nothing of each other: what one hands another is a
# value of a layer-0 module (model, portal_model, columns, ...), and the run (run.py,
# pull.py) wires them. HubSpot's spellings stay in hubspot/, the sheet's in sheets/.
STAGES = ("eventsync.sheets", "eventsync.plan", "eventsync.hubspot", "eventsync.state")


def stage_of(module: str) -> str | None:
    return next((s for s in STAGES if module == s or module.startswith(s + ".")), None)


@pytest.mark.parametrize(
    "path", [p for p in MODULES if stage_of(module_name(p))], ids=lambda p: module_name(p)
)
def test_sheets_plan_hubspot_and_state_import_none_of_each_other(path):
    own = stage_of(module_name(path))
    crossing = sorted(name for name in imports_of(path) if stage_of(name) not in (None, own))
    assert not crossing, f"{module_name(path)} imports {crossing}, another stage"


def test_the_stage_rule_sees_a_crossing_import(tmp_path):
    """The rule above can fail: an import of plan from hubspot is one it reports."""
    module = tmp_path / "crossing.py"
    module.write_text("from eventsync.plan.event_cells import RemoteEvent\n", encoding="utf-8")
    assert {stage_of(name) for name in imports_of(module)} >= {"eventsync.plan"}


def test_reading_never_imports_writing():
    reading = ("reader.py", "grid.py", "csv_file.py")
    for path in (PACKAGE / "sheets" / name for name in reading):
        names = imports_of(path)
        assert not {n for n in names if n.startswith("eventsync.sheets.writer")}, path
        assert not {n for n in names if n.startswith("eventsync.sheets.xlsx.patch")}, path
        assert "openpyxl" not in names, path


def test_sheets_are_handed_their_settings_never_read_them():
    # The sheets stage is given what it needs (the sheets folder, the state folder):
    # it never reads the settings itself.
    for path in (PACKAGE / "sheets").rglob("*.py"):
        names = imports_of(path)
        assert not {n for n in names if n.startswith("eventsync.config")}, path


def test_planning_never_imports_openpyxl_templates_or_io_stages():
    for path in (PACKAGE / "plan").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith(
                ("openpyxl", "eventsync.sheets", "requests", "eventsync.state")
            ), f"{path.name} imports {name}"


def test_output_renders_values_and_never_runs():
    # The renderers take what a run made (plan/, state/ values); they never start one,
    # send, or reach back into the commands that call them.
    running = (
        "eventsync.run",
        "eventsync.pull",
        "eventsync.watch",
        "eventsync.cli",
        "eventsync.hubspot.client",
    )
    for path in (PACKAGE / "output").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith(running), f"{path.name} imports {name}"


def _module_graph() -> dict[str, set[str]]:
    """Every module of the package -> the package's modules it imports (type-only imports
    too: they tie two rooms together as much as any)."""
    modules = {module_name(path): path for path in MODULES}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        # `from eventsync.x import y` names module x.y when there is one, else x.
        graph[name] = {
            imported
            for imported in imports_of(path)
            if imported in modules and imported != name and not name.startswith(imported + ".")
        }
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as its modules in order (Tarjan's strongly connected
    components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for nxt in sorted(graph[module]):
            if nxt not in index:
                visit(nxt)
                low[module] = min(low[module], low[nxt])
            elif nxt in stack:
                low[module] = min(low[module], index[nxt])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle_not_even_a_type_only_one():
    assert _circles(_module_graph()) == []


def test_the_circle_check_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]


def test_the_command_line_and_watch_leave_the_run_s_state_to_the_session():
    # One home for a run's client, portal, store and log (eventsync/session.py).
    opening = {
        "eventsync.state.runlog.RunLog",
        "eventsync.state.portal.open_store",
        "eventsync.state.portal.identify_portal",
    }
    for path in [PACKAGE / "cli.py", *(PACKAGE / "watch").rglob("*.py")]:
        assert not imports_of(path) & opening, path.name
