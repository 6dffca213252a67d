"""The catalogue's words of the command line's help (`eventsync --help`, `eventsync
<command> --help`): each command's and option's help, and argparse's own words
(usage, the section titles). Each: (English, Japanese). The English is argparse's
help as it always read; no `%` in either (argparse formats help with it).
"""

from __future__ import annotations

HELP_TEXT: dict[str, tuple[str, str]] = {
    # arguments.py: argparse's own words, said by the Japanese help formatter
    "help.usage": ("usage: ", "使い方："),
    "help.positionals": ("positional arguments", "引数"),
    "help.options": ("options", "オプション"),
    "help.help": ("show this help message and exit", "このヘルプを表示して終了します"),
    "help.version": ("show program's version number and exit", "バージョンを表示して終了します"),
    # arguments.py: the program and its commands
    "help.description": (
        "Keep a spreadsheet of marketing events and a HubSpot portal in step.",
        "マーケティングイベントのスプレッドシートとHubSpotアカウントを同期します。",
    ),
    "help.debug": (
        "show tracebacks of unexpected errors",
        "予期しないエラーのトレースバックを表示します",
    ),
    "help.sync": (
        "send every changed row to HubSpot and annotate the sheet",
        "変更のあった行をすべてHubSpotに送信し、結果をシートに書き込みます",
    ),
    "help.plan": (
        "dry run: show what sync would send, and every problem; sends nothing",
        "試し実行：同期で送信する内容と問題をすべて表示します。何も送信しません",
    ),
    "help.paths": (
        "sheets to use (default: all in the sheets folder)",
        "使うシート（省略時：sheetsフォルダーのすべて）",
    ),
    "help.json": ("print JSON for scripts", "スクリプト向けにJSONで出力します"),
    "help.no_remote_check": (
        "don't read HubSpot first: faster, but an edit made in HubSpot can be overwritten",
        "先にHubSpotを読みません。速くなりますが、HubSpotでの編集を上書きすることがあります",
    ),
    "help.two_way": (
        "also bring fields changed only in HubSpot into the sheet",
        "HubSpotでだけ変更された項目もシートに取り込みます",
    ),
    "help.force": (
        "send the sheet's values where HubSpot changed the same field:"
        " for every event, or only for these",
        "HubSpotでも同じ項目が変更されていてもシートの値を送信します。"
        "すべてのイベント、または指定したイベントだけ",
    ),
    "help.add_new": (
        "with --two-way: append events that are in HubSpot but not in the sheet",
        "「--two-way」と併用：HubSpotにあってシートにないイベントを追加します",
    ),
    "help.init": (
        "set up a working folder: .env, the sheets folder, an events workbook",
        "作業フォルダーを用意します：.env、sheetsフォルダー、イベントのブック",
    ),
    "help.pull": (
        "write a new workbook holding every marketing event of the portal",
        "HubSpotアカウントのマーケティングイベントをすべて新しいブックに書き出します",
    ),
    "help.out": ("the workbook to write", "書き出すブック"),
    "help.lang": ("header language", "見出しの言語"),
    "help.replace": ("replace OUT.xlsx if it exists", "OUT.xlsxがあれば置き換えます"),
    "help.keep_both": (
        "write OUT.xlsx even where another sheet of its folder holds the same events",
        "同じフォルダーの別のシートに同じイベントがあってもOUT.xlsxを書き出します",
    ),
    "help.template": (
        "write an empty events workbook to start from",
        "最初に使う空のイベントブックを書き出します",
    ),
    "help.log": ("show the run log of the last sync", "前回の同期の実行ログを表示します"),
    "help.log_json": ("print the raw JSON lines", "JSONの行をそのまま出力します"),
    "help.history": (
        "show every change recorded for an event, newest first",
        "イベントについて記録された変更をすべて新しい順に表示します",
    ),
    "help.object_id": ("the event's objectId", "イベントのobjectId"),
    "help.watch": (
        "sync each sheet whenever it is saved, until stopped",
        "止めるまで、シートが保存されるたびに同期します",
    ),
    "help.service": (
        "run watch in the background: install, uninstall, status, start, stop",
        "watchをバックグラウンドで動かします：install、uninstall、status、start、stop",
    ),
    # watch/command.py
    "help.watch_paths": (
        "sheets to watch (default: the sheets folder)",
        "見張るシート（省略時：sheetsフォルダー）",
    ),
    "help.quiet_seconds": (
        "sync a sheet once it has not changed for S seconds (default 2)",
        "シートがS秒変わらなかったら同期します（省略時：2）",
    ),
    "help.retry_seconds": (
        "first wait after HubSpot failed or refused; doubles up to 15 min (default 10)",
        "HubSpotが失敗・拒否した後の最初の待ち時間。2倍ずつ最大15分まで延びます（省略時：10）",
    ),
    "help.watch_json": (
        "print one JSON object per sync",
        "同期ごとにJSONオブジェクトを1つ出力します",
    ),
    "help.log_file": (
        "also append everything watch prints to this file, in UTF-8, each line dated"
        " (for a service: no console code page in the way)",
        "watchの出力をすべて、このファイルにもUTF-8で行ごとに日時を付けて追記します"
        "（サービス向け：コンソールのコードページに左右されません）",
    ),
    "help.stop": (
        "ask the watch running on this folder's state to stop, and wait for it (services)",
        "このフォルダーの状態で動いているwatchに停止を頼み、止まるまで待ちます（サービス向け）",
    ),
    # service/command.py
    "help.action": ("what to do with the watch service", "watchサービスに対して行う操作"),
    "help.dry_run": (
        "show the files and commands, write and run nothing",
        "ファイルとコマンドを表示するだけで、何も書かず何も実行しません",
    ),
    "help.system": (
        "the system to write for (default: this one); with --dry-run, to see another's",
        "書き出す対象のシステム（省略時：このシステム）。"
        "「--dry-run」と併用すると他のシステムの分を確認できます",
    ),
    # workfolder.py
    "help.folder": (
        "the working folder to set up (default: this one); created if missing",
        "用意する作業フォルダー（省略時：このフォルダー）。なければ作成します",
    ),
    "help.init_lang": (
        "language of the workbook's headers and of these messages"
        " (ja also sets EVENTSYNC_LANG=ja in .env)",
        "ブックの見出しとこのコマンドのメッセージの言語（jaなら.envにEVENTSYNC_LANG=jaも書き込みます）",
    ),
}
