"""The catalogue's messages from issue 24 (the first hour): an older copy's rule, said
once per file instead of once per row, and a planned change's line, said in the
terminal's language. Each: (English, Japanese); Japanese as docs/ja-style.md says."""

from __future__ import annotations

FIRST_HOUR_TEXT: dict[str, tuple[str, str]] = {
    # A planned change of one cell, under its row (plan, sync): values come quoted.
    "report.change": ("{label}: {old} -> {new}", "{label}：{old}→{new}"),
    "report.change_first": ("{label}: {new}", "{label}：{new}"),
    # The rule, said once per file in the terminal; each row's cell holds row.stale_copy.
    "report.stale_copy": (
        "{count} {count:row is|rows are} from an older copy of this file ({count:row|rows} {rows}):"
        " HubSpot confirmed a newer version of {count:its event|their events} after"
        " {count:it was|they were} synced, so {count:it is|they are} not sent (sending would"
        " undo the newer values). To take the newer values, run {two_way} (then redo your"
        " edits), or make your edits in the current file; to send a row as it is, run the"
        " command in its syncError cell, e.g. {force}",
        "{count}行（{rows}行目）はこのファイルの古いコピーのものです。同期した後にHubSpotで"
        "イベントの新しい版が確認されているため、送信しません（送ると新しい値を元に戻して"
        "しまいます）。新しい値を取り込むには「{two_way}」を実行して編集をやり直すか、最新の"
        "ファイルで編集してください。行をこのまま送るには、同期エラーのセルにあるコマンド"
        "（例：「{force}」）を実行してください",
    ),
}
