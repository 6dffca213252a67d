"""The catalogue's messages about stopping a watch (`watch --stop`), installing it as a
service (`eventsync service`), and folders the operating system will not let eventsync
read. Each: (English, Japanese).
"""

from __future__ import annotations

SERVICE: dict[str, tuple[str, str]] = {
    # watch --stop (watch/remote_stop.py)
    "stop.no_watch": (
        "no eventsync watch is running on the state folder {folder}; nothing to stop (start"
        " one with {watch})",
        "状態フォルダー{folder}で実行中のeventsync watchはありません。止めるものはありません"
        "（開始するには「{watch}」）",
    ),
    "stop.not_a_watch": (
        "the state folder {folder} is held by a sync (pid {pid}), not by a watch; it ends by"
        " itself, nothing was stopped",
        "状態フォルダー{folder}を使っているのはwatchではなく同期（pid {pid}）です。"
        "同期は自然に終わります。何も止めていません",
    ),
    "stop.asked": (
        "asked eventsync watch (pid {pid}) to stop; waiting up to {seconds} s for it (a sync"
        " in progress stops after the batch in flight)",
        "eventsync watch（pid {pid}）に停止を依頼しました。最大{seconds}秒待ちます（同期中なら"
        "送信中のバッチの後で止まります）",
    ),
    "stop.stopped": (
        "eventsync watch (pid {pid}) stopped after {seconds} s; what HubSpot confirmed is saved",
        "eventsync watch（pid {pid}）は{seconds}秒で停止しました。HubSpotが確認した分は"
        "保存されています",
    ),
    "stop.timeout": (
        "eventsync watch (pid {pid}) did not stop within {seconds} s; the request stands and"
        " it stops as soon as its sync allows. Run {again} again to wait longer",
        "eventsync watch（pid {pid}）は{seconds}秒以内に停止しませんでした。依頼は有効なまま"
        "で、同期が区切りに来しだい止まります。さらに待つにはもう一度「{again}」を実行してください",
    ),
    # Folders the system will not let us read (access.py)
    "access.macos_privacy": (
        "{path}: macOS did not let eventsync read it (privacy controls protect"
        " Documents, Desktop, Downloads and iCloud Drive from programs started in the"
        " background). Either give {program} Full Disk Access (System Settings > Privacy &"
        " Security > Full Disk Access, then add it with +), or move the working folder out"
        " of those folders (e.g. to ~/eventsync) and install the service again",
        "{path}：macOSが読み取りを許可しませんでした（プライバシー保護により、"
        "バックグラウンドで起動したプログラムは書類・デスクトップ・ダウンロード・iCloud Driveを"
        "読めません）。{program}にフルディスクアクセスを与えるか（システム設定>プライバシーと"
        "セキュリティ>フルディスクアクセスで＋から追加）、作業フォルダーをそれらの外"
        "（例：~/eventsync）へ移してからサービスをもう一度インストールしてください",
    ),
    "access.denied": (
        "{path}: no permission to read it ({why}); give your user access to it (or run"
        " eventsync as a user who has it), or use another folder",
        "{path}：読み取る権限がありません（{why}）。あなたのユーザーにアクセス権を与えるか"
        "（または権限のあるユーザーでeventsyncを実行するか）、別のフォルダーを使ってください",
    ),
    # eventsync service (service/)
    "service.installed": (
        "installed {name}: eventsync watch runs in {folder} from now on, and comes back at"
        " each logon; its log: {log}",
        "{name}をインストールしました：これから{folder}でeventsync watchが動き、ログオンの"
        "たびに再開します。ログ：{log}",
    ),
    "service.uninstalled": (
        "uninstalled {name}; eventsync watch no longer starts by itself",
        "{name}をアンインストールしました。eventsync watchはもう自動では起動しません",
    ),
    "service.started": (
        "started {name}; its log: {log}",
        "{name}を開始しました。ログ：{log}",
    ),
    "service.stopped": (
        "stopped {name}; it stays stopped until {start} (on macOS and Linux, also until your"
        " next login)",
        "{name}を停止しました。「{start}」を実行するまで止まったままです（macOSとLinuxでは次の"
        "ログインでも再開します）",
    ),
    "service.not_installed": (
        "{name} is not installed (no {file}); nothing to uninstall",
        "{name}はインストールされていません（{file}がありません）。アンインストールするものは"
        "ありません",
    ),
    "service.status": (
        "{name}: {installed}; watch: {running}; its log: {log}",
        "{name}：{installed}。watch：{running}。ログ：{log}",
    ),
    "service.status_installed": ("installed ({file})", "インストール済み（{file}）"),
    "service.status_missing": ("not installed", "未インストール"),
    "service.status_running": ("running (pid {pid})", "実行中（pid {pid}）"),
    "service.status_stopped": ("not running", "停止中"),
    "service.failed": (
        "{program} failed (exit {code}): {output}. Nothing else was changed; fix that and"
        " run {again} again",
        "{program}が失敗しました（終了コード{code}）：{output}。ほかには何も変えていません。"
        "原因を直してからもう一度「{again}」を実行してください",
    ),
    "service.missing_program": (
        "{program} was not found on PATH; it registers services on this system. Run {again}"
        " where {program} is available, or use the files {print} shows by hand",
        "{program}がPATHにありません（このシステムでサービスを登録するプログラムです）。"
        "{program}のある環境で「{again}」を実行するか、「{print}」が表示するファイルを手で"
        "使ってください",
    ),
    "service.no_sheets": (
        "{folder} has no sheets folder ({sheets}); run the service from your working folder"
        " (the one holding .env and sheets), or create it first",
        "{folder}にシートのフォルダー（{sheets}）がありません。作業フォルダー（.envとsheetsの"
        "あるフォルダー）で実行するか、先に作成してください",
    ),
    "service.unsupported": (
        "eventsync service knows Windows, macOS and Linux (systemd), not {platform}; run"
        " {watch} under your system's own service manager",
        "eventsync serviceが扱えるのはWindows・macOS・Linux（systemd）で、{platform}は"
        "扱えません。お使いのシステムのサービス管理で「{watch}」を実行してください",
    ),
    "service.wrote": ("would write {file}:", "{file}に書き込む内容："),
    "service.would_run": ("would run: {command}", "実行するコマンド：{command}"),
}
