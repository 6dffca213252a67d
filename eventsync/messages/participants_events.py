"""The catalogue's messages about the event a participants row names (issue 26): by
objectId, or by the externalEventId of an event eventsync created from the events
sheet (plan/participant_events.py, docs/participants.md). Each: (English, Japanese).
"""

from __future__ import annotations

PARTICIPANTS_EVENTS: dict[str, tuple[str, str]] = {
    # One row's problem (written into its syncError)
    "event_key.none": (
        "no event: type the event's objectId (or, for an event eventsync created from the"
        " events sheet, its externalEventId)",
        "イベントがありません。イベントIDを入力してください（イベントシートからeventsyncが"
        "作成したイベントなら、外部イベントIDでも指定できます）",
    ),
    "event_key.not_found": (
        "no event in HubSpot has externalEventId {external_id}: copy the id from the"
        " externalEventId column of the events sheet row that created the event (or type"
        " its objectId)",
        "外部イベントID{external_id}のイベントはHubSpotにありません。イベントを作成した"
        "イベントシートの行の「外部イベントID」列からIDをコピーしてください（またはイベントIDを"
        "入力してください）",
    ),
    "event_key.unread": (
        "HubSpot could not be asked which event has externalEventId {external_id} ({why}):"
        " not sent; run {again} again",
        "外部イベントID{external_id}のイベントをHubSpotに確認できませんでした（{why}）。"
        "送信していません。もう一度「{again}」を実行してください",
    ),
    "event_key.mismatch": (
        "objectId {object_id} and externalEventId {external_id} are different events (that"
        " id is event {other}): keep the one you mean and clear the other",
        "イベントID{object_id}と外部イベントID{external_id}は別のイベントです（この外部"
        "イベントIDはイベント{other}です）。正しい方を残し、もう一方を消してください",
    ),
    "event_key.mismatch_unknown": (
        "externalEventId {external_id} is not event {object_id} (HubSpot has no event with"
        " that id yet): keep the one you mean and clear the other",
        "外部イベントID{external_id}はイベント{object_id}ではありません（HubSpotにこのIDの"
        "イベントはまだありません）。正しい方を残し、もう一方を消してください",
    ),
    "event_key.pending": (
        "not sent: the event with externalEventId {external_id} is not created in HubSpot"
        " yet (its row in the events sheet says why); the {again} that creates it sends"
        " this row",
        "送信していません。外部イベントID{external_id}のイベントはまだHubSpotに作成されて"
        "いません（理由はイベントシートのその行にあります）。そのイベントを作成する"
        "「{again}」でこの行も送信します",
    ),
    # What plan says per event
    "event_key.held": (
        "{count} {count:row|rows} to send once the event exists: {sync} creates it from the"
        " events sheet, then sends {count:it|them}",
        "{count}行はイベントの作成後に送信します：「{sync}」でイベントシートから作成してから"
        "送信します",
    ),
    "event_key.name": (
        "{object_id} (externalEventId {external_id})",
        "{object_id}（外部イベントID：{external_id}）",
    ),
    "event_key.name_pending": (
        "with externalEventId {external_id} (not created yet)",
        "（外部イベントID：{external_id}、未作成）",
    ),
}
