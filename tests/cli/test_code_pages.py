"""Output never ends a run because of a character: a cp932 (Japanese Windows) or cp1252
console, or output redirected or piped in that code page, shows what it cannot hold as
an escape (`\\u2713`), and every command still ends with its own exit code, never 70.
`--json` is UTF-8 whatever the code page. Windows' EINVAL on a closed pipe is a closed
pipe (exit 141). (Issue 19, "Output never crashes on a code page".)

The streams here are what a console or a redirect gives Python: byte streams with a
strict encoding, where `io.StringIO` (the other CLI tests) holds any character.
"""

from __future__ import annotations

import errno
import io
import json
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CliResult, edit, read_rows

from eventsync.cli import main
from eventsync.errors import SettingsError
from eventsync.messages import Text, localise
from eventsync.messages.catalogue import CATALOGUE
from eventsync.output.report import for_terminal
from eventsync.sandbox.sample import sample_rows
from eventsync.sheets.template import build_workbook

ROOT = Path(__file__).resolve().parents[2]
CODE_PAGES = ["cp932", "cp1252"]  # Japanese and Western Windows
# A field's value as a sheet or HubSpot may hold it: kanji, an en dash, ✓, an emoji.
SAMPLE = "会場 – ✓ 🎉"
CHECK = "Done ✓ 完了"  # a HubSpot value


def shown(text: str, encoding: str) -> str:
    """What a console in `encoding` shows for `text`: what it cannot hold, escaped."""
    return text.encode(encoding, "backslashreplace").decode(encoding)


def strict_run(workspace, encoding: str, *argv: str, make_client=None, **env: str) -> CliResult:
    """`main()` writing to byte streams that refuse what `encoding` cannot hold; the
    output read back strictly in that encoding (`--json`: strictly as UTF-8)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    extra = {} if make_client is None else {"make_client": make_client}
    code = main(
        list(argv),
        env={**workspace.env, **env},
        cwd=workspace.root,
        stdout=out,
        stderr=err,
        **extra,
    )
    out.flush()
    err.flush()
    out_encoding = "utf-8" if "--json" in argv else encoding
    # Windows' text streams end lines with CRLF: these tests are about characters.
    return CliResult(
        int(code),
        out.buffer.getvalue().decode(out_encoding).replace("\r\n", "\n"),
        err.buffer.getvalue().decode(encoding).replace("\r\n", "\n"),
    )


# -- every message of the catalogue ------------------------------------------------------


def every_message() -> list[Text]:
    """Each catalogue message with SAMPLE in every field it shows (a count: 2)."""
    messages = []
    for key, templates in sorted(CATALOGUE.items()):
        parsed = [p for t in templates for p in string.Formatter().parse(t) if p[1]]
        counts = {name for _, name, spec, _ in parsed if spec and "|" in spec}
        fields = {name: 2 if name in counts else SAMPLE for _, name, _, _ in parsed if name}
        messages.append(Text(key, **fields))
    return messages


def refusing(messages: list[Text]):
    """A client maker that stops the run with every message as a setting to fix: they
    reach the terminal the way main() prints any message (localised, made visible)."""

    def make_client(*args, **kwargs):
        raise SettingsError(list(messages))

    return make_client


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("encoding", CODE_PAGES)
def test_every_catalogue_message_reaches_a_strict_code_page_console_readably(
    workspace, encoding, language
):
    workspace.sample_workbook()
    messages = every_message()
    result = strict_run(
        workspace, encoding, "plan", make_client=refusing(messages), EVENTSYNC_LANG=language
    )
    assert result.code == 2, result.err  # the setting to fix, not 70
    said = "".join(for_terminal(f"eventsync: {localise(m, language)}") + "\n" for m in messages)
    assert result.err == shown(said, encoding)
    assert len(result.err.splitlines()) >= len(messages)
    # What the code page holds is shown as itself; the rest as its escape.
    assert "\\u2713" in result.err and "\\U0001f389" in result.err
    if encoding == "cp932":
        assert "会場" in result.err and "\\u2013" in result.err
    else:
        assert "\\u4f1a\\u5834" in result.err and "–" in result.err


def test_our_own_words_need_no_escape_on_our_users_consoles():
    """Japanese messages on Japanese Windows (cp932); English ones on Western Windows
    (cp1252) and on Japanese Windows too (an English sheet in Tokyo): each character held
    by the code page, never shown as an escape."""

    def held(text: str, encoding: str) -> bool:
        try:
            text.encode(encoding)  # strict
        except UnicodeEncodeError:
            return False
        return True

    escaped = [
        key
        for key, (english, japanese) in CATALOGUE.items()
        if not held(japanese, "cp932") or not (held(english, "cp1252") and held(english, "cp932"))
    ]
    assert escaped == []


# -- sheets and HubSpot values the code page cannot hold -----------------------------------


def unicode_sheet(workspace) -> Path:
    """The sample sheet with kanji, en dashes, ✓ and emoji in its cells, and a date typed
    with an emoji (a problem that quotes the cell)."""
    rows = sample_rows()
    rows[0][1] = "東京セミナー ✓ 🎉"
    rows[0][4] = "2026–27 season – 会場 ✓"
    rows[1][7] = "2026/13/01 🎉"
    book = workspace.sheets / "events.xlsx"
    build_workbook(rows, custom=("region",)).save(book)
    return book


@pytest.mark.slow
@pytest.mark.parametrize("encoding", CODE_PAGES)
def test_plan_and_sync_of_a_unicode_sheet_with_check_marks_in_hubspot_and_excel_open(
    workspace, encoding
):
    book = unicode_sheet(workspace)
    plan = strict_run(workspace, encoding, "plan")
    assert plan.code == 1, plan.err  # the row with the bad date
    assert f'eventName: "{shown("東京セミナー ✓ 🎉", encoding)}"' in plan.out
    assert f'eventDescription: "{shown("2026–27 season – 会場 ✓", encoding)}"' in plan.out
    assert f'"{shown("2026/13/01 🎉", encoding)}" is not a date-time' in plan.out

    first = strict_run(workspace, encoding, "sync")
    assert first.code == 1, first.err
    assert "19 sent, 19 updated" in first.out
    assert workspace.sandbox.events["5823713201"]["eventName"] == "東京セミナー ✓ 🎉"

    # HubSpot holds ✓ in two events; the sheet changed one of them too (a conflict),
    # and the workbook is open in Excel, so the results wait.
    workspace.sandbox.edit_event("5823713203", eventName=CHECK)
    workspace.sandbox.edit_event("5823713204", eventName="HubSpot ✓ only")
    edit(book, {(4, 2): "Mine – 東京 🎉", (6, 2): "Renamed ✓"})
    (workspace.sheets / "~$events.xlsx").write_bytes(b"\x00" * 165)

    incoming = strict_run(workspace, encoding, "plan", "--two-way")
    assert incoming.code == 1, incoming.err
    assert f'changed in HubSpot to "{shown(CHECK, encoding)}"' in incoming.out
    assert f'-> "{shown("HubSpot ✓ only", encoding)}"' in incoming.out

    for language in ("en", "ja"):
        result = strict_run(workspace, encoding, "sync", EVENTSYNC_LANG=language)
        assert result.code == 1, result.err
        assert shown(CHECK, encoding) in result.out  # the conflict, readable
        assert "Excel" in result.out  # open in Excel: the results wait
    assert workspace.sandbox.events["5823713205"]["eventName"] == "Renamed ✓"
    if encoding == "cp932":
        assert "完了" in result.out and "\\u2713" in result.out
        # Japanese on Japanese Windows: the only escapes are the cells' ✓ and emoji.
        rest = result.out.replace("\\u2713", "").replace("\\U0001f389", "")
        assert "\\u" not in rest and "\\U" not in rest, result.out


@pytest.mark.slow
@pytest.mark.parametrize("encoding", CODE_PAGES)
def test_json_is_utf8_whatever_the_code_page(workspace, encoding):
    unicode_sheet(workspace)
    result = strict_run(workspace, encoding, "plan", "--json")
    assert result.code == 1, result.err
    assert json.loads(result.out)["sheets"]
    assert "東京セミナー ✓ 🎉" in result.out  # as itself, not as an escape

    assert strict_run(workspace, encoding, "sync").code == 1
    workspace.sandbox.edit_event("5823713203", eventName=CHECK)
    incoming = strict_run(workspace, encoding, "plan", "--two-way", "--json")
    assert CHECK in incoming.out and json.loads(incoming.out)
    synced = strict_run(workspace, encoding, "sync", "--two-way", "--json")
    assert synced.code == 1 and json.loads(synced.out)["exitCode"] == 1
    log = strict_run(workspace, encoding, "log", "--json")
    assert log.code == 0
    entries = [json.loads(line) for line in log.out.splitlines()]
    assert {"start", "end"} <= {entry["kind"] for entry in entries}
    history = strict_run(workspace, encoding, "history", "5823713203", "--json")
    assert history.code == 0 and CHECK in history.out
    assert CHECK in [c.get("value") for c in json.loads(history.out)["changes"]]


@pytest.mark.slow
@pytest.mark.parametrize("encoding", CODE_PAGES)
def test_log_history_template_and_pull_print_under_a_strict_code_page(workspace, encoding):
    rows = sample_rows()
    rows[0][1] = "東京セミナー ✓ 🎉"
    book = workspace.sheets / "東京 ✓.xlsx"
    build_workbook(rows, custom=("region",)).save(book)
    assert strict_run(workspace, encoding, "sync").code == 0

    log = strict_run(workspace, encoding, "log")
    assert log.code == 0, log.err
    assert shown("東京 ✓.xlsx", encoding) in log.out

    workspace.sandbox.edit_event("5823713201", eventName=CHECK)
    assert strict_run(workspace, encoding, "sync", "--two-way").code == 0
    history = strict_run(workspace, encoding, "history", "5823713201")
    assert history.code == 0, history.err
    assert shown(f'"東京セミナー ✓ 🎉" -> "{CHECK}"', encoding) in history.out

    template = strict_run(workspace, encoding, "template", "予定 ✓.xlsx", "--lang", "ja")
    assert template.code == 0, template.err
    assert shown("予定 ✓.xlsx", encoding) in template.out
    assert (workspace.root / "予定 ✓.xlsx").is_file()

    pulled = strict_run(workspace, encoding, "pull", "取得 🎉.xlsx")
    assert pulled.code == 0, pulled.err
    assert shown("取得 🎉.xlsx", encoding) in pulled.out
    names = [row["eventName"] for row in read_rows(workspace.root / "取得 🎉.xlsx")]
    assert CHECK in names


def test_a_usage_error_quoting_kanji_is_escaped_on_a_strict_console(workspace, capsys):
    """argparse writes to sys.stderr itself: that stream escapes too while main runs."""
    strict = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="strict")
    before = sys.stderr
    sys.stderr = strict
    try:
        with pytest.raises(SystemExit) as stopped:
            main(["plan", "--東京"], env=workspace.env, cwd=workspace.root)
    finally:
        sys.stderr = before
    assert stopped.value.code == 2  # argparse's own: a usage error, not a crash
    strict.flush()
    said = strict.buffer.getvalue().decode("cp1252")
    assert "unrecognized arguments: --\\u6771\\u4eac" in said
    assert strict.errors == "strict"  # set back: the stream is the caller's


# -- the same, as a user runs it: a child process with piped output ----------------------


def child_env(workspace, encoding: str, **extra: str) -> dict[str, str]:
    """Python's own streams in `encoding`, strict, as on a console or a redirect in
    that code page (PYTHONIOENCODING without an error handler means strict)."""
    env = {**os.environ, **workspace.env, "PYTHONPATH": str(ROOT), **extra}
    env["PYTHONIOENCODING"] = encoding
    env.pop("EVENTSYNC_VIA", None)
    return env


def run_child(workspace, encoding: str, *argv: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eventsync", *argv],
        cwd=workspace.root,
        env=child_env(workspace, encoding, **extra),
        capture_output=True,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("encoding", CODE_PAGES)
def test_piped_plan_and_sync_with_a_check_mark_in_hubspot_and_excel_open_end_readably(
    workspace, encoding
):
    """The issue's own "done when": no exit 70, the message readable."""
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event("5823713203", eventName=CHECK)
    edit(book, {(5, 2): "Renamed – 大阪"})
    (workspace.sheets / "~$events.xlsx").write_bytes(b"\x00" * 165)

    plan = run_child(workspace, encoding, "plan", "--two-way")
    assert plan.returncode == 0, plan.stderr
    assert shown(f'-> "{CHECK}"', encoding) in plan.stdout.decode(encoding)
    assert shown('"Renamed – 大阪"', encoding) in plan.stdout.decode(encoding)

    sync = run_child(workspace, encoding, "sync", "--two-way")
    out, err = sync.stdout.decode(encoding), sync.stderr.decode(encoding)  # strictly
    assert sync.returncode == 1, out + err  # results wait for Excel: not 70
    assert "events.xlsx is open in Excel; close it and run eventsync sync again" in out
    assert workspace.sandbox.events["5823713204"]["eventName"] == "Renamed – 大阪"
    assert "unexpected error" not in err

    ja = run_child(workspace, encoding, "sync", "--two-way", EVENTSYNC_LANG="ja")
    out = ja.stdout.decode(encoding)
    assert ja.returncode == 1, out + ja.stderr.decode(encoding)
    if encoding == "cp932":
        assert "Excel" in out and "\\u" not in out, out  # Japanese, as written


@pytest.mark.slow
@pytest.mark.parametrize("encoding", CODE_PAGES)
def test_piped_json_parses_as_utf8_under_a_code_page(workspace, encoding):
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.edit_event("5823713203", eventName=CHECK)
    plan = run_child(workspace, encoding, "plan", "--two-way", "--json")
    assert plan.returncode == 0, plan.stderr
    document = json.loads(plan.stdout.decode("utf-8"))
    assert CHECK in json.dumps(document, ensure_ascii=False)
    assert CHECK.encode("utf-8") in plan.stdout  # as UTF-8, not as an escape


# -- a closed pipe on Windows --------------------------------------------------------------


class WindowsClosedPipe(io.RawIOBase):
    """A pipe whose reader has gone, as Windows reports it: EINVAL, not EPIPE
    (CPython issue 79935). Open again once the test is over, so the stream's last
    flush when it is collected has somewhere to go."""

    def __init__(self):
        self.reader_gone = True

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.reader_gone:
            raise OSError(errno.EINVAL, "Invalid argument")
        return len(data)


@pytest.mark.parametrize("argv", [["plan"], ["plan", "--json"], ["log"]])
def test_einval_on_a_closed_pipe_ends_quietly_like_a_closed_pipe(workspace, argv):
    workspace.sample_workbook()
    pipe = WindowsClosedPipe()
    stdout = io.TextIOWrapper(io.BufferedWriter(pipe), encoding="cp932")
    stderr = io.StringIO()
    try:
        code = main(argv, env=workspace.env, cwd=workspace.root, stdout=stdout, stderr=stderr)
    finally:
        pipe.reader_gone = False
    assert code == 141
    assert stderr.getvalue() == ""


@pytest.mark.slow
def test_no_console_at_all_is_no_error(workspace):
    """pythonw.exe (a scheduled task without a console window) has no sys.stdout and no
    sys.stderr: the run goes on with nowhere to print."""
    workspace.sample_workbook()
    env = {**os.environ, **workspace.env, "PYTHONPATH": str(ROOT)}
    env.pop("HUBSPOT_ACCESS_TOKEN")  # plan without a token reads no HubSpot
    script = (
        "import sys; sys.stdout = sys.stderr = None; from eventsync.cli import main;"
        " sys.exit(main(['plan']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=workspace.root, env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
