"""The catalogue's messages of the sandbox used by hand (issue 22): its start banner, a
port already taken, and `python -m eventsync.sandbox edit/add/delete/list`, the command that
changes events as a colleague would in HubSpot. Each: (English, Japanese); Japanese as
docs/ja-style.md says.

Fields: `{any}`, `{another}`, `{start}`, `{list}`, `{help}` are command lines to copy,
`{plan}` an eventsync command; `{url}` is the sandbox's address.
"""

from __future__ import annotations

SANDBOX_HAND: dict[str, tuple[str, str]] = {
    # The banner (sandbox/startup.py), printed once the sandbox listens.
    "sandbox.started": (
        "eventsync sandbox: a local stand-in for HubSpot at {url}, with {count}"
        " {count:event|events}. They live in memory only: Ctrl-C stops the sandbox and"
        " forgets every change, and the next start begins afresh.",
        "eventsyncのサンドボックス：HubSpotの代わりにこのコンピューターで動くサーバーです。"
        "「{url}」で{count}件のイベントを提供しています。イベントはメモリー上にだけあり、"
        "Ctrl-Cで止めると変更はすべて消え、次の起動では最初の状態に戻ります。",
    ),
    "sandbox.env_lines": (
        "To try eventsync against it, put these two lines in .env in the folder you run"
        " eventsync from (for make: this folder):",
        "eventsyncをこのサンドボックスにつなぐには、eventsyncを実行するフォルダー"
        "（makeではこのフォルダー）の.envに次の2行を入れます：",
    ),
    "sandbox.token_fixed": (
        "It accepts only this token, which is not a HubSpot token and works nowhere else."
        " To accept any token, start it with {any}",
        "受け付けるトークンはこれだけです（HubSpotのトークンではなく、ほかでは使えません）。"
        "どのトークンでも受け付けるには「{any}」で起動してください",
    ),
    "sandbox.token_any": (
        "It accepts any token (started with --any-token); eventsync still needs one set.",
        "どのトークンでも受け付けます（「--any-token」で起動）。eventsyncには何かトークンを"
        "設定する必要があります。",
    ),
    "sandbox.token_given": (
        "It accepts only the token given with --token (not shown here).",
        "受け付けるのは「--token」で指定したトークンだけです（ここには表示しません）。",
    ),
    "sandbox.your_token": (
        "(the token given with --token)",
        "（「--token」で指定したトークン）",
    ),
    "sandbox.colleague": (
        "To change an event as a colleague would in HubSpot, run this in another terminal:",
        "同僚がHubSpotで変更するようにイベントを変更するには、別のターミナルで次を実行します：",
    ),
    "sandbox.more": (
        "add, delete and list work the same way ({help}). Step by step: {doc}",
        "追加（add）、削除（delete）、一覧（list）も同じように使えます（「{help}」）。"
        "手順は{doc}にあります",
    ),
    # The sandbox cannot listen (sandbox/startup.py): exit 2, no traceback.
    "sandbox.port_taken": (
        "port {port} on 127.0.0.1 is already in use: is a sandbox already running in"
        " another terminal? Use that one (Ctrl-C there stops it), or start this one on"
        " another port: {another} (and put that port in EVENTSYNC_BASE_URL in .env)",
        "127.0.0.1のポート{port}は既に使われています。別のターミナルでサンドボックスが"
        "動いていませんか。そちらを使うか（止めるにはそのターミナルでCtrl-C）、別のポートで"
        "起動してください：「{another}」（.envのEVENTSYNC_BASE_URLのポートも合わせます）",
    ),
    "sandbox.port_unusable": (
        "cannot listen on port {port} of 127.0.0.1 ({why}); start the sandbox on another"
        " port: {another}",
        "127.0.0.1のポート{port}で待ち受けできません（{why}）。別のポートで起動してください："
        "「{another}」",
    ),
    "sandbox.bad_events": (
        "{file}: these events cannot be served ({problem})",
        "{file}：このイベントは使えません（{problem}）",
    ),
    # python -m eventsync.sandbox edit/add/delete/list (sandbox/colleague.py)
    "sandbox.edited": (
        "event {object_id} changed, as a colleague would change it in HubSpot (HubSpot's"
        " updatedAt is now {updated}):",
        "イベント{object_id}を、同僚がHubSpotで変更したように変更しました"
        "（HubSpotの更新日時は{updated}になりました）：",
    ),
    "sandbox.added": (
        "event {object_id} added, as a colleague would create it in HubSpot: {name}",
        "イベント{object_id}を、同僚がHubSpotで作成したように追加しました：{name}",
    ),
    "sandbox.deleted": (
        "event {object_id} deleted, as a colleague would delete it in HubSpot: {name}",
        "イベント{object_id}を、同僚がHubSpotで削除したように削除しました：{name}",
    ),
    "sandbox.listed": (
        "{count} {count:event|events} in the sandbox at {url}",
        "「{url}」のサンドボックスのイベント：{count}件",
    ),
    "sandbox.next": (
        "to see what eventsync makes of it, run {plan} in your working folder",
        "eventsyncでどう見えるかは、作業フォルダーで「{plan}」を実行すると確かめられます",
    ),
    "sandbox.custom_label": ("custom property {name}", "カスタムプロパティ{name}"),
    "sandbox.no_sandbox": (
        "no sandbox answers at {url}: start one in another terminal ({start}), or give the"
        " port its banner shows with --port",
        "「{url}」でサンドボックスが応答しません。別のターミナルで起動するか"
        "（「{start}」）、起動時に表示されたポートを「--port」で指定してください",
    ),
    "sandbox.no_event": (
        "the sandbox at {url} has no event {object_id}; {list} lists the events it has",
        "「{url}」のサンドボックスにイベント{object_id}はありません。「{list}」で"
        "イベントの一覧を表示できます",
    ),
    "sandbox.exists": (
        "the sandbox already has an event {object_id}: change it with edit, or leave"
        " objectId out to add a new one",
        "サンドボックスには既にイベント{object_id}があります。editで変更するか、"
        "objectIdを指定せずに新しいイベントを追加してください",
    ),
    "sandbox.refused": (
        "the sandbox at {url} refused it ({status}): {message}",
        "「{url}」のサンドボックスが受け付けませんでした（{status}）：{message}",
    ),
    "sandbox.not_pair": (
        '{given} is not FIELD=VALUE; write it like eventName="Renamed by a colleague"',
        "{given}は「項目=値」の形ではありません。「eventName=同僚が変更」のように入力してください",
    ),
    "sandbox.read_only": (
        "{field} is set by HubSpot itself, not by a colleague; fields to change: {fields}",
        "{field}はHubSpot自身が設定する項目で、変更できません。変更できる項目：{fields}",
    ),
    "sandbox.misspelt": (
        "{given} is not a field name: did you mean {field}? (Names are case-sensitive; a"
        " name that is no field is a custom property.)",
        "{given}という項目はありません。{field}のことですか（大文字と小文字を区別します。"
        "項目でない名前はカスタムプロパティとして扱います）",
    ),
    "sandbox.not_bool": (
        "eventCancelled is true or false, not {value}",
        "eventCancelledはtrueかfalseです。{value}ではありません",
    ),
    "sandbox.not_id": (
        "{value} is not an objectId (a number, such as 5823713201)",
        "{value}はobjectIdではありません（5823713201のような数字です）",
    ),
}
