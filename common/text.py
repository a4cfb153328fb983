"""Japanese line breaking, one set of rules for paper and screen: phrases (文節) and 禁則.

Japanese has no spaces, so a line that ends between any two characters may cut a word
(「市役所の窓口でし／か」) or leave 」 or ょ at the start of a line. Both the printed forms
(printouts/layout.py) and the touch screens (Kivy wraps only at spaces) break their text
here: between phrases, found by BudouX's model (「市役所の／窓口でしか／解除できません」),
at spaces between Latin words, and never where the one 禁則 table below forbids. Widths
come from a function the caller passes (ReportLab's metrics on paper, the label's own
font on screen), so nothing here knows a font.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator

import budoux

# 行頭禁則 (JIS X 4051): closing brackets and quotes, punctuation, small kana, the long
# vowel mark, iteration marks and postfix signs never start a line; they hang on the one
# before.
NO_START = frozenset(
    "、。，．,.・：；:;？！?!゛゜ー‐〜～…‥"
    ")）]］}｝〕〉》」』】〙〗〟’”"
    "ゝゞヽヾ々"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "%％"
)
# 行末禁則: opening brackets and quotes, and prefix signs (¥, $, 〒), never end a line; they
# move down with the word they open.
NO_END = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“¥＄$〒")
# The only marks that may hang past the right edge on paper; other NO_START characters pull
# the last character of the line down with them (追い出し).
HANG = frozenset("、。，．,.")

Measure = Callable[[str], float]

_TOKEN = re.compile(r"[A-Za-z0-9@#&'+\-_/.,:%$()]+ ?|\s|.[\u0300-\u036f\u3099\u309a\ufe00-\ufe0f"
                    r"\U000e0100-\U000e01ef]*", re.DOTALL)


@functools.cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()  # the model is read once; it never changes


def phrases(text: str) -> list[str]:
    """`text` cut into its phrases; joined, they give `text` back."""
    return list(_parser().parse(text)) if text else []


def is_wide(char: str) -> bool:
    """A full-width character (kana, kanji, full-width signs): Japanese text, not Latin."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def tokens(text: str) -> Iterator[str]:
    """Latin words whole (with their trailing space); every other character on its own, with
    the combining marks and variation selectors that belong to it."""
    for match in _TOKEN.finditer(text):
        yield match.group(0)


def may_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next start with `after` (禁則)."""
    if after in NO_START or before in NO_END or after == " ":
        return False
    return before == " " or is_wide(before) or is_wide(after)


# --- the screen: balanced lines -----------------------------------------------------------


def phrase_starts(text: str) -> frozenset[int]:
    """Where a reader may pause: each phrase's start, and after each space."""
    starts, at = set(), 0
    for chunk in phrases(text):
        at += len(chunk)
        starts.add(at)
    starts.update(i + 1 for i, c in enumerate(text) if c == " ")
    return frozenset(starts)


def break_lines(text: str, width: float, char_width: Measure) -> str:
    """`text` with '\\n' where its lines should end to fit `width`, measured per character
    (the screen's labels: Kivy then wraps nothing itself)."""
    if width <= 0:
        return text
    return "\n".join(line for paragraph in text.split("\n")
                     for line in _balanced(paragraph, width, char_width))


def _balanced(text: str, width: float, char_width: Measure) -> list[str]:
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


def _paragraph(text: str, width: float, char_width: Measure,
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
    allowed = [p for p in range(end, start, -1) if may_break(text[p - 1], text[p])]
    phrase = next((p for p in allowed if p in pauses), None)
    if phrase is not None and phrase - start >= (end - start) / 2:
        return phrase
    return allowed[0] if allowed else None


# --- paper: greedy lines, hanging punctuation -----------------------------------------------


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Lines of `text` no wider than `width` as `measure` measures a string; a hanging 。
    may pass the edge (the printed forms)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, measure))
    return lines


def _wrap_paragraph(text: str, width: float, measure: Measure) -> list[str]:
    """Greedy by phrases (文節) and Latin words, so that a line ends where a reader pauses
    (「世帯主も国民健康保険に／入っていますか」); a phrase that would leave the line less
    than half full, or that no line holds, is set character by character."""
    lines: list[str] = []
    line, used = "", 0.0
    pending = deque(_phrases(text))
    hang = "".join(HANG)
    while pending:
        token = pending.popleft()
        w = measure(token)
        hung = measure(token.rstrip(hang))  # 。 may pass the edge
        if used + w <= width or used + hung <= width or token.isspace() or (not line and len(token) == 1):
            line += token
            used += w
            continue
        if len(token) > 1 and (not line or used < width / 2 or w > width):
            pending.extendleft(reversed(_pieces(token)))  # fill this line first
            continue
        carry = ""  # 追い出し: 「ょ」 takes its neighbour along, 「ー」」 both, 「 its word
        while len(line) > 1 and ((carry or token)[0] in NO_START or line[-1] in NO_END):
            carry, line = line[-1] + carry, line[:-1]
        lines.append(line.rstrip())
        line = carry + token
        used = measure(line)
    lines.append(line.rstrip())
    return lines


def _pieces(token: str) -> list[str]:
    """A phrase as its characters (Latin words whole), a single word as its characters."""
    parts = list(tokens(token))
    return parts if len(parts) > 1 else list(token)


def _phrases(text: str) -> Iterator[str]:
    """Japanese phrases whole; Latin text as its words (with their trailing space)."""
    for phrase in phrases(text):
        if any(is_wide(c) for c in phrase):
            yield phrase
        else:
            yield from tokens(phrase)
