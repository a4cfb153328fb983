"""The paper form for someone who cannot or will not use the screen (記入用紙).

Nobody is turned away: the same procedure, on paper, with boxes sized for a pen. Katakana
gets one box per character and dates an era to circle, because that is how Japanese forms
are filled and what elderly residents expect; choices are tick boxes; a field the kiosk
would hide is shown with a plain instruction (「代理人の方のみ」) instead, since paper cannot
hide anything. What is already known (the card's four items, the office) is printed in.

A small QR names the form and its version, so the clerk who types the answers in later
opens the same definition the paper was printed from. Printed at a kiosk, the form carries the
resident's ticket number at the top, as large as the slip's, with the counter to take it to:
the resident queues like everyone else, and the counter calls them by it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from forms.engine import Evaluation, evaluate
from forms.model import Form, FormField
from forms.reading import read_value
from printouts.assisted_entries import BOX, ENTRIES, LABEL_W, MARGIN_X, PAGE_W, WIDTH, Entries, eras_for
from printouts.boxes import char_boxes, label_row, ticks
from printouts.conditions import plain_condition
from printouts.document import PDF, Document
from printouts.layout import (
    Block,
    Box,
    Flow,
    Fonts,
    Line,
    Page,
    Qr,
    Text,
    fit_size,
    mm,
    render_pdf,
    stacked,
    text_block,
)
from printouts.pagination import Closing, Unit, place_all
from printouts.qr import dots_to_points, module_dots, qr_matrix
from printouts.values import chosen, options

PAGE_H = mm(297)
MARGIN_TOP, MARGIN_BOTTOM = mm(12), mm(16)
PAD = mm(1.8)
FRAME = 1.4
PRINT_DPI = 300  # office laser printers: 300 or 600, both on this grid

REFERENCE_PREFIX = "FORM"
# Base45 / QR alphanumeric has no "_" and ":" and "+" swap places between US and JIS
# keyboard layouts (printouts/payload/text.py); "/" and "-" sit on the same keys in both.
_REFERENCE = re.compile(r"^FORM[/:+]([A-Z][A-Z0-9-]{0,39})[/:+]([0-9]{1,6})$")


def form_reference(form: Form) -> str:
    """"FORM/JUMINHYO-KISAI/1": the form's id and version in QR alphanumeric characters."""
    return f"{REFERENCE_PREFIX}/{form.id.upper().replace('_', '-')}/{form.version}"


def parse_form_reference(scanned: str) -> tuple[str, int] | None:
    """(form id, version) from a scanned reference, whatever Caps Lock did; None if not one."""
    match = _REFERENCE.match(scanned.strip().upper())
    if match is None:
        return None
    return match[1].lower().replace("-", "_"), int(match[2])


class _Body:
    """Every field in the form's order, hidden or not, with instructions for the conditions."""

    def __init__(self, form: Form, ev: Evaluation, fonts: Fonts, today: dt.date) -> None:
        self.form, self.ev, self.fonts = form, ev, fonts
        self.known = {s.path: s.value for s in ev.states if s.value is not None and s.error is None}
        self.entries = Entries(form, fonts, today, self.known)
        self.units: list[Unit] = []
        self.loose()

    def loose(self) -> None:
        """Rows with no band of their own: the frame's thick rule opens them on every page."""
        self.units.append(Unit(_rule(opening=True), _rule(opening=True), _rule(), whole=False))

    def banded(self, head: Block, again: Block) -> None:
        """A band and its rows, kept on one page when one can hold them (pagination.py)."""
        self.units.append(Unit(head, again, _rule(), gap=mm(2.5)))

    def add(self, row: Block) -> None:
        self.units[-1].rows.append(row)

    def fields(self, fields: list[FormField], condition: str = "") -> None:
        for f in fields:
            if f.kind.is_section:
                self.section(f, condition)
            elif f.kind.repeats:
                self.group(f)
            elif f.kind.is_note:
                self.info(f)
            else:
                self.field(f)

    def label(self, f: FormField) -> Block:
        block = Block(0)
        tags = []
        if f.required is True and not f.kind.counter_only:  # the desk reads it, not the resident
            tags.append("必須")
        condition = plain_condition(self.form, f.show_if)
        if condition:
            note = text_block(f"▶ {condition}", width=LABEL_W - mm(4), size=7.5, fonts=self.fonts,
                              bold=True, leading=1.25)
            block.extend(note)
            block.height += note.height + mm(0.5)
        title = text_block(f.label.ja, width=LABEL_W - mm(4) - (mm(8) if tags else 0), size=10,
                           fonts=self.fonts, leading=1.3)
        block.extend(title, dy=block.height)
        if tags:
            y = block.height + mm(0.5)
            block.add(Box(LABEL_W - mm(11), y, mm(7), mm(4), line=0, fill=0.0),
                      Text(LABEL_W - mm(7.5), y + mm(0.6), "必須", 7, align="center", gray=1.0))
        block.height += title.height
        if f.help:
            help_ = text_block(f.help.ja, width=LABEL_W - mm(4), size=7, fonts=self.fonts, gray=0.3,
                               leading=1.25)
            block.extend(help_, dy=block.height)
            block.height += help_.height
        return block

    def field(self, f: FormField, path: str | None = None) -> None:
        entry = ENTRIES[f.type][1](self.entries, f, self.known.get(path or f.id))
        row = label_row(self.label(f), entry, label_width=LABEL_W, width=WIDTH, min_height=mm(12),
                        pad=PAD)
        self.add(_framed(row))

    def band(self, text: str, note: str = "") -> Block:
        """The section's title; its condition beside it, or below it when it is long."""
        line = mm(7.5)
        note = f"▶ {note}" if note else ""
        room = WIDTH - mm(8) - self.fonts.width(text, 10.5, bold=True)
        below = Block(0)
        if note and self.fonts.width(note, 9, bold=True) > room:
            below = text_block(note, width=WIDTH - mm(4), size=9, fonts=self.fonts, bold=True,
                               leading=1.35)
        block = Block(line + below.height + (mm(1.5) if below.height else 0))
        block.add(Box(0, 0, WIDTH, block.height, line=0.5, fill=0.82), Line(0, 0, WIDTH, 0, line=FRAME),
                  Text(mm(2), (line - 10.5) / 2, text, 10.5, bold=True))
        if note and not below.height:
            block.add(Text(WIDTH - mm(2), (line - 9) / 2, note, 9, bold=True, align="right"))
        block.extend(below, dx=mm(2), dy=line - mm(1))
        return _framed(block)

    def section(self, f: FormField, outer: str) -> None:
        note = plain_condition(self.form, f.show_if) or outer
        self.banded(self.band(f.label.ja, note), self.band(f"{f.label.ja}（続き）", note))
        self.fields(f.fields or [], note)
        self.loose()

    def info(self, f: FormField) -> None:
        condition = plain_condition(self.form, f.show_if)
        self.add(self.note(f"※ {f.label.ja}" + (f"（{condition}）" if condition else "")))

    def note(self, text: str) -> Block:
        inner = text_block(text, width=WIDTH - mm(6), size=8.5, fonts=self.fonts, leading=1.35)
        block = Block(inner.height + mm(3))
        block.add(Box(0, 0, WIDTH, block.height, line=0.5, fill=0.97))
        block.extend(inner, dx=mm(3), dy=mm(1.5))
        return _framed(block)

    def group(self, f: FormField) -> None:
        """A table to write in: the known items, then empty rows up to the usual count."""
        children = [c for c in f.fields or [] if c.kind.single_answer]
        known = self.ev.values.get(f.id)
        items: list[dict[str, Any]] = known if isinstance(known, list) else []
        most = f.max if isinstance(f.max, int) else 4
        count = max(len(items), min(most, 4))
        note = plain_condition(self.form, f.show_if)
        if count > len(items) and most > count:
            note = (note + "　" if note else "") + "書ききれないときは職員にお申し出ください"
        head = self.band(f.label.ja, note)
        for child in children:  # a column the kiosk would hide: say when to fill it
            condition = plain_condition(self.form, child.show_if)
            if condition:
                head = stacked(head, self.note(f"▶「{child.label.ja}」の欄: {condition}"))
        widths = _column_widths(children)
        header = self.table_row(["", *(c.label.ja for c in children)], widths, size=7.5, fill=0.93)
        self.banded(stacked(head, header), stacked(self.band(f"{f.label.ja}（続き）", note), header))
        for i in range(count):
            item = items[i] if i < len(items) else {}
            cells = [self.cell(c, item, w) for c, w in zip(children, widths[1:], strict=True)]
            self.add(self.cells_row([text_block(str(i + 1), width=widths[0], size=9, fonts=self.fonts),
                                     *cells], widths, min_height=mm(13)))
        self.loose()

    def cell(self, f: FormField, item: Mapping[str, Any], width: float) -> Block:
        """One item's answer in its column; the item's other answers name a branch's bank."""
        inner, value = width - mm(2.4), item.get(f.id)
        if f.kind.is_choice:
            picked = chosen(f, value)
            return ticks([(label, v in picked) for v, label in options(self.form, f)], width=inner,
                         size=7.5, fonts=self.fonts, gap=mm(1.5), leading=1.5)
        if f.kind.is_date:
            hint = "・".join(n[0] for n in eras_for(f, self.entries.today))
            text = read_value(self.form, f, value, "ja") if value else f"{hint}\n　　年　　月　　日"
            return text_block(text, width=inner, size=8, fonts=self.fonts, leading=1.6,
                              gray=0.0 if value else 0.45)
        return text_block(read_value(self.form, f, value, "ja", item), width=inner, size=10, fonts=self.fonts)

    def table_row(self, cells: list[str], widths: list[float], *, size: float,
                  fill: float | None = None) -> Block:
        blocks = [text_block(t, width=w - mm(2.4), size=size, fonts=self.fonts, leading=1.25)
                  for t, w in zip(cells, widths, strict=True)]
        return self.cells_row(blocks, widths, min_height=mm(7), fill=fill)

    def cells_row(self, blocks: list[Block], widths: list[float], *, min_height: float,
                  fill: float | None = None) -> Block:
        height = max(min_height, *(b.height + 2 * mm(1.2) for b in blocks))
        row = Block(height)
        x = 0.0
        for block, w in zip(blocks, widths, strict=True):
            row.add(Box(x, 0, w, height, line=0.5, fill=fill))
            row.extend(block, dx=x + mm(1.2), dy=(height - block.height) / 2)
            x += w
        return _framed(row)


def _column_widths(children: list[FormField]) -> list[float]:
    number = mm(7)
    weights = [ENTRIES[c.type][0] for c in children]
    unit = (WIDTH - number) / sum(weights)
    return [number, *(w * unit for w in weights)]


def _rule(*, opening: bool = False) -> Block:
    """The frame's thick rule: above and below a run of rows, and at both sides of a page break.

    One that opens a run lies just above it, since the next row's shaded label cell, drawn
    after it, would cover its lower half; its ends reach over the sides' for square corners.
    """
    y = -FRAME / 2 if opening else 0.0
    return Block(mm(0.01), [Line(-FRAME / 2, y, WIDTH + FRAME / 2, y, line=FRAME)])


def _framed(block: Block) -> Block:
    block.add(Line(0, 0, 0, block.height, line=FRAME), Line(WIDTH, 0, WIDTH, block.height, line=FRAME))
    return block


def _header(form: Form, office_name: str, fonts: Fonts) -> Block:
    """Office, title, how to fill it in, the date boxes; the reference QR at the top right."""
    matrix = qr_matrix(form_reference(form))
    module = dots_to_points(module_dots(matrix, dpi=PRINT_DPI, max_width_pt=mm(22)), PRINT_DPI)
    side = module * matrix.size
    block = Block(0)
    block.add(Qr(WIDTH - side + module * 4, -module * 4, matrix, module))
    block.add(Text(WIDTH - side / 2 + module * 4, side - module * 4, form_reference(form), 6,
                   align="center", gray=0.3))
    block.add(Text(0, 0, f"（あて先）{office_name}", 10))
    title_w = WIDTH - 2 * side
    title = text_block(form.title.ja, width=title_w, size=17, fonts=fonts, bold=True, align="center")
    block.extend(title, dx=side, dy=mm(7))
    sub = text_block("記入用紙", width=title_w, size=10, fonts=fonts, align="center")
    block.extend(sub, dx=side, dy=mm(7) + title.height)
    y = max(side, mm(7) + title.height + sub.height) + mm(2)
    howto = ("太枠の中をご記入ください。□ にはレ印を、年号は ○ で囲んでください。"
             "「▶」の付いた項目は、あてはまる方だけご記入ください。わからないところは職員がお手伝いします。")
    guide = text_block(howto, width=WIDTH, size=9, fonts=fonts, leading=1.4)
    block.extend(guide, dy=y)
    y += guide.height + mm(2)
    date = Block(BOX)
    date.add(Text(0, (BOX - 10) / 2, "記入日　令和", 10))
    x = fonts.width("記入日　令和", 10) + mm(2)
    for unit in ("年", "月", "日"):
        date.extend(char_boxes(2, box=BOX), dx=x)
        x += 2 * BOX + mm(0.8)
        date.add(Text(x, (BOX - 10) / 2, unit, 10))
        x += mm(5)
    block.extend(date, dx=WIDTH - x, dy=y)
    block.height = y + BOX + mm(3)
    return block


def _ticket_band(ticket: str, counter: str, fonts: Fonts) -> Block:
    """「番号札 A-012」 large, and where to take the form: the first thing a clerk looks for."""
    height = mm(22)
    block = Block(height + mm(3))
    block.add(Box(0, 0, WIDTH, height, line=FRAME))
    x = mm(4)
    block.add(Text(x, (height - 13) / 2, "番号札", 13, bold=True))
    x += fonts.width("番号札", 13, bold=True) + mm(4)
    size = fit_size(ticket, WIDTH / 2 - x, 40, fonts, bold=True)
    block.add(Text(x, (height - size) / 2, ticket, size, bold=True))
    x += fonts.width(ticket, size, bold=True) + mm(8)
    where = f"{counter}の窓口へ" if counter else "窓口へ"
    where += "お持ちください。\nこの番号でお呼びします。"
    words = text_block(where, width=WIDTH - x - mm(4), size=11, fonts=fonts, leading=1.4)
    block.extend(words, dx=x, dy=(height - words.height) / 2)
    return block


def _continued(form: Form, fonts: Fonts, ticket: str | None) -> Block:
    number = f"　番号札 {ticket}" if ticket else ""
    block = text_block(f"{form.title.ja} 記入用紙（続き）{number}", width=WIDTH, size=12,
                       fonts=fonts, bold=True, align="center")
    block.height += mm(3)
    return block


def _staff_box(fonts: Fonts) -> Block:
    block = Block(mm(16))
    block.add(Box(0, 0, WIDTH, mm(16), line=0.6, dash=(2, 1.5)))
    block.add(Text(mm(2), mm(1.5), "職員記入欄", 8.5, bold=True))
    x = mm(2)
    for label, w in (("受付者", mm(45)), ("受付番号", mm(40)), ("入力日", mm(40))):
        block.add(Text(x, mm(7.5), label, 8.5), Box(x + mm(14), mm(6), w - mm(16), mm(7.5), line=0.4))
        x += w + mm(4)
    block.add(Text(x, mm(7.5), "入力済", 8.5))
    block.add(Box(x + mm(11), mm(7), mm(4), mm(4), line=0.6))
    return block


def _footers(pages: list[Page], form: Form) -> None:
    for n, page in enumerate(pages, start=1):
        top = PAGE_H - mm(10)
        page.elements.append(Text(MARGIN_X, top, f"{form.id} 第{form.version}版 記入用紙", 7, gray=0.3))
        page.elements.append(Text(PAGE_W - MARGIN_X, top, f"{n} / {len(pages)}", 8, align="right"))


def render_assisted_form(*, form: Form, today: dt.date, office_name: str, fonts: Fonts,
                         answers: Mapping[str, Any] | None = None, ticket: str | None = None,
                         counter: str = "") -> Document:
    """The blank form as a PDF, with the `answers` already known (e.g. from the card) printed in;
    with `ticket`, the resident's number and the `counter` (its name) to take the form to."""
    ev = evaluate(form, answers or {}, today=today)

    def header(page: int) -> Block:
        if page > 1:
            return _continued(form, fonts, ticket)
        first = _header(form, office_name, fonts)
        if ticket is None:
            return first
        block = _ticket_band(ticket, counter, fonts)
        block.extend(first, dy=block.height)
        block.height += first.height
        return block

    flow = Flow(width=PAGE_W, height=PAGE_H, top=MARGIN_TOP, bottom=MARGIN_BOTTOM, left=MARGIN_X,
                header=header)
    body = _Body(form, ev, fonts, today)
    body.fields(form.fields)
    place_all(flow, body.units, [Closing(_staff_box(fonts), mm(5))])
    _footers(flow.pages, form)
    data = render_pdf(flow.pages, fonts, title=f"{form.title.ja} 記入用紙", subject=office_name)
    return Document(f"{form.id}-assisted.pdf", PDF, data)
