"""A bank or branch on paper: its name, and its code one digit a box (金融機関コード, 店番号).

Both paper forms print the name the way the resident knows it and the code the way a 振込
instruction is keyed: the clerk types the code, and checks the name against the passbook.
The names come from forms/banks.py (the zengin-code data); a code it does not know prints
as its digits with 「不明なコード」 in place of the name, so the clerk asks instead of guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.banks import name_of
from forms.model import FormField
from printouts.boxes import char_boxes
from printouts.layout import Block, Fonts, Line, Text, mm, text_block

UNKNOWN = "（不明なコード）"
CAPTIONS = {"bank": ("金融機関コード", 4), "branch": ("店番号", 3)}


def coded_name(field: FormField, value: Any, beside: Mapping[str, Any]) -> tuple[str, str]:
    """(the name to print, the code): '' for both when unanswered, UNKNOWN for a code the data
    lacks; a branch is named with the bank answered `beside` it."""
    code = value if isinstance(value, str) else ""
    if not code:
        return "", ""
    if field.kind.is_bank:
        return name_of(code) or UNKNOWN, code
    bank_code = beside.get(field.bank or "")
    if not isinstance(bank_code, str):
        return "", code  # no bank beside it: the name cannot be told, nor that it is unknown
    return name_of(code, bank_code=bank_code) or UNKNOWN, code


def coded_entry(field: FormField, name: str, code: str, *, width: float, fonts: Fonts,
                box: float, size: float, write_line: bool) -> Block:
    """The name on the left (on a dotted line to write on, for the assisted form), then the
    caption and one box a digit at the right edge."""
    caption, count = CAPTIONS["bank" if field.kind.is_bank else "branch"]
    boxes = char_boxes(count, box=box, text=code, size=box * 0.62)
    caption_w = fonts.width(caption, 8)
    name_w = width - count * box - caption_w - mm(6)
    written = text_block(name, width=name_w, size=size, fonts=fonts, leading=1.3)
    block = Block(max(box, written.height))
    block.extend(written, dy=(block.height - written.height) / 2)
    if write_line:
        block.add(Line(0, block.height - mm(0.5), name_w, block.height - mm(0.5), line=0.4,
                       dash=(1, 1.5)))
    block.add(Text(width - count * box - mm(1.5), (block.height - 8) / 2, caption, 8, align="right"))
    block.extend(boxes, dx=width - count * box, dy=(block.height - box) / 2)
    return block
