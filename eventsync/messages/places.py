"""The catalogue's messages about places: where the state database is kept when the
working folder is on a network or cloud-synced drive (state/place.py), and sheets a
cloud service has not put on this computer (sheets/folder.py, watch/). Each: (English,
Japanese).
"""

from __future__ import annotations

PLACES: dict[str, tuple[str, str]] = {
    # What kind of place (volumes.py), inside the messages below
    "place.cloud": ("in a folder {service} syncs", "{service}で同期されるフォルダー"),
    "place.network": ("on a network drive ({what})", "ネットワークドライブ（{what}）"),
    "place.wsl_drive": (
        "{fs}, a Windows drive seen from WSL",
        "WSLから見たWindowsのドライブ、{fs}",
    ),
    "place.network_volume": ("a network volume", "ネットワークボリューム"),
    # Where the state database is kept (state/place.py)
    "place.kept": (
        "{folder} is {where}, where a database can be damaged: eventsync keeps its state"
        " database on this computer instead, in {database} (backups and logs stay in"
        " {folder})",
        "{folder}：{where}にあるため、データベースが壊れるおそれがあります。eventsyncは"
        "状態データベースをこのコンピューターの{database}に保存します（バックアップとログは"
        "{folder}に残ります）",
    ),
    "place.will_move": (
        "{folder} is {where}, where a database can be damaged: the next sync moves"
        " eventsync's state database from there to this computer, in {database} (backups and"
        " logs stay in {folder})",
        "{folder}：{where}にあるため、データベースが壊れるおそれがあります。次の同期で、"
        "状態データベースをこのコンピューターの{database}に移します（バックアップとログは"
        "{folder}に残ります）",
    ),
    "place.moved": (
        "moved eventsync's state database to this computer, in {database}: the state folder"
        " is {where}, where a database can be damaged. The old file is kept as {backup}",
        "状態データベースをこのコンピューターの{database}に移しました。状態フォルダーが"
        "{where}にあり、データベースが壊れるおそれがあるためです。元のファイルは{backup}"
        "として残してあります",
    ),
    "place.refused_setting": (
        "{setting} {folder} is {where}, where eventsync's state database can be damaged;"
        " set {setting} to a folder on this computer's own disk, or leave it unset (eventsync"
        " then keeps the database on this computer by itself). If the folder is wrongly taken"
        " for one, set {allow}",
        "{setting}の{folder}：{where}にあるため、eventsyncの状態データベースが壊れる"
        "おそれがあります。{setting}にこのコンピューターのディスク上のフォルダーを設定するか、"
        "設定を外してください（その場合、eventsyncがデータベースをこのコンピューターに"
        "保存します）。判定が誤っている場合は{allow}を設定してください",
    ),
    "place.no_local": (
        "{folder} is {where}, and the folder on this computer where eventsync would keep its"
        " state database instead, {local}, is {local_where} too; set {setting} to a folder on"
        " this computer's own disk. Nothing was sent",
        "{folder}：{where}にあり、代わりに状態データベースを保存するフォルダー{local}も"
        "{local_where}にあります。{setting}にこのコンピューターのディスク上のフォルダーを"
        "設定してください。何も送信していません",
    ),
    "place.two_databases": (
        "two state databases: {old} ({where}: written by an older eventsync, perhaps on"
        " another computer) and {database} (on this computer), which eventsync uses; if no"
        " older eventsync uses {old} any more, rename or delete it and run again. Nothing was"
        " sent",
        "状態データベースが2つあります：{old}（{where}。古いeventsyncが書いたもので、"
        "別のコンピューターかもしれません）と、eventsyncが使う{database}（このコンピューター）"
        "です。古いeventsyncが{old}をもう使っていなければ、名前を変えるか削除してから、"
        "もう一度実行してください。何も送信していません",
    ),
    "place.cannot_move": (
        "could not move the state database {old} to {database} ({why}); it is as it was. Close"
        " other programs that use it (another eventsync, a database browser) and run again."
        " Nothing was sent",
        "状態データベース{old}を{database}に移せませんでした（{why}）。元のままです。"
        "使っているほかのプログラム（別のeventsync、データベースの閲覧ツールなど）を閉じて、"
        "もう一度実行してください。何も送信していません",
    ),
    "place.allow_value": (
        "{setting}={value}: use 1 to keep the state database in EVENTSYNC_STATE_DIR wherever it"
        " is, or 0",
        "{setting}={value}：EVENTSYNC_STATE_DIRがどこにあってもそこに状態データベースを"
        "保存するには1、しない場合は0を指定してください",
    ),
    # Sheets a cloud service keeps only online (sheets/folder.py, watch/)
    "cloudfile.icloud": (
        "{name} is in iCloud but not downloaded on this Mac: open it in Finder (or"
        " right-click it and choose Download Now), then run again",
        "{name}はiCloudにありますが、このMacにダウンロードされていません。Finderで開いて"
        "（または右クリックして「今すぐダウンロード」を選んで）ダウンロードしてから、もう一度"
        "実行してください",
    ),
    "cloudfile.online_only": (
        "{name} is online-only, not on this computer: right-click it in File Explorer and"
        " choose Always keep on this device (OneDrive) or make it available offline, then run"
        " again",
        "{name}はオンライン専用で、このコンピューターにはありません。エクスプローラーで"
        "右クリックして「このデバイス上に常に保持する」（OneDrive）を選ぶか、オフラインで"
        "使えるようにしてから、もう一度実行してください",
    ),
    "cloudfile.skipped": (
        "not synced: {files}. The other sheets sync as usual",
        "同期しませんでした：{files}。ほかのシートはいつもどおり同期します",
    ),
    "cloudfile.none_here": (
        "{folder}: no sheet in it is on this computer; {files}",
        "{folder}：このコンピューター上にあるシートがありません。{files}",
    ),
}
