"""Line breaking for Japanese on screen (禁則処理), since Kivy breaks only at spaces.

Kivy wraps a label at spaces and, when a word is longer than the line, cuts it anywhere:
Japanese has no spaces, so a line could start with 」 or ょ, or a bracket could hang alone
on a line. Here a text is broken before it reaches Kivy: between any two Japanese
characters, at spaces between Latin words, never before closing brackets, small kana,
the long vowel mark or punctuation, and never after an opening bracket. Widths come from
a `char_width` function (the screen measures with the label's own font); no Kivy here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Characters a line may not start with (行頭禁則) and may not end with (行末禁則).
NO_START = frozenset(
    "、。，．・：；？！゛゜ー〜～）」』】〕〉》］｝〙〗〟’”ゝゞヽヾ々"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ",.:;!?)]}…‥%％"
)
NO_END = frozenset("（「『【〔〈《［｛〘〖〝‘“([{¥＄$〒")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next start with `after`."""
    if after in NO_START or before in NO_END or after == " ":
        return False
    return before == " " or _wide(before) or _wide(after)


def break_lines(text: str, width: float, char_width: Callable[[str], float]) -> str:
    """`text` with '\\n' where its lines should end to fit `width`."""
    if width <= 0:
        return text
    return "\n".join(line for paragraph in text.split("\n")
                     for line in _balanced(paragraph, width, char_width))


def _balanced(text: str, width: float, char_width: Callable[[str], float]) -> list[str]:
    """As few lines as at full width, but of even length: no word or kana left alone on
    the last line (「戸籍謄本・抄本な／ど」 becomes 「戸籍謄本・／抄本など」)."""
    lines = _paragraph(text, width, char_width)
    if len(lines) < 2:
        return lines
    target = sum(char_width(c) for c in text) / len(lines)
    while target < width:
        even = _paragraph(text, target, char_width)
        if len(even) <= len(lines):
            return even
        target *= 1.04
    return lines


def _paragraph(text: str, width: float, char_width: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    start = 0
    while start < len(text):
        used, end = 0.0, start
        while end < len(text) and used + char_width(text[end]) <= width:
            used += char_width(text[end])
            end += 1
        if end >= len(text):
            lines.append(text[start:])
            break
        cut = next((p for p in range(end, start, -1) if _may_break(text[p - 1], text[p])), None)
        if cut is None or cut <= start:
            cut = max(end, start + 1)  # one word longer than the line: cut it where it must
        lines.append(text[start:cut].rstrip(" "))
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
    return lines or [""]
