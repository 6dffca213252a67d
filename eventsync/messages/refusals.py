"""The catalogue's refusals of a file: sheets and workbooks eventsync will not read or
annotate (CSV text it cannot read, a sheet without headers, merged cells, a damaged or
unusual workbook, a cell no Excel cell can hold), with where in the file it is and what
to do. Each: (English, Japanese).

The `where` field of a refusal is a place made by the `refuse.in_*`/`refuse.at_*` keys
(a file, its sheet, a row, a cell), so it is said in the reader's language too.
"""

from __future__ import annotations

_SAVE_AS_XLSX = (
    "save it as .xlsx (Excel Workbook)",
    ".xlsx（Excelブック）として保存し直してください",
)
_SAVE_AS_CSV = "「CSV UTF-8 (コンマ区切り)」として保存してください"

REFUSALS: dict[str, tuple[str, str]] = {
    # Where in a file a refusal is (sheets/reader.py, sheets/xlsx/)
    "refuse.in_sheet": ("{file}, sheet {sheet}", "{file}（シート{sheet}）"),
    "refuse.in_sheet_named": ("{file}, sheet {sheet!r}", "{file}（シート「{sheet}」）"),
    "refuse.at_row": ("{where}, row {row}", "{where}の{row}行目"),
    "refuse.at_cell": ("{where}, cell {cell}", "{where}のセル{cell}"),
    "refuse.row_first_cell": ("row {row}, before its first cell", "{row}行目の最初のセルの前"),
    "refuse.after_cell": ("after cell {cell}", "セル{cell}の後"),
    "refuse.after_row": ("after row {row}", "{row}行目の後"),
    "refuse.row": ("row {row}", "{row}行目"),
    "refuse.before_first_row": ("before the first row", "最初の行の前"),
    "refuse.cell": ("cell {cell}", "セル{cell}"),
    "refuse.at_place": ("{where}, {at}", "{where}の{at}"),
    "refuse.at": ("{where}: {problem}", "{where}：{problem}"),
    # A file named that is not there (sheets/reader.py, watch/command.py)
    "refuse.no_file": ("{path}: no such file", "{path}：ファイルがありません"),
    "refuse.no_files": (
        "{paths}: no such file; name sheets that exist",
        "{paths}：ファイルがありません。存在するシートを指定してください",
    ),
    "refuse.kept_changing": (
        "{file} kept changing while eventsync read it; wait until it is saved, then run again",
        "{file}はeventsyncが読んでいる間に変更され続けました。保存が終わるのを待ってから、"
        "もう一度実行してください",
    ),
    "refuse.unknown_format": (
        "{file}: eventsync reads .xlsx, .xlsm and .csv files; open it in Excel and"
        " save it as .xlsx (Excel Workbook)",
        "{file}：eventsyncが読めるのは.xlsx、.xlsm、.csvのファイルです。Excelで開いて"
        + _SAVE_AS_XLSX[1],
    ),
    # The header row (sheets/layout.py, sheets/reader.py)
    "refuse.csv_empty": (
        "{file} is empty; row 1 must hold the column headers",
        "{file}は空です。1行目に列の見出しを入力してください",
    ),
    "refuse.sheet_empty": (
        "{file}, sheet {sheet}: the sheet is empty; row 1 must hold the headers",
        "{file}（シート{sheet}）：シートが空です。1行目に見出しを入力してください",
    ),
    "refuse.row1_empty": (
        "{where}: row 1 is empty; it must hold the column headers (objectId, eventName,"
        " ...); a header under title rows is found too, within rows 1-{most}",
        "{where}：1行目が空です。1行目に列の見出し（objectId、eventNameなど）を入力して"
        "ください。タイトル行の下の見出しも、1～{most}行目の中なら見つけられます",
    ),
    "refuse.no_id_column": (
        "{where}, row 1: no objectId column; add a column headed objectId holding each"
        " event's HubSpot id (a header under title rows is found too, within rows 1-{most})",
        "{where}の1行目：objectIdの列がありません。見出しがobjectIdで、各イベントの"
        "HubSpotのIDを入れた列を追加してください（タイトル行の下の見出しも、1～{most}行目の"
        "中なら見つけられます）",
    ),
    "refuse.header_twice": (
        "{where}: columns {first} and {second} are both headed {header!r}; keep one of them",
        "{where}：{first}列と{second}列の見出しがどちらも「{header}」です。どちらか一方だけに"
        "してください",
    ),
    "refuse.header_merged": (
        "{where}: header cells {cells} are merged; unmerge them so each column has its own header",
        "{where}：見出しのセル{cells}が結合されています。各列に見出しが付くよう、結合を"
        "解除してください",
    ),
    "refuse.table_merged": (
        "{where}: cells {cells} are merged across the events table, so all but the first"
        " look empty and would clear those fields in HubSpot; unmerge them (Home > Merge &"
        " Center > Unmerge Cells) and type each event's value in its own cell",
        "{where}：イベントの表の中でセル{cells}が結合されています。先頭以外のセルが空に"
        "見えるため、HubSpotのその項目が消えてしまいます。結合を解除し（ホーム>セルを結合して"
        "中央揃え>セル結合の解除）、各イベントの値をそれぞれのセルに入力してください",
    ),
    # CSV text (sheets/csv_intake.py, sheets/csv_file.py)
    "refuse.csv_is_zip": (
        "{file} is an Excel workbook (or another zip file) named like a CSV file; give it"
        " its .xlsx name, or open it in Excel and save it as 'CSV UTF-8'",
        "{file}はExcelのブック（または別のzipファイル）ですが、CSVファイルの名前が付いて"
        "います。名前を.xlsxに変えるか、Excelで開いて" + _SAVE_AS_CSV,
    ),
    "refuse.csv_is_xls": (
        "{file} is an old Excel workbook (.xls) named like a CSV file; open it in Excel"
        " and save it as 'CSV UTF-8'",
        "{file}は古い形式のExcelブック（.xls）ですが、CSVファイルの名前が付いています。"
        "Excelで開いて" + _SAVE_AS_CSV,
    ),
    "refuse.csv_utf16": (
        "{file} is UTF-16 text (Excel's 'Unicode Text'); open it in Excel and save it as"
        " 'CSV UTF-8'",
        "{file}はUTF-16のテキスト（Excelの「Unicodeテキスト」）です。Excelで開いて" + _SAVE_AS_CSV,
    ),
    "refuse.csv_binary": (
        "{file} holds binary data (NUL bytes), not CSV text; open it in Excel and save it"
        " as 'CSV UTF-8'",
        "{file}はCSVのテキストではなくバイナリデータ（NULバイト）を含んでいます。Excelで"
        "開いて" + _SAVE_AS_CSV,
    ),
    "refuse.csv_encoding": (
        "{file} is neither UTF-8 nor Shift-JIS (CP932) text; save it as 'CSV UTF-8' from Excel",
        "{file}はUTF-8でもShift-JIS（CP932）でもないテキストです。Excelから" + _SAVE_AS_CSV,
    ),
    "refuse.csv_unclosed_quote": (
        '{file} row {row}: a quoted field is never closed (a closing " is missing); fix'
        " that row in a text editor, or re-save the file from Excel",
        "{file}の{row}行目：引用符で始まる値が閉じられていません（閉じる引用符がありません）。"
        "テキストエディターでその行を直すか、Excelからファイルを保存し直してください",
    ),
    # Workbooks (sheets/reader.py, sheets/xlsx/)
    "refuse.unreadable_workbook": (
        "{file} could not be read as a workbook ({error}); open it in Excel and save it"
        " again as .xlsx",
        "{file}をブックとして読めませんでした（{error}）。Excelで開いて.xlsxとして保存し直して"
        "ください",
    ),
    "refuse.damaged_zip": (
        "{file} is damaged (its zip structure cannot be read); open it in Excel and "
        + _SAVE_AS_XLSX[0],
        "{file}は壊れています（zipの構造を読めません）。Excelで開いて" + _SAVE_AS_XLSX[1],
    ),
    "refuse.damaged": (
        "{file} is damaged ({error}); open it in Excel and " + _SAVE_AS_XLSX[0],
        "{file}は壊れています（{error}）。Excelで開いて" + _SAVE_AS_XLSX[1],
    ),
    "refuse.multi_part_zip": (
        "{file} is a multi-part zip; save it as .xlsx",
        "{file}は分割されたzipです。.xlsxとして保存してください",
    ),
    "refuse.not_xlsx": (
        "{file} is not an Excel workbook (.xlsx); open it in Excel and " + _SAVE_AS_XLSX[0],
        "{file}はExcelのブック（.xlsx）ではありません。Excelで開いて" + _SAVE_AS_XLSX[1],
    ),
    "refuse.encrypted": (
        "{file} is password-protected (encrypted); open it in Excel, remove the password"
        " (File > Info > Protect Workbook), and " + _SAVE_AS_XLSX[0],
        "{file}はパスワードで保護（暗号化）されています。Excelで開いてパスワードを解除し"
        "（ファイル>情報>ブックの保護）、" + _SAVE_AS_XLSX[1],
    ),
    "refuse.old_or_encrypted": (
        "{file} is an old-format Excel file (or a password-protected one); open it in"
        " Excel and " + _SAVE_AS_XLSX[0],
        "{file}は古い形式のExcelファイル（またはパスワードで保護されたファイル）です。"
        "Excelで開いて" + _SAVE_AS_XLSX[1],
    ),
    "refuse.xlsb": (
        "{file} is an Excel Binary Workbook (.xlsb); open it in Excel and " + _SAVE_AS_XLSX[0],
        "{file}はExcelバイナリブック（.xlsb）です。Excelで開いて" + _SAVE_AS_XLSX[1],
    ),
    "refuse.no_workbook_part": (
        "{file} has no workbook part, so it is damaged or not an Excel file; open it in"
        " Excel and " + _SAVE_AS_XLSX[0],
        "{file}にはブックの部分がないため、壊れているかExcelのファイルではありません。"
        "Excelで開いて" + _SAVE_AS_XLSX[1],
    ),
    "refuse.strict": (
        "{file} is saved as Strict Open XML Spreadsheet; open it in Excel and " + _SAVE_AS_XLSX[0],
        "{file}は「Strict Open XMLスプレッドシート」として保存されています。Excelで開いて"
        + _SAVE_AS_XLSX[1],
    ),
    "refuse.other_main_part": (
        "{file} is not an Excel workbook (its main part is {root}); open it in Excel and "
        + _SAVE_AS_XLSX[0],
        "{file}はExcelのブックではありません（主な部分が{root}です）。Excelで開いて"
        + _SAVE_AS_XLSX[1],
    ),
    "refuse.no_such_sheet": (
        "{file} has no sheet named {sheet!r} (its sheets: {names})",
        "{file}に「{sheet}」という名前のシートはありません（シート：{names}）",
    ),
    "refuse.no_worksheet_part": (
        "{file}: sheet {sheet!r} has no worksheet part; open the file in Excel and "
        + _SAVE_AS_XLSX[0],
        "{file}：シート「{sheet}」にワークシートの部分がありません。ファイルをExcelで開いて"
        + _SAVE_AS_XLSX[1],
    ),
    "refuse.not_worksheet": (
        "{file}: sheet {sheet!r} is a {kind}, not a worksheet; choose a sheet with cells",
        "{file}：シート「{sheet}」はワークシートではなく{kind}です。セルのあるシートを"
        "選んでください",
    ),
    # Sizes (sheets/xlsx/limits.py, sheets/xlsx/package.py)
    "refuse.unpacked_too_large": (
        "{file} would take {size} MB once unpacked (eventsync reads at most {limit} MB: a"
        " real events workbook is far smaller); if it is yours, copy the Events sheet into"
        " a new workbook and save that",
        "{file}は展開すると{size} MBになります（eventsyncが読むのは{limit} MBまでで、実際の"
        "イベントのブックはずっと小さいものです）。ご自分のブックなら、イベントのシートを新しい"
        "ブックにコピーして保存してください",
    ),
    "refuse.extent": (
        "{where}: cells reach {corner}, so the sheet spans {rows} rows x {columns} columns"
        " (eventsync reads at most {most} cells); delete the rows and columns beyond your"
        " events (select them, right-click > Delete), save, and run again",
        "{where}：セルが{corner}まで使われているため、シートが{rows}行×{columns}列に"
        "わたります（eventsyncが読むのは{most}セルまでです）。イベントより先の行と列を削除し"
        "（選択して右クリック>削除）、保存してから、もう一度実行してください",
    ),
    "refuse.part_over_4gb": (
        "the patched sheet would exceed 4 GB; split the sheet",
        "書き込んだシートが4 GBを超えてしまいます。シートを分けてください",
    ),
    "refuse.file_over_4gb": (
        "{file} is too large to annotate (over 4 GB)",
        "{file}は大きすぎて結果を書き込めません（4 GB超）",
    ),
    "refuse.workbook_over_4gb": (
        "the workbook is too large to annotate (over 4 GB)",
        "ブックが大きすぎて結果を書き込めません（4 GB超）",
    ),
    # Cells eventsync would write (sheets/xlsx/)
    "refuse.cannot_annotate": (
        "{where}: {what}, which eventsync cannot annotate safely; open the file in Excel"
        " and " + _SAVE_AS_XLSX[0],
        "{where}：{what}ため、eventsyncは安全に結果を書き込めません。ファイルをExcelで"
        "開いて" + _SAVE_AS_XLSX[1],
    ),
    "refuse.stored_utf16": ("the sheet is stored as UTF-16", "シートがUTF-16で保存されている"),
    "refuse.stored_as": ("the sheet is stored as {encoding}", "シートが{encoding}で保存されている"),
    "refuse.no_sheet_data": ("the sheet has no <sheetData>", "シートに<sheetData>がない"),
    "refuse.doctype": ("the sheet has a DOCTYPE", "シートにDOCTYPE宣言がある"),
    "refuse.strict_sheet": (
        "the sheet is Strict Open XML",
        "シートが「Strict Open XML」形式である",
    ),
    "refuse.ends_in_data": (
        "the sheet ends inside <sheetData>",
        "シートが<sheetData>の途中で終わっている",
    ),
    "refuse.rows_out_of_order": (
        "row {row} comes after row {last} (rows must be in order)",
        "{last}行目の後に{row}行目があり、行が番号順に並んでいない",
    ),
    "refuse.row_not_closed": ("the row is not closed", "行が閉じられていない"),
    "refuse.row_number": ("a row has the number {number!r}", "行番号が「{number}」の行がある"),
    "refuse.cells_out_of_order": (
        "the cells of row {row} are out of order",
        "{row}行目のセルが順番どおりに並んでいない",
    ),
    "refuse.not_only_cells": (
        "the row holds something other than cells",
        "行にセル以外のものがある",
    ),
    "refuse.markup": ("the cell data holds {markup}", "セルのデータに{markup}がある"),
    "refuse.markup.comment": ("an XML comment", "XMLのコメント"),
    "refuse.markup.cdata": ("a CDATA section", "CDATAセクション"),
    "refuse.markup.instruction": ("a processing instruction", "処理命令"),
    "refuse.markup.doctype": ("a DOCTYPE", "DOCTYPE宣言"),
    "refuse.shared_formula": (
        "{where}: the cell holds the formula shared by {master}; overwriting it would"
        " break the other cells' formulas (move the formula, or write to another column)",
        "{where}：このセルには{master}が共有している数式があります。上書きするとほかのセルの"
        "数式が壊れます（数式を移すか、別の列に書き込んでください）",
    ),
    "refuse.array_formula": (
        "{where}: the cell holds the array formula of {master}; overwriting it would"
        " break the other cells' formulas (move the formula, or write to another column)",
        "{where}：このセルには{master}の配列数式があります。上書きするとほかのセルの数式が"
        "壊れます（数式を移すか、別の列に書き込んでください）",
    ),
    "refuse.table_header": (
        "{where}: a header cell of table {table!r} (column {column!r}); writing {text!r}"
        " there would make Excel repair the file (move the table, or choose another column)",
        "{where}：テーブル「{table}」の見出しのセル（列「{column}」）です。ここに「{text}」を"
        "書き込むとExcelがファイルを修復することになります（テーブルを移すか、別の列を選んで"
        "ください）",
    ),
    "refuse.number_not_finite": (
        "the number {value!r} cannot be stored in an Excel cell (write a finite number, or"
        " leave the cell empty)",
        "数値「{value}」はExcelのセルに保存できません（有限の数値を入力するか、セルを空に"
        "してください）",
    ),
    "refuse.text_too_long": (
        "a text of {length} characters exceeds Excel's cell limit of {most} characters"
        " (shorten it)",
        "{length}文字のテキストはExcelのセルの上限（{most}文字）を超えています（短くしてください）",
    ),
    # Pull and template (pull.py, sheets/template.py)
    "refuse.pull_not_xlsx": (
        "{target}: pull writes an .xlsx workbook; name it e.g. sheets/events.xlsx",
        "{target}：pullが書き出すのは.xlsxのブックです。「sheets/events.xlsx」のような名前に"
        "してください",
    ),
    "refuse.template_not_xlsx": (
        "{target}: a template is an .xlsx workbook; name it e.g. events.xlsx",
        "{target}：テンプレートは.xlsxのブックです。「events.xlsx」のような名前にしてください",
    ),
    "refuse.pulled_event": ("event {object_id}, {problem}", "イベント{object_id}：{problem}"),
    # The old JSON snapshot (state/json_snapshot.py)
    "refuse.snapshot_damaged": (
        "{path}: the sync snapshot is damaged and could not be imported into the state"
        " database; restore it from a backup or delete it (the next sync then sends every"
        " row once)",
        "{path}：同期のスナップショットが壊れているため、状態データベースに取り込めません"
        "でした。バックアップから戻すか削除してください（削除すると、次の同期ですべての行を"
        "1回ずつ送信します）",
    ),
    # Reading HubSpot's events (hubspot/client.py)
    "refuse.list_failed": (
        "could not list HubSpot's events: {why}",
        "HubSpotのイベントの一覧を読めませんでした：{why}",
    ),
    "refuse.list_no_results": (
        "could not list HubSpot's events: its answer has no list of results",
        "HubSpotのイベントの一覧を読めませんでした：応答に結果の一覧がありません",
    ),
    "refuse.read_failed": (
        "could not read event {object_id} from HubSpot: {why}",
        "HubSpotからイベント{object_id}を読めませんでした：{why}",
    ),
}
