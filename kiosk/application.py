"""The application record: what a resident hands over, as the kiosk, the store and the desk see it.

One home for the record so that the store, the desk and the exports do not reach into the
resident session's ports for it, and one home for what the record means: its status and the
one table of moves between statuses (the store enforces it, the desk offers it), the clerk's
words for each status and each flag, and the slip that both the kiosk and the desk's reprint
build from it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from common.clock import JST
from forms.model import Form
from printouts.document import Document
from printouts.layout import Fonts
from printouts.payload import Application, KioskKeys, ProcedureEntry, encode
from printouts.slip import Procedure, SlipPaper, render_slip


@dataclass(frozen=True)
class ProcedureAnswers:
    form_id: str
    form_version: int
    values: dict[str, Any]
    # path -> marks for the clerk (FlagCode values): "from_card", "corrected", ...
    flags: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """What the kiosk hands over: stored first, then printed on the slip."""

    procedures: tuple[ProcedureAnswers, ...]
    identity_source: Literal["card", "manual", "staff"]
    staff_assisted: bool
    lang: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Receipt:
    ticket: str
    counter: str  # where to go first: the key of the first procedure's counter
    printed: bool
    print_error: str | None = None
    then: tuple[str, ...] = ()  # the other procedures' counters, in order


# --- status ------------------------------------------------------------------------------------


class Status(StrEnum):
    """Where an application stands at the counter. Stored by value, so the names are stable."""

    ISSUED = "issued"  # the kiosk printed its slip; no clerk has taken it yet
    RECEIVED = "received"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# The one table of moves: the store refuses any other (kiosk/store/status.py says why, by
# code), the desk offers exactly these buttons and commands. Completed and cancelled are final.
NEXT_STATUS: Mapping[Status, tuple[Status, ...]] = {
    Status.ISSUED: (Status.RECEIVED, Status.CANCELLED),
    Status.RECEIVED: (Status.COMPLETED, Status.CANCELLED),
    Status.COMPLETED: (),
    Status.CANCELLED: (),
}

# The clerk's words for each status, by language: the desk's screen, its CLI and its docs.
STATUS_WORDS: Mapping[str, Mapping[str, str]] = {
    "ja": {Status.ISSUED: "発券済み（未受付）", Status.RECEIVED: "受付済み",
           Status.COMPLETED: "完了", Status.CANCELLED: "取消"},
    "en": {Status.ISSUED: "issued (not yet received)", Status.RECEIVED: "received",
           Status.COMPLETED: "completed", Status.CANCELLED: "cancelled"},
}


def may_move(old: str, new: str) -> bool:
    """Whether the table allows `old -> new` (unknown statuses allow nothing)."""
    try:
        return Status(new) in NEXT_STATUS[Status(old)]
    except ValueError:
        return False


# --- flags ---------------------------------------------------------------------------------------


class FlagCode(StrEnum):
    """Marks on an answer, keyed by its path in `ProcedureAnswers.flags`. The kiosk sets the
    first four; the desk adds the others while it words the answers."""

    FROM_CARD = "from_card"
    CORRECTED = "corrected"  # the resident changed what the card said
    UNDECODABLE = "undecodable"  # a character the card could not give
    MANUAL = "manual"  # typed in, no card
    WARNING = "warning"  # one of the form's warning rules does not hold (a late notification)
    INVALID = "invalid"  # an answer the form cannot word
    NOT_IN_FORM = "not_in_form"
    # The card records the sex as not known (ISO 5218 "0"): the resident was asked at the kiosk.
    SEX_NOT_KNOWN = "sex_not_known"


# Marks a clerk reads as facts, not as things to check against the register.
INFO_FLAGS: frozenset[str] = frozenset({FlagCode.FROM_CARD})
FLAG_WORDS: Mapping[str, tuple[str, str]] = {
    FlagCode.FROM_CARD: ("カードから", "from the card"),
    FlagCode.CORRECTED: ("本人が修正", "corrected by the resident"),
    FlagCode.UNDECODABLE: ("カードの文字を読めず", "card text not decodable"),
    FlagCode.MANUAL: ("手入力", "entered by hand"),
    FlagCode.INVALID: ("形式が不正", "invalid value"),
    FlagCode.NOT_IN_FORM: ("様式にない項目", "not in the form"),
    FlagCode.SEX_NOT_KNOWN: ("性別が不明（ご本人に確認）",
                             "Sex not recorded on the card: ask the resident"),
}
UNKNOWN_FLAG_JA = "要確認"  # a code this build does not know: the clerk checks it

# What the card said, kept beside a `corrected` mark so the clerk compares the two: one more
# entry in the path's marks, this prefix and the card's value as JSON. The flags are the one
# record that travels everywhere the answers do (sealed in the store, sealed in the slip's code),
# so an application that reaches the desk on its slip alone still carries it.
CARD_VALUE_MARK = "card_value:"


def card_value_mark(value: object) -> str:
    """The mark that keeps the card's value of a corrected answer (a date as ISO text)."""
    return CARD_VALUE_MARK + json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                                        default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def split_marks(marks: Sequence[str]) -> tuple[list[str], tuple[Any] | None]:
    """The flag codes of one path, and the card's value if a mark keeps it (in a 1-tuple, so a
    card value of None is told from none kept); an unreadable value is dropped, not shown."""
    codes: list[str] = []
    card: tuple[Any] | None = None
    for mark in marks:
        if not mark.startswith(CARD_VALUE_MARK):
            codes.append(mark)
            continue
        try:
            card = (json.loads(mark.removeprefix(CARD_VALUE_MARK)),)
        except ValueError:
            continue
    return codes, card


# --- the slip ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlipOrigin:
    """Who issued the slip, under which ticket and slip id, when: the same on a reprint."""

    office_code: str
    office_name: str
    kiosk_id: str
    ticket: str
    slip_id: bytes
    issued_at: dt.datetime


def build_slip(submission: Submission, forms: Sequence[Form | None], origin: SlipOrigin, *,
               keys: KioskKeys | None, counters: Mapping[str, str], fonts: Fonts,
               paper: SlipPaper) -> Document:
    """The slip of an application, as the kiosk prints it and the desk reprints it.

    `forms` are the procedures' forms in order; None for one this desk has not loaded (the
    slip then lists the others, and its code still carries every procedure). With `keys` the
    slip carries its signed code (SlipEncodeError if the answers cannot go in one); without,
    none. The issue time is shown to the second, in Japan, the same on every copy.
    """
    issued_at = origin.issued_at.astimezone(JST).replace(microsecond=0)
    qr_text = None
    if keys is not None:
        never = [field_id for form in forms if form for field_id in form.counter_only_ids()]
        app = Application(
            office_code=origin.office_code, kiosk_id=origin.kiosk_id, issued_at=issued_at,
            ticket=origin.ticket, slip_id=origin.slip_id,
            procedures=[ProcedureEntry(p.form_id, p.form_version, p.values, p.flags)
                        for p in submission.procedures])
        qr_text = encode(app, keys, forbidden_keys=never)
    listed = [Procedure(form, p.values, counters.get(form.counter, form.counter))
              for form, p in zip(forms, submission.procedures, strict=True) if form]
    return render_slip(ticket=origin.ticket, procedures=listed, qr_text=qr_text,
                       office_name=origin.office_name, issued_at=issued_at, fonts=fonts,
                       paper=paper)
