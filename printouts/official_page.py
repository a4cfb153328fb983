"""The official form's page: its geometry, its head and foot, and what closes the answers.

Apart from the rows (printouts/official_form.py) so each module keeps to one concern: this
one is the same for every form, the rows are what a form's fields make.
"""

from __future__ import annotations

import datetime as dt

from forms.japanese_dates import format_era
from forms.model import Form
from printouts.boxes import ticks
from printouts.layout import Block, Box, Fonts, Line, Page, Text, mm, text_block

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
ID_DOCUMENTS = ("マイナンバーカード", "運転免許証", "パスポート", "在留カード", "資格確認書・保険証",
                "委任状", "その他（　　　　　）")


def framed(block: Block) -> Block:
    """The thick left and right edges of the table; rows stacked make one 太枠."""
    block.add(Line(0, 0, 0, block.height, line=FRAME), Line(WIDTH, 0, WIDTH, block.height, line=FRAME))
    return block


def frame_rule() -> Block:
    """The thick rule that closes the 太枠 under a table, and at the foot of a page it breaks at."""
    return Block(0, [Line(0, 0, WIDTH, 0, line=FRAME)])


def band(text: str, fonts: Fonts, *, fill: float = BAND_FILL, note: str = "") -> Block:
    height = mm(6.5)
    block = Block(height)
    block.add(Box(0, 0, WIDTH, height, line=RULE, fill=fill))
    block.add(Text(mm(2), (height - 10) / 2, text, 10, bold=True))
    if note:
        block.add(Text(WIDTH - mm(2), (height - 7.5) / 2, note, 7.5, align="right"))
    block.add(Line(0, 0, WIDTH, 0, line=FRAME))
    return framed(block)


def header(form: Form, office_name: str, today: dt.date, ticket: str | None, fonts: Fonts) -> Block:
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


def continued(form: Form, fonts: Fonts) -> Block:
    block = text_block(f"{form.title.ja}（続き）", width=WIDTH, size=12, fonts=fonts, bold=True, align="center")
    block.height += mm(3)
    return block


def legend(lines: list[str], fonts: Fonts) -> Block:
    block = text_block("\n".join(lines), width=WIDTH - mm(4), size=8, fonts=fonts)
    boxed = Block(block.height + mm(3))
    boxed.add(Box(0, 0, WIDTH, boxed.height, line=0.6, dash=(2, 1.5)))
    boxed.extend(block, dx=mm(2), dy=mm(1.5))
    return boxed


def signature(fonts: Fonts) -> Block:
    block = Block(0)
    intro = text_block("上記のとおり申請します。記載された内容に誤りがないことを確認しました。",
                       width=WIDTH, size=9.5, fonts=fonts)
    block.extend(intro)
    y = intro.height + mm(1)
    height = mm(15)
    block.add(Box(0, y, LABEL_W, height, line=FRAME, fill=LABEL_FILL), Box(LABEL_W, y, VALUE_W, height, line=FRAME))
    block.add(Text(mm(2), y + mm(2.5), "署名欄", 11, bold=True),
              Text(mm(2), y + mm(7.5), "ご本人（窓口に来た人）が", 7.5),
              Text(mm(2), y + mm(10.5), "自署してください", 7.5))
    block.height = y + height
    return block


def counter_box(fonts: Fonts, ticket: str | None) -> Block:
    """職員記入欄: who took it, which ID was shown, notes. Printed blank for the clerk's pen."""
    block = Block(0)
    block.extend(band("職員記入欄", fonts, fill=0.7, note="窓口の職員が記入します"))
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
    docs = ticks([(d, False) for d in ID_DOCUMENTS], width=VALUE_W - mm(5), size=8.5, fonts=fonts,
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
    return framed(block)


def footers(pages: list[Page], form: Form) -> None:
    for n, page in enumerate(pages, start=1):
        top = PAGE_H - mm(10)
        page.elements.append(Text(MARGIN_X, top, f"{form.id} 第{form.version}版", 7, gray=0.3))
        page.elements.append(Text(PAGE_W - MARGIN_X, top, f"{n} / {len(pages)}", 8, align="right"))
