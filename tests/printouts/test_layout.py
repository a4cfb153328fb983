"""Line breaking on paper: between phrases, with 禁則, long phrases and words cut to fit."""

from __future__ import annotations

import pytest

from printouts.layout import Fonts, wrap

SIZE = 10.0


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


def em(n: float) -> float:
    return n * SIZE  # BIZ UD Gothic's full-width characters are one em wide


def test_lines_end_between_phrases(fonts: Fonts) -> None:
    assert wrap("世帯主も国民健康保険に入っていますか（入りますか）", em(12), SIZE, fonts) == [
        "世帯主も国民健康保険に", "入っていますか", "（入りますか）"]
    assert wrap("引っ越す前には出せません。代理人が来るときは委任状が必要です。", em(8), SIZE, fonts) == [
        "引っ越す前には", "出せません。", "代理人が来る", "ときは委任状が", "必要です。"]


def test_a_closing_mark_hangs_rather_than_starting_a_line(fonts: Fonts) -> None:
    for width in range(6, 20):
        for line in wrap("引っ越す前には出せません。代理人が来るときは委任状が必要です。", em(width), SIZE, fonts):
            assert not line.startswith(("。", "、", "）")), line


def test_a_phrase_longer_than_half_the_line_is_cut_between_characters(fonts: Fonts) -> None:
    lines = wrap("マイナンバーカードから読み取ります", em(5), SIZE, fonts)
    assert all(fonts.width(line, SIZE) <= em(5) for line in lines)
    assert "".join(lines) == "マイナンバーカードから読み取ります"


def test_latin_words_stay_whole_unless_longer_than_the_line(fonts: Fonts) -> None:
    width = fonts.width("Copy of resident ", SIZE)
    assert wrap("Copy of resident record", width, SIZE, fonts) == ["Copy of resident", "record"]
    assert "".join(wrap("Supercalifragilistic", em(5), SIZE, fonts)) == "Supercalifragilistic"
