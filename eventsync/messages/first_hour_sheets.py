"""The catalogue's messages about which sheet of a workbook is read, and the first
hour's advice (a dry run suggested as a dry run, the template's next step, .ods files).
Each: (English, Japanese).
"""

from __future__ import annotations

FIRST_HOUR_SHEETS: dict[str, tuple[str, str]] = {
    # Which worksheet holds the events (sheets/sheet_choice.py)
    "sheet.several_with_header": (
        "{file}: sheets {sheets} each have an objectId column, so eventsync cannot tell"
        " which holds the events to sync and synced none; rename the sheet to sync to"
        " Events (or hide the others: right-click a sheet tab > Hide), then run again",
        "{file}：シート{sheets}のどれにもイベントID列があるため、どれが同期するイベントの表か"
        "判断できず、何も同期しませんでした。同期するシートの名前を「イベント」（または「Events」）"
        "に変えるか、ほかのシートを非表示にして（シート見出しを右クリック>「非表示」）、"
        "もう一度実行してください",
    ),
    "sheet.none_with_header": (
        "{file}: none of its sheets ({sheets}) has an objectId column in rows 1-20; head a"
        " column of the sheet with your events objectId, holding each event's HubSpot id",
        "{file}：どのシート（{sheets}）にも、1〜20行目にイベントID列がありません。イベントの"
        "シートに「イベントID」という見出しの列を作り、各イベントのHubSpotのIDを入れてください",
    ),
    "sheet.none_visible": (
        "{file} has no visible worksheet; unhide the sheet with your events (right-click a"
        " sheet tab > Unhide) or name it Events, then run again",
        "{file}に表示されているワークシートがありません。イベントのシートを再表示する"
        "（シート見出しを右クリック>「再表示」）か、名前を「イベント」に変えてから、"
        "もう一度実行してください",
    ),
    # `template` into the sheets folder: it is already where a plan reads (cli.py)
    "template.wrote_in_folder": (
        "wrote {target}: fill in the Events sheet, save it, then run {plan}",
        "{target}を書き込みました：「Events」シートに入力して保存し、「{plan}」を実行してください",
    ),
}
