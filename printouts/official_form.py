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
from forms.japanese_dates import format_era
from forms.model import Form, FormField
from forms.reading import read_value
from printouts.document import PDF, Document
from printouts.layout import (
    Block,
    Box,
    Flow,
    Fonts,
    Line,
    Page,
    Text,
    char_boxes,
    label_row,
    mm,
    render_pdf,
    text_block,
    ticks,
)
from printouts.values import chosen, options

PAGE_W, PAGE_H = mm(210), mm(297)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = mm(15), mm(12), mm(16)
WIDTH = PAGE_W - 2 * MARGIN_X
LABEL_W = mm(50)
VALUE_W = WIDTH - LABEL_W
PAD = mm(1.1)
FRAME = 1.4  # the thick outer frame (太枠)
RULE = 0.5
LABEL_FILL = 0.93
BAND_FILL = 0.82

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
ID_DOCUMENTS = ("マイナンバーカード", "運転免許証", "パスポート", "在留カード", "資格確認書・保険証",
                "委任状", "その他（　　　　　）")


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

    def words_cell(self, field: FormField, value: Any) -> tuple[Block, list[str]]:
        text = read_value(self.form, field, value, "ja")
        block = text_block(text, width=VALUE_W - mm(5), size=10.5, fonts=self.fonts, leading=1.3)
        return block, self.glyph_flags(text)

    # --- rows ----------------------------------------------------------------------

    def row(self, field: FormField, path: str, value: Any) -> Block:
        value_block, raised = _CELLS[field.type][1](self, field, value)
        label = self.label_cell(field, self.marks.at(path, raised))
        return _framed(label_row(label, value_block, label_width=LABEL_W, width=WIDTH,
                                 min_height=mm(7.2), pad=PAD, fill=LABEL_FILL, line=RULE))

    def band(self, text: str, *, fill: float = BAND_FILL, note: str = "") -> Block:
        height = mm(6.5)
        block = Block(height)
        block.add(Box(0, 0, WIDTH, height, line=RULE, fill=fill))
        block.add(Text(mm(2), (height - 10) / 2, text, 10, bold=True))
        if note:
            block.add(Text(WIDTH - mm(2), (height - 7.5) / 2, note, 7.5, align="right"))
        block.add(Line(0, 0, WIDTH, 0, line=FRAME))
        return _framed(block)

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
                text = read_value(self.form, child, item.get(child.id), "ja")
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
        return _framed(row)


_Cell = Callable[[_Builder, FormField, Any], tuple[Block, list[str]]]
_WORDS, _TICKS, _DIGITS = _Builder.words_cell, _Builder.ticks_cell, _Builder.digits_cell
# Per type holding one answer: its column's share of a group's table, and how a row draws
# its value (the words of forms.reading, every option with the chosen ticked, 4-4-4 boxes).
_CELLS: dict[str, tuple[float, _Cell]] = {
    "text": (3.0, _WORDS), "address": (4.0, _WORDS), "katakana": (3.0, _WORDS),
    "date": (2.6, _WORDS), "integer": (1.2, _WORDS), "copies": (1.2, _WORDS),
    "phone": (2.4, _WORDS), "postal_code": (1.8, _WORDS), "choice": (2.0, _TICKS),
    "yes_no": (1.6, _TICKS), "multi_choice": (3.0, _TICKS), "applicant": (2.0, _TICKS),
    "my_number": (3.0, _DIGITS),
}


def _framed(block: Block) -> Block:
    """The thick left and right edges of the table; rows stacked make one 太枠."""
    block.add(Line(0, 0, 0, block.height, line=FRAME), Line(WIDTH, 0, WIDTH, block.height, line=FRAME))
    return block


def _is_applicant_block(field: FormField) -> bool:
    return (field.kind.names_applicant or field.id.startswith("applicant_")
            or bool(field.bind and field.bind.startswith("card.")))


class _Body:
    """Places the form's answered, visible fields in the form's own order."""

    def __init__(self, b: _Builder, flow: Flow) -> None:
        self.b, self.flow = b, flow
        self.band_open = ""
        self.content_shown = False  # 申請の内容 has had its band: a later one is （つづき）

    def open_band(self, block: Block, keep: float) -> None:
        """Close the table above with the thick rule, then start the next under its band."""
        if self.band_open:
            self.close()
        self.flow.place(block, gap=mm(2), keep=keep)

    def close(self) -> None:
        self.flow.place(Block(0, [Line(0, 0, WIDTH, 0, line=FRAME)]))

    def fields(self, fields: list[FormField], *, in_section: bool = False) -> None:
        for f in fields:
            if f.kind.is_section:
                self.section(f)
            elif f.kind.repeats:
                self.group(f)
            elif f.kind.holds_value:
                self.field(f, in_section=in_section)

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
            self.open_band(self.b.band(want), keep=mm(8))
            self.band_open = want
            self.content_shown |= want == CONTENT_BAND

    def field(self, f: FormField, *, in_section: bool = False) -> None:
        value = self.b.ev.values.get(f.id)
        if value is None or value in ([], ""):
            return
        if not in_section:
            self.ensure_band(f)
        self.flow.place(self.b.row(f, f.id, value))

    def section(self, f: FormField) -> None:
        state = next((s for s in self.b.ev.states if s.path == f.id), None)
        children = f.fields or []
        answered = [c for c in children if c.id in self.b.ev.values]
        if state is None or not state.visible or not answered:
            return
        self.open_band(self.b.band(f.label.ja), keep=mm(8))
        self.band_open = f.label.ja
        self.fields(children, in_section=True)

    def group(self, f: FormField) -> None:
        items = self.b.ev.values.get(f.id)
        if not isinstance(items, list) or not items:
            return
        header, rows = self.b.group_rows(f, f.id, items)
        band = self.b.band(f.label.ja, note=f"{len(items)}件")
        self.open_band(band, keep=header.height + rows[0].height)
        self.band_open = f.label.ja
        self.flow.place(header)
        for row in rows:
            self.flow.place(row, repeat=header)


def _header(form: Form, office_name: str, today: dt.date, ticket: str | None,
            fonts: Fonts) -> Block:
    block = Block(0)
    block.add(Text(0, 0, f"（あて先）{office_name}", 10))
    if ticket:
        label_w = fonts.width(f"受付番号 {ticket}", 10) + mm(4)
        block.add(Box(WIDTH - label_w, -mm(1), label_w, mm(6.5), line=0.8),
                  Text(WIDTH - mm(2), mm(0.6), f"受付番号 {ticket}", 10, align="right"))
    title = text_block(form.title.ja, width=WIDTH, size=17, fonts=fonts, bold=True, align="center")
    block.extend(title, dy=mm(8))
    y = mm(8) + title.height + mm(1)
    block.add(Text(WIDTH, y, f"申請日　{format_era(today)}", 10.5, align="right"))
    block.add(Text(0, y + mm(0.5), "太枠の内容をご確認のうえ、下の署名欄にご署名ください。", 8.5))
    block.height = y + mm(6)
    return block


def _continued(form: Form, fonts: Fonts) -> Block:
    block = text_block(f"{form.title.ja}（続き）", width=WIDTH, size=12, fonts=fonts, bold=True, align="center")
    block.height += mm(3)
    return block


def _legend(used: list[str], fonts: Fonts) -> Block:
    lines = [f"{mark}　{text}" for mark, text in
             (FLAG_MARKS.get(code) or (OTHER_FLAG[0], f"{OTHER_FLAG[1]}（{code}）") for code in used)]
    block = text_block("\n".join(lines), width=WIDTH - mm(4), size=8, fonts=fonts)
    framed = Block(block.height + mm(3))
    framed.add(Box(0, 0, WIDTH, framed.height, line=0.6, dash=(2, 1.5)))
    framed.extend(block, dx=mm(2), dy=mm(1.5))
    return framed


def _signature(b: _Builder) -> Block:
    block = Block(0)
    intro = text_block("上記のとおり申請します。記載された内容に誤りがないことを確認しました。",
                       width=WIDTH, size=9.5, fonts=b.fonts)
    block.extend(intro)
    y = intro.height + mm(1)
    height = mm(15)
    block.add(Box(0, y, LABEL_W, height, line=FRAME, fill=LABEL_FILL), Box(LABEL_W, y, VALUE_W, height, line=FRAME))
    block.add(Text(mm(2), y + mm(2.5), "署名欄", 11, bold=True),
              Text(mm(2), y + mm(7.5), "ご本人（窓口に来た人）が", 7.5),
              Text(mm(2), y + mm(10.5), "自署してください", 7.5))
    block.height = y + height
    return block


def _counter_box(b: _Builder, ticket: str | None) -> Block:
    """職員記入欄: who took it, which ID was shown, notes. Printed blank for the clerk's pen."""
    block = Block(0)
    block.extend(b.band("職員記入欄", fill=0.7, note="窓口の職員が記入します"))
    y = mm(6.5)
    cells = [("受付者", LABEL_W * 0.6, True), ("", WIDTH * 0.3, False), ("受付番号", LABEL_W * 0.6, True)]
    used = sum(w for _, w, _ in cells)
    cells.append((ticket or "", WIDTH - used, False))
    x = 0.0
    for text, w, shaded in cells:
        block.add(Box(x, y, w, mm(7), line=RULE, fill=LABEL_FILL if shaded else None),
                  Text(x + mm(2), y + (mm(7) - 9) / 2, text, 9))
        x += w
    y += mm(7)
    docs = ticks([(d, False) for d in ID_DOCUMENTS], width=VALUE_W - mm(5), size=8.5, fonts=b.fonts,
                 leading=1.45)
    h = max(mm(7), docs.height + 2 * PAD)
    block.add(Box(0, y, LABEL_W, h, line=RULE, fill=LABEL_FILL), Box(LABEL_W, y, VALUE_W, h, line=RULE),
              Text(mm(2), y + (h - 9) / 2, "確認書類", 9))
    block.extend(docs, dx=LABEL_W + mm(2.5), dy=y + (h - docs.height) / 2)
    y += h
    notes_h = mm(13)
    block.add(Box(0, y, LABEL_W, notes_h, line=RULE, fill=LABEL_FILL), Box(LABEL_W, y, VALUE_W, notes_h, line=RULE),
              Text(mm(2), y + mm(1.5), "備考", 9))
    y += notes_h
    block.add(Line(0, y, WIDTH, y, line=FRAME))
    block.height = y
    return _framed(block)


def _footers(pages: list[Page], form: Form) -> None:
    for n, page in enumerate(pages, start=1):
        top = PAGE_H - mm(10)
        page.elements.append(Text(MARGIN_X, top, f"{form.id} 第{form.version}版", 7, gray=0.3))
        page.elements.append(Text(PAGE_W - MARGIN_X, top, f"{n} / {len(pages)}", 8, align="right"))


def render_official_form(*, form: Form, answers: Mapping[str, Any], today: dt.date, office_name: str,
                         fonts: Fonts, flags: Mapping[str, list[str]] | None = None,
                         ticket: str | None = None) -> Document:
    """The form as a PDF; `flags` maps field paths to codes such as "corrected". Answers are
    evaluated at the counter stage, so a my_number answer (read at the desk) is printed; the
    kiosk never has one to pass.
    """
    ev = evaluate(form, answers, today=today, stage="counter")
    marks = _Marks(flags or {}, [])
    b = _Builder(form, ev, fonts, marks)

    def header(page: int) -> Block:
        return _header(form, office_name, today, ticket, fonts) if page == 1 else _continued(form, fonts)

    flow = Flow(width=PAGE_W, height=PAGE_H, top=MARGIN_TOP, bottom=MARGIN_BOTTOM, left=MARGIN_X,
                header=header)
    body = _Body(b, flow)
    body.fields(form.fields)
    body.close()
    if marks.used:
        flow.place(_legend(marks.used, fonts), gap=mm(2))
    signature, counter = _signature(b), _counter_box(b, ticket)
    flow.place(signature, gap=mm(3), keep=counter.height + mm(3))
    flow.place(counter, gap=mm(3))
    _footers(flow.pages, form)
    data = render_pdf(flow.pages, fonts, title=form.title.ja, subject=office_name)
    return Document(f"{form.id}-form.pdf", PDF, data)
