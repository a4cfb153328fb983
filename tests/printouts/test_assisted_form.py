"""The assisted-entry paper form: every shipped form, its reference QR, and plain-language conditions."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from forms.engine import prefill
from forms.loader import Library, load_library
from forms.model import Form
from printouts.assisted_form import form_reference, parse_form_reference, render_assisted_form
from printouts.conditions import GENERIC, plain_condition
from printouts.layout import Fonts
from printouts.samples import SAMPLE_NAME, sample_card, sample_my_number
from tests.printouts.documents_helpers import (
    OFFICE,
    QR_ALPHANUMERIC,
    TODAY,
    pdffonts,
    rasterise,
    read_qr,
    save_pngs,
    text_of,
    without_spaces,
    zbar,
)

LIBRARY = load_library()
FORM_IDS = sorted(LIBRARY.forms)


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


@pytest.fixture(scope="module")
def library() -> Library:
    return LIBRARY


def _render(form: Form, fonts: Fonts, answers: dict[str, object] | None = None) -> bytes:
    doc = render_assisted_form(form=form, today=TODAY, office_name=OFFICE, fonts=fonts, answers=answers)
    assert doc.filename == f"{form.id}-assisted.pdf"
    return doc.data


def _known(form: Form) -> dict[str, object]:
    return prefill(form, card=sample_card(), office={"name": OFFICE}, today=TODAY)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_assisted_form_renders_with_its_reference_code(form_id: str, library: Library, fonts: Fonts,
                                                       tmp_path: Path) -> None:
    form = library.get(form_id)
    pdf = _render(form, fonts, _known(form))
    save_pngs(pdf, f"assisted-{form_id}")
    image = rasterise(pdf, 150)
    png = tmp_path / "page1.png"
    image.save(png)
    assert read_qr(image) == [form_reference(form)]
    assert zbar(png) == form_reference(form)
    text = without_spaces(text_of(pdf))
    assert form.title.ja.replace(" ", "").replace("\u3000", "") in text
    assert "記入用紙" in text and "職員記入欄" in text
    assert all(f.embedded for f in pdffonts(pdf, tmp_path))
    if any(f.kind.is_date and f.calendar == "era" for f in form.all_fields()):
        assert "昭和" in text and "令和" in text


def test_known_values_are_printed_in(library: Library, fonts: Fonts) -> None:
    form = library.get("juminhyo")
    blank = without_spaces(text_of(_render(form, fonts)))
    filled = without_spaces(text_of(_render(form, fonts, _known(form))))
    assert without_spaces(SAMPLE_NAME) not in blank
    assert without_spaces(SAMPLE_NAME) in filled
    assert "60年6月15日" not in blank  # the birth date boxes are empty ...
    assert "60年6月15日" in filled  # ... until the card's date fills them (昭和 circled)


def test_the_kiosk_ticket_is_printed_large_at_the_top(library: Library, fonts: Fonts) -> None:
    """The resident's number heads page 1 with the counter to take it to, larger than the
    title, and is repeated on every following page; a form printed without one has none."""
    form = library.get("juminhyo")
    pdf = render_assisted_form(form=form, today=TODAY, office_name=OFFICE, fonts=fonts,
                               ticket="A-012", counter="市民課 住民記録係").data
    save_pngs(pdf, "assisted-juminhyo-ticket")
    pages = [without_spaces(page) for page in _page_texts(pdf)]
    assert len(pages) > 1
    assert pages[0].startswith("番号札A-012市民課住民記録係の窓口へお持ちください。")
    assert all("番号札A-012" in page for page in pages[1:])
    assert _glyph_height(pdf, "A-012") > 1.3 * _glyph_height(pdf, form.title.ja)
    assert "番号札" not in text_of(_render(form, fonts))


def _page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def _glyph_height(pdf: bytes, text: str) -> float:
    """The height, in points, of the first character of `text` on page 1."""
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[0].get_textpage()
        _left, bottom, _right, top = textpage.get_charbox(textpage.get_text_range().index(text))
        return float(top - bottom)
    finally:
        doc.close()


def test_conditions_are_written_as_instructions(library: Library, fonts: Fonts) -> None:
    text = without_spaces(text_of(_render(library.get("juminhyo"), fonts)))
    assert "本人以外の方のみ" in text
    assert "「何に使いますか」で「その他」を選んだ方のみ" in text


def test_the_12_digit_number_is_never_asked_for_on_paper(library: Library, fonts: Fonts) -> None:
    form = next(f.form for f in library.forms.values() if any(x.kind.counter_only for x in f.form.all_fields()))
    answers = {**_known(form), "my_number": sample_my_number()}
    text = without_spaces(text_of(_render(form, fonts, answers)))
    assert sample_my_number() not in text
    assert "ここには書かないでください" in text


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_reference_round_trips_and_survives_scanners(form_id: str, library: Library) -> None:
    form = library.get(form_id)
    ref = form_reference(form)
    assert QR_ALPHANUMERIC.match(ref)
    assert parse_form_reference(ref) == (form.id, form.version)
    assert parse_form_reference(ref.lower()) == (form.id, form.version)  # Caps Lock
    assert parse_form_reference(ref.replace("/", ":") + "\r\n") == (form.id, form.version)


def test_reference_refuses_other_texts() -> None:
    for text in ("", "KS1-ABC", "FORM/JUMINHYO", "FORM/JUMINHYO/X", "FORM/1ABC/1", "hello"):
        assert parse_form_reference(text) is None
    assert parse_form_reference("FORM/JUMINHYO-KISAI/1") == ("juminhyo_kisai", 1)


FORM_YAML = {
    "id": "t", "version": 1, "category": "certificate", "counter": "resident",
    "title": {"ja": "テスト申請書", "ja_kana": "てすと"},
    "applicants": [{"kind": "self", "label": "本人"}, {"kind": "agent", "label": "代理人"}],
    "fields": [
        {"id": "applicant", "type": "applicant", "label": "来た人"},
        {"id": "purpose", "type": "choice", "label": "使いみち",
         "choices": [{"value": "work", "label": "仕事"}, {"value": "other", "label": "その他"}]},
        {"id": "kinds", "type": "multi_choice", "label": "種類",
         "choices": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}]},
        {"id": "married", "type": "yes_no", "label": "結婚していますか"},
        {"id": "n", "type": "integer", "label": "人数"},
    ],
}


@pytest.mark.parametrize(("source", "said"), [
    ("applicant == 'agent'", "代理人の方のみ"),
    ("applicant != 'self'", "本人以外の方のみ"),
    ("purpose == 'other'", "「使いみち」で「その他」を選んだ方のみ"),
    ("purpose != 'work'", "「使いみち」で「仕事」以外を選んだ方のみ"),
    ("purpose in ['work', 'other']", "「使いみち」で「仕事」か「その他」を選んだ方のみ"),
    ("'a' in kinds", "「種類」で「甲」を選んだ方のみ"),
    ("'a' in kinds or 'b' in kinds", "「種類」で「甲」か「乙」を選んだ方のみ"),
    ("married", "「結婚していますか」で「はい」を選んだ方のみ"),
    ("not married", "「結婚していますか」で「いいえ」を選んだ方のみ"),
    ("married == false", "「結婚していますか」で「いいえ」を選んだ方のみ"),
    ("applicant == 'agent' and purpose == 'other'", "代理人で、「使いみち」で「その他」を選んだ方のみ"),
    ("married and purpose == 'work'", "「結婚していますか」で「はい」を選び、「使いみち」で「仕事」を選んだ方のみ"),
    ("n > 2", GENERIC),
    ("count(kinds) >= 1", GENERIC),
    ("purpose == 'nonexistent'", GENERIC),
    ("(", GENERIC),
])
def test_plain_condition(source: str, said: str) -> None:
    form = Form.model_validate(FORM_YAML)
    assert plain_condition(form, source) == said


def test_no_condition_no_instruction() -> None:
    assert plain_condition(Form.model_validate(FORM_YAML), None) == ""
