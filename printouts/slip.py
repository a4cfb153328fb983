"""The kiosk slip: ticket number, where to go, what to bring, fees, and the QR for the counter.

The slip leaves the building in residents' pockets and bins, so it carries nothing personal
in clear: no name, no address, no birth date, never the 12-digit number. Everything the
counter needs is in the QR, which is sealed for the counter (printouts/payload) and handed
in here as finished text. The ticket number comes first and largest because a resident in
a waiting area looks for one thing: "is that my number on the display?".

Two papers: an 80 mm receipt roll cut to the content's length (the kiosk's thermal
printer, 203 dpi) and A5 for a kiosk with an office printer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from forms import expr
from forms.engine import Evaluation, evaluate
from forms.japanese_dates import format_era
from forms.model import Form
from printouts.document import PDF, Document
from printouts.layout import (
    Block,
    Box,
    Flow,
    Fonts,
    Line,
    Qr,
    Text,
    fit_size,
    mm,
    render_pdf,
    text_block,
)
from printouts.qr import QrMatrix, dots_to_points, module_dots, qr_matrix, snap

MY_NUMBER_NOTICE = "窓口でマイナンバーカードをご提示ください"
PAPER_NOTICE = "紙の申請書をお渡ししました。窓口でお出しください"


@dataclass(frozen=True)
class SlipPaper:
    """A paper the slip is laid out for; `dpi` is the printer's, for the QR's dot grid."""

    name: str
    width_mm: float
    height_mm: float | None  # None: a roll, cut where the content ends
    margin_mm: float
    dpi: int
    scale: float  # type sizes relative to the receipt's
    marking: str = ""  # boxed above the ticket, as on stamped sample stock (`kiosk try`: 見本)

    @property
    def content_width(self) -> float:
        return mm(self.width_mm - 2 * self.margin_mm)


# 80 mm roll: the head prints 72 mm (576 dots at 203 dpi), so 4 mm a side stays blank.
RECEIPT_80 = SlipPaper("80mm", 80.0, None, 4.0, 203, 1.0)
# 58 mm roll: the head prints 48 mm (384 dots), room for version 25 at 3 dots a module.
RECEIPT_58 = SlipPaper("58mm", 58.0, None, 5.0, 203, 0.85)
A5 = SlipPaper("A5", 148.0, 210.0, 12.0, 300, 1.25)


@dataclass(frozen=True)
class Procedure:
    """One procedure on the slip: its form, the answers the kiosk collected, and the name of
    the counter that handles it (as the office calls it)."""

    form: Form
    answers: Mapping[str, Any]
    counter: str


@dataclass(frozen=True)
class SlipCode:
    """One code of the slip: the counter that reads it (its name), the short titles of the
    procedures it holds, and its text; None when those procedures went on a paper form
    because no code could hold them (the slip then says so where the code would be)."""

    counter: str
    titles: tuple[str, ...]
    text: str | None


@dataclass(frozen=True)
class Fee:
    """What one procedure (or one kind of its certificates) costs; `copies` is None when the
    fee is per application, `kind` names the certificate when a form prices kinds apart."""

    title: str
    unit: int
    copies: int | None
    note: str | None
    kind: str = ""

    @property
    def total(self) -> int:
        return self.unit * (self.copies or 1)


def fees_of(form: Form, ev: Evaluation) -> list[Fee]:
    """The fees of one procedure: amount × copies, or once per application, or one line per
    kind chosen (its own price × its own copies); empty if the form has no fee."""
    if form.fee is None:
        return []
    note = form.fee.note.ja if form.fee.note else None
    if form.fee.lines:
        out = []
        for line in form.fee.lines:
            raw = ev.values.get(line.copies_field)  # absent when that kind was not chosen
            if isinstance(raw, int) and raw > 0:
                out.append(Fee(form.name.ja, line.amount, raw, None, kind=line.label.ja))
        if out and note:  # once, under the last line
            out[-1] = replace(out[-1], note=note)
        return out
    copies: int | None = None
    if form.fee.per == "copy":
        raw = ev.values.get(form.fee.copies_field) if form.fee.copies_field else None
        copies = raw if isinstance(raw, int) and raw > 0 else 1
    return [Fee(form.name.ja, form.fee.amount, copies, note)]


def things_to_bring(form: Form, ev: Evaluation, today: dt.date) -> list[str]:
    """The form's documents whose `when` holds, then what the applicant's kind must show."""
    lookup = expr.mapping_lookup(ev.values)
    out = [d.label.ja for d in form.documents
           if d.when is None or expr.parse(d.when).truth(lookup, today=today)]
    kinds = [s.value for s in ev.visible() if s.field.kind.names_applicant and s.value]
    for applicant in form.applicants:
        if applicant.kind in kinds:
            out.extend(n.ja for n in applicant.needs)
    return out


def yen(amount: int) -> str:
    return f"{amount:,}円"


def _fee_line(fee: Fee) -> str:
    what = fee.kind or "手数料"
    if fee.unit == 0 or fee.copies is None:
        return f"{what} {yen(fee.unit) if fee.unit else '無料'}"
    return f"{what} {yen(fee.unit)} × {fee.copies}通 = {yen(fee.total)}"


class _Slip:
    """Builds the slip's blocks for one paper; sizes are the receipt's times `paper.scale`."""

    def __init__(self, paper: SlipPaper, fonts: Fonts) -> None:
        self.paper, self.fonts = paper, fonts
        self.width = paper.content_width

    def pt(self, size: float) -> float:
        return size * self.paper.scale

    def text(self, text: str, size: float, *, bold: bool = False, align: str = "left",
             indent: float = 0.0) -> Block:
        block = text_block(text, width=self.width - indent, size=self.pt(size), fonts=self.fonts,
                           bold=bold, align="center" if align == "center" else "left")
        moved = Block(block.height)
        moved.extend(block, dx=indent)
        return moved

    def rule(self, *, dashed: bool = False, space: float = 4.0) -> Block:
        y = self.pt(space)
        return Block(2 * y, [Line(0, y, self.width, y, line=0.6, dash=(2, 2) if dashed else None)])

    def ticket(self, ticket: str, width: float) -> Block:
        label = self.pt(10)
        size = fit_size(ticket, width, self.pt(88), self.fonts, bold=True)
        block = Block(label * 1.3 + size * 1.05)
        block.add(Text(width / 2, 0, "受付番号", label, align="center"))
        block.add(Text(width / 2, label * 1.3, ticket, size, align="center", bold=True))
        return block

    def heading(self, text: str) -> Block:
        size = self.pt(10)
        return Block(size * 1.7, [Box(0, 0, self.width, size * 1.5, line=0, fill=0.0),
                                  Text(mm(1.5), size * 0.25, text, size, bold=True, gray=1.0)])

    def notice(self, text: str) -> Block:
        """A boxed line the resident must act on (bring the My Number card)."""
        size = max(8.5, min(10.0, fit_size(text, self.width - mm(4), self.pt(10), self.fonts,
                                           bold=True) / self.paper.scale))
        inner = self.text(text, size, bold=True, indent=mm(2))
        block = Block(inner.height + mm(2.5))
        block.add(Box(0, mm(0.5), self.width, inner.height + mm(1.5), line=1.2))
        block.extend(inner, dy=mm(1.25))
        return block

    def bullets(self, items: Sequence[str], size: float) -> list[Block]:
        """One block per item, so that a long list breaks between items."""
        out = []
        for item in items:
            line = self.text(item, size, indent=self.pt(size))
            line.add(Text(0, self.pt(size) * 0.2, "・", self.pt(size)))
            out.append(line)
        return out

    def total(self, amount: int) -> Block:
        size = self.pt(13)
        block = Block(size * 1.5)
        block.add(Text(0, size * 0.25, "手数料の合計", self.pt(10), bold=True))
        block.add(Text(self.width, size * 0.1, yen(amount), size, bold=True, align="right"))
        return block

    def qr(self, matrix: QrMatrix, *, max_width: float, right: bool = False) -> _Code:
        """The code on the printer's dot grid, centred in (or at the right of) the column.

        Only x is snapped here: the caller places the block with a gap that puts its top on
        a whole dot, since only the flow knows where the block lands.
        """
        dpi = self.paper.dpi
        module = dots_to_points(module_dots(matrix, dpi=dpi, max_width_pt=max_width), dpi)
        side = module * matrix.size
        margin = mm(self.paper.margin_mm)
        want = self.width - side if right else (self.width - side) / 2
        x = snap(margin + want, dpi) - margin
        return _Code(side, [Qr(x, 0, matrix, module)], width=side)


@dataclass
class _Code(Block):
    width: float = 0.0


def _snap_up(points: float, dpi: int) -> float:
    return dots_to_points(math.ceil(round(points * dpi / 72, 6)), dpi)


class _SlipFlow:
    """The slip's sections in reading order, stacked on one flow."""

    def __init__(self, s: _Slip, flow: Flow, today: dt.date) -> None:
        self.s, self.flow, self.today = s, flow, today

    def top(self, ticket: str, matrix: QrMatrix | None) -> None:
        """The ticket number; on a sheet, the code beside it so that it stays on page 1."""
        s, flow = self.s, self.flow
        if matrix is None:
            flow.place(s.ticket(ticket, s.width))
            return
        gap = _snap_up(flow.y, s.paper.dpi) - flow.y
        code = s.qr(matrix, max_width=s.width * 0.42, right=True)
        number = s.ticket(ticket, s.width - code.width - mm(4))
        block = Block(max(code.height, number.height))
        block.extend(number, dy=(block.height - number.height) / 2)
        block.extend(code)
        flow.place(block, gap=gap)

    def where(self, office_name: str, counters: list[str], issued_at: dt.datetime) -> None:
        """Where to go; with procedures at several counters, where to go first."""
        s, flow = self.s, self.flow
        flow.place(s.rule())
        flow.place(s.text("お越しいただく窓口" if len(counters) == 1 else "最初にお越しいただく窓口",
                          9, align="center"))
        flow.place(s.text(counters[0], 13, bold=True, align="center"))
        flow.place(s.text(office_name, 9, align="center"), gap=s.pt(3))
        flow.place(s.text(f"{format_era(self.today)} {issued_at:%H:%M} 発行", 9, align="center"))
        flow.place(s.rule(dashed=True))

    def procedures(self, procedures: Sequence[Procedure],
                   several_counters: bool) -> tuple[list[str], list[Fee]]:
        """Each procedure with its counter (when they differ), fee, notice and notes; returns
        what to bring and the fees."""
        s, flow = self.s, self.flow
        bring: list[str] = []
        fees: list[Fee] = []
        flow.place(s.heading("お手続き"), keep=s.pt(20))
        for item in procedures:
            ev = evaluate(item.form, item.answers, today=self.today)
            item_fees = fees_of(item.form, ev)
            flow.place(s.text(f"■ {item.form.name.ja}", 12, bold=True), gap=s.pt(3), keep=s.pt(16))
            if several_counters:
                flow.place(s.text(f"窓口：{item.counter}", 9.5, indent=s.pt(12)))
            for fee in item_fees:
                fees.append(fee)
                flow.place(s.text(_fee_line(fee), 9.5, indent=s.pt(12)))
                if fee.note:
                    flow.place(s.text(fee.note, 8, indent=s.pt(12)))
            if item.form.my_number_required:
                flow.place(s.notice(MY_NUMBER_NOTICE), gap=s.pt(2))
            for i, note in enumerate(s.bullets([n.ja for n in item.form.notes], 8)):
                flow.place(note, gap=0 if i else s.pt(2))
            bring.extend(t for t in things_to_bring(item.form, ev, self.today) if t not in bring)
        return bring, fees

    def bring_and_fees(self, bring: list[str], fees: list[Fee]) -> None:
        s, flow = self.s, self.flow
        items = s.bullets(bring, 9.5)
        if items:
            flow.place(s.heading("お持ちいただくもの"), gap=s.pt(6), keep=items[0].height)
            for item in items:
                flow.place(item)
        if fees:
            flow.place(s.rule())
            flow.place(s.total(sum(f.total for f in fees)))

    def place_code(self, matrix: QrMatrix, *, keep: Block | None = None) -> None:
        """A code on whole dots; on a sheet, a new page when it does not fit (with `keep`, the
        label above it goes along)."""
        s, flow = self.s, self.flow
        code = s.qr(matrix, max_width=s.width)
        if keep is not None:
            flow.place(keep, gap=s.pt(6), keep=code.height + s.pt(2))
        gap = _snap_up(flow.y, s.paper.dpi) - flow.y
        if code.height + gap > flow.room:
            flow.new_page()
            gap = _snap_up(flow.y, s.paper.dpi) - flow.y
        flow.place(code, gap=gap)

    def codes(self, codes: Sequence[SlipCode], matrix: QrMatrix | None) -> None:
        """The one code, or one code a counter (or a procedure) in the order to visit, each
        under the counter and what it holds, so that each clerk scans their own."""
        s = self.s
        if codes or matrix is not None:
            which = "窓口ごとに、その窓口の" if len(codes) > 1 else "窓口でこの"
            self.flow.place(s.text(f"{which}コードを読み取ります。折らずにお持ちください。", 8,
                                   align="center"), gap=s.pt(2))
        if matrix is not None:
            self.place_code(matrix)
        for n, item in enumerate(codes, start=1):
            if n > 1:  # a line between codes: each label goes with the code below it
                self.flow.place(s.rule(dashed=True, space=3))
            label = s.text(f"{n}. {item.counter}", 10, bold=True)
            titles = s.text("・".join(item.titles), 8.5, indent=s.pt(12))
            label.extend(titles, dy=label.height)
            label.height += titles.height
            if item.text is not None:
                self.place_code(qr_matrix(item.text), keep=label)
                continue
            notice = s.notice(PAPER_NOTICE)
            label.extend(notice, dy=label.height + s.pt(2))
            label.height += notice.height + s.pt(2)
            self.flow.place(label, gap=s.pt(6))

    def bottom(self, codes: Sequence[SlipCode], matrix: QrMatrix | None) -> None:
        """On a roll the codes come last, above the line telling the resident to wait."""
        s, flow = self.s, self.flow
        flow.place(s.rule(dashed=True))
        self.codes(codes, matrix)
        flow.place(s.text("番号でお呼びするまでお待ちください", 9, align="center"), gap=s.pt(2))


def render_slip(*, ticket: str, procedures: Sequence[Procedure], qr_text: str | None = None,
                office_name: str, issued_at: dt.datetime, fonts: Fonts, paper: SlipPaper = RECEIPT_80,
                codes: Sequence[SlipCode] = ()) -> Document:
    """The slip as a PDF. `qr_text` is one sealed payload text for the whole slip; `codes` are
    the labelled codes of a slip with one code a counter. Either is drawn, never read.

    Neither leaves the code out: the counter desk reprints a slip without it when it holds no
    signing key of the kiosk that issued the slip (the application is registered there already).
    """
    if not procedures:
        raise ValueError("a slip needs at least one procedure")
    if qr_text is not None and codes:
        raise ValueError("one code for the slip, or labelled codes: not both")
    s = _Slip(paper, fonts)
    margin = mm(paper.margin_mm)
    page_h = mm(paper.height_mm) if paper.height_mm else None

    def header(page: int) -> Block:
        if page == 1:
            return Block(0)
        block = s.text(f"受付番号 {ticket}（続き）", 10, bold=True)
        block.height += s.pt(6)
        return block

    # A roll's page is a whole number of dots both ways, so that the rasteriser's grid (the
    # driver's, or pdfium's in the tests) is the printer's and the code's modules land on it.
    width = mm(paper.width_mm) if page_h is not None else snap(mm(paper.width_mm), paper.dpi)
    flow = Flow(width=width, height=page_h, top=margin, bottom=margin, left=margin, header=header)
    if len(codes) == 1 and codes[0].text is not None and page_h is not None:
        qr_text, codes = codes[0].text, ()  # a sheet's one code beside the number, as ever
    matrix = qr_matrix(qr_text) if qr_text is not None else None
    sections = _SlipFlow(s, flow, issued_at.date())
    if paper.marking:  # before anything else: nobody mistakes a try-out's slip for a real one
        flow.place(s.notice(paper.marking))
    sections.top(ticket, None if page_h is None else matrix)
    counters = list(dict.fromkeys(p.counter for p in procedures))
    sections.where(office_name, counters, issued_at)
    if page_h is not None:  # a sheet: several codes before the notes, from the first page
        sections.codes(codes, None)
    sections.bring_and_fees(*sections.procedures(procedures, len(counters) > 1))
    sections.bottom(codes if page_h is None else (), matrix if page_h is None else None)
    if page_h is None:  # a roll: cut below the content, on a whole dot
        flow.pages[0].height = _snap_up(flow.y + margin, paper.dpi)
    data = render_pdf(flow.pages, fonts, title=f"受付票 {ticket}", subject=office_name)
    size = paper.name if page_h is not None else f"{paper.width_mm:g}x{math.ceil(flow.pages[0].height / mm(1))}mm"
    return Document(f"slip-{_safe(ticket)}-{paper.name}.pdf", PDF, data, paper=size)


def _safe(text: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in text)
