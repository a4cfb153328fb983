"""Line breaking for Japanese on screen (禁則処理 and 文節), since Kivy breaks only at spaces.

Kivy wraps a label at spaces and, when a word is longer than the line, cuts it anywhere:
Japanese has no spaces, so a line could start with 」 or ょ, or a bracket could hang alone
on a line. Here a text is broken before it reaches Kivy, where a reader pauses: between
phrases (文節, found by BudouX's model: 「市役所の／窓口でしか／解除できません」, not
「市役所の窓口でし／か」), at spaces between Latin words; never before closing brackets,
small kana, the long vowel mark or punctuation, and never after an opening bracket. A phrase
too long for a line is broken between its characters. Widths come from a `char_width`
function (the screen measures with the label's own font); no Kivy here.
"""

from __future__ import annotations

from collections.abc import Callable

from printouts.phrases import is_wide, phrases

# Characters a line may not start with (行頭禁則) and may not end with (行末禁則).
NO_START = frozenset(
    "、。，．・：；？！゛゜ー〜～）」』】〕〉》］｝〙〗〟’”ゝゞヽヾ々"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ",.:;!?)]}…‥%％"
)
NO_END = frozenset("（「『【〔〈《［｛〘〖〝‘“([{¥＄$〒")


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next start with `after`."""
    if after in NO_START or before in NO_END or after == " ":
        return False
    return before == " " or is_wide(before) or is_wide(after)


def phrase_starts(text: str) -> frozenset[int]:
    """Where a reader may pause: each phrase's start, and after each space."""
    starts, at = set(), 0
    for chunk in phrases(text):
        at += len(chunk)
        starts.add(at)
    starts.update(i + 1 for i, c in enumerate(text) if c == " ")
    return frozenset(starts)


def break_lines(text: str, width: float, char_width: Callable[[str], float]) -> str:
    """`text` with '\\n' where its lines should end to fit `width`."""
    if width <= 0:
        return text
    return "\n".join(line for paragraph in text.split("\n")
                     for line in _balanced(paragraph, width, char_width))


def _balanced(text: str, width: float, char_width: Callable[[str], float]) -> list[str]:
    """As few lines as at full width, but of even length: no word or kana left alone on
    the last line (「戸籍謄本・抄本な／ど」 becomes 「戸籍謄本・／抄本など」), and never by
    cutting a phrase that the full-width lines kept whole."""
    pauses = phrase_starts(text)
    lines, cut_words = _paragraph(text, width, char_width, pauses)
    if len(lines) < 2:
        return lines
    target = sum(char_width(c) for c in text) / len(lines)
    while target < width:
        even, even_cut_words = _paragraph(text, target, char_width, pauses)
        if len(even) <= len(lines) and even_cut_words <= cut_words:
            return even
        target *= 1.04
    return lines


def _paragraph(text: str, width: float, char_width: Callable[[str], float],
               pauses: frozenset[int]) -> tuple[list[str], int]:
    """The lines, and how many of them end inside a phrase."""
    lines: list[str] = []
    inside = 0
    start = 0
    while start < len(text):
        used, end = 0.0, start
        while end < len(text) and used + char_width(text[end]) <= width:
            used += char_width(text[end])
            end += 1
        if end >= len(text):
            lines.append(text[start:])
            break
        cut = _cut(text, start, end, pauses)
        if cut is None or cut <= start:
            cut = max(end, start + 1)  # one word longer than the line: cut it where it must
        inside += cut not in pauses
        lines.append(text[start:cut].rstrip(" "))
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
    return lines or [""], inside


def _cut(text: str, start: int, end: int, pauses: frozenset[int]) -> int | None:
    """Where the line from `start` ends, `end` being the first character that does not fit:
    the last phrase boundary, unless that leaves the line less than half full; then the last
    place the 禁則 rules allow."""
    allowed = [p for p in range(end, start, -1) if _may_break(text[p - 1], text[p])]
    phrase = next((p for p in allowed if p in pauses), None)
    if phrase is not None and phrase - start >= (end - start) / 2:
        return phrase
    return allowed[0] if allowed else None
