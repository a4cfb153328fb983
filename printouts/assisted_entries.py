"""The writing area of each field type on the assisted-entry paper form, with any known value in.

One renderer per type that holds an answer (ENTRIES, beside its column's share of a group's
table), so a new field type adds one row here; tests/forms/test_field_types.py fails while a
type has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from forms.japanese_dates import ERAS, era_of
from forms.model import Form, FormField, digit_count
from printouts.bank_entries import coded_entry, coded_name
from printouts.boxes import char_boxes, digit_row, ticks
from printouts.layout import Block, Ellipse, Fonts, Line, Text, mm, text_block
from printouts.values import chosen, options

PAGE_W = mm(210)
MARGIN_X = mm(15)
WIDTH = PAGE_W - 2 * MARGIN_X
LABEL_W = mm(52)
ENTRY_W = WIDTH - LABEL_W - mm(5)
BOX = mm(7)  # one handwritten character
LINE_H = mm(10)  # one handwritten line


def eras_for(field: FormField, today: dt.date) -> list[str]:
    """The eras a date between the field's bounds can fall in (a future date: only 令和)."""
    low, high = field.date_bounds(today)
    names = []
    for era in reversed(ERAS):
        later = min((e.start for e in ERAS if e.start > era.start), default=None)
        if (high is None or era.start <= high) and (low is None or later is None or later > low):
            names.append(era.name)
    return names or [e.name for e in reversed(ERAS)]


class Entries:
    """The writing area of each field type, with any known value printed in."""

    def __init__(self, form: Form, fonts: Fonts, today: dt.date,
                 known: Mapping[str, Any] | None = None) -> None:
        self.form, self.fonts, self.today = form, fonts, today
        self.known = known or {}  # the answers already known, by path: a branch's bank among them

    def text(self, f: FormField, value: Any) -> Block:
        return self.lines(2 if (f.max_length or 100) > 60 else 1, "" if value is None else str(value))

    def address(self, f: FormField, value: Any) -> Block:
        return self.lines(2, "" if value is None else str(value))

    def katakana(self, f: FormField, value: Any) -> Block:
        count = min(f.max_length or 20, 20)
        return char_boxes(count, box=min(BOX, ENTRY_W / count), text=value or "")

    def number(self, f: FormField, value: Any, unit: str = "") -> Block:
        digits = len(str(f.max)) if isinstance(f.max, int) else 3
        return self.boxes_with_unit(digits, str(value or ""), unit)

    def copies(self, f: FormField, value: Any) -> Block:
        return self.number(f, value, "通")

    def phone(self, f: FormField, value: Any) -> Block:
        if value:
            return self.lines(1, str(value))
        return char_boxes(12, box=mm(6), text="", groups=(4, 4, 4), gap=mm(5), separator="−")

    def digits(self, f: FormField, value: Any) -> Block:
        return digit_row(digit_count(f)[1], str(value or ""), box=BOX, width=ENTRY_W)

    def coded(self, f: FormField, value: Any) -> Block:
        """A bank or branch: a line for its name, and its code one digit a box."""
        name, code = coded_name(f, value, self.known)
        return coded_entry(f, name, code, width=ENTRY_W, fonts=self.fonts, box=BOX, size=12,
                           write_line=True)

    def my_number(self, f: FormField, value: Any) -> Block:
        return text_block("個人番号は窓口でマイナンバーカードから読み取ります。ここには書かないでください。",
                          width=ENTRY_W, size=9, fonts=self.fonts, gray=0.25)

    def lines(self, count: int, text: str) -> Block:
        block = Block(count * LINE_H)
        for i in range(count):
            y = (i + 1) * LINE_H - mm(1.5)
            block.add(Line(0, y, ENTRY_W, y, line=0.4, dash=(1, 1.5)))
        if text:
            written = text_block(text, width=ENTRY_W, size=12, fonts=self.fonts)
            block.extend(written, dy=LINE_H - mm(1.5) - written.height)
        return block

    def choices(self, f: FormField, value: Any) -> Block:
        picked = chosen(f, value)
        labels = [(label, v in picked) for v, label in options(self.form, f)]
        block = ticks(labels, width=ENTRY_W, size=11, fonts=self.fonts, leading=1.7)
        if f.kind.multiple:
            note = Text(0, block.height, "（あてはまるものすべてに印を付けてください）", 8)
            block.add(note)
            block.height += 8 * 1.5
        return block

    def boxes_with_unit(self, count: int, text: str, unit: str) -> Block:
        block = char_boxes(count, box=BOX, text=text.rjust(count) if text else "")
        if unit:
            block.add(Text(count * BOX + mm(2), (BOX - 11) / 2, unit, 11))
        return block

    def postal(self, f: FormField, value: Any) -> Block:
        digits = str(value or "").replace("-", "")
        block = Block(BOX)
        block.add(Text(0, (BOX - 12) / 2, "〒", 12))
        boxes = char_boxes(7, box=BOX, text=digits, groups=(3, 4), gap=mm(5), separator="−")
        block.extend(boxes, dx=mm(6))
        return block

    def date(self, f: FormField, value: Any) -> Block:
        """Era names to circle, then 年 月 日 boxes; a known date is circled and filled."""
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
        block = Block(BOX)
        x = 0.0
        if f.calendar == "western":
            block.add(Text(0, (BOX - 10) / 2, "西暦", 10))
            x = mm(9)
            year, width = (str(day.year) if day else ""), 4
        else:
            found = era_of(day) if day else None
            for name in eras_for(f, self.today):
                w = self.fonts.width(name, 10)
                block.add(Text(x + mm(1), (BOX - 10) / 2, name, 10))
                if found and found[0].name == name:
                    block.add(Ellipse(x - mm(0.3), mm(0.4), w + mm(2.6), BOX - mm(0.8)))
                x += w + mm(3)
            year, width = (str(found[1]) if found else ""), 2
        for text, count, unit in ((year, width, "年"), (str(day.month) if day else "", 2, "月"),
                                  (str(day.day) if day else "", 2, "日")):
            block.extend(char_boxes(count, box=BOX, text=text.rjust(count) if text else ""), dx=x)
            x += count * BOX + mm(0.8)
            block.add(Text(x, (BOX - 10) / 2, unit, 10))
            x += mm(5)
        return block


Entry = Callable[[Entries, FormField, Any], Block]
# Per type holding one answer: its column's share of a group's table, and its writing area.
ENTRIES: dict[str, tuple[float, Entry]] = {
    "text": (3.0, Entries.text), "address": (4.0, Entries.address),
    "katakana": (3.0, Entries.katakana), "date": (2.4, Entries.date),
    "choice": (2.6, Entries.choices), "yes_no": (1.7, Entries.choices),
    "multi_choice": (3.0, Entries.choices), "applicant": (2.0, Entries.choices),
    "integer": (1.0, Entries.number), "copies": (1.0, Entries.copies),
    "phone": (2.4, Entries.phone), "postal_code": (1.8, Entries.postal),
    "my_number": (2.0, Entries.my_number), "digits": (2.4, Entries.digits),
    "bank": (3.0, Entries.coded), "bank_branch": (3.0, Entries.coded),
}
