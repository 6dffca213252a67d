"""The catalogue's messages about the run itself: why it stopped before or after
sending, and what to do. Each: (English, Japanese).
"""

from __future__ import annotations

ERRORS: dict[str, tuple[str, str]] = {
    "pull.exists": (
        "{target} already exists; pull writes a new workbook. Choose another name, or run"
        " {again} to replace it (your current file is backed up first)",
        "{target}は既にあります。pullは新しいブックを作ります。別の名前にするか、「{again}」で"
        "置き換えてください（今のファイルは先にバックアップされます）",
    ),
    "pull.wrote": (
        "wrote {path}: {events} {events:event|events} (custom properties: {custom})",
        "{path}を書き込みました：{events}件のイベント（カスタムプロパティ：{custom}）",
    ),
    "pull.no_custom": ("none", "なし"),
    "template.exists": (
        "{target} already exists; choose another name, or run {again} to replace it (your"
        " current file is backed up first)",
        "{target}は既にあります。別の名前にするか、「{again}」で置き換えてください（今のファイルは"
        "先にバックアップされます）",
    ),
    "template.wrote": (
        "wrote {target}: fill the Events sheet, save it into the sheets folder, then run {plan}",
        "{target}を書き込みました：Eventsシートに入力してシートのフォルダーに保存し、「{plan}」を"
        "実行してください",
    ),
    "cli.next": (
        "; edit it, then run {plan} and {sync}",
        "。編集してから「{plan}」と「{sync}」を実行してください",
    ),
    "cli.backed_up": (
        "backed up the file it replaced to {backup}",
        "置き換えたファイルを{backup}にバックアップしました",
    ),
    "remote.unread": (
        "{why}. Nothing was sent: eventsync checks HubSpot for edits before sending. Run again"
        " later, or run {unchecked} to skip the check.",
        "{why}。何も送信していません：eventsyncは送信の前にHubSpotでの編集を確認します。"
        "後でもう一度実行するか、確認を省くには「{unchecked}」を実行してください。",
    ),
    "remote.unread_row": (
        "not sent: HubSpot's current state could not be read to check for edits made there;"
        " run {again} again later",
        "未送信：HubSpotでの編集を確認するための現在の状態を読めませんでした。後でもう一度"
        "「{again}」を実行してください",
    ),
    "portal.account": (
        "HubSpot account {account} at {url}",
        "「{url}」のHubSpotアカウント{account}",
    ),
    "portal.unnamed": (
        "the account of this token (HubSpot did not name it) at {url}",
        "「{url}」のこのトークンのアカウント（HubSpotはアカウント名を返しませんでした）",
    ),
    "cli.portal": ("portal: {portal}", "ポータル：{portal}"),
    "cli.interrupted": (
        "interrupted; what HubSpot confirmed so far is saved",
        "中断しました。ここまでにHubSpotが確認した分は保存されています",
    ),
    "watch.no_folder": (
        "{folder}: no sheets folder; create it (watch syncs every sheet saved into it), or name"
        " the files: {watch}",
        "{folder}：シートのフォルダーがありません。作成するか（watchはそこに保存されたシートを"
        "すべて同期します）、ファイルを指定してください：「{watch}」",
    ),
    "watch.folder_gone": (
        "{folders}: the watched folder is gone (deleted, renamed or unmounted); watch stopped."
        " Put the folder back and start {watch} again",
        "{folders}：監視していたフォルダーがなくなりました（削除、名前の変更、またはアンマウント）。"
        "watchを止めました。フォルダーを戻して、もう一度「{watch}」を開始してください",
    ),
    "cli.bug": (
        "unexpected error ({error}); this is a bug in eventsync. Run again with --debug for"
        " details.",
        "予期しないエラー（{error}）：eventsyncの不具合です。詳しくは「--debug」を付けて"
        "もう一度実行してください。",
    ),
    # Settings (config.py): one problem each, naming the setting and what is allowed
    "settings.token_char": (
        "{setting} holds a character a token cannot hold (character {position}: U+{code}"
        " {name}, often pasted along with it); copy the token again from HubSpot (Settings >"
        " Integrations > Service Keys) and paste it alone",
        "{setting}にトークンに使えない文字が含まれています（{position}文字目：U+{code} {name}。"
        "トークンと一緒に貼り付けられることがよくあります）。HubSpot（設定>連携>サービスキー）"
        "からトークンをもう一度コピーして、トークンだけを貼り付けてください",
    ),
    "settings.control_character": ("a control character", "制御文字"),
    "settings.base_url": ("{setting} {problem}", "{setting}：{problem}"),
    "url.userinfo": (
        "holds a user name, password or token (text before '@'); remove it: the URL is"
        " scheme://host[:port][/path] and the token goes in {token_setting} only",
        "ユーザー名、パスワードまたはトークン（「@」より前の部分）が含まれています。取り除いて"
        "ください：URLはscheme://host[:port][/path]の形で、トークンは{token_setting}に"
        "だけ設定します",
    ),
    "url.shape": (
        "is {url!r}, not of the form scheme://host[:port][/path]; use a URL such as {default}",
        "「{url}」はscheme://host[:port][/path]の形ではありません。「{default}」のようなURLを"
        "指定してください",
    ),
    "url.scheme": (
        "is {url!r}; use a URL such as {default}",
        "「{url}」は使えません。「{default}」のようなURLを指定してください",
    ),
    "url.port": (
        "is {url!r}: port {port} is out of range; use a port from {low} to {high}",
        "「{url}」：ポート{port}は範囲外です。{low}から{high}までのポートを指定してください",
    ),
    "url.unreadable": (
        "is {url!r}, which cannot be read as a web address; use a URL such as {default}",
        "「{url}」はWebアドレスとして読めません。「{default}」のようなURLを指定してください",
    ),
    "url.ambiguous": (
        "is {url!r}, which can be read as more than one address; use a URL such as {default}",
        "「{url}」は複数のアドレスとして読めてしまいます。「{default}」のようなURLを指定してください",
    ),
    "url.plain_http": (
        "is {url!r}: plain http would send the token unencrypted; use https (http is allowed"
        " only for 127.0.0.1/localhost)",
        "「{url}」：httpではトークンが暗号化されずに送られます。httpsを使ってください（httpは"
        "127.0.0.1/localhostにだけ使えます）",
    ),
    "settings.or": ("{first} or {second}", "{first}、{second}"),
    "settings.api_version": (
        "EVENTSYNC_API_VERSION is {value!r}; allowed: {allowed}",
        "EVENTSYNC_API_VERSIONが「{value}」になっています。指定できるのは{allowed}です",
    ),
    "settings.date_order": (
        "EVENTSYNC_DATE_ORDER is {value!r}; use YMD (2026-04-06, the default), DMY"
        " (06/04/2026 is 6 April) or MDY (04/06/2026 is 6 April)",
        "EVENTSYNC_DATE_ORDERが「{value}」になっています。YMD（2026-04-06、既定）、DMY"
        "（06/04/2026は4月6日）、MDY（04/06/2026は4月6日）のいずれかを指定してください",
    ),
    "settings.language": (
        "EVENTSYNC_LANG is {value!r}; use ja (Japanese) or en (English), or leave it unset:"
        " each sheet's messages then follow its headers",
        "EVENTSYNC_LANGが「{value}」になっています。ja（日本語）かen（英語）を指定するか、"
        "設定しないでください：設定しない場合、各シートのメッセージはそのシートの見出しの言語に"
        "なります",
    ),
    "settings.timezone": (
        "EVENTSYNC_TIMEZONE is {value!r}, not a time zone name; use an IANA name such as"
        " Asia/Tokyo or Europe/London",
        "EVENTSYNC_TIMEZONEが「{value}」になっていますが、これはタイムゾーン名ではありません。"
        "Asia/TokyoやEurope/LondonのようなIANAの名前を指定してください",
    ),
    "settings.integer": (
        "{setting} is {value!r}; use a whole number from {low} to {high}",
        "{setting}が「{value}」になっています。{low}から{high}までの整数を指定してください",
    ),
}
