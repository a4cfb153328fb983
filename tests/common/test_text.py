"""Japanese line breaking, one set of rules for paper and screen (common/text.py).

Widths are counted in half-width cells (a kana or kanji is two), as a monospaced font would
draw them; the real fonts are measured in tests/printouts/test_layout.py (paper) and by the
screens' journeys.
"""

from __future__ import annotations

import pytest

from common.text import break_lines, wrap

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
