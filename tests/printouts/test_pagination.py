"""Paper that holds together: how the official and the assisted-entry forms break into pages.

A clerk reads a form by its bands. Each test renders a form to PDF and reads it back as a
site would (pdfium's text of each page, the page rasterised): a band is on every page that
holds its rows, a section that fits on a page is never split, the signature and staff boxes
are never on a page without an answer, and the thick frame is closed at the foot of a page
it breaks at and opened again at the head of the next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image

from forms.loader import load_library
from forms.model import Form
from printouts.assisted_form import render_assisted_form
from printouts.layout import Fonts, mm
from printouts.official_form import render_official_form
from printouts.samples import sample_answers
from tests.printouts.documents_helpers import (
    COUNTER,
    OFFICE,
    TICKET,
    TODAY,
    page_count,
    rasterise,
    save_pngs,
    without_spaces,
)

BANK = "振込先口座"
BANK_LABELS = ("金融機関名", "支店名", "預金の種類", "口座番号", "口座名義（フリガナ）")
BANK_ANSWERS = {"bank_name": "みほん銀行", "branch_name": "本店営業部", "account_type": "ordinary",
                "account_number": "0123456", "account_holder": "ミホン　ハナコ"}
# Both forms: A4, 15 mm side margins, 16 mm below (printouts/official_page.py, assisted_form.py).
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM, FRAME_W = mm(15), mm(12), mm(16), mm(180)
DPI = 300
SIGNATURE = "自署してください"  # in the 署名欄 (page 1's heading names 署名欄 too)

Render = Callable[[Form, dict[str, Any]], bytes]


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


def _official(fonts: Fonts) -> Render:
    def render(form: Form, answers: dict[str, Any]) -> bytes:
        return render_official_form(form=form, answers=answers, today=TODAY, office_name=OFFICE, fonts=fonts,
                                    ticket=TICKET).data
    return render


def _assisted(fonts: Fonts) -> Render:
    def render(form: Form, answers: dict[str, Any]) -> bytes:
        return render_assisted_form(form=form, today=TODAY, office_name=OFFICE, fonts=fonts, answers=answers,
                                    ticket=TICKET, counter=COUNTER).data
    return render


RENDERS = {"official": _official, "assisted": _assisted}


# --- the forms ------------------------------------------------------------------------


def _question(n: int) -> dict[str, Any]:
    return {"id": f"q{n:02d}", "type": "text", "label": f"確認事項{n}", "max_length": 40}


def _bank_section() -> dict[str, Any]:
    return {"id": "payment", "type": "section", "label": BANK, "fields": [
        {"id": "bank_name", "type": "text", "label": "金融機関名", "max_length": 40},
        {"id": "branch_name", "type": "text", "label": "支店名", "max_length": 40},
        {"id": "account_type", "type": "choice", "label": "預金の種類", "choices": [
            {"value": "ordinary", "label": "普通"}, {"value": "current", "label": "当座"}]},
        {"id": "account_number", "type": "text", "label": "口座番号", "max_length": 7},
        {"id": "account_holder", "type": "katakana", "label": "口座名義（フリガナ）", "max_length": 30}]}


def _form(fields: list[dict[str, Any]]) -> Form:
    return Form.model_validate({
        "id": "pagination_check", "version": 1, "category": "welfare", "counter": "child",
        "title": {"ja": "手当 請求書（試し刷り）", "ja_kana": "てあて せいきゅうしょ"},
        "applicants": [{"kind": "self", "label": "本人"}], "fields": fields})


def _answers(form: Form) -> dict[str, Any]:
    return {f.id: BANK_ANSWERS.get(f.id, "記入例です") for f in form.all_fields()
            if f.kind.single_answer}


def _bank_form(questions: int) -> Form:
    """Some questions, then the bank account section, then one last question."""
    return _form([*(_question(n) for n in range(1, questions + 1)), _bank_section(), _question(99)])


# --- reading the PDF ------------------------------------------------------------------


def _pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in doc:
            textpage = page.get_textpage()
            texts.append(without_spaces(textpage.get_text_range()))
            textpage.close()
        return texts
    finally:
        doc.close()


def _pages_with_any(pages: list[str], texts: tuple[str, ...]) -> list[int]:
    return [i for i, page in enumerate(pages) if any(t in page for t in texts)]


def _assert_band_on_every_page_of_its_rows(pages: list[str], band: str, rows: tuple[str, ...]) -> None:
    holding = _pages_with_any(pages, rows)
    assert holding, f"no row of {band} found"
    for i in holding:
        assert band in pages[i], f"page {i + 1} holds rows of {band} without its band"
    for i in holding[1:]:
        assert f"{band}（続き）" in pages[i], f"page {i + 1} continues {band} without saying so"


# --- sections ---------------------------------------------------------------------------


@pytest.mark.parametrize("document", RENDERS)
def test_a_section_that_fits_a_page_stays_on_one_page(document: str, fonts: Fonts) -> None:
    """Wherever the questions before it leave the bank account section, it is never split."""
    render = RENDERS[document](fonts)
    straddled = 0
    for questions in range(8, 30):
        form = _bank_form(questions)
        pdf = render(form, _answers(form))
        pages = _pages(pdf)
        holding = _pages_with_any(pages, BANK_LABELS)
        assert len(holding) == 1, f"{questions} questions before it: {BANK} split over pages {holding}"
        assert BANK in pages[holding[0]]
        straddled += holding[0] > 0 and any(f"確認事項{questions}" in p for p in pages[:holding[0]])
    assert straddled, "no case pushed the section past a page break: the test would prove nothing"


@pytest.mark.parametrize("document", RENDERS)
def test_a_section_longer_than_a_page_carries_its_band(document: str, fonts: Fonts) -> None:
    section = {"id": "income", "type": "section", "label": "世帯の収入の状況",
               "fields": [_question(n) for n in range(1, 46)]}
    form = _form([_question(90), section, _question(99)])
    pdf = RENDERS[document](fonts)(form, _answers(form))
    save_pngs(pdf, f"pagination-{document}-long-section")
    pages = _pages(pdf)
    rows = tuple(f"確認事項{n}" for n in range(1, 46))
    assert len(_pages_with_any(pages, rows)) >= 2
    _assert_band_on_every_page_of_its_rows(pages, "世帯の収入の状況", rows)


def test_a_household_table_carries_its_band_and_header(fonts: Fonts) -> None:
    form = load_library().get("kokuho")
    answers = sample_answers(form, TODAY, stage="counter")
    member = answers["members"][0]
    answers["members"] = [{**member, "member_name": f"見本 {i}郎"} for i in range(1, 41)]
    pdf = _official(fonts)(form, answers)
    save_pngs(pdf, "pagination-official-kokuho-40-members")
    pages = _pages(pdf)
    band = next(f.label.ja for f in form.fields if f.id == "members")
    names = tuple(f"見本{i}郎" for i in range(1, 41))
    _assert_band_on_every_page_of_its_rows(pages, band, names)
    for i in _pages_with_any(pages, names):
        assert "No." in pages[i]  # the column header comes with the band


# --- the end of the form ------------------------------------------------------------------


@pytest.mark.parametrize("document", RENDERS)
def test_signature_and_staff_boxes_stay_with_the_last_answers(document: str, fonts: Fonts) -> None:
    """However many questions push them down, the boxes that close the form share a page with
    an answer (the last question at least), and with each other."""
    render = RENDERS[document](fonts)
    pushed = 0
    for questions in range(20, 44):
        form = _form([_question(n) for n in range(1, questions + 1)])
        pages = _pages(render(form, _answers(form)))
        last = pages[-1]
        assert "職員記入欄" in last
        if document == "official":
            assert SIGNATURE in last
            assert all(SIGNATURE not in p and "職員記入欄" not in p for p in pages[:-1])
        assert f"確認事項{questions}" in last, f"{questions} questions: the closing boxes stand alone"
        pushed += len(pages) > 1
    assert pushed, "no case put the closing boxes on a second page: the test would prove nothing"


# --- the frame ------------------------------------------------------------------------------


INK = 217  # a grey darker than this is ink (the label cells' shading, 237, is not)


def _dark(image: Image.Image, x: int, y: int) -> bool:
    value = image.getpixel((x, y))
    assert isinstance(value, int)
    return value < 128


def _row(image: Image.Image, y: int) -> list[int]:
    left, right = round(MARGIN_X * DPI / 72), round((MARGIN_X + FRAME_W) * DPI / 72)
    return list(image.crop((left, y, right, y + 1)).tobytes())  # mode L: one byte a pixel


def _dark_across(image: Image.Image, y: int, level: int = 128) -> float:
    """The share of the frame's width that is ink on pixel row `y`."""
    row = _row(image, y)
    return sum(v < level for v in row) / len(row)


def _rule_thickness(image: Image.Image, y: int, step: int) -> float:
    """How thick, in pixels, the rule across the whole frame is that starts at row `y` and
    runs in the direction `step` (its anti-aliased rows counted by their greyness)."""
    ink = 0.0
    while 0 <= y < image.height and _dark_across(image, y, INK) >= 0.97:
        row = _row(image, y)
        ink += sum(255 - v for v in row) / 255 / len(row)
        y += step
    return ink


def _side_thickness(image: Image.Image, y: int) -> float:
    edge = round(MARGIN_X * DPI / 72)
    values = image.crop((edge - 8, y, edge + 9, y + 1)).tobytes()
    return sum((255 - v) / 255 for v in values if v < INK)


def _frame_ends(image: Image.Image) -> tuple[float, float, float]:
    """Thickness of the frame's first and last horizontal rules, and of its left side.

    The frame's left edge is followed down from below the page's heading and up from the
    bottom margin: where it starts and ends there must be a rule across the frame's width.
    """
    edge = round(MARGIN_X * DPI / 72)
    bottom = round((297 / 25.4 * 72 - MARGIN_BOTTOM) * DPI / 72) + 4
    first = next(y for y in range(round(MARGIN_TOP * DPI / 72), bottom) if _dark(image, edge, y))
    last = next(y for y in range(bottom, first, -1) if _dark(image, edge, y))
    # the edge column is where a rule's anti-aliased end is palest: take its rows from the middle
    while _dark_across(image, first - 1) > 0.5:
        first -= 1
    while _dark_across(image, last + 1) > 0.5:
        last += 1
    assert all(_dark_across(image, y) == 0 for y in range(last + 1, bottom)), "ink below the frame"
    return (_rule_thickness(image, first, 1), _rule_thickness(image, last, -1),
            _side_thickness(image, (first + last) // 2))


@pytest.mark.parametrize(("document", "name"), [("assisted", "long-section"), ("assisted", "loose-questions"),
                                                ("official", "long-section")])
def test_the_frame_is_closed_at_a_page_break_and_opened_again(document: str, name: str, fonts: Fonts) -> None:
    if name == "loose-questions":
        form = _form([_question(n) for n in range(1, 40)])
    else:
        form = _form([_question(90), {"id": "income", "type": "section", "label": "世帯の収入の状況",
                                      "fields": [_question(n) for n in range(1, 60)]}])
    pdf = RENDERS[document](fonts)(form, _answers(form))
    save_pngs(pdf, f"pagination-{document}-frame-{name}")
    count = page_count(pdf)
    assert count >= 2
    for page in range(count - 1):  # the last page ends with the staff box, below the frame
        top, bottom, side = _frame_ends(rasterise(pdf, DPI, page))
        assert side > 4, f"page {page + 1}: the frame's side was not found"
        assert bottom > side * 0.8, f"page {page + 1}: the frame's foot is {bottom:.1f} px, its side {side:.1f}"
        if page:
            assert top > side * 0.8, f"page {page + 1}: the frame's head is {top:.1f} px, its side {side:.1f}"
