"""Japanese line breaking, one set of rules for paper and screen (common/text.py).

Widths are counted in half-width cells (a kana or kanji is two), as a monospaced font would
draw them; the real fonts are measured in tests/printouts/test_layout.py (paper) and by the
screens' journeys.
"""

from __future__ import annotations

import itertools

import pytest

from common.text import break_lines, fit_scale, widest_word, wrap

# A line never starts with these (closing marks, punctuation, small kana, the long vowel
# mark, the wave dash, the ellipsis) and never ends with these (opening brackets, 〒).
NEVER_FIRST = ("。", "、", "」", "ょ", "ー", "）", "〜", "…", "ッ", "・")
NEVER_LAST = ("「", "（", "〒")
TEXTS = (
    "「住民票の写し」と「印鑑登録証明書」を、ちょうど一通ずつ請求します。",
    "マイナンバーカードの住所・氏名の変更（カードの持ち主）",
    "じゅうみんひょうのうつし、こせきとうほん（ぜんぶじこうしょうめい）をください。",
    "受付は平日8時30分〜17時15分です…ご注意ください。送付先：〒100-0001（東京都）",
    "ジューッと焼いた「コーヒー」ゼリー、ちょっとだけ。",
)


def width(char: str) -> float:
    return 1.0 if ord(char) < 0x2000 else 2.0  # half- and full-width, as on screen


def measure(text: str) -> float:
    return sum(width(c) for c in text)


def screen_lines(text: str, limit: float) -> list[str]:
    return break_lines(text, limit, width).split("\n")


def paper_lines(text: str, limit: float) -> list[str]:
    return wrap(text, limit, measure)


@pytest.mark.parametrize("lines", [screen_lines, paper_lines], ids=["screen", "paper"])
@pytest.mark.parametrize("text", TEXTS)
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
        lines: object, text: str) -> None:
    for limit in range(8, 60):
        broken = lines(text, limit)  # type: ignore[operator]
        assert "".join(broken).replace(" ", "") == text.replace(" ", ""), (limit, broken)
        for line in broken[1:]:
            assert not line.startswith(NEVER_FIRST), (limit, broken)
        for line in broken[:-1]:
            assert not line.endswith(NEVER_LAST), (limit, broken)


def test_paper_and_screen_keep_the_same_marks_together() -> None:
    # A wave dash and the postal mark: each algorithm once honoured only one of them.
    text = "受付は8時30分〜17時です。〒100-0001"
    for limit in range(10, 40):
        for lines in (screen_lines(text, limit), paper_lines(text, limit)):
            assert not any(line.startswith("〜") for line in lines[1:]), lines
            assert not any(line.endswith("〒") for line in lines[:-1]), lines


# -- the screen: balanced lines between phrases -------------------------------------------------


def test_japanese_breaks_between_phrases_never_before_closing_marks() -> None:
    assert break_lines("市内で引っ越した（転居）", 21, width) == "市内で引っ越した\n（転居）"
    warning = "あと1回まちがえるとカードがロックされ、市役所の窓口でしか解除できなくなります。"
    assert break_lines(warning, 30, width) == (
        "あと1回まちがえるとカードが\nロックされ、市役所の窓口でしか\n解除できなくなります。")
    # A phrase longer than the line is cut between its characters.
    assert break_lines("マイナンバーカード", 8, width) == "マイナ\nンバー\nカード"
    for limit in range(4, 16):
        lines = break_lines("じゅうみんひょうのうつし", limit, width).split("\n")
        assert not any(line.startswith(("ゅ", "ょ")) for line in lines), lines


def test_no_line_ends_with_an_opening_bracket_or_starts_with_a_small_kana() -> None:
    text = "マイナンバーカードの住所・氏名の変更（カードの持ち主）"
    for limit in range(6, 40):
        for line in break_lines(text, limit, width).split("\n"):
            assert not line.endswith("（") and not line.startswith(("）", "ー", "ッ", "・"))


def test_latin_breaks_at_spaces_and_lines_are_even() -> None:
    assert break_lines("Copy of resident record", 15, width) == "Copy of\nresident record"
    assert break_lines("戸籍謄本・抄本など", 16, width) == "戸籍謄本・\n抄本など"


def test_what_fits_is_left_alone() -> None:
    assert break_lines("住民票の写し", 100, width) == "住民票の写し"
    assert break_lines("A-005", 3, width) == "A-0\n05"  # a word longer than the line


# -- paper: greedy lines, a hanging 。 --------------------------------------------------------


def test_paper_lets_a_full_stop_hang_past_the_edge() -> None:
    assert paper_lines("出せません。", 10) == ["出せません。"]  # 12 cells, the 。 hangs
    assert paper_lines("出せません。", 9) == ["出せませ", "ん。"]


# -- never inside a word ----------------------------------------------------------------------


def cuts(text: str, limit: float) -> list[str]:
    """Each place a line ended, as 'before|after' (two characters each side)."""
    lines = screen_lines(text, limit)
    return [f"{a[-2:]}|{b[:2]}" for a, b in itertools.pairwise(lines)]


@pytest.mark.parametrize(("text", "word"), [
    ("マイナンバーカードの住所・氏名の変更", "マイナンバーカー|ド"),  # the menu tile
    ("所得・課税証明書", "課|税"),
    ("元の色にもどす", "も|どす"),  # 白黒反転's other label, large text
    ("文字を元の大きさにもどす", "も|どす"),
    ("もう一度カードを読む", "もう|一度"),
    ("次の画面が出るまでカードを置いたままにして、もう一度お試しください。", "もう|一度"),
    ("解除できなくなります。そのため、ここでは暗証番号をおたずねしません。", "その|ため"),
])
def test_japanese_never_breaks_inside_a_word(text: str, word: str) -> None:
    before, after = word.split("|")
    for limit in range(6, 2 * len(text)):
        lines = screen_lines(text, limit)
        assert "".join(lines) == text, (limit, lines)
        for line, following in itertools.pairwise(lines):
            assert not (line.endswith(before) and following.startswith(after)), (limit, lines)


def test_a_long_compound_breaks_where_its_words_meet() -> None:
    # Six cells a line less than the phrase 「マイナンバーカードの」: it breaks between
    # its words, not one character before its end.
    assert screen_lines("マイナンバーカードの住所・氏名の変更", 14) == [
        "マイナンバー", "カードの", "住所・氏名の", "変更"]
    assert screen_lines("所得・課税証明書", 12) == ["所得・", "課税証明書"]


def test_the_widest_word_says_how_far_a_label_must_shrink() -> None:
    assert widest_word("マイナンバーカードの住所・氏名の変更", width) == 12  # マイナンバー
    assert widest_word("所得・課税証明書", width) == 10  # 課税証明書
    assert widest_word("Copy of residence certificates", width) == len("certificates")
    assert widest_word("もう一度お試しください", width) == 12  # 試しください


@pytest.mark.parametrize("text", ["Seal registration certificate",
                                  "Copy of residence certificates"])
def test_latin_breaks_between_words_only(text: str) -> None:
    longest = max(len(word) for word in text.split())
    for limit in range(longest, len(text) + 2):
        lines = screen_lines(text, limit)
        assert " ".join(lines) == text, (limit, lines)  # whole words, nothing cut


def test_a_latin_word_wider_than_the_line_is_hyphenated_between_syllables() -> None:
    for word, limit in (("certificates", 10), ("registration", 9)):
        lines = screen_lines(word, limit)
        assert len(lines) == 2 and lines[0].endswith("-"), lines
        assert lines[0][:-1] + lines[1] == word
        # Before a consonant that opens a syllable, two letters at least on the line.
        assert lines[1][0] not in "aeiou" and lines[1][1] in "aeiou", lines
        assert len(lines[0]) >= 3 and len(lines[1]) >= 3
        assert all(len(line) <= limit for line in lines)
    for limit in range(5, 12):
        lines = screen_lines("Seal registration certificate", limit)
        joined = "".join(line[:-1] if line.endswith("-") else line + " " for line in lines)
        assert joined.strip() == "Seal registration certificate", (limit, lines)
        assert not any(line.endswith("-") and len(line) < 3 for line in lines), lines


def test_furigana_shrinks_to_stay_on_one_line() -> None:
    kana = "じゅうみんひょうのうつし"  # 24 cells
    assert fit_scale(kana, 30, width) == 1.0
    assert fit_scale(kana, 18, width) == 0.75
    assert fit_scale("", 10, width) == 1.0
