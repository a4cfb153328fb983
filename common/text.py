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
import itertools
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


# --- words: where a line may end inside a phrase, and where never ---------------------------

# Words BudouX cuts apart that a reader takes as one (its model reads 「もう／一度」,
# 「その／ため」, 「色にも／どす」), and compounds of the kiosk's texts with the one place
# where they may break, marked "|" (「マイナンバー／カード」, never 「マイナンバーカー／ド」).
WORDS = (
    "もう一度", "そのため", "このため", "もどす", "もどる", "もどり", "もどっ",
    "マイナンバー|カード", "課税", "証明書", "住民票", "キーボード",
)
# After these a long phrase may break: the middle dot between nouns (「所得・／課税」).
WORD_END = frozenset("・／")


@functools.cache
def _glossary() -> tuple[tuple[str, frozenset[int]], ...]:
    """WORDS as (word, the offsets inside it where it may break)."""
    out = []
    for word in WORDS:
        marks, at = set(), 0
        for part in word.split("|")[:-1]:
            at += len(part)
            marks.add(at)
        out.append((word.replace("|", ""), frozenset(marks)))
    return tuple(out)


def _listed(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Offsets inside a listed word: those where it must not break, those where it may."""
    closed: set[int] = set()
    marked: set[int] = set()
    for word, marks in _glossary():
        found = text.find(word)
        while found >= 0:
            for i in range(1, len(word)):
                (marked if i in marks else closed).add(found + i)
            found = text.find(word, found + 1)
    return frozenset(closed - marked), frozenset(marked)


def _script(char: str) -> str:
    if "\u3041" <= char <= "\u309f":
        return "hiragana"
    if "\u30a0" <= char <= "\u30ff":
        return "katakana"
    return "kanji" if is_wide(char) else "latin"


def word_breaks(text: str) -> frozenset[int]:
    """Where a phrase too long for a line may end without cutting a word: after 「・」, at a
    listed word's mark, and where kana (a particle, an ending) meets the next word's kanji
    or katakana (「住所の／変更」); never inside a listed word."""
    closed, marked = _listed(text)
    found = set(marked)
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if before in WORD_END or (_script(before) == "hiragana"
                                   and _script(after) in ("kanji", "katakana")):
            found.add(i)
    return frozenset(found - closed)


def phrase_starts(text: str) -> frozenset[int]:
    """Where a reader may pause: each phrase's start, and after each space (not inside a
    listed word: BudouX's 「もう／一度」 is one word)."""
    starts, at = set(), 0
    for chunk in phrases(text):
        at += len(chunk)
        starts.add(at)
    starts.update(i + 1 for i, c in enumerate(text) if c == " ")
    closed, _marked = _listed(text)
    return frozenset(starts - closed)


def words(text: str) -> list[str]:
    """`text` cut at every place a line may end without cutting a word (spaces dropped):
    the pieces that a screen must show whole, shrinking its font if it has to."""
    cuts = sorted({0, len(text)} | phrase_starts(text) | word_breaks(text))
    pieces = (text[a:b].strip(" ") for a, b in itertools.pairwise(cuts))
    return [piece for chunk in pieces for piece in chunk.split(" ") if piece]


def widest_word(text: str, char_width: Measure) -> float:
    """The width of the widest piece of `words(text)`: a line narrower than this must cut
    a word (or the font must shrink)."""
    return max((sum(char_width(c) for c in word) for word in words(text)), default=0.0)


def fit_scale(text: str, width: float, char_width: Measure) -> float:
    """The factor (at most 1) by which the font must shrink for `text` to fit one line
    (furigana: one line above its word, smaller if it must be)."""
    needed = sum(char_width(c) for c in text)
    return 1.0 if needed <= width or needed <= 0 else width / needed


# --- the screen: balanced lines -----------------------------------------------------------


def break_lines(text: str, width: float, char_width: Measure) -> str:
    """`text` with '\\n' where its lines should end to fit `width`, measured per character
    (the screen's labels: Kivy then wraps nothing itself). Japanese ends lines between
    phrases, Latin between words; a word wider than the line is hyphenated (Latin) or, as
    a last resort, cut. Callers that can shrink the font do so first (`widest_word`)."""
    if width <= 0:
        return text
    return "\n".join(line for paragraph in text.split("\n")
                     for line in _balanced(paragraph, width, char_width))


def _balanced(text: str, width: float, char_width: Measure) -> list[str]:
    """As few lines as at full width, but of even length: no word or kana left alone on
    the last line (「戸籍謄本・抄本な／ど」 becomes 「戸籍謄本・／抄本など」), and never by
    cutting a phrase that the full-width lines kept whole."""
    pauses, inner = phrase_starts(text), word_breaks(text)
    lines, cut_words = _paragraph(text, width, char_width, (pauses, inner))
    if len(lines) < 2:
        return lines
    target = sum(char_width(c) for c in text) / len(lines)
    while target < width:
        even, even_cut_words = _paragraph(text, target, char_width, (pauses, inner))
        if len(even) <= len(lines) and even_cut_words <= cut_words:
            return even
        target *= 1.04
    return lines


Breaks = tuple[frozenset[int], frozenset[int]]  # phrase starts, word breaks inside phrases


def _paragraph(text: str, width: float, char_width: Measure,
               breaks: Breaks) -> tuple[list[str], int]:
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
        cut, hyphen = _cut(text, start, end, breaks), ""
        if cut is None:
            cut, hyphen = _inside_word(text, start, end, width, char_width)
        inside += cut not in breaks[0]
        lines.append(text[start:cut].rstrip(" ") + hyphen)
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
    return lines or [""], inside


def _cut(text: str, start: int, end: int, breaks: Breaks) -> int | None:
    """Where the line from `start` ends, `end` being the first character that does not fit:
    the last phrase boundary, else the last word boundary inside a phrase, each first
    where it leaves the line at least half full; None when only a word can be cut."""
    allowed = [p for p in range(end, start, -1) if may_break(text[p - 1], text[p])]
    half = start + (end - start) / 2
    for least in (half, start + 1):
        for found in breaks:
            at = next((p for p in allowed if p in found and p >= least), None)
            if at is not None:
                return at
    return None


def _inside_word(text: str, start: int, end: int, width: float,
                 char_width: Measure) -> tuple[int, str]:
    """A word wider than the line: a Latin word is hyphenated before a consonant that
    starts a syllable (「certifi-／cates」); anything else is cut at the last place the
    禁則 rules allow, or where it must."""
    hyphen = _hyphen_at(text, start, end, width, char_width)
    if hyphen is not None:
        return hyphen, "-"
    closed, _marked = _listed(text)
    allowed = [p for p in range(end, start, -1) if may_break(text[p - 1], text[p])]
    outside = [p for p in allowed if p not in closed]
    cut = (outside or allowed or [max(end, start + 1)])[0]
    return cut, ""


_VOWELS = frozenset("aeiouyAEIOUY")


def _hyphen_at(text: str, start: int, end: int, width: float,
               char_width: Measure) -> int | None:
    if not (_is_letter(text[end - 1]) and _is_letter(text[end])):
        return None
    first = end
    while first > start and _is_letter(text[first - 1]):
        first -= 1
    last = end
    while last < len(text) and _is_letter(text[last]):
        last += 1
    room = width - char_width("-")
    for at in range(end - 1, first + 1, -1):  # two letters at least before, three after
        if last - at < 3 or text[at] in _VOWELS or text[at + 1] not in _VOWELS:
            continue
        if sum(char_width(c) for c in text[start:at]) <= room:
            return at
    return None


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


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
