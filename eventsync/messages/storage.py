"""The catalogue's messages about the user's files and eventsync's own: the sheets
folder, writing results into a sheet, the state folder and its database, a full disk.
Each: (English, Japanese).

Fields: `{count:result|results}` picks a word by the count; commands (`{again}`,
`{pull}`) are shown as the user runs eventsync.
"""

from __future__ import annotations

FILES: dict[str, tuple[str, str]] = {
    # The sheets folder (sheets/folder.py)
    "folder.none": (
        "{folder}: no sheets folder; run {init} to make it with an empty events workbook, or"
        " create it and put your events workbook in it, or name the file: {sync}",
        "{folder}：シートのフォルダーがありません。「{init}」で空のイベントのブックと一緒に作成するか、"
        "作成してイベントのブックを入れるか、ファイルを指定してください：「{sync}」",
    ),
    "folder.empty": (
        "{folder}: no .xlsx, .xlsm or .csv file in it; put your events workbook there"
        " (or start from an empty one: {template})",
        "{folder}：.xlsx、.xlsm、.csvのファイルがありません。イベントのブックを入れてください"
        "（空のブックから始めるには：「{template}」）",
    ),
    # Only the save as .xlsx: the user's events are in the .ods, and an empty workbook
    # to start from would lead away from them.
    "folder.only_ods": (
        "{folder}: no .xlsx, .xlsm or .csv file in it; {ods}",
        "{folder}：.xlsx、.xlsm、.csvのファイルがありません。{ods}",
    ),
    "folder.skipped": (
        "skipped {ods}. The other sheets sync as usual",
        "次のファイルは同期しませんでした：{ods}。ほかのシートはいつもどおり同期します",
    ),
    "folder.ods_one": (
        "{names}: it is an OpenDocument spreadsheet, which eventsync does not sync; open it"
        " in LibreOffice and save it as .xlsx (File > Save As, file type Excel 2007-365),"
        " then run again",
        "{names}：OpenDocumentのスプレッドシートで、eventsyncでは同期できません。LibreOffice"
        "で開いて.xlsx形式で保存してから（ファイル>名前を付けて保存、ファイルの種類は"
        "Excel 2007-365）、もう一度実行してください",
    ),
    "folder.ods_many": (
        "{names}: they are OpenDocument spreadsheets, which eventsync does not sync; open each"
        " in LibreOffice and save it as .xlsx (File > Save As, file type Excel 2007-365),"
        " then run again",
        "{names}：OpenDocumentのスプレッドシートで、eventsyncでは同期できません。それぞれ"
        "LibreOfficeで開いて.xlsx形式で保存してから（ファイル>名前を付けて保存、"
        "ファイルの種類はExcel 2007-365）、もう一度実行してください",
    ),
    # Writing the results into a sheet (sheets/writer.py, run.py)
    "write.place": (
        "{file}, sheet {sheet}, cell {cell}",
        "{file}（シート{sheet}、セル{cell}）",
    ),
    "write.formula": (
        "{place}: holds a formula where eventsync writes its results ({column}); move the"
        " formula to another column or clear the cell, then run again",
        "{place}：eventsyncが結果を書き込むセル（{column}）に数式があります。数式を別の列に"
        "移すかセルを空にしてから、もう一度実行してください",
    ),
    "write.merged": (
        "{place}: is hidden under the merged cells {cells}, where eventsync writes its results"
        " ({column}); unmerge those cells (Home > Merge & Center > Unmerge Cells), then run"
        " again",
        "{place}：eventsyncが結果を書き込むセル（{column}）が、結合されたセル{cells}の下に"
        "隠れています。セルの結合を解除してから（ホーム>セルを結合して中央揃え>セル結合の"
        "解除）、もう一度実行してください",
    ),
    "write.kept_saved": (
        "{file} kept being saved while eventsync wrote its results ({tries} tries); nothing"
        " was written over your saves. HubSpot has every change reported above: run {again}"
        " again to write {count} {count:result|results} into the file",
        "eventsyncが結果を書き込む間に{file}が何度も保存されました（{tries}回試しました）。"
        "保存された内容には何も上書きしていません。上に表示した変更はすべてHubSpotに"
        "反映されています：もう一度「{again}」を実行すると、{count}件の結果をファイルに"
        "書き込みます",
    ),
    "write.lost": (
        "{file} was saved while eventsync worked: results were placed by {column} in the saved"
        " file, but {count} {count:result|results} for events no longer in it"
        " {count:was|were} not written",
        "eventsyncの処理中に{file}が保存されました：結果は保存後のファイルに{column}で"
        "行を合わせて書き込みましたが、ファイルからなくなったイベントの結果{count}件は"
        "書き込んでいません",
    ),
    "write.read_only": (
        "{file} is read-only, so eventsync did not write its results into it; HubSpot has"
        " every change reported above. Make the file writable (File > Properties, untick"
        " Read-only; or chmod u+w {file}) and run {again} again to write {count}"
        " {count:result|results}",
        "{file}は読み取り専用のため、eventsyncは結果を書き込みませんでした。上に表示した"
        "変更はすべてHubSpotに反映されています。ファイルを書き込めるようにしてから"
        "（ファイルのプロパティで「読み取り専用」のチェックを外すか、「chmod u+w {file}」）、"
        "もう一度「{again}」を実行すると{count}件の結果を書き込みます",
    ),
    "write.open": (
        "{file} is open in {program}; close it and run {again} again: {count}"
        " {count:result is|results are} waiting",
        "{file}が{program}で開かれています。閉じてから、もう一度「{again}」を実行してください"
        "（{count}件の結果が書き込みを待っています）",
    ),
    "write.not_written": (
        "{file}: the results could not be written into the file ({detail}); HubSpot has every"
        " change reported above. Run {again} again to write them.",
        "{file}：結果をファイルに書き込めませんでした（{detail}）。上に表示した変更はすべて"
        "HubSpotに反映されています。もう一度「{again}」を実行すると書き込みます。",
    ),
    "disk.full": (
        "{target}: not written, the disk is full ({why}); the file is as it was. Free some"
        " space on that disk and run again",
        "{target}：ディスクがいっぱいのため書き込めませんでした（{why}）。ファイルは元のまま"
        "です。そのディスクの空き容量を増やしてから、もう一度実行してください",
    ),
    # The run lock and the state folder (state/lock.py)
    "lock.watch": (
        "eventsync watch is running (pid {pid}) and syncs these sheets itself; to sync by"
        " hand, stop it first: Ctrl-C in its window, or run {stop} (lock: {lock})",
        "eventsync watchが実行中です（pid {pid}）。これらのシートはwatchが同期します。"
        "手動で同期するには、先にwatchを止めてください：watchのウィンドウでCtrl-Cを押すか、"
        "「{stop}」を実行します（ロック：{lock}）",
    ),
    "lock.sync": (
        "another sync is running (pid {pid}); wait for it to finish (lock: {lock})",
        "別の同期が実行中です（pid {pid}）。終わるまでお待ちください（ロック：{lock}）",
    ),
    "lock.unknown_pid": ("unknown", "不明"),
    "state.folder_is_file": (
        "{folder}: the state folder is a file, not a folder; move the file away, or set"
        " EVENTSYNC_STATE_DIR to a folder. Nothing was sent",
        "{folder}：状態フォルダーがフォルダーではなくファイルです。ファイルを移動するか、"
        "EVENTSYNC_STATE_DIRにフォルダーを設定してください。何も送信していません",
    ),
    "state.folder_full": (
        "{folder}: the state folder is on a full disk; free some space there and run again."
        " Nothing was sent",
        "{folder}：状態フォルダーのディスクがいっぱいです。空き容量を増やしてから、もう一度"
        "実行してください。何も送信していません",
    ),
    "state.folder_read_only": (
        "{folder}: the state folder cannot be written (read-only or no permission); make it"
        " writable, or set EVENTSYNC_STATE_DIR to a folder you can write. Nothing was sent",
        "{folder}：状態フォルダーに書き込めません（読み取り専用か、権限がありません）。"
        "書き込めるようにするか、EVENTSYNC_STATE_DIRに書き込めるフォルダーを設定してください。"
        "何も送信していません",
    ),
    "state.folder_unusable": (
        "{folder}: the state folder cannot be used ({why}); fix it or set EVENTSYNC_STATE_DIR"
        " to another folder. Nothing was sent",
        "{folder}：状態フォルダーを使えません（{why}）。直すか、EVENTSYNC_STATE_DIRに別の"
        "フォルダーを設定してください。何も送信していません",
    ),
    # The state database (state/database.py)
    "state.db_missing": ("{path}: no state database", "{path}：状態データベースがありません"),
    "state.db_unusable": (
        "{path}: the state database cannot be used ({why}); fix the file's folder or"
        " permissions and run again",
        "{path}：状態データベースを使えません（{why}）。ファイルのフォルダーか権限を直して、"
        "もう一度実行してください",
    ),
    "state.db_full": (
        "{path}: not written, the disk is full; free some space on that disk and run again",
        "{path}：ディスクがいっぱいのため書き込めませんでした。そのディスクの空き容量を"
        "増やしてから、もう一度実行してください",
    ),
    "state.db_busy": (
        "{path}: the state database is held by another program; close it (a database"
        " browser?) and run again",
        "{path}：状態データベースを別のプログラムが使っています。そのプログラム（データベースの"
        "閲覧ツールなど）を閉じて、もう一度実行してください",
    ),
    "state.db_access": (
        "{path}: the state database cannot be read or written ({error}); make it and its"
        " folder readable and writable, and run again",
        "{path}：状態データベースを読み書きできません（{error}）。データベースとそのフォルダーを"
        "読み書きできるようにして、もう一度実行してください",
    ),
    "state.db_damaged": (
        "{path}: the state database is damaged ({why}); restore it from a backup, or move"
        " it away to start afresh (then {pull} re-seeds it, or the next sync sends every row"
        " once)",
        "{path}：状態データベースが壊れています（{why}）。バックアップから戻すか、別の場所へ"
        "移動して最初からやり直してください（その後「{pull}」で記録し直せます。しない場合は、"
        "次の同期ですべての行を一度ずつ送信します）",
    ),
    "state.db_newer": (
        "{path}: the state database was written by a newer eventsync (format {version}; this"
        " one reads format {supported}); install the newer eventsync (uv tool install"
        " --reinstall with its folder or .whl file, as the README's Install says) and run"
        " again. Nothing was sent",
        "{path}：状態データベースは新しいバージョンのeventsyncで書かれています（形式"
        "{version}。このバージョンが読めるのは形式{supported}です）。eventsyncを更新して"
        "（新しいeventsyncのフォルダーか.whlファイルを指定して「uv tool install --reinstall」。"
        "READMEの「インストール」を参照）、もう一度実行してください。何も送信していません",
    ),
    "state.not_ours": (
        "it is not an eventsync state database",
        "eventsyncの状態データベースではありません",
    ),
    "state.tables_missing": ("tables are missing", "テーブルがありません"),
    "state.unreadable": ("unreadable {what}", "{what}を読めません"),
    "state.unreadable_in_flight": (
        "an unreadable send in flight ({error})",
        "送信中の記録を読めません（{error}）",
    ),
    # eventsync history (state/snapshot.py)
    "history.not_id": (
        "history {value}: an objectId is a number (copy it from the sheet's objectId column,"
        " e.g. {example})",
        "history {value}：objectIdは数字です（シートのobjectId列（日本語のシートでは"
        "イベントID列）からコピーしてください。例：「{example}」）",
    ),
    "history.none": (
        "no sync has been recorded yet (looked in {folder})",
        "まだ同期の記録がありません（{folder}を確認しました）",
    ),
}
