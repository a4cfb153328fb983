"""The kiosk slip, rendered for every shipped form and read back the way a counter would."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from forms.loader import Library, load_library
from forms.model import Form
from printouts.layout import Fonts, mm
from printouts.qr import module_dots, qr_matrix
from printouts.samples import (
    SAMPLE_ADDRESS,
    SAMPLE_NAME,
    SAMPLE_NEW_ADDRESS,
    SAMPLE_PHONE,
    SAMPLE_RARE_NAME,
    sample_answers,
)
from printouts.slip import A5, MY_NUMBER_NOTICE, RECEIPT_80, Procedure, SlipPaper, render_slip
from tests.printouts.documents_helpers import (
    COUNTER,
    ISSUED_AT,
    OFFICE,
    QR_ALPHANUMERIC,
    TICKET,
    TODAY,
    glyphs,
    page_count,
    page_size_mm,
    pdffonts,
    qr_box,
    rasterise,
    read_qr,
    save_pngs,
    slip_text,
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


def _slip(forms: list[Form], fonts: Fonts, *, qr: str | None = None, paper: SlipPaper = RECEIPT_80,
          answers: list[dict[str, object]] | None = None, counters: list[str] | None = None) -> bytes:
    procedures = [Procedure(f, a, c) for f, a, c in zip(
        forms, answers or [sample_answers(f, TODAY) for f in forms], counters or [COUNTER] * len(forms),
        strict=True)]
    doc = render_slip(ticket=TICKET, procedures=procedures, qr_text=qr or slip_text(), office_name=OFFICE,
                      issued_at=ISSUED_AT, fonts=fonts, paper=paper)
    assert doc.mime_type == "application/pdf"
    assert doc.filename.endswith(".pdf")
    return doc.data


def test_shipped_library_loads_without_errors(library: Library) -> None:
    assert library.forms, "no shipped forms"
    assert not library.errors, [p.render("en") for p in library.errors]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_slip_qr_reads_back_at_203_dpi_with_two_readers(form_id: str, library: Library, fonts: Fonts,
                                                        tmp_path: Path) -> None:
    text = slip_text()
    pdf = _slip([library.get(form_id)], fonts, qr=text)
    image = rasterise(pdf, 203)
    png = tmp_path / "slip-203dpi.png"
    image.save(png)
    save_pngs(pdf, f"slip-{form_id}")
    assert read_qr(image) == [text]
    assert zbar(png) == text


def test_slip_qr_modules_sit_on_whole_printer_dots(library: Library, fonts: Fonts) -> None:
    """At 203 dpi every module edge falls on a pixel edge: the code is pure black and white."""
    image = rasterise(_slip([library.get("juminhyo")], fonts), 203)
    left, top, right, bottom = qr_box(image)
    histogram = image.crop((left, top, right + 1, bottom + 1)).histogram()
    grey = sum(histogram[16:240])
    assert grey / sum(histogram) < 0.002


def test_slip_page_is_whole_dots_and_80_mm_wide(library: Library, fonts: Fonts) -> None:
    pdf = _slip([library.get("juminhyo")], fonts)
    width, height = page_size_mm(pdf)
    assert 79.8 < width <= 80.0
    for size in (width, height):
        dots = size / 25.4 * 203
        assert abs(dots - round(dots)) < 0.01


def test_module_size_is_at_least_three_dots_for_the_largest_payload() -> None:
    """The design's budget (version 25 at level M) still prints 3-dot modules within 72 mm."""
    matrix = qr_matrix(slip_text(1400))
    assert matrix.version <= 25
    dots = module_dots(matrix, dpi=203, max_width_pt=RECEIPT_80.content_width)
    assert dots >= 3
    assert dots * matrix.size <= 576  # the 72 mm a 80 mm head prints


def test_large_payload_still_reads_at_203_dpi(library: Library, fonts: Fonts) -> None:
    text = slip_text(1400)
    assert QR_ALPHANUMERIC.match(text)
    image = rasterise(_slip([library.get("tennyu")], fonts, qr=text), 203)
    assert read_qr(image) == [text]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_slip_fonts_are_all_embedded(form_id: str, library: Library, fonts: Fonts, tmp_path: Path) -> None:
    listed = pdffonts(_slip([library.get(form_id)], fonts), tmp_path)
    assert listed
    assert all(f.embedded for f in listed), listed
    assert any("BIZUDGothic" in f.name for f in listed)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_slip_shows_nothing_personal(form_id: str, library: Library, fonts: Fonts) -> None:
    form = library.get(form_id)
    answers = sample_answers(form, TODAY)
    text = text_of(_slip([form], fonts, answers=[answers]))
    flat = without_spaces(text)
    for secret in (SAMPLE_NAME, SAMPLE_RARE_NAME, SAMPLE_ADDRESS, SAMPLE_NEW_ADDRESS, SAMPLE_PHONE, "花子", "髙橋",
                   "中央一丁目", "桜が丘",
                   "昭和60年", "1985"):
        assert without_spaces(secret) not in flat, secret
    assert not re.search(r"\d{12}", flat)


def test_ticket_number_is_the_largest_text_and_at_the_top(library: Library, fonts: Fonts) -> None:
    pdf = _slip([library.get("juminhyo")], fonts)
    chars = glyphs(pdf)
    _, page_h = page_size_mm(pdf)
    ticket = [g for g in chars if g.char in TICKET and g.height > 30]
    assert "".join(g.char for g in ticket) == TICKET
    others = [g for g in chars if g not in ticket]
    assert min(g.height for g in ticket) > 2.5 * max(g.height for g in others)
    top_mm = (page_h * 72 / 25.4 - max(g.top for g in ticket)) * 25.4 / 72
    assert top_mm < 20
    above = [g.char for g in others if g.top > min(t.bottom for t in ticket)]
    assert "".join(above) == "受付番号"  # only its small label comes before it


def test_several_procedures_with_fees_and_total(library: Library, fonts: Fonts) -> None:
    first, second = library.get("juminhyo"), library.get("juminhyo_kisai")
    a1 = {**sample_answers(first, TODAY), "copies": 2}
    a2 = sample_answers(second, TODAY)
    text = without_spaces(text_of(_slip([first, second], fonts, answers=[a1, a2])))
    assert "住民票の写し" in text
    assert "住民票記載事項証明書" in text
    assert "手数料300円×2通=600円" in text
    assert "手数料300円×1通=300円" in text
    assert "手数料の合計900円" in text


def test_procedures_at_several_counters_say_where_to_go_first_and_each_counter(
        library: Library, fonts: Fonts) -> None:
    forms = [library.get("tennyu"), library.get("kokuho"), library.get("tenkyo")]
    counters = ["市民課 住民記録係", "保険年金課", "市民課 住民記録係"]
    text = without_spaces(text_of(_slip(forms, fonts, counters=counters)))
    assert text.index("最初にお越しいただく窓口市民課住民記録係") < text.index("お手続き")
    assert text.count("窓口：市民課住民記録係") == 2 and text.count("窓口：保険年金課") == 1
    assert text.index("転入届") < text.index("窓口：市民課住民記録係") < text.index("国民健康保険")
    one = without_spaces(text_of(_slip(forms[:1], fonts)))
    assert "最初に" not in one and "窓口：" not in one and f"お越しいただく窓口{COUNTER.replace(' ', '')}" in one


def test_each_kind_of_family_register_certificate_at_its_own_price(library: Library, fonts: Fonts) -> None:
    form = library.get("koseki_shomei")
    answers = {**sample_answers(form, TODAY), "kinds": ["zenbu", "joseki"], "copies_zenbu": 2,
               "copies_joseki": 1}
    text = without_spaces(text_of(_slip([form], fonts, answers=[answers])))
    assert "戸籍謄本450円×2通=900円" in text
    assert "除籍750円×1通=750円" in text
    assert "戸籍の附票300円" not in text and "抄本450円" not in text  # not chosen
    assert "手数料の合計1,650円" in text


def test_what_to_bring_follows_the_answers(library: Library, fonts: Fonts) -> None:
    form = library.get("juminhyo")
    self_ = {**sample_answers(form, TODAY), "applicant": "self"}
    agent = {**sample_answers(form, TODAY), "applicant": "agent", "items": ["head_and_relationship"]}
    self_text = without_spaces(text_of(_slip([form], fonts, answers=[self_])))
    agent_text = without_spaces(text_of(_slip([form], fonts, answers=[agent])))
    assert "委任状" not in self_text
    assert "委任状" in agent_text
    assert "代理人の本人確認書類" in agent_text


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_my_number_notice_only_where_the_form_needs_the_card(form_id: str, library: Library, fonts: Fonts) -> None:
    form = library.get(form_id)
    text = without_spaces(text_of(_slip([form], fonts)))
    assert (MY_NUMBER_NOTICE in text) == form.my_number_required


def test_slip_grows_with_its_content(library: Library, fonts: Fonts) -> None:
    one = page_size_mm(_slip([library.get("juminhyo")], fonts))[1]
    three = page_size_mm(_slip([library.get(i) for i in ("tennyu", "kokuho", "juminhyo")], fonts))[1]
    assert three > one + 50


def test_a5_slip_keeps_the_code_on_the_first_page(library: Library, fonts: Fonts) -> None:
    text = slip_text()
    pdf = _slip([library.get(i) for i in ("tennyu", "kokuho")], fonts, qr=text, paper=A5,
                counters=[COUNTER, "保険年金課"])
    width, height = page_size_mm(pdf)
    assert abs(width - 148) < 0.5 and abs(height - 210) < 0.5
    assert read_qr(rasterise(pdf, 300)) == [text]
    save_pngs(pdf, "slip-A5-tennyu-kokuho")
    if page_count(pdf) > 1:
        assert f"受付番号 {TICKET}（続き）" in text_of(pdf)


def test_same_input_same_bytes(library: Library, fonts: Fonts) -> None:
    form = library.get("juminhyo")
    assert _slip([form], fonts) == _slip([form], fonts)


def test_a_slip_needs_a_procedure(fonts: Fonts) -> None:
    with pytest.raises(ValueError, match="at least one"):
        render_slip(ticket=TICKET, procedures=[], qr_text="X", office_name=OFFICE,
                    issued_at=ISSUED_AT, fonts=fonts)


def test_receipt_margins_fit_the_print_head() -> None:
    assert RECEIPT_80.content_width <= mm(72) + 0.01


def test_printouts_import_neither_kiosk_nor_drivers_nor_kivy() -> None:
    code = ("import sys, printouts.slip, printouts.official_form, printouts.assisted_form, printouts.samples\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('kiosk', 'drivers', 'kivy')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
