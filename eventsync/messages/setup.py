"""The catalogue's messages about setting eventsync up: `eventsync init` and the `.env`
file (the token not set, a `.env` Notepad saved as `.env.txt` or not as UTF-8).
Each: (English, Japanese).

Fields: `{init}`, `{plan}`, `{sync}`, `{pull}`, `{cd}`, `{edit}`, `{rename}` are commands,
shown as the user runs them (on Windows with double quotes, under make in make's form).
"""

from __future__ import annotations

SETUP: dict[str, tuple[str, str]] = {
    # eventsync init (workfolder.py)
    "init.created": ("created {path}", "{path}を作成しました"),
    "init.kept": (
        "kept {path}: it is already there, nothing in it changed",
        "{path}は既にあるので、そのままにしました",
    ),
    "init.kept_sheets": (
        "kept {folder}: it already holds {names}, so no empty workbook was added",
        "{folder}には既に{names}があるので、空のブックは追加しませんでした",
    ),
    "init.env_txt": (
        "{found} is there too (Notepad adds .txt, and Windows hides it): if your key is in"
        " it, copy the key into {dotenv} and delete {found}",
        "{found}もあります（メモ帳は.txtを付けて保存し、Windowsはそれを表示しません）。"
        "キーがそこにある場合は{dotenv}にコピーして、{found}を削除してください",
    ),
    "init.not_folder": (
        "{folder}: is a file, not a folder; name a folder for your events (it is created if"
        " it does not exist)",
        "{folder}：フォルダーではなくファイルです。イベント用のフォルダーを指定してください"
        "（なければ作成します）",
    ),
    "init.cannot_create": (
        "{path}: cannot be created ({why}); choose a folder you can write to",
        "{path}：作成できません（{why}）。書き込めるフォルダーを指定してください",
    ),
    "init.next": ("Next:", "次の手順："),
    "init.step_token": (
        "put your HubSpot Service Key in {dotenv}: open it ({edit}) and paste the key right"
        " after HUBSPOT_ACCESS_TOKEN=, then save it",
        "{dotenv}にHubSpotのサービスキーを設定します：ファイルを開き（{edit}）、"
        "HUBSPOT_ACCESS_TOKEN=のすぐ後にキーを貼り付けて保存します",
    ),
    "init.step_token_editor": (
        "put your HubSpot Service Key in {dotenv}: open it in a text editor and paste the key"
        " right after HUBSPOT_ACCESS_TOKEN=, then save it",
        "{dotenv}にHubSpotのサービスキーを設定します：テキストエディターでファイルを開き、"
        "HUBSPOT_ACCESS_TOKEN=のすぐ後にキーを貼り付けて保存します",
    ),
    "init.step_cd": (
        "go to the working folder, where the steps below are run: {cd}",
        "以下の手順は作業フォルダーで行います。フォルダーに移動します：{cd}",
    ),
    "init.step_fill": (
        "get your events into {workbook}: {pull} writes every event of your portal into it"
        " (or type rows in Excel, each with its event's objectId); edit it in Excel and save",
        "{workbook}にイベントを入れます：「{pull}」でポータルのすべてのイベントが書き込まれます"
        "（またはExcelで、各行にイベントのイベントIDを付けて入力します）。Excelで編集して"
        "保存します",
    ),
    "init.step_plan": (
        "{plan} shows what would be sent, and every problem; it sends nothing",
        "「{plan}」で送信内容と問題点を確認します（何も送信しません）",
    ),
    "init.step_sync": (
        "{sync} sends your changes to HubSpot and writes each row's result into the workbook",
        "「{sync}」で変更をHubSpotに送信し、各行の結果をブックに書き込みます",
    ),
    # The token and the .env file (config.py)
    "settings.no_token": (
        "{setting} is not set in {dotenv}: open it and paste your HubSpot Service Key (or"
        " private-app token) right after {setting}=",
        "{dotenv}に{setting}が設定されていません：ファイルを開き、{setting}=のすぐ後に"
        "HubSpotのサービスキー（または非公開アプリのトークン）を貼り付けてください",
    ),
    "settings.no_env": (
        "{setting} is not set and there is no .env in {folder}: run eventsync in the folder"
        " {init} made, or run {init} here and put your HubSpot Service Key in its .env",
        "{setting}が設定されておらず、{folder}に.envがありません：「{init}」で作ったフォルダーで"
        "eventsyncを実行するか、ここで「{init}」を実行して、作られた.envにHubSpotの"
        "サービスキーを設定してください",
    ),
    "settings.env_txt": (
        "{setting} is not set: {found} is there, but eventsync reads only .env; rename it"
        " ({rename}). Notepad adds .txt when saving, and Windows hides it unless File Explorer"
        " shows file name extensions (View > Show)",
        "{setting}が設定されていません：{found}がありますが、eventsyncが読むのは.env"
        "だけです。名前を変更してください（{rename}）。メモ帳は保存時に.txtを付け、"
        "エクスプローラーで「ファイル名拡張子」を表示しないと（表示>表示）見えません",
    ),
    "settings.env_txt_both": (
        "{setting} is not set in {dotenv}; {found} is there too (Notepad adds .txt when"
        " saving): copy your key from it into {dotenv} and delete {found}",
        "{dotenv}に{setting}が設定されていません。{found}もあります（メモ帳は保存時に"
        ".txtを付けます）：キーをそこから{dotenv}にコピーして、{found}を削除してください",
    ),
    "settings.env_encoding": (
        "{path}: is not saved as UTF-8 (it looks like {encoding}); open it in Notepad, choose"
        " File > Save As with Encoding UTF-8, and run again. Nothing was sent",
        "{path}：UTF-8で保存されていません（{encoding}のようです）。メモ帳で開き、"
        "「名前を付けて保存」で文字コードにUTF-8を選んで保存してから、もう一度実行して"
        "ください。何も送信していません",
    ),
    "settings.env_unreadable": (
        "{path}: cannot be read ({why}); make it a file you can read, and run again. Nothing"
        " was sent",
        "{path}：読み込めません（{why}）。読み込めるファイルにしてから、もう一度実行して"
        "ください。何も送信していません",
    ),
    "settings.another_encoding": ("another encoding", "別の文字コード"),
    # HTTPS (hubspot/tls.py, transport.py)
    "tls.untrusted": (
        "the server's certificate is not trusted by this computer; behind a company network"
        " that inspects HTTPS, ask IT to install its root certificate in the system's"
        " certificate store (eventsync trusts what the system trusts)",
        "サーバーの証明書がこのコンピューターで信頼されていません。HTTPSを検査する社内"
        "ネットワークの場合は、そのルート証明書をシステムの証明書ストアに入れるようIT部門に"
        "依頼してください（eventsyncはシステムが信頼する証明書を信頼します）",
    ),
}
