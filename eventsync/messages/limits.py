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
        "{file}は{size} MBあります。eventsyncが読むCSVファイルは{limit} MBまでです"
        "（10万件のイベントで約20 MB）。イベントのシートではないエクスポートなら、シート"
        "フォルダーの外へ移してください。イベントのシートなら、イベント以外の行を削除して"
        "保存してください",
    ),
    # A sheet named on the command line that is a folder (sheets/reader.py)
    "limits.sheet_is_folder": (
        "{path} is a folder, not a sheet; name an .xlsx, .xlsm or .csv file",
        "{path}はフォルダーで、シートではありません。.xlsx、.xlsm、.csvファイルを指定してください",
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
        "{problem}。この実行でHubSpotが確認した{count}件の変更はHubSpotに反映されて"
        "います。状態データベースには記録できなかったバッチより前のものがすべて記録されており、"
        "次の同期で残りをHubSpotで確かめて作業を終えます",
    ),
    # The backups folder (sheets/writer.py)
    "limits.backups_unusable": (
        "{folder}: the backups folder cannot be used ({why}); move away what is there, or"
        " make the state folder writable, and run again",
        "{folder}：バックアップフォルダーを使えません（{why}）。そこにあるものを別の場所へ"
        "移すか、状態フォルダーを書き込めるようにして、もう一度実行してください",
    ),
    "limits.is_a_file": ("it is a file, not a folder", "フォルダーではなくファイルです"),
    # Workbooks eventsync cannot annotate safely (sheets/xlsx/)
    "limits.part_twice": (
        "{file} holds the part {part} twice (Excel never saves a file so; another program"
        " made it), so eventsync cannot tell which one to annotate; open it in Excel and"
        " save it as .xlsx (Excel Workbook)",
        "{file}には{part}が2つ入っています（Excelはこのようなファイルを保存しません。"
        "別のプログラムで作られたものです）。どちらに書き込むべきか判断できないため、Excelで"
        "開いて.xlsx（Excelブック）として保存し直してください",
    ),
    "limits.no_room_right": (
        "{file}, sheet {sheet}: the sheet's columns reach {last}, the last column Excel has,"
        " so there is no room right of them for the columns eventsync adds ({columns});"
        " delete the columns you do not need right of your headers, or head empty columns"
        " inside the table {columns} yourself, then save and run again. Nothing was sent",
        "{file}（シート{sheet}）：列がExcelの最後の列{last}まで使われているため、"
        "eventsyncが追加する列（{columns}）を置く場所が右側にありません。見出しの右にある"
        "不要な列を削除するか、表の中の空いた列に{columns}の見出しを自分で付けてから保存し、"
        "もう一度実行してください。何も送信していません",
    ),
    # Options out of range (watch/command.py; argparse adds which option)
    "limits.seconds_range": (
        "{value!r} is not a number of seconds above 0 and at most {most} (e.g. 0.5)",
        "「{value}」は0より大きく{most}以下の秒数ではありません（例：0.5）",
    ),
    # Answers too large to parse (hubspot/transport.py): shown as why there was no answer
    "limits.answer_too_large": (
        "an answer larger than {limit} MB, far more than any real one, was not read",
        "{limit} MBを超える応答は、実際の応答よりはるかに大きいため読み込みませんでした",
    ),
    "limits.answer_too_many_values": (
        "an answer holding more than {limit} values, far more than any real one, was not read",
        "{limit}個を超える値を含む応答は、実際の応答よりはるかに多いため読み込みませんでした",
    ),
}
