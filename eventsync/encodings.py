"""What a legacy-encoded file can hold: the one table of characters eventsync writes
into a Shift-JIS (CP932) file as their CP932 equivalents, and the characters such a
file cannot hold at all (writing them would make them "?").

Pure, below every stage: the CSV writer and the planning of two-way values share it.
It never reads or writes a file.
"""

from __future__ import annotations

# Characters that Shift-JIS text from macOS or the web uses where CP932 (Windows) has
# its own code point. Translated before encoding, so "〜" is written as "～" and not as
# "?" (which is what any other character CP932 cannot hold becomes).
CP932_EQUIVALENTS = str.maketrans(
    {
        "\u301c": "\uff5e",  # WAVE DASH -> FULLWIDTH TILDE
        "\u2016": "\u2225",  # DOUBLE VERTICAL LINE -> PARALLEL TO
        "\u2212": "\uff0d",  # MINUS SIGN -> FULLWIDTH HYPHEN-MINUS
        "\u00a2": "\uffe0",  # CENT SIGN -> FULLWIDTH CENT SIGN
        "\u00a3": "\uffe1",  # POUND SIGN -> FULLWIDTH POUND SIGN
        "\u00ac": "\uffe2",  # NOT SIGN -> FULLWIDTH NOT SIGN
        "\u2014": "\u2015",  # EM DASH -> HORIZONTAL BAR
    }
)


def unheld_characters(text: str, encoding: str) -> tuple[str, ...]:
    """The characters of `text` a file in `encoding` cannot hold (each once, in order):
    what writing it would turn into "?". Those the writer translates to their CP932
    equivalent ("〜" -> "～") are held."""
    if text.isascii():
        return ()
    if encoding == "cp932":
        text = text.translate(CP932_EQUIVALENTS)
    lost: list[str] = []
    for char in text:
        if char not in lost:
            try:
                char.encode(encoding)
            except UnicodeEncodeError:
                lost.append(char)
    return tuple(lost)
