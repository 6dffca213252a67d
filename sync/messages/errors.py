"""The catalogue's messages about the run itself: why it stopped before or after
sending, and what to do. Each: (English, Japanese).
"""

from __future__ import annotations

ERRORS: dict[str, tuple[str, str]] = {
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
