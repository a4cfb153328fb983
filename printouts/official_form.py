"""The completed official application form (A4), printed at the counter for the resident's check.

It is the municipality's record of the application, so it follows the look of a Japanese municipal
form: a ruled table of 項目 and 記入内容 with a thick outer frame, every choice listed with the
chosen one ticked (a clerk checks ticks faster than words), dates in the era, a signature box and
a box for the counter's own notes. Answers the clerk must compare with the register (corrected,
a sex the card does not record, characters the fonts could not draw) are marked ※ with a legend.

The 12-digit number appears on this document only, in its own boxes, and only when the counter
desk read it from the card (stage "counter").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from common.flags import FlagCode, split_marks
from forms.engine import Evaluation, evaluate
from forms.model import Form, FormField, digit_count
from forms.reading import read_value
from printouts.bank_entries import coded_entry, coded_name
from printouts.boxes import char_boxes, digit_row, label_row, ticks
from printouts.document import PDF, Document
from printouts.layout import Block, Box, Flow, Fonts, mm, render_pdf, stacked, text_block
from printouts.official_page import (
    LABEL_FILL,
    LABEL_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAD,
    PAGE_H,
    PAGE_W,
    RULE,
    VALUE_W,
    WIDTH,
    band,
    continued,
    counter_box,
    footers,
    frame_rule,
    framed,
    header,
    legend,
    signature,
)
from printouts.pagination import Closing, Unit, place_all
from printouts.values import chosen, options

APPLICANT_BAND = "申請者（窓口に来た人）"
CONTENT_BAND = "申請の内容"
CONTENT_BAND_AGAIN = "申請の内容（つづき）"
# Codes the fonts raise while drawing: the printed form's own, never stored with the answers.
MISSING_GLYPH, VARIANT_DROPPED = "missing_glyph", "variant_dropped"
# The mark beside the label and its legend line, per flag code (common/flags.py) and the two
# above. What the clerk checks starts with ※; a fact (from the card) has none, so the ※ keep
# the clerk's attention. A code not listed (a newer kiosk's) gets ※確認 and its code.
FLAG_MARKS: dict[str, tuple[str, str]] = {
    FlagCode.FROM_CARD: ("（カード）", "マイナンバーカードから読み取った項目です。"),
    FlagCode.CORRECTED: ("※修正", "マイナンバーカードの記載から申請者が修正した項目です。住民記録と照合してください。"),
    FlagCode.UNDECODABLE: ("※文字不明", "カードの文字を読み取れませんでした。券面と住民記録を確認してください。"),
    FlagCode.MANUAL: ("※手入力", "申請者が手で入力した項目です。本人確認書類と照合してください。"),
    FlagCode.WARNING: ("※注意", "様式の注意事項にあたる項目です（届出期間の経過など）。内容を確認してください。"),
    FlagCode.INVALID: ("※形式", "形式が正しくない回答です。申請者に確認してください。"),
    FlagCode.NOT_IN_FORM: ("※様式外", "この版の様式にない項目です。申請者に確認してください。"),
    FlagCode.SEX_NOT_KNOWN: ("※性別不明", "性別がカードに記録されていません。ご本人に確認してください。"),
    MISSING_GLYPH: ("※外字", "印字できない文字を「〓(U+番号)」で示しています。住民記録の文字を確認してください。"),
    VARIANT_DROPPED: ("※字形", "異体字の指定を印字できませんでした。住民記録の字形を確認してください。"),
}
OTHER_FLAG = ("※確認", "確認が必要な項目です")



def flag_mark(code: str) -> str:
    return FLAG_MARKS.get(code, OTHER_FLAG)[0]


@dataclass
class _Marks:
    """The flags of this form, plus those found while drawing, for the legend at the end (the
    card's value kept beside a correction is for the desk's screen: no mark)."""

    given: Mapping[str, list[str]]
    used: list[str]

    def at(self, path: str, raised: list[str]) -> list[str]:
        given = split_marks(self.given.get(path, []))[0]
        codes = [*given, *(c for c in raised if c not in given)]
        self.used.extend(c for c in codes if c not in self.used)
        return codes


class _Builder:
    def __init__(self, form: Form, ev: Evaluation, fonts: Fonts, marks: _Marks) -> None:
        self.form, self.ev, self.fonts, self.marks = form, ev, fonts, marks

    # --- cells ---------------------------------------------------------------------

    def label_cell(self, field: FormField, codes: list[str]) -> Block:
        width = LABEL_W - mm(4)
        block = text_block(field.label.ja, width=width, size=9, fonts=self.fonts, leading=1.25)
        if codes:
            mark = text_block(" ".join(flag_mark(c) for c in codes), width=width, size=7,
                              fonts=self.fonts, bold=True, leading=1.25)
            block.extend(mark, dy=block.height)
            block.height += mark.height
        return block

    def glyph_flags(self, text: str) -> list[str]:
        shaped = self.fonts.regular.shape(text)
        return (([MISSING_GLYPH] if shaped.missing else [])
                + ([VARIANT_DROPPED] if shaped.dropped_selectors else []))

    # Each draws the value and says which flags drawing it raised (a missing glyph).
    def ticks_cell(self, field: FormField, value: Any) -> tuple[Block, list[str]]:
        picked = chosen(field, value)
        labels = [(label, v in picked) for v, label in options(self.form, field)]
        return ticks(labels, width=VALUE_W - mm(5), size=9.5, fonts=self.fonts, leading=1.45), []

    def digits_cell(self, field: FormField, value: Any) -> tuple[Block, list[str]]:
        return char_boxes(12, box=mm(6.5), text=str(value), groups=(4, 4, 4), gap=mm(2.5), size=12), []

    def digit_boxes_cell(self, field: FormField, value: Any) -> tuple[Block, list[str]]:
        count = digit_count(field)[1]
        return digit_row(count, str(value), box=mm(6.5), width=VALUE_W - mm(5)), []

    def coded_cell(self, field: FormField, value: Any) -> tuple[Block, list[str]]:
        """A bank or branch: its name, and its code one digit a box (printouts/bank_entries.py)."""
        name, code = coded_name(field, value, self.ev.values)
        block = coded_entry(field, name, code, width=VALUE_W - mm(5), fonts=self.fonts, box=mm(6),
                            size=10.5, write_line=False)
        return block, self.glyph_flags(name)

    def words_cell(self, field: FormField, value: Any) -> tuple[Block, list[str]]:
        text = read_value(self.form, field, value, "ja")
        block = text_block(text, width=VALUE_W - mm(5), size=10.5, fonts=self.fonts, leading=1.3)
        return block, self.glyph_flags(text)

    # --- rows ----------------------------------------------------------------------

    def row(self, field: FormField, path: str, value: Any) -> Block:
        value_block, raised = _CELLS[field.type][1](self, field, value)
        label = self.label_cell(field, self.marks.at(path, raised))
        return framed(label_row(label, value_block, label_width=LABEL_W, width=WIDTH,
                                min_height=mm(7.2), pad=PAD, fill=LABEL_FILL, line=RULE))

    # --- groups --------------------------------------------------------------------

    def group_rows(self, field: FormField, path: str, items: list[dict[str, Any]]) -> tuple[Block, list[Block]]:
        """The header row and one block per item, so a long table breaks between rows."""
        children = [c for c in field.fields or [] if c.kind.single_answer]
        number_w = mm(8)
        weights = [_CELLS[c.type][0] for c in children]
        unit = (WIDTH - number_w) / sum(weights)
        widths = [w * unit for w in weights]
        header = self.table_row(["No.", *(c.label.ja for c in children)], [number_w, *widths],
                                size=7.5, fill=LABEL_FILL)
        rows = []
        for i, item in enumerate(items):
            cells, marks = [str(i + 1)], []
            for child in children:
                text = read_value(self.form, child, item.get(child.id), "ja", item)
                codes = self.marks.at(f"{path}[{i}].{child.id}", self.glyph_flags(text))
                cells.append(text)
                marks.append(" ".join(flag_mark(c) for c in codes))
            rows.append(self.table_row(cells, [number_w, *widths], size=9, marks=["", *marks]))
        return header, rows

    def table_row(self, cells: list[str], widths: list[float], *, size: float,
                  fill: float | None = None, marks: list[str] | None = None) -> Block:
        blocks = [text_block(text, width=w - mm(2.4), size=size, fonts=self.fonts)
                  for text, w in zip(cells, widths, strict=True)]
        mark_blocks = [text_block(m, width=w - mm(2.4), size=6.5, fonts=self.fonts, bold=True)
                       if m else Block(0) for m, w in zip(marks or [""] * len(cells), widths, strict=True)]
        height = max(mm(7.5), *(b.height + m.height + 2 * PAD for b, m in zip(blocks, mark_blocks, strict=True)))
        row = Block(height)
        x = 0.0
        for block, mark, w in zip(blocks, mark_blocks, widths, strict=True):
            row.add(Box(x, 0, w, height, line=RULE, fill=fill))
            row.extend(mark, dx=x + mm(1.2), dy=PAD * 0.5)
            row.extend(block, dx=x + mm(1.2), dy=(height - block.height) / 2 + mark.height / 2)
            x += w
        return framed(row)


_Cell = Callable[[_Builder, FormField, Any], tuple[Block, list[str]]]
_WORDS, _TICKS, _DIGITS = _Builder.words_cell, _Builder.ticks_cell, _Builder.digits_cell
# Per type holding one answer: its column's share of a group's table, and how a row draws
# its value (the words of forms.reading, every option with the chosen ticked, 4-4-4 boxes).
_CELLS: dict[str, tuple[float, _Cell]] = {
    "text": (3.0, _WORDS), "address": (4.0, _WORDS), "katakana": (3.0, _WORDS),
    "date": (2.6, _WORDS), "integer": (1.2, _WORDS), "copies": (1.2, _WORDS),
    "phone": (2.4, _WORDS), "postal_code": (1.8, _WORDS), "choice": (2.0, _TICKS),
    "yes_no": (1.6, _TICKS), "multi_choice": (3.0, _TICKS), "applicant": (2.0, _TICKS),
    "my_number": (3.0, _DIGITS), "digits": (2.4, _Builder.digit_boxes_cell),
    "bank": (3.0, _Builder.coded_cell), "bank_branch": (3.0, _Builder.coded_cell),
}


def _is_applicant_block(field: FormField) -> bool:
    return (field.kind.names_applicant or field.id.startswith("applicant_")
            or bool(field.bind and field.bind.startswith("card.")))


class _Body:
    """Gathers the form's answered, visible fields, in the form's own order, into banded units
    (printouts/pagination.py places them on pages)."""

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.units: list[Unit] = []
        self.band_open = ""
        self.content_shown = False  # 申請の内容 has had its band: a later one is （つづき）

    def open_band(self, text: str, *, note: str = "", header: Block | None = None) -> None:
        """Start a unit under its band; a group's column header goes with the band, on every page."""
        head, again = band(text, self.b.fonts, note=note), band(_again(text), self.b.fonts, note=note)
        if header is not None:
            head, again = stacked(head, header), stacked(again, header)
        self.units.append(Unit(head, again, frame_rule(), gap=mm(2)))
        self.band_open = text

    def fields(self, fields: list[FormField], *, section: str = "") -> None:
        for f in fields:
            if f.kind.is_section:
                self.section(f)
            elif f.kind.repeats:
                self.group(f)
            elif f.kind.holds_value:
                self.field(f, section=section)

    def ensure_band(self, field: FormField) -> None:
        """Top-level fields get a band too: 申請者 for the applicant's own, then 申請の内容;
        loose fields after a section or group continue it as （つづき）, and the 12-digit
        number has a band of its own, so no two bands on one form read the same."""
        applicant = _is_applicant_block(field) and self.band_open in ("", APPLICANT_BAND)
        if applicant:
            want = APPLICANT_BAND
        elif field.kind.counter_only:
            want = "個人番号"
        elif self.band_open in (CONTENT_BAND, CONTENT_BAND_AGAIN):
            want = self.band_open
        else:
            want = CONTENT_BAND_AGAIN if self.content_shown else CONTENT_BAND
        if want != self.band_open:
            self.open_band(want)
            self.content_shown |= want == CONTENT_BAND

    def field(self, f: FormField, *, section: str = "") -> None:
        value = self.b.ev.values.get(f.id)
        if value is None or value in ([], ""):
            return
        if not section:
            self.ensure_band(f)
        elif self.band_open not in (section, f"{section}（つづき）"):  # after a table inside it
            self.open_band(f"{section}（つづき）")
        self.units[-1].rows.append(self.b.row(f, f.id, value))

    def section(self, f: FormField) -> None:
        state = next((s for s in self.b.ev.states if s.path == f.id), None)
        children = f.fields or []
        answered = [c for c in children if c.id in self.b.ev.values]
        if state is None or not state.visible or not answered:
            return
        self.open_band(f.label.ja)
        self.fields(children, section=f.label.ja)

    def group(self, f: FormField) -> None:
        items = self.b.ev.values.get(f.id)
        if not isinstance(items, list) or not items:
            return
        header, rows = self.b.group_rows(f, f.id, items)
        self.open_band(f.label.ja, note=f"{len(items)}件", header=header)
        self.units[-1].rows.extend(rows)


def _again(text: str) -> str:
    """The band heading a unit's rows on the next page; 申請の内容 already has its word for that."""
    if text == CONTENT_BAND:
        return CONTENT_BAND_AGAIN
    return text if text.endswith("（つづき）") else f"{text}（続き）"


def _legend(used: list[str], fonts: Fonts) -> Block:
    return legend([f"{mark}　{text}" for mark, text in
                   (FLAG_MARKS.get(code) or (OTHER_FLAG[0], f"{OTHER_FLAG[1]}（{code}）") for code in used)], fonts)


def render_official_form(*, form: Form, answers: Mapping[str, Any], today: dt.date, office_name: str,
                         fonts: Fonts, flags: Mapping[str, list[str]] | None = None,
                         ticket: str | None = None) -> Document:
    """The form as a PDF; `flags` maps field paths to codes such as "corrected". Answers are
    evaluated at the counter stage, so a my_number answer (read at the desk) is printed; the
    kiosk never has one to pass.
    """
    ev = evaluate(form, answers, today=today, stage="counter")
    marks = _Marks(flags or {}, [])
    body = _Body(_Builder(form, ev, fonts, marks))
    body.fields(form.fields)  # every row is made (and its marks known) before any is placed

    def page_header(page: int) -> Block:
        return header(form, office_name, today, ticket, fonts) if page == 1 else continued(form, fonts)

    flow = Flow(width=PAGE_W, height=PAGE_H, top=MARGIN_TOP, bottom=MARGIN_BOTTOM, left=MARGIN_X,
                header=page_header)
    closing = [Closing(_legend(marks.used, fonts), mm(2))] if marks.used else []
    closing += [Closing(signature(fonts), mm(3)), Closing(counter_box(fonts, ticket), mm(3))]
    place_all(flow, body.units, closing)
    footers(flow.pages, form)
    data = render_pdf(flow.pages, fonts, title=form.title.ja, subject=office_name)
    return Document(f"{form.id}-form.pdf", PDF, data)
