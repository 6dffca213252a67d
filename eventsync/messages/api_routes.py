"""The catalogue's messages about HubSpot's routes and API versions (hubspot/routes.py)
and how a run's portal was identified (state/portal.py). Each: (English, Japanese).
"""

from __future__ import annotations

API_ROUTES: dict[str, tuple[str, str]] = {
    # A redirect or a 404 on the events list: the version's route is not there
    "routes.list_missing": (
        "HubSpot has no events list at {path} (EVENTSYNC_API_VERSION={version}; it answered"
        " {status}): set EVENTSYNC_API_VERSION={other} in .env and run {again} again",
        "HubSpotの{path}にイベントの一覧がありません（EVENTSYNC_API_VERSION={version}、応答は"
        "{status}）。.envでEVENTSYNC_API_VERSION={other}を設定して、もう一度「{again}」を実行して"
        "ください",
    ),
    # HubSpot's end of support for the version in use (`plan`)
    "routes.unsupported_soon": (
        "HubSpot ends its support for API version {version} in {month}: set"
        " EVENTSYNC_API_VERSION={newest} in .env before then (docs/api-versions.md)",
        "HubSpotはAPIバージョン{version}のサポートを{month}に終了します。それまでに.envで"
        "EVENTSYNC_API_VERSION={newest}を設定してください（docs/api-versions.md）",
    ),
    "routes.unsupported": (
        "HubSpot no longer supports API version {version} (since {month}): set"
        " EVENTSYNC_API_VERSION={newest} in .env (docs/api-versions.md)",
        "HubSpotはAPIバージョン{version}のサポートを{month}に終了しました。.envで"
        "EVENTSYNC_API_VERSION={newest}を設定してください（docs/api-versions.md）",
    ),
    "routes.legacy_token": (
        "the token in HUBSPOT_ACCESS_TOKEN is a legacy private app's (pat-...), which HubSpot"
        " stops supporting in {month}: create a Service Key with the same scopes and put it"
        " in .env instead (docs/api-versions.md)",
        "HUBSPOT_ACCESS_TOKENのトークンは従来型の非公開アプリのもの（pat-...）で、HubSpotは{month}に"
        "サポートを終了します。同じスコープのサービスキーを作成し、.envのトークンを置き換えて"
        "ください（docs/api-versions.md）",
    ),
    # How the portal was identified (`plan`'s first line)
    "portal.found": ("{portal}, {how}", "{portal}（{how}）"),
    "portal.how_details": (
        "from HubSpot's account details",
        "HubSpotのアカウント情報から特定",
    ),
    "portal.how_refused": (
        "from the token's fingerprint: HubSpot refused the account details call ({status};"
        " it needs the scope {scope})",
        "トークンのフィンガープリントから特定：HubSpotがアカウント情報の取得を拒否しました"
        "（{status}。スコープ{scope}が必要です）",
    ),
    "portal.how_not_named": (
        "from the token's fingerprint: HubSpot's account details named no account",
        "トークンのフィンガープリントから特定：HubSpotのアカウント情報にアカウントIDがありません"
        "でした",
    ),
    "portal.how_remembered": (
        "as remembered for this token",
        "このトークンについて記録済み",
    ),
}
