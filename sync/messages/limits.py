"""The catalogue's messages about limits and refusals: files too large to read safely,
answers too large to parse, options out of range, packages and sheets eventsync cannot
annotate, and what a state folder in trouble means for what HubSpot already has. Each:
(English, Japanese).
"""

from __future__ import annotations

LIMITS: dict[str, tuple[str, str]] = {
    # A CSV too large to read (sheets/csv_file.py)
    "limits.csv_too_large": (
        "{file} is {size} MB; eventsync reads CSV files of at most {limit} MB (100,000 events"
        " take about 20 MB). If it is an export and not your events sheet, move it out of"
        " the sheets folder; if it is yours, delete the rows that are not events and save",
        "{file} は {size} MB あります。eventsync が読む CSV ファイルは {limit} MB までです"
        "（10 万件のイベントで約 20 MB）。イベントのシートではないエクスポートなら、シート"
        "フォルダーの外へ移してください。イベントのシートなら、イベント以外の行を削除して"
        "保存してください",
    ),
    # A sheet named on the command line that is a folder (sheets/reader.py)
    "limits.sheet_is_folder": (
        "{path} is a folder, not a sheet; name an .xlsx, .xlsm or .csv file",
        "{path} はフォルダーで、シートではありません。.xlsx、.xlsm、.csv ファイルを指定して"
        "ください",
    ),
    # The state database failing (state/database.py, state/snapshot.py): what HubSpot has
    "limits.nothing_sent": (
        "{problem}. Nothing was sent",
        "{problem}。何も送信していません",
    ),
    "limits.state_after_send": (
        "{problem}. HubSpot has the {count} {count:change|changes} it confirmed in this run;"
        " the state database holds every batch before the one it could not record, and the"
        " next sync finds the rest in HubSpot and finishes the job",
        "{problem}。この実行で HubSpot が確認した {count} 件の変更は HubSpot に反映されて"
        "います。状態データベースには記録できなかったバッチより前のものがすべて記録されており、"
        "次の同期で残りを HubSpot で確かめて作業を終えます",
    ),
    # The backups folder (sheets/writer.py)
    "limits.backups_unusable": (
        "{folder}: the backups folder cannot be used ({why}); move away what is there, or"
        " make the state folder writable, and run again",
        "{folder}：バックアップフォルダーを使えません（{why}）。そこにあるものを別の場所へ"
        "移すか、状態フォルダーを書き込めるようにして、もう一度実行してください",
    ),
    "limits.is_a_file": ("it is a file, not a folder", "フォルダーではなくファイルです"),
}
