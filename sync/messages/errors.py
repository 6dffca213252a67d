"""The catalogue's messages about the run itself: why it stopped before or after
sending, and what to do. Each: (English, Japanese).
"""

from __future__ import annotations

ERRORS: dict[str, tuple[str, str]] = {
    "pull.exists": (
        "{target} already exists; pull writes a new workbook. Choose another name, or run"
        " {again} to replace it (your current file is backed up first)",
        "{target} は既にあります。pull は新しいブックを作ります。別の名前にするか、{again} で"
        "置き換えてください（今のファイルは先にバックアップされます）",
    ),
    "pull.wrote": (
        "wrote {path}: {events} events (custom properties: {custom})",
        "{path} を書き込みました：{events} 件のイベント（カスタムプロパティ：{custom}）",
    ),
    "template.exists": (
        "{target} already exists; choose another name, or run {again} to replace it (your"
        " current file is backed up first)",
        "{target} は既にあります。別の名前にするか、{again} で置き換えてください（今のファイルは"
        "先にバックアップされます）",
    ),
    "template.wrote": (
        "wrote {target}: fill the Events sheet, save it into the sheets folder, then run {plan}",
        "{target} を書き込みました：Events シートに入力してシートのフォルダーに保存し、{plan} を"
        "実行してください",
    ),
    "cli.next": (
        "; edit it, then run {plan} and {sync}",
        "。編集してから {plan} と {sync} を実行してください",
    ),
    "cli.backed_up": (
        "backed up the file it replaced to {backup}",
        "置き換えたファイルを {backup} にバックアップしました",
    ),
    "remote.unread": (
        "{why}. Nothing was sent: eventsync checks HubSpot for edits before sending. Run again"
        " later, or run {unchecked} to skip the check.",
        "{why}。何も送信していません：eventsync は送信の前に HubSpot での編集を確認します。"
        "後でもう一度実行するか、確認を省くには {unchecked} を実行してください。",
    ),
    "remote.unread_row": (
        "not sent: HubSpot's current state could not be read to check for edits made there;"
        " run {again} again later",
        "未送信：HubSpot での編集を確認するための現在の状態を読めませんでした。後でもう一度"
        " {again} を実行してください",
    ),
    "cli.interrupted": (
        "interrupted; what HubSpot confirmed so far is saved",
        "中断しました。ここまでに HubSpot が確認した分は保存されています",
    ),
    "watch.no_folder": (
        "{folder}: no sheets folder; create it (watch syncs every sheet saved into it), or name"
        " the files: {watch}",
        "{folder}：シートのフォルダーがありません。作成するか（watch はそこに保存されたシートを"
        "すべて同期します）、ファイルを指定してください：{watch}",
    ),
    "watch.folder_gone": (
        "{folders}: the watched folder is gone (deleted, renamed or unmounted); watch stopped."
        " Put the folder back and start {watch} again",
        "{folders}：監視していたフォルダーがなくなりました（削除、名前の変更、またはアンマウント）。"
        "watch を止めました。フォルダーを戻して、もう一度 {watch} を開始してください",
    ),
    "cli.bug": (
        "unexpected error ({error}); this is a bug in eventsync. Run again with --debug for"
        " details.",
        "予期しないエラー（{error}）：eventsync の不具合です。詳しくは --debug を付けて"
        "もう一度実行してください。",
    ),
}
