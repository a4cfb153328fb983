"""`kiosk forms preview LIFE_EVENT [--household N]`: the slip a life event prints.

The slip of a life event is where sizes bite: every procedure of the event, each household
group with N people, one code a counter. IT staff see it before a family does, with codes of
the real size: the answers are sealed with keys made for the preview and thrown away, then
each code is swapped for a stand-in of the same length (`PREVIEW-`, refused by any desk), so
the printout shows exactly the codes, splits and paper forms a real family of N would get.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from qrcode.constants import ERROR_CORRECT_M

from common.clock import JST
from forms.engine import evaluate
from forms.loader import Library
from forms.model import Form, FormField, LifeEvent
from kiosk.application import ProcedureAnswers, SlipCodes, SlipOrigin, Submission, build_slip, slip_codes
from printouts.document import Document
from printouts.layout import Fonts
from printouts.payload import CounterKey, KioskKeys, TrustedKiosk, new_slip_id
from printouts.samples import sample_answers, sample_flags, sample_qr_text
from printouts.slip import SlipPaper

PREVIEW_KIOSK = "PREVIEW"
# Further household members: distinct names, so that the sealed (compressed) answers are as
# long as a real family's; a repeated name would compress to almost nothing.
GIVEN_NAMES = (("一郎", "イチロウ"), ("桜", "サクラ"), ("健太", "ケンタ"), ("美咲", "ミサキ"),
               ("翔", "ショウ"), ("陽菜", "ヒナ"), ("大翔", "ヒロト"), ("結衣", "ユイ"),
               ("蓮", "レン"), ("葵", "アオイ"), ("悠真", "ユウマ"), ("芽依", "メイ"))


@dataclass(frozen=True)
class EventSlip:
    document: Document
    codes: SlipCodes
    lengths: tuple[int | None, ...]  # each code's real length in characters (None: on paper)


def event_forms(event: LifeEvent, library: Library) -> list[Form]:
    """Every procedure the event can lead to, in its order (the most a slip can hold)."""
    return [library.get(step.form) for step in event.steps if step.form]


def household_answers(form: Form, today: dt.date, members: int) -> dict[str, Any]:
    """The sample answers with each group holding `members` people (within the group's
    bounds): the first, the card holder, as sampled; the others with names of their own."""
    answers = sample_answers(form, today)
    for group in (f for f in form.all_fields() if f.kind.repeats):
        items = answers.get(group.id)
        if not isinstance(items, list) or not items:
            continue
        most = group.max if isinstance(group.max, int) else members
        least = group.min if isinstance(group.min, int) else 0
        count = max(least, min(members, most))
        answers[group.id] = [items[i] if i < len(items) else _member(items[-1], group, i)
                             for i in range(count)]
    return dict(evaluate(form, answers, today=today).values)


def _member(template: Mapping[str, Any], group: FormField, n: int) -> dict[str, Any]:
    given, kana = GIVEN_NAMES[n % len(GIVEN_NAMES)]
    member = dict(template)
    for child in group.fields or []:
        if child.id not in member:
            continue
        if child.type == "katakana":
            member[child.id] = f"ミホン {kana}"
        elif child.type == "text" and "氏名" in child.label.ja:
            member[child.id] = f"見本 {given}"
    return member


def _throwaway_keys(office_code: str) -> KioskKeys:
    """Keys that exist for this preview only: the codes are real in size and readable by no one."""
    signing = Ed25519PrivateKey.generate()
    sealing = X25519PrivateKey.generate()
    return KioskKeys(
        signing_key=signing,
        kiosk=TrustedKiosk.of(signing.public_key(), kiosk_id=PREVIEW_KIOSK, office_code=office_code),
        counter=CounterKey.of(sealing.public_key(), office_code=office_code))


def event_slip(event: LifeEvent, library: Library, *, members: int, fonts: Fonts,
               office: Mapping[str, str], counters: Mapping[str, str], ticket: str,
               issued_at: dt.datetime, paper: SlipPaper) -> EventSlip:
    """The slip of the whole event for a household of `members`, with real-size stand-in codes."""
    today = issued_at.astimezone(JST).date()
    forms = event_forms(event, library)
    submission = Submission(
        tuple(ProcedureAnswers(f.id, f.version, household_answers(f, today, members), sample_flags(f))
              for f in forms),
        identity_source="card", staff_assisted=False, lang="ja", created_at=issued_at)
    origin = SlipOrigin(office_code=office["code"], office_name=office["name"], kiosk_id=PREVIEW_KIOSK,
                        ticket=ticket, slip_id=new_slip_id(), issued_at=issued_at)
    real = slip_codes(submission, forms, origin, keys=_throwaway_keys(office["code"]), counters=counters)
    lengths = tuple(len(c.text) if c.text is not None else None for c in real.codes)
    stand_in = replace(real, codes=tuple(
        replace(c, text=sample_qr_text(len(c.text)) if c.text is not None else None) for c in real.codes))
    document = build_slip(submission, forms, origin, keys=None, counters=counters, fonts=fonts,
                          paper=paper, codes=stand_in)
    return EventSlip(document, stand_in, lengths)


def describe(slip: EventSlip) -> list[str]:
    """One line a code: its counter, what it holds, its length and QR version (or the paper)."""
    lines = []
    for n, (code, length) in enumerate(zip(slip.codes.codes, slip.lengths, strict=True), start=1):
        held = "・".join(code.titles)
        if code.text is None or length is None:
            lines.append(f"{n}. {code.counter}: {held}: too large for a code, printed as a paper form")
            continue
        lines.append(f"{n}. {code.counter}: {held}: {length} characters, QR version {qr_version(code.text)}")
    return lines


def qr_version(text: str) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return int(code.version)
