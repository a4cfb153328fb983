"""How the A4 forms break into pages: a band and its rows hold together, and the end holds on.

A clerk reads a form by its bands (申請者, 振込先口座, 世帯員 ...). A band whose rows start on
one page and end on the next without it leaves the clerk guessing whose rows they are, and
a signature box alone on the last page is signed without the answers it vouches for. So the
body of a form is laid out as `Unit`s, each a band with its rows, and placed here by three
rules:

- a unit that a page can hold is not split: it moves whole to the next page if it must;
- a unit that no page can hold breaks between rows, with its frame closed at the foot of
  the page and its band, marked （続き）, at the head of the next;
- what ends the form (the signature and staff boxes) is kept with the last unit, or at
  least with its last row, never alone on a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from printouts.layout import Block, Flow


@dataclass
class Unit:
    """A band and the rows under it, closed by the frame's bottom rule.

    `again` heads the rows carried onto a new page (the band marked （続き）, a table's
    column header); `close` ends the frame at the unit's end and at every page break.
    `whole` is False for rows that have no band of their own (the assisted form's loose
    questions): those simply run on.
    """

    head: Block
    again: Block
    close: Block
    rows: list[Block] = field(default_factory=list)
    gap: float = 0.0
    whole: bool = True

    @property
    def height(self) -> float:
        return self.head.height + sum(r.height for r in self.rows) + self.close.height


@dataclass(frozen=True)
class Closing:
    """A block that ends the form, after `gap`: a legend, the signature box, the staff box."""

    block: Block
    gap: float = 0.0


def place_all(flow: Flow, units: Sequence[Unit], closing: Sequence[Closing]) -> None:
    """Place the units, then the closing blocks, which take the last rows with them."""
    tail = sum(c.block.height + c.gap for c in closing)
    placed = [u for u in units if u.rows or u.whole]
    for i, unit in enumerate(placed):
        place_unit(flow, unit, tail=tail if i == len(placed) - 1 else 0.0)
    for c in closing:
        flow.place(c.block, gap=c.gap)


def place_unit(flow: Flow, unit: Unit, *, tail: float = 0.0) -> None:
    """Place one unit; `tail` is the height that must follow its last row on the same page."""
    gap = unit.gap
    if unit.whole and not flow.at_top and unit.height + tail + gap > flow.room \
            and unit.height + tail <= flow.fresh_room():
        flow.new_page()
    if flow.at_top:
        gap = 0.0
    rows = unit.rows
    first = (rows[0].height if rows else 0.0) + unit.close.height + (tail if len(rows) <= 1 else 0.0)
    flow.place(unit.head, gap=gap, keep=first)
    on_page = 0
    for n, row in enumerate(rows):
        need = row.height + unit.close.height + (tail if n == len(rows) - 1 else 0.0)
        if on_page and need > flow.room:
            flow.put(unit.close)
            flow.new_page()
            flow.put(unit.again)
            on_page = 0
        flow.put(row)
        on_page += 1
    flow.put(unit.close)
