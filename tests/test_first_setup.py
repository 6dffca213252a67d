"""`make` on a fresh clone, started twice at once (issue 24): the second waits for the
first setup of .venv and goes on with it, instead of building over it.

Runs the repository's own Makefile and tools/setup_once.py in a scratch copy, with the
install (setup-venv) replaced by a fake one that holds until the test lets it finish:
the lock and the stamp logic are the real ones, and no timing window is involved.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The install, replaced: it says it started, holds until `go` exists (a minute at most,
# so a broken lock fails the test rather than hanging it), counts itself, and stamps.
FAKE_INSTALL = """
setup-venv:
\t@touch installing; i=0; while [ ! -f go ] && [ $$i -lt 600 ]; do sleep 0.1; i=$$((i+1)); done
\t@echo install >> installs
\t@mkdir -p .venv && touch .venv/.installed-stamp

probe: .venv/.installed-stamp
\t@echo "went on"
"""


def _wait_for(check, what: str, limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.posix_only("make and the POSIX Makefile: Windows users run eventsync itself")
def test_a_second_make_waits_for_the_first_setup_then_goes_on(tmp_path):
    clone = tmp_path / "clone"
    (clone / "tools").mkdir(parents=True)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8") + FAKE_INSTALL
    (clone / "Makefile").write_text(makefile, encoding="utf-8")
    shutil.copy(REPO / "tools" / "setup_once.py", clone / "tools")
    (clone / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    make = ["make", "--no-print-directory", "probe", f"PYTHON={sys.executable}"]

    def start(name: str) -> tuple[subprocess.Popen[bytes], Path]:
        out = tmp_path / f"{name}.out"
        with out.open("wb") as sink:
            process = subprocess.Popen(make, cwd=clone, stdout=sink, stderr=subprocess.STDOUT)
        return process, out

    first, first_out = start("first")
    _wait_for((clone / "installing").exists, "the first setup to start")
    second, second_out = start("second")
    _wait_for(lambda: b"waiting" in second_out.read_bytes(), "the second make to wait")
    (clone / "go").touch()
    assert first.wait(timeout=60) == 0, first_out.read_text()
    assert second.wait(timeout=60) == 0, second_out.read_text()

    assert (clone / "installs").read_text().splitlines() == ["install"]  # once, not twice
    said = second_out.read_text()
    assert "Another make is setting up .venv; waiting for it to finish..." in said
    assert ".venv is ready (set up by the other make); going on." in said
    assert said.rstrip().endswith("went on")
    assert first_out.read_text().rstrip().endswith("went on")
    assert "waiting" not in first_out.read_text()
