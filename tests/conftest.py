"""Fixtures: the sandbox on port 0 and a user's folder pointed at it.

Shared code lives in the `helpers` package (tests/helpers/), not here."""

from __future__ import annotations

import sys

import pytest
from helpers import TOKEN, Workspace
from helpers.windows_files import WindowsFiles
from hypothesis import HealthCheck, settings

from eventsync.sandbox.sample import sample_events
from eventsync.sandbox.server import Sandbox

# Timing-based failures are noise on a loaded CI machine; the properties are what count.
settings.register_profile(
    "eventsync", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("eventsync")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `posix_only("why")` (fork, POSIX signals to a child, file modes, tmpfs)
    are skipped under Windows with the reason "POSIX-only: why": counted in the summary,
    never dropped. The reason is required everywhere, so Linux CI catches a bare mark."""
    for item in items:
        marker = item.get_closest_marker("posix_only")
        if marker is None:
            continue
        if len(marker.args) != 1 or not marker.args[0]:
            raise pytest.UsageError(f"{item.nodeid}: posix_only needs its reason")
        if sys.platform == "win32":
            item.add_marker(pytest.mark.skip(reason=f"POSIX-only: {marker.args[0]}"))


@pytest.fixture
def sandbox():
    with Sandbox(events=sample_events(), token=TOKEN, custom_properties=["region"]) as server:
        yield server


@pytest.fixture
def workspace(tmp_path, sandbox) -> Workspace:
    return Workspace(tmp_path, sandbox)


@pytest.fixture
def windows_files(monkeypatch):
    """Windows' file semantics for the rest of the test (tests/helpers/windows_files.py);
    `hold(path)` plays another program keeping a file open."""
    files = WindowsFiles(monkeypatch)
    yield files
    files.close()


@pytest.fixture(autouse=True)
def _windows_file_rules(windows_files):
    """Every test runs under Windows' rule for open files (tests/helpers/windows_files.py):
    a handle left open on a file that is then replaced or deleted fails here as it fails
    on Windows, where most users run eventsync."""
    return windows_files
