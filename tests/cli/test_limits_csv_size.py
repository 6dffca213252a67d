"""A CSV too large to read safely (an export dropped in the sheets folder) is refused
before it is read: exit 2 naming the file and the limit, nothing sent, memory bounded.
The file's size is what counts, not its content: the big files here are sparse (made in
no time, taking no disk) and removed with the test's folder."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from eventsync.sheets.csv_intake import MAX_CSV_BYTES

ROOT = Path(__file__).resolve().parents[2]
MB = 1 << 20


def sparse_csv(path: Path, size: int) -> Path:
    """A CSV of `size` bytes: a real header, then a hole (read back as NUL bytes)."""
    with open(path, "wb") as out:
        out.write(b"objectId,eventName\r\n")
        out.truncate(size)
    return path


def test_a_csv_over_the_limit_is_refused_naming_it_and_nothing_is_sent(workspace):
    workspace.sample_workbook()
    sparse_csv(workspace.sheets / "export.csv", MAX_CSV_BYTES + 1)
    result = workspace.run("sync")
    assert result.code == 2, result.err
    assert "export.csv is 64 MB; eventsync reads CSV files of at most 64 MB" in result.err
    assert "move it out of the sheets folder" in result.err and "bug" not in result.err
    assert workspace.sandbox.request_count == 0


def test_a_csv_at_the_limit_is_read(workspace):
    """The limit itself is allowed: the refusal is about size, nothing else (this file is
    all header and NUL padding, refused for its NUL bytes, not for its size)."""
    sparse_csv(workspace.sheets / "events.csv", MAX_CSV_BYTES)
    result = workspace.run("plan")
    assert result.code == 2
    assert "NUL bytes" in result.err and "at most 64 MB" not in result.err


def test_the_refusal_is_in_japanese_too(workspace):
    sparse_csv(workspace.sheets / "export.csv", MAX_CSV_BYTES + 1)
    result = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert result.code == 2
    assert "export.csvは64 MBあります" in result.err and "64 MBまでです" in result.err


@pytest.mark.slow
@pytest.mark.posix_only("resource.getrusage and sparse files made by truncate")
def test_a_300_mb_csv_costs_plan_under_200_mb_of_memory(workspace):
    """The whole command in a child of a child: RUSAGE_CHILDREN counts only the
    children waited for, and the pytest process may have waited for bigger ones."""
    workspace.sample_workbook()
    sparse_csv(workspace.sheets / "export.csv", 300 * MB)
    probe = textwrap.dedent(
        """
        import resource, subprocess, sys
        done = subprocess.run([sys.executable, "-m", "eventsync", "plan"], capture_output=True,
                              text=True, encoding="utf-8")
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(done.returncode, peak_kb)
        print(done.stderr, file=sys.stderr)
        """
    )
    env = {**workspace.env, "PYTHONPATH": str(ROOT), "HOME": str(workspace.root)}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=workspace.root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    code, peak_kb = (int(word) for word in done.stdout.split())
    assert code == 2, done.stderr
    assert "export.csv is 300 MB" in done.stderr
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = peak_kb if sys.platform == "darwin" else peak_kb * 1024
    assert peak < 200 * MB, f"plan took {peak / MB:.0f} MB"
