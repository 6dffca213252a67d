"""The catalogue's messages about HubSpot's answers: why a row was not confirmed, and
why a run stopped sending. HubSpot's own words (`{message}`, `{error}`) stay as HubSpot
wrote them. Each: (English, Japanese).
"""

from __future__ import annotations

HUBSPOT: dict[str, tuple[str, str]] = {
    "hubspot.answered": (
        "HubSpot answered {status} ({details})",
        "HubSpotの応答は{status}（{details}）",
    ),
    "hubspot.answered_plain": ("HubSpot answered {status}", "HubSpotの応答は{status}"),
    "hubspot.said": ("{head}: {message}", "{head}：{message}"),
    "hubspot.redirect": (
        "{head} (a redirect: eventsync never follows one for an API call; check"
        " EVENTSYNC_BASE_URL)",
        "{head}（リダイレクト：eventsyncはAPI呼び出しでリダイレクトに従いません。"
        "EVENTSYNC_BASE_URLを確認してください）",
    ),
    "hubspot.rate_limit": ("HubSpot rate limit", "HubSpotのレート制限"),
    "hubspot.migrating": (
        "HubSpot is migrating this account",
        "HubSpotがこのアカウントを移行中です",
    ),
    "hubspot.locked": (
        "HubSpot says the record is locked",
        "HubSpotによるとレコードがロックされています",
    ),
    "hubspot.no_answer": (
        "no answer from HubSpot ({error})",
        "HubSpotから応答がありません（{error}）",
    ),
    "hubspot.gave_up": (
        "{last}; gave up after {tries} tries",
        "{last}。{tries}回試してあきらめました",
    ),
    "hubspot.no_result": (
        "HubSpot returned no result for this event; it was not updated (run {again} again)",
        "HubSpotはこのイベントの結果を返しませんでした。更新されていません（もう一度「{again}」"
        "を実行してください）",
    ),
    "hubspot.unreadable": (
        'HubSpot\'s answer could not be read ("{key}" is not a list); not confirmed (run'
        " {again} again)",
        "HubSpotの応答を読めませんでした（「{key}」がリストではありません）。確認できて"
        "いません（もう一度「{again}」を実行してください）",
    ),
    "hubspot.unplaced": (
        "{error}; HubSpot did not say which event this error is for, so this event is not"
        " confirmed: check it in HubSpot, then run {again} again",
        "{error}。HubSpotがどのイベントのエラーかを示さなかったため、このイベントは確認でき"
        "ていません。HubSpotで確認してから、もう一度「{again}」を実行してください",
    ),
    "hubspot.no_custom_property": (
        "HubSpot has no custom {count:property|properties} {names} on marketing events, so it"
        " kept the rest of this row but not that value. Create the property in HubSpot"
        " (Settings > Properties > Marketing events), then retype the cell to send it again",
        "HubSpotのマーケティングイベントにカスタムプロパティ{names}がないため、この行の他の"
        "値は保存されましたが、その値は保存されませんでした。HubSpotでプロパティを作成し"
        "（設定>プロパティ>マーケティングイベント）、セルを入力し直して再送してください",
    ),
    "hubspot.rejected": ("HubSpot: the update was rejected", "HubSpot：更新は拒否されました"),
    "hubspot.row_error": ("HubSpot: {error}", "HubSpot：{error}"),
    "hubspot.missing_scopes": (
        "HubSpot refused the request (403 {category}): the Service Key or private-app token in"
        " HUBSPOT_ACCESS_TOKEN lacks the scope {scopes}. Add it to the key (Settings >"
        " Integrations > Service Keys; or your private app's Scopes) with both {read} and"
        " {write}, and run again.",
        "HubSpotがリクエストを拒否しました（403 {category}）：HUBSPOT_ACCESS_TOKENのサービス"
        "キー（またはプライベートアプリのトークン）にスコープ{scopes}がありません。キーに"
        "{read}と{write}の両方を追加して（設定>連携>サービスキー、またはプライベート"
        "アプリのスコープ）、もう一度実行してください。",
    ),
    "hubspot.bad_token": (
        "HubSpot refused the access token (401 {category}). Check HUBSPOT_ACCESS_TOKEN in"
        " .env: it may be mistyped, expired or revoked. Create a Service Key (Settings >"
        " Integrations > Service Keys) with the scopes {read} and {write} and paste it there;"
        " an existing private-app token works too.",
        "HubSpotがアクセストークンを拒否しました（401 {category}）。.envの"
        "HUBSPOT_ACCESS_TOKENを確認してください。入力ミス、期限切れ、または取り消された可能性"
        "があります。スコープ{read}と{write}を持つサービスキーを作成して（設定>連携>"
        "サービスキー）そこに貼り付けてください。既存のプライベートアプリのトークンも使えます。",
    ),
    "hubspot.properties_unread": (
        "Could not read the portal's custom properties for marketing events; custom"
        " properties HubSpot does not echo are taken as kept",
        "ポータルのマーケティングイベントのカスタムプロパティを読めませんでした。HubSpotが"
        "返さないカスタムプロパティは保存されたものとみなします",
    ),
    "hubspot.waiting": (
        "{why}; waiting {wait} s (retry {attempt} of {tries})",
        "{why}。{wait}秒待ちます（再試行{attempt}/{tries}）",
    ),
    "hubspot.row_not_sent": ("not sent: {why}", "未送信：{why}"),
    "hubspot.not_synced": (
        "{why}; not synced (run {again} again)",
        "{why}。同期されていません（もう一度「{again}」を実行してください）",
    ),
    "hubspot.not_tried": (
        "{why}; not sent: every event tried alone failed with this message, so eventsync"
        " stopped sending such batches row by row. Fix the cause and run {again} again",
        "{why}。未送信：1件ずつ試したイベントがすべてこのメッセージで失敗したため、eventsync"
        "はこのようなバッチを1行ずつ送るのをやめました。原因を直して、もう一度「{again}」を"
        "実行してください",
    ),
    "hubspot.daily_limit": (
        "HubSpot's daily API limit is reached; nothing more was sent. Run again after"
        " midnight (your HubSpot account's time zone).",
        "HubSpotの1日のAPI上限に達しました。これ以上は送信していません。午前0時"
        "（HubSpotアカウントのタイムゾーン）を過ぎてからもう一度実行してください。",
    ),
    "hubspot.daily_limit_row": (
        "not sent: HubSpot's daily API limit is reached; run again after midnight (your"
        " HubSpot account's time zone)",
        "未送信：HubSpotの1日のAPI上限に達しました。午前0時（HubSpotアカウントの"
        "タイムゾーン）を過ぎてからもう一度実行してください",
    ),
    "hubspot.long_wait": (
        "{why}: HubSpot asks to wait {wait} s, longer than eventsync waits ({longest} s); what"
        " was confirmed so far is kept. Run {again} again later.",
        "{why}：HubSpotは{wait}秒待つよう求めています（eventsyncが待つのは{longest}秒"
        "まで）。ここまでに確認された分は保存しました。後でもう一度「{again}」を実行してください。",
    ),
    "hubspot.long_wait_row": (
        "not sent: {why}; run {again} again later",
        "未送信：{why}。後でもう一度「{again}」を実行してください",
    ),
}
