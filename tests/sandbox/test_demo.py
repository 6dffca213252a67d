"""`make demo`: the whole flow against the sandbox, as a new user first sees it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventsync.sandbox.demo import finish

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_demo_runs_the_whole_flow_and_shows_what_hubspot_received(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "eventsync.sandbox.demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPO),
            **{name: str(tmp_path) for name in ("TMPDIR", "TMP", "TEMP")},  # POSIX, Windows
            **{k: v for k, v in os.environ.items() if k.upper() == "SYSTEMROOT"},
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "bug" not in out + done.stderr
    assert "HubSpot received 1 request with 2 events:" in out
    # The request is shown as readable JSON, exactly as it went out.
    body = out.split("HubSpot received 1 request with 2 events:\n", 1)[1]
    body = body.split("\n", 1)[1]  # past the "POST /path" line
    document = body[: body.index("\n}") + 2]
    assert json.loads(document) == {
        "inputs": [
            {"objectId": "5823713202", "eventName": "Spring Product Update 02 (Osaka)"},
            {"objectId": "5823713206", "eventType": "Hybrid"},
        ]
    }
    assert "HubSpot's edit was kept" in out
    assert re.search(r"1 conflict\b", out)
    # Nothing is left behind in the system temp folder after a demo that went well.
    assert list(tmp_path.glob("eventsync-demo-*")) == []
    assert "The demo's scratch folder is removed." in out


def test_a_demo_that_went_wrong_keeps_its_folder_and_says_where(tmp_path, capsys):
    scratch = tmp_path / "eventsync-demo-x"
    (scratch / "sheets").mkdir(parents=True)
    finish(scratch, ok=False)
    assert (scratch / "sheets").is_dir()
    assert f"The demo's files are kept for a look: {scratch}" in capsys.readouterr().out
    finish(scratch, ok=True)
    assert not scratch.exists()
