"""draft"""
from __future__ import annotations

import re

import requests
from helpers import read_rows, sent_inputs
from helpers.workbooks import SHEET, rewrite


def save_as_libreoffice(book):
    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        def one(m):
            ref, style, value = m.group(1), m.group(2), m.group(3)
            word = "TRUE()" if value == "1" else "FALSE()"
            return f'<c r="{ref}"{style} t="n"><f aca="false">{word}</f><v>{value}</v></c>'
        return re.sub(r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="b"><v>([01])</v></c>', one, text).encode()
    rewrite(book, SHEET, change)


def cancel_in_hubspot(sandbox, object_id):
    answer = requests.post(f"{sandbox.url}/_sandbox/events/{object_id}", json={"eventCancelled": True}, timeout=10)
    assert answer.status_code == 200, answer.text


def test_repro(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    save_as_libreoffice(book)
    object_id = "5823713203"
    cancel_in_hubspot(workspace.sandbox, object_id)
    r = workspace.run("sync", "--two-way")
    print(r.code, r.out, r.err)
    print(read_rows(book)[2])
    print("HS", workspace.sandbox.events[object_id]["updatedAt"])
    import sqlite3, glob
    for f in glob.glob(str(workspace.root/".eventsync"/"**"/"*.sqlite3"), recursive=True):
        con = sqlite3.connect(f)
        for t, in con.execute("select name from sqlite_master where type='table'"):
            print(t, [r for r in con.execute(f"select * from {t}") if "5823713203" in str(r)][:5])
        con.close()
    before = len(workspace.sandbox.batch_update_requests())
    for _ in range(2):
        r = workspace.run("sync")
        print(r.code, r.out, r.err)
    print(sent_inputs(workspace.sandbox, before))
    print(workspace.sandbox.events[object_id]["eventCancelled"])
    assert 0
