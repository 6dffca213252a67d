"""The catalogue's lines about a run going on: why HubSpot gave no answer (the connection),
what watch says while it watches and when HubSpot is out of service, and the run log
(when it cannot be written, when there is none yet). Each: (English, Japanese).
"""

from __future__ import annotations

RUN_LINES: dict[str, tuple[str, str]] = {
    # Why there was no answer (hubspot/transport.py): shown after "HubSpot could not be read"
    "connection.timeout": ("could not connect in time", "時間内に接続できませんでした"),
    "connection.no_answer": (
        "no answer within {seconds} s",
        "{seconds}秒以内に応答がありませんでした",
    ),
    "connection.refused": ("connection refused", "接続を拒否されました"),
    "connection.dropped": ("the connection was dropped", "接続が切れました"),
    "connection.failed": ("connection failed", "接続できませんでした"),
    # A wait, as watch says it (watch/backoff.py)
    "duration.seconds": ("{count} s", "{count}秒"),
    "duration.minutes": ("{count} min", "{count}分"),
    "duration.hours": ("{count} h", "{count}時間"),
    # What watch says (watch/loop.py, watch/backoff.py)
    "watch.watching": (
        "eventsync watch: watching {folders} (quiet {quiet} s); Ctrl-C stops it",
        "eventsync watch：{folders}を監視しています（保存から{quiet}秒後に同期）。"
        "Ctrl-Cで止まります",
    ),
    "watch.stopped": (
        "eventsync watch: stopped; what HubSpot confirmed is saved",
        "eventsync watch：停止しました。HubSpotが確認した分は保存されています",
    ),
    "watch.answers_again": (
        "{time}  HubSpot answers again; watch goes on syncing",
        "{time}  HubSpotが再び応答しています。watchは同期を続けます",
    ),
    "watch.outage_daily": (
        "HubSpot's daily API limit is reached; watch waits for the reset (midnight in your"
        " HubSpot account's time zone, in {when}) and then syncs what is waiting",
        "HubSpotのAPIの1日の上限に達しました。watchはリセット（HubSpotアカウントのタイム"
        "ゾーンで午前0時、あと{when}）を待ってから、待っている分を同期します",
    ),
    "watch.outage_refused": (
        "HubSpot refused the token (fix HUBSPOT_ACCESS_TOKEN or its scopes in .env); watch"
        " tries again in {when}, and keeps trying",
        "HubSpotがトークンを拒否しました（.envのHUBSPOT_ACCESS_TOKENかそのスコープを直して"
        "ください）。watchは{when}後にもう一度試し、その後も試し続けます",
    ),
    "watch.outage_settings": (
        "watch tries again in {when}, and keeps trying (fix .env meanwhile)",
        "watchは{when}後にもう一度試し、その後も試し続けます（その間に.envを直してください）",
    ),
    "watch.outage_down": (
        "HubSpot is not answering (or keeps failing); watch keeps what was confirmed, tries"
        " again in {when} and keeps trying, without repeating this message",
        "HubSpotが応答しません（または失敗が続いています）。watchは確認済みの分を保存し、"
        "{when}後にもう一度試し、その後も試し続けます（このメッセージは繰り返しません）",
    ),
    # Progress on one terminal line (output.py, pull.py)
    "progress.pulled": ("pulled {count} events", "{count}件のイベントを読み込みました"),
    "progress.bar": ("{name} [{bar}] {done}/{total} events", "{name} [{bar}] {done}/{total}件"),
    # An event's history (output/history.py): `eventsync history OBJECTID`
    "history.title": (
        "history of event {object_id} in {portal}, newest first",
        "{portal}のイベント{object_id}の変更履歴（新しい順）",
    ),
    "history.change": (
        "{at}Z  {field}: {before} -> {after}  ({kind}{where}; HubSpot updatedAt {updated_at};"
        " run of {run}Z)",
        "{at}Z  {field}：{before}→{after}（{kind}{where}。HubSpotのupdatedAt：{updated_at}。"
        "{run}Zの実行）",
    ),
    "history.sent": ("sent", "送信"),
    "history.agreed": ("agreed", "一致"),
    "history.into_sheet": ("into sheet", "シートへ書き込み"),
    "history.pulled": ("pulled", "pullで取得"),
    "history.in_sheet_row": (", {sheet} row {row}", "、{sheet}の{row}行目"),
    "history.in_row": (", row {row}", "、{row}行目"),
    "history.empty": ("(empty)", "（空）"),
    "history.never_synced": ("(never synced)", "（未同期）"),
    "history.no_change": (
        "(no change recorded: this event was never synced from this folder)",
        "（変更の記録はありません。このフォルダーからこのイベントを同期したことはありません）",
    ),
    # The run log as `eventsync log` shows it (output/run_log.py). A line's time is
    # followed by two spaces in English, by an ideographic space (as wide) in Japanese.
    "log.title": ("run log {path}", "実行ログ：{path}"),
    "log.empty": ("(empty)", "（空）"),
    "log.started": ("{at}  started: {command} of {sheets}", "{at}\u3000開始：{sheets}の{command}"),
    "log.request": (
        "{at}  {method} {path}: {carried}attempt {attempt}, {status}{correlation}{paced}{then}",
        "{at}  {method} {path}：{carried}試行{attempt}、{status}{correlation}{paced}{then}",
    ),
    "log.carried": ("{count} events, ", "イベント{count}件、"),
    "log.received": (
        "read {count} {count:event|events} from HubSpot, ",
        "HubSpotから{count}件読み込み、",
    ),
    "log.no_answer": ("no answer", "応答なし"),
    "log.correlation": (", correlationId {id}", "、correlationId（相関ID）{id}"),
    "log.paced": (", paced {seconds} s", "、{seconds}秒待機"),
    "log.retry_in": (" -> retry in {seconds} s", "→{seconds}秒後に再試行"),
    "log.retry_window": (" -> retry when the window frees", "→枠が空いたら再試行"),
    "log.gave_up": (" -> gave up", "→あきらめました"),
    "log.stop_daily": (" -> stopped: daily limit", "→停止（1日の上限）"),
    "log.stop_wait": (" -> stopped: wait too long", "→停止（待ち時間が長すぎます）"),
    "log.stop_auth": (
        " -> stopped: token or scope refused",
        "→停止（トークンまたはスコープが拒否されました）",
    ),
    "log.page": ("{at}  page read: {count} events", "{at}\u3000ページ読み込み：{count}件"),
    "log.sheet": (
        "{at}  {sheet}: {sent} sent, {updated} updated, {failed} failed, {invalid} invalid",
        "{at}  {sheet}：送信{sent}、更新{updated}、失敗{failed}、エラー{invalid}",
    ),
    "log.incoming": (
        "{at}  {sheet} row {row}: {field} brought in from HubSpot; the sheet had {old}",
        "{at}  {sheet}の{row}行目：{field}をHubSpotから取り込みました（シートの値は{old}）",
    ),
    "log.interrupted": ("interrupted", "中断されました"),
    "log.ended": ("{at}  finished with exit code {code}", "{at}\u3000終了（終了コード{code}）"),
    "log.ended_saying": (
        "{at}  finished with exit code {code}: {message}",
        "{at}\u3000終了（終了コード{code}）：{message}",
    ),
    # The run log (state/runlog.py, cli.py)
    "log.stops_short": (
        "{path}: the run log stops short ({why})",
        "{path}：実行ログが途中までしか書けませんでした（{why}）",
    ),
    "log.sync_went_on": (
        "{lost}; the sync itself went on",
        "{lost}。同期そのものは続けました",
    ),
    "log.none": (
        "no sync has been logged yet (looked in {folder})",
        "まだ同期のログがありません（{folder}を確認しました）",
    ),
}
