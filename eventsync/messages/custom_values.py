"""The catalogue's messages about custom property values (converted as the portal's
definitions say) and about several sheets in one folder. Each: (English, Japanese).
"""

from __future__ import annotations

CUSTOM_VALUES: dict[str, tuple[str, str]] = {
    "custom.not_number": (
        "{value} is not a number; type digits, with . for decimals and no thousands"
        " separators (e.g. 1234.5)",
        "{value}は数値ではありません。桁区切りを付けずに、小数点は.で入力してください（例：1234.5）",
    ),
    "custom.number_ambiguous": (
        "{value} could mean {whole} or {decimal}; type {whole} or {decimal}",
        "{value}は{whole}とも{decimal}とも読めます。{whole}または{decimal}と入力してください",
    ),
    "custom.date_with_time": (
        "{value} has a time of day, but this property holds a date only; type the day"
        " alone (e.g. 2026-04-06)",
        "{value}には時刻が含まれていますが、このプロパティは日付だけを保持します。日付だけを入力してください"
        "（例：2026-04-06）",
    ),
    "custom.unknown_option": (
        "{value} is not an option of this property in HubSpot; type one of: {options}",
        "{value}はHubSpotのこのプロパティの選択肢にありません。次のいずれかを入力してください：{options}",
    ),
    "custom.ambiguous_option": (
        "{value} names more than one option ({options}); type the internal value (in"
        " brackets) of the one you mean",
        "{value}は複数の選択肢（{options}）に当てはまります。意図する選択肢の内部値（括弧内）を入力してください",
    ),
    "custom.no_options": (
        "{value} cannot be chosen: this property has no options in HubSpot; add the option"
        " in HubSpot or empty the cell",
        "{value}は選べません。HubSpotのこのプロパティには選択肢がありません。HubSpotで選択肢を追加するか、"
        "セルを空にしてください",
    ),
    "custom.more_options": ("and {count} more", "ほか{count}件"),
    "custom.too_long": (
        "is {count} characters long; HubSpot keeps at most {limit} in a property, and"
        " eventsync never cuts text: shorten it",
        "{count}文字あります。HubSpotのプロパティに入るのは{limit}文字までです。eventsyncは文字を"
        "切り捨てないので、短くしてください",
    ),
    "custom.unknown_type": (
        "HubSpot's type {type} for this property is one eventsync does not know how to"
        " send; empty the cell, or remove the column",
        "このプロパティのHubSpotでの型{type}の送り方をeventsyncは知りません。セルを空にするか、"
        "列を削除してください",
    ),
    "custom.unread": (
        "not sent: the portal's property definitions could not be read ({why}), so this"
        " value cannot be converted to the form HubSpot expects for its type",
        "送信しません。ポータルのプロパティ定義を読めなかった（{why}）ため、この値をHubSpotが型ごとに"
        "求める形に変換できません",
    ),
    "custom.no_token": (
        "no HUBSPOT_ACCESS_TOKEN is set",
        "HUBSPOT_ACCESS_TOKENが設定されていません",
    ),
    "custom.shown_as_typed": (
        "Custom property values are shown as typed: without a token HubSpot's definitions"
        " of their types cannot be read; sync converts each to what its type takes (a"
        " date-time to UTC, an option's label to its value).",
        "カスタムプロパティの値は入力どおりに表示しています。トークンがないとHubSpotのプロパティの型を"
        "読めないためです。syncでは型に合わせて変換して送ります（日時はUTC、選択肢のラベルは内部値）。",
    ),
    # Several sheets in one folder
    "folder.held_unread": (
        "Events in HubSpot but not in this sheet are not offered: {file} in the same"
        " folder could not be read, and may hold them ({why})",
        "HubSpotにあってこのシートにないイベントは表示しません。同じフォルダーの{file}を読めず、"
        "そちらにあるかもしれないためです（{why}）",
    ),
    "report.duplicate_files": (
        "{count} {count:row holds|rows hold} the same events as {others} (rows {rows}):"
        " neither file's copy is sent until one is gone",
        "{count}行のイベントは{others}にもあります（{rows}行目）。どちらかのコピーがなくなるまで、"
        "どちらのファイルからも送信しません",
    ),
    "pull.beside_same_events": (
        "{target} would hold {count} {count:event|events} that {others} in the same folder"
        " already {count:holds|hold}: then neither file's rows would be synced until one"
        " copy is gone. Pull into another folder, move {others} away first, or write it"
        " anyway with {keep}",
        "{target}には、同じフォルダーの{others}にすでにある{count}件のイベントが入ります。"
        "そうなると、どちらかのコピーがなくなるまで、どちらのファイルの行も同期されません。別のフォルダーへ"
        "取り込むか、先に{others}を移動するか、「{keep}」でそのまま書き出してください",
    ),
    "pull.kept_both": (
        "Note: {others} in the same folder holds {count} of these events; sync sends"
        " neither copy until one is gone.",
        "注意：同じフォルダーの{others}にこのうち{count}件のイベントがあります。どちらかのコピーが"
        "なくなるまで、syncはどちらも送信しません。",
    ),
}
