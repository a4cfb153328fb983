"""The completed official form: every shipped form, with maximal sample answers, read back as text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from common.flags import FlagCode, card_value_mark, needs_check
from forms.japanese_dates import format_era
from forms.loader import Library, load_library
from forms.model import Form
from printouts.layout import Fonts
from printouts.official_form import FLAG_MARKS, render_official_form
from printouts.samples import (
    SAMPLE_BIRTH_DATE,
    SAMPLE_NAME,
    SAMPLE_RARE_NAME,
    sample_answers,
    sample_flags,
    sample_my_number,
)
from printouts.values import options
from tests.printouts.documents_helpers import (
    OFFICE,
    TICKET,
    TODAY,
    page_count,
    page_size_mm,
    pdffonts,
    save_pngs,
    text_of,
    without_spaces,
)

LIBRARY = load_library()
FORM_IDS = sorted(LIBRARY.forms)


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


@pytest.fixture(scope="module")
def library() -> Library:
    return LIBRARY


def _render(form: Form, fonts: Fonts, answers: dict[str, Any] | None = None,
            flags: dict[str, list[str]] | None = None) -> bytes:
    answers = sample_answers(form, TODAY, stage="counter") if answers is None else answers
    doc = render_official_form(form=form, answers=answers, today=TODAY, office_name=OFFICE, fonts=fonts,
                               flags=flags, ticket=TICKET)
    assert doc.filename == f"{form.id}-form.pdf"
    assert doc.mime_type == "application/pdf"
    return doc.data


def _has_bind(form: Form, source: str) -> bool:
    return any(f.bind == source for f in form.all_fields())


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_form_holds_the_answers_in_japanese(form_id: str, library: Library, fonts: Fonts, tmp_path: Path) -> None:
    form = library.get(form_id)
    pdf = _render(form, fonts, flags=sample_flags(form))
    save_pngs(pdf, f"form-{form_id}")
    text = without_spaces(text_of(pdf))
    assert form.title.ja.replace(" ", "").replace("\u3000", "") in text
    assert f"申請日{format_era(TODAY)}" in text  # 令和7年4月1日
    assert OFFICE in text
    if _has_bind(form, "card.name"):
        assert without_spaces(SAMPLE_NAME) in text
    if _has_bind(form, "card.birth_date"):
        assert format_era(SAMPLE_BIRTH_DATE) in text  # 昭和60年6月15日
    assert "署名欄" in text
    assert "職員記入欄" in text and "確認書類" in text and "備考" in text and "受付者" in text
    width, height = page_size_mm(pdf)
    assert abs(width - 210) < 0.5 and abs(height - 297) < 0.5
    assert all(f.embedded for f in pdffonts(pdf, tmp_path))


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_choice_is_listed_beside_the_chosen_one(form_id: str, library: Library, fonts: Fonts) -> None:
    form = library.get(form_id)
    answers = sample_answers(form, TODAY, stage="counter")
    text = without_spaces(text_of(_render(form, fonts, answers)))
    for field in form.all_fields():
        if field.kind.is_choice and not field.kind.is_yes_no and field.id in answers:
            for _, label in options(form, field):
                assert without_spaces(label) in text, (field.id, label)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_no_two_bands_read_the_same(form_id: str, library: Library, fonts: Fonts) -> None:
    """A loose field after a section continues 申請の内容 as （つづき）, not as a second one."""
    text = without_spaces(text_of(_render(library.get(form_id), fonts)))
    assert text.count("申請の内容") - text.count("申請の内容（つづき）") <= 1


def test_rare_name_is_drawn_from_a_font_that_has_it(library: Library, fonts: Fonts, tmp_path: Path) -> None:
    form = library.get("juminhyo")
    answers = sample_answers(form, TODAY, stage="counter")
    assert answers["subject_name"] == SAMPLE_RARE_NAME
    runs = fonts.regular.runs(SAMPLE_RARE_NAME)
    rare = next(r for r in runs if "𠮷" in r.text)
    assert rare.font_name != fonts.regular.names[0]  # BIZ UD Gothic has no 𠮷 ...
    assert fonts.regular.has_all(rare.font_name, "𠮷")  # ... the fallback font has it
    assert not fonts.regular.shape(SAMPLE_RARE_NAME).missing
    pdf = _render(form, fonts, answers)
    embedded = {f.name.split("+")[-1] for f in pdffonts(pdf, tmp_path) if f.embedded}
    assert rare.font_name in embedded
    # ReportLab writes U+20BB7 into ToUnicode wrongly (docs/printouts.md), so search the rest.
    assert "田 髙橋" in text_of(pdf)


def test_my_number_is_printed_in_its_own_boxes_at_the_counter(library: Library, fonts: Fonts) -> None:
    form = next(f.form for f in library.forms.values() if any(x.kind.counter_only for x in f.form.all_fields()))
    counter = sample_answers(form, TODAY, stage="counter")
    number = sample_my_number()
    assert number in counter.values()
    assert number in without_spaces(text_of(_render(form, fonts, counter)))
    kiosk = sample_answers(form, TODAY)
    assert number not in kiosk.values()
    assert not re.search(r"\d{12}", without_spaces(text_of(_render(form, fonts, kiosk))))


def test_flags_are_marked_with_a_legend(library: Library, fonts: Fonts) -> None:
    form = library.get("juminhyo")
    text = without_spaces(text_of(_render(form, fonts, flags={"applicant_name": ["corrected"],
                                                              "subject_name": ["strange"]})))
    mark, legend = FLAG_MARKS["corrected"]
    assert text.count(mark) == 2  # beside the label, and in the legend
    assert without_spaces(legend) in text
    assert "※確認" in text and "(strange)" in text.replace("（", "(").replace("）", ")")


@pytest.mark.parametrize("code", list(FlagCode))
def test_every_mark_the_desk_asks_to_check_has_a_printed_mark(code: FlagCode) -> None:
    """A flag code added for the desk without a printed mark would reach the paper as ※確認
    and a bare code: the clerk holding the form would not know what to check."""
    assert code in FLAG_MARKS, f"no printed mark for {code!r}"
    mark, legend = FLAG_MARKS[code]
    assert mark.startswith("※") == needs_check(code) and legend


def test_a_sex_the_card_does_not_record_is_marked_and_a_kept_card_value_is_not(
        library: Library, fonts: Fonts) -> None:
    form = library.get("tennyu")
    flags: dict[str, list[str]] = {
        "members[0].sex": [FlagCode.SEX_NOT_KNOWN],
        "applicant_name": [FlagCode.FROM_CARD, FlagCode.CORRECTED, card_value_mark("見本 華子")]}
    text = without_spaces(text_of(_render(form, fonts, flags=flags)))
    assert text.count("※性別不明") == 2  # in the members' table, and in the legend
    assert "性別がカードに記録されていません。ご本人に確認してください。" in text
    assert text.count("※修正") == 2
    assert "※確認" not in text and "card_value" not in text and "見本華子" not in text


def test_a_character_no_font_has_is_shown_and_flagged(library: Library, fonts: Fonts) -> None:
    form = library.get("juminhyo")
    answers = {**sample_answers(form, TODAY, stage="counter"), "applicant_name": "金 한나"}
    text = without_spaces(text_of(_render(form, fonts, answers)))
    assert "〓(U+D55C)" in text
    assert FLAG_MARKS["missing_glyph"][0] in text


def test_unanswered_fields_are_left_out(library: Library, fonts: Fonts) -> None:
    form = library.get("juminhyo")
    answers = {**sample_answers(form, TODAY, stage="counter"), "applicant": "self"}
    answers.pop("submit_to", None)
    text = without_spaces(text_of(_render(form, fonts, answers)))
    assert "提出先" not in text
    assert "必要な人の氏名" not in text  # the section is hidden for 本人


def test_a_long_form_flows_onto_further_pages_with_the_title_repeated(library: Library, fonts: Fonts) -> None:
    form = library.get("kokuho")
    answers = sample_answers(form, TODAY, stage="counter")
    member = answers["members"][0]
    answers["members"] = [{**member, "member_name": f"見本 {i}郎"} for i in range(1, 16)]
    pdf = _render(form, fonts, answers)
    pages = page_count(pdf)
    assert pages >= 2
    text = text_of(pdf)
    assert f"{form.title.ja}（続き）" in text
    assert f"{pages} / {pages}" in text
    flat = without_spaces(text)
    for i in range(1, 16):
        assert f"見本{i}郎" in flat
    save_pngs(pdf, "form-kokuho-15-members")


def test_dates_in_a_western_calendar_field_stay_western() -> None:
    from forms.model import FormField  # noqa: PLC0415 - only this test builds a field by hand
    from forms.reading import read_date  # noqa: PLC0415

    field = FormField.model_validate({"id": "d", "type": "date", "label": "日", "calendar": "western"})
    assert read_date(field, "2025-04-01", "ja") == "2025年4月1日"
    era = FormField.model_validate({"id": "d", "type": "date", "label": "日"})
    assert read_date(era, "2019-05-01", "ja") == "令和元年5月1日"
