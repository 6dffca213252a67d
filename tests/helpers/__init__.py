"""What the tests share: the canary token, an injected clock, a user's folder with the
CLI run in-process, and ways to read a sheet back as a user sees it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from eventsync.cli import main
from eventsync.model import CellValue
from eventsync.sandbox.sample import sample_rows
from eventsync.sandbox.server import Sandbox
from eventsync.sheets.template import build_workbook

TOKEN = "pat-test-canary-7f3a91c2e4b8"
ZONE = "Asia/Tokyo"
DAILY_429 = {  # HubSpot's answer when the daily limit is reached, exactly as it sends it
    "status": 429,
    "body": {
        "status": "error",
        "message": "You have reached your daily limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "5a1b2c3d-daily",
        "policyName": "DAILY",
    },
}
DAILY_STOP = (  # what each row not sent then says
    "not sent: HubSpot's daily API limit is reached; run again after midnight"
    " (your HubSpot account's time zone)"
)


class FakeClock:
    """Injected time: `sleep` moves the clock on at once, so waits cost nothing."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_in(cwd: Path, *argv: str, **env: str) -> CliResult:
    """`eventsync ARGV` in `cwd` through `main()`, with exactly `env` as its environment."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=env, cwd=cwd, stdout=out, stderr=err)
    return CliResult(int(code), out.getvalue(), err.getvalue())


class Workspace:
    """A user's folder: sheets/, .eventsync/, and the sandbox the settings point at."""

    def __init__(self, root: Path, sandbox: Sandbox):
        self.root = root
        self.sandbox = sandbox
        self.sheets = root / "sheets"
        self.sheets.mkdir()
        self.env = {
            "HUBSPOT_ACCESS_TOKEN": TOKEN,
            "EVENTSYNC_BASE_URL": sandbox.url,
            "EVENTSYNC_TIMEZONE": ZONE,
        }

    def run(self, *argv: str, **env: str) -> CliResult:
        return run_in(self.root, *argv, **{**self.env, **env})

    def sample_workbook(self, name: str = "events.xlsx", rows: list[list] | None = None) -> Path:
        path = self.sheets / name
        build_workbook(sample_rows() if rows is None else rows, custom=("region",)).save(path)
        return path

    def csv_sheet(self, name: str, rows: list[list], *, encoding="utf-8", delimiter=",") -> Path:
        text = io.StringIO()
        csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        path = self.sheets / name
        path.write_bytes(text.getvalue().encode(encoding))
        return path


def read_rows(path: Path, sheet: str = "Events") -> list[dict]:
    """The sheet as a user sees it: one dict per row below the header, by header text."""
    workbook = load_workbook(path)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = rows[0]
    return [
        dict(zip(header, row, strict=False)) for row in rows[1:] if any(v is not None for v in row)
    ]


def all_files_text(root: Path) -> str:
    chunks = []
    for path in root.rglob("*"):
        if path.is_file():
            chunks.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(chunks)


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def edit(path: Path, cells: Mapping[tuple[int, int], CellValue]) -> None:
    """Save the workbook with these cells (row, column) changed, as a spreadsheet
    program does: the file is replaced, every other byte of it kept."""
    from eventsync.sheets.xlsx.patch import patch_cells

    temp = path.with_name("edited.tmp")
    patch_cells(path, temp, "Events", cells)
    temp.replace(path)


def sent_inputs(sandbox: Sandbox, since: int = 0) -> list[dict]:
    """Every input of every batch update the sandbox received (from request `since`)."""
    requests = sandbox.batch_update_requests()[since:]
    return [i for r in requests for i in r.body["inputs"]]
