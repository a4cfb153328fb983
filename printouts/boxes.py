"""The boxes a form is made of: a box per character, tick boxes, a 項目 | 記入内容 row.

Built from layout's elements and measured with its fonts, for the official form and the
assisted-entry form alike (the slip has none of them).
"""

from __future__ import annotations

from collections.abc import Sequence

from printouts.layout import Block, Box, Fonts, Line, Text, Tick, mm


def char_boxes(count: int, *, box: float, text: str = "", size: float | None = None,
               groups: Sequence[int] = (), gap: float = 0.0, separator: str = "") -> Block:
    """One box per character, for handwriting or for a value printed one character a box.

    `groups` splits the row (3 + 4 for a postal code) with `gap` between them and an
    optional `separator` (a hyphen) drawn in the gap.
    """
    sizes = list(groups) or [count]
    block = Block(height=box)
    size = size or box * 0.62
    chars = list(text)
    x, index = 0.0, 0
    for g, n in enumerate(sizes):
        if g:
            if separator:
                block.add(Text(x + gap / 2, (box - size) / 2, separator, size, align="center"))
            x += gap
        block.add(Box(x, 0, n * box, box, line=0.7))
        for i in range(n):
            if i:
                block.add(Line(x + i * box, 0, x + i * box, box, line=0.3))
            if index < len(chars):
                block.add(Text(x + i * box + box / 2, (box - size) / 2, chars[index], size,
                               align="center"))
            index += 1
        x += n * box
    return block


def digit_row(count: int, text: str, *, box: float, width: float) -> Block:
    """A digits field's boxes, one a digit (口座番号: 7), narrowed when `count` of them would
    overflow `width`: a 32-digit field still fits its row. Leading zeros are printed, one box
    each, so the clerk reads 0012345 as the resident wrote it."""
    box = min(box, width / count)
    return char_boxes(count, box=box, text=text, size=box * 0.62)


def ticks(labels: Sequence[tuple[str, bool]], *, width: float, size: float, fonts: Fonts,
          gap: float | None = None, leading: float = 1.6) -> Block:
    """Tick boxes with labels, flowing left to right and wrapping like words."""
    gap = size * 1.4 if gap is None else gap
    box = size * 0.95
    line_h = size * leading
    block = Block(height=0)
    x, top = 0.0, 0.0
    for label, ticked in labels:
        label_w = fonts.width(label, size)
        item_w = box + size * 0.35 + label_w
        if x and x + item_w > width:
            x, top = 0.0, top + line_h
        block.add(Tick(x, top + (line_h - box) / 2, box, ticked))
        block.add(Text(x + box + size * 0.35, top + (line_h - size) / 2, label, size))
        x += item_w + gap
    block.height = top + line_h if labels else 0.0
    return block



def label_row(label: Block, value: Block, *, label_width: float, width: float, min_height: float,
              pad: float, fill: float = 0.93, line: float = 0.5) -> Block:
    """A table row: the shaded 項目 cell on the left, the entry on the right, both centred."""
    height = max(min_height, label.height + 2 * pad, value.height + 2 * pad)
    block = Block(height)
    block.add(Box(0, 0, label_width, height, line=line, fill=fill),
              Box(label_width, 0, width - label_width, height, line=line))
    block.extend(label, dx=mm(2), dy=(height - label.height) / 2)
    block.extend(value, dx=label_width + mm(2.5), dy=(height - value.height) / 2)
    return block
