"""The catalogue's messages about participants sheets (issue 26): each row's problem or
result, what `plan` and `sync` say per event, and the contact-creation choice.
Each: (English, Japanese).
"""

from __future__ import annotations

PARTICIPANTS: dict[str, tuple[str, str]] = {
    # Settings and options
    "people.setting_yes_no": (
        "{setting} is {value}; set it to yes or no",
        "{setting}が{value}になっています。yesかnoを設定してください",
    ),
    "help.create_contacts": (
        "participants: also send emails HubSpot has no contact for (it creates them)",
        "参加者：HubSpotにコンタクトがないメールアドレスも送信します（コンタクトが作成されます）",
    ),
    "people.allow": (
        "set {setting}=yes in .env, or run {command}",
        ".envで「{setting}=yes」を設定するか、「{command}」を実行してください",
    ),
    "help.participants": (
        "write a participants file (CSV or .xlsx: email, objectId, state, ...) instead",
        "代わりに参加者ファイル（CSVか.xlsx：メールアドレス、イベントID、状態など）を書き出します",
    ),
    "people.template_wrote": (
        "wrote {target}: fill in one row per person and event, save it into the sheets folder,"
        " then run {plan}",
        "{target}を書き込みました：1人1イベントにつき1行入力してシートのフォルダーに保存し、"
        "「{plan}」を実行してください",
    ),
    "people.template_wrote_in_folder": (
        "wrote {target}: fill in one row per person and event, then run {plan}",
        "{target}を書き込みました：1人1イベントにつき1行入力して、「{plan}」を実行してください",
    ),
    "people.no_email_state": (
        "{file} looks like a participants file, but its first row does not read as one"
        " with an email and a state column: put each header in a cell of its own",
        "{file}は参加者ファイルのようですが、1行目からメールアドレスと状態の列を読み取れません。"
        "見出しを1つずつ別のセルに入力してください",
    ),
    # One row's problem (written into its syncError)
    "people.no_email": (
        "no email: type the participant's email address",
        "メールアドレスがありません。参加者のメールアドレスを入力してください",
    ),
    "people.bad_email": (
        "{value} is not an email address HubSpot takes (name@example.com, without spaces"
        " or non-ASCII letters)",
        "{value}はHubSpotが受け付けるメールアドレスではありません。name@example.comの形で、"
        "空白を含めずに半角英数字で入力してください",
    ),
    "people.bad_state": (
        "{value} is not a state: type register, attend or cancel",
        "{value}は状態として使えません。登録、出席、キャンセルのいずれかを入力してください",
    ),
    "people.times_not_attend": (
        "joinedAt and leftAt are for attend rows only (this row is {state}): clear them",
        "参加時刻と退出時刻は出席の行だけに入力できます（この行は{state}）。消してください",
    ),
    "people.bad_date": (
        "{column}: {why}",
        "{column}：{why}",
    ),
    "people.duplicate": (
        "{email} is also on row {rows} for this event: keep one row per person and event;"
        " neither is sent",
        "{email}はこのイベントの{rows}行目にもあります。1人1イベントにつき1行にしてください。"
        "どちらも送信しません",
    ),
    "people.would_create": (
        "HubSpot has no contact for this email: sending it creates one (contacts may be"
        " billed), so it was not sent; to allow it, {how}",
        "HubSpotにこのメールアドレスのコンタクトがありません。送信するとコンタクトが作成される"
        "（課金対象になることがあります）ため、送信していません。許可するには{how}",
    ),
    "people.unknown_contact": (
        "whether HubSpot has a contact for this email is unknown ({why}), so it was not"
        " sent (it might create one); to allow it, {how}",
        "HubSpotにこのメールアドレスのコンタクトがあるか分かりません（{why}）。"
        "コンタクトが作成されるかもしれないため、送信していません。許可するには{how}",
    ),
    "people.no_result": (
        "HubSpot's answer had no result for this email: not confirmed; {again} sends it again",
        "HubSpotの応答にこのメールアドレスの結果がありませんでした。確認できていません。"
        "「{again}」で再送信します",
    ),
    "people.file_changed": (
        "{file} was saved while eventsync wrote its results: nothing was written over your"
        " save; HubSpot has the participants, and {again} writes their results",
        "結果を書き込む間に{file}が保存されました。保存された内容には何も書き込んでいません。"
        "参加者はHubSpotに送信済みで、「{again}」を実行すると結果を書き込みます",
    ),
    # Why contacts are unknown
    "people.why_scope": (
        "the access key lacks the scope {scope}",
        "アクセスキーにスコープ{scope}がありません",
    ),
    "people.why_no_token": ("no HUBSPOT_ACCESS_TOKEN", "HUBSPOT_ACCESS_TOKENがありません"),
    # What plan and sync say
    "people.title": ("{file} (participants):", "{file}（参加者）："),
    "state.register": ("register", "登録"),
    "state.attend": ("attend", "出席"),
    "state.cancel": ("cancel", "キャンセル"),
    "people.state_count": ("{count} {state}", "{state}{count}件"),
    "people.event_line": (
        "event {object_id}: {states} to send",
        "イベント{object_id}：{states}を送信",
    ),
    "people.event_nothing": (
        "event {object_id}: nothing to send",
        "イベント{object_id}：送信するものはありません",
    ),
    "people.new_contacts": (
        "{count} would create new contacts: {emails}",
        "{count}件は新しいコンタクトを作成します：{emails}",
    ),
    "people.and_more": ("and {count} more", "ほか{count}件"),
    "people.held": (
        "{count} not sent: HubSpot has no contact for them; to allow creating contacts, {how}",
        "{count}件は送信しません：HubSpotにコンタクトがありません。"
        "コンタクトの作成を許可するには{how}",
    ),
    "people.held_unknown": (
        "{count} not sent: they might create contacts; to allow it, {how}",
        "{count}件は送信しません：コンタクトが作成されるかもしれません。許可するには{how}",
    ),
    "people.unknown": (
        "New contacts: unknown ({why}); add the scope or nothing that might create a"
        " contact is sent",
        "新しいコンタクト：不明（{why}）。スコープを追加しない限り、コンタクトを作成する"
        "かもしれない行は送信しません",
    ),
    "people.unknown_allowed": (
        "New contacts: unknown ({why}); creating contacts is allowed",
        "新しいコンタクト：不明（{why}）。コンタクトの作成は許可されています",
    ),
    "people.unchanged": (
        "{count} {count:row|rows} unchanged since the last sync",
        "{count}行は前回の同期から変わっていません",
    ),
    "people.problems": ("{count} {count:row|rows} not sent:", "{count}行は送信しません："),
    "people.row_problem": ("row {row}: {message}", "{row}行目：{message}"),
    "people.more_problems": ("and {count} more", "ほか{count}行"),
    "people.synced": (
        "{file} (participants): {sent} sent, {failed} failed, {held} held back,"
        " {bad} with problems, {unchanged} unchanged",
        "{file}（参加者）：送信{sent}件、失敗{failed}件、保留{held}件、問題あり{bad}件、"
        "変更なし{unchanged}件",
    ),
}
