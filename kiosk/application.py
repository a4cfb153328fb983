"""The application record: what a resident hands over, as the kiosk, the store and the desk see it.

One home for the record so that the store, the desk and the exports do not reach into the
resident session's ports for it, and one home for what the record means: its status and the
one table of moves between statuses (the store enforces it, the desk offers it), the clerk's
words for each status, and the slip that both the kiosk and the desk's reprint build from it.
The marks on an answer (flag codes, their words, the card value kept beside a correction) are
in common/flags.py, because the printed form reads them too; they are named here as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from common.clock import JST
from common.flags import (
    CARD_VALUE_MARK,
    FLAG_WORDS,
    INFO_FLAGS,
    UNKNOWN_FLAG_JA,
    FlagCode,
    card_value_mark,
    needs_check,
    split_marks,
)
from forms.model import Form
from printouts.document import Document
from printouts.layout import Fonts
from printouts.payload import (
    QR_V25_M_CHARS,
    Application,
    KioskKeys,
    PayloadTooLargeError,
    ProcedureEntry,
    encode,
)
from printouts.slip import Procedure, SlipCode, SlipPaper, render_slip


@dataclass(frozen=True)
class ProcedureAnswers:
    form_id: str
    form_version: int
    values: dict[str, Any]
    # path -> marks for the clerk (common/flags.py): "from_card", "corrected", ...
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
    """The resident's ticket and where to go: for an application stored at the kiosk, or for
    the paper forms of one who writes by hand (the same counter numbers both)."""

    ticket: str
    counter: str  # where to go first: the key of the first procedure's counter
    printed: bool
    print_error: str | None = None
    then: tuple[str, ...] = ()  # the other procedures' counters, in order
    # Procedures (form ids) too large for any code: their pre-filled paper forms were printed
    # under the same ticket, and the resident hands them in at the counter.
    paper_forms: tuple[str, ...] = ()


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

# The marks on an answer have their home in common/flags.py (the printed form reads them too);
# named here as well, beside the record that carries them.
__all__ = ["CARD_VALUE_MARK", "FLAG_WORDS", "INFO_FLAGS", "NEXT_STATUS", "STATUS_WORDS",
           "UNKNOWN_FLAG_JA", "FlagCode", "ProcedureAnswers", "Receipt", "SlipCodes", "SlipOrigin",
           "Status", "Submission", "build_slip", "card_value_mark", "may_move", "needs_check",
           "slip_codes", "split_marks"]


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


@dataclass(frozen=True)
class SlipCodes:
    """The slip's codes in the order to visit, and the procedures (indexes into the
    submission) that no code could hold: those go on their pre-filled paper forms."""

    codes: tuple[SlipCode, ...]
    on_paper: tuple[int, ...] = ()


def _by_counter(forms: Sequence[Form | None]) -> list[tuple[str, list[int]]]:
    """Procedure indexes grouped by counter, counters in the order of their first procedure.

    A procedure whose form this desk has not loaded has no counter here: it rides with the
    first counter, whose clerk sees it and sends the resident on.
    """
    groups: dict[str, list[int]] = {}
    for i, form in enumerate(forms):
        if form is not None:
            groups.setdefault(form.counter, []).append(i)
    unknown = [i for i, form in enumerate(forms) if form is None]
    if not groups:
        raise ValueError("a slip needs at least one loaded procedure")
    first = next(iter(groups))
    groups[first] = sorted(groups[first] + unknown)
    return list(groups.items())


def slip_codes(submission: Submission, forms: Sequence[Form | None], origin: SlipOrigin, *,
               keys: KioskKeys, counters: Mapping[str, str],
               max_chars: int = QR_V25_M_CHARS) -> SlipCodes:
    """One code a counter, each holding only that counter's procedures; a counter's code that
    is too large is split into one code a procedure, and a procedure too large alone has no
    code (`on_paper`). So a large household never leaves the resident without a slip."""
    groups = _by_counter(forms)
    route = tuple(counter for counter, _ in groups)
    never = [field_id for form in forms if form for field_id in form.counter_only_ids()]
    issued_at = origin.issued_at.astimezone(JST).replace(microsecond=0)

    def code(counter: str, indexes: Sequence[int]) -> SlipCode:
        app = Application(
            office_code=origin.office_code, kiosk_id=origin.kiosk_id, issued_at=issued_at,
            ticket=origin.ticket, slip_id=origin.slip_id, counter=counter, route=route,
            procedures=[ProcedureEntry(p.form_id, p.form_version, p.values, p.flags)
                        for p in (submission.procedures[i] for i in indexes)])
        # Format 2 (schema-aware, docs/slip-format.md) when every form is loaded here; a
        # procedure whose form this desk lacks can only go in format 1, which keeps its names.
        held = [forms[i] for i in indexes]
        known = None if None in held else {f.id: f for f in held if f is not None}
        try:
            text: str | None = encode(app, keys, forbidden_keys=never, max_chars=max_chars,
                                      forms=known)
        except PayloadTooLargeError:
            text = None
        titles = tuple(f.name.ja if f else submission.procedures[i].form_id
                       for i, f in ((i, forms[i]) for i in indexes))
        return SlipCode(counters.get(counter, counter), titles, text)

    out: list[SlipCode] = []
    on_paper: list[int] = []
    for counter, indexes in groups:
        whole = code(counter, indexes)
        parts = [(indexes, whole)] if whole.text is not None or len(indexes) == 1 else [
            ([i], code(counter, [i])) for i in indexes]
        for held, part in parts:
            out.append(part)
            if part.text is None:
                on_paper.extend(held)
    return SlipCodes(tuple(out), tuple(on_paper))


def build_slip(submission: Submission, forms: Sequence[Form | None], origin: SlipOrigin, *,
               keys: KioskKeys | None, counters: Mapping[str, str], fonts: Fonts,
               paper: SlipPaper, codes: SlipCodes | None = None) -> Document:
    """The slip of an application, as the kiosk prints it and the desk reprints it.

    `forms` are the procedures' forms in order; None for one this desk has not loaded (the
    slip then lists the others, and the first counter's code carries it). With `keys` the slip
    carries its signed codes (`slip_codes`, or `codes` when the caller made them already);
    without, none. The issue time is shown to the second, in Japan, the same on every copy.
    """
    issued_at = origin.issued_at.astimezone(JST).replace(microsecond=0)
    if codes is None and keys is not None:
        codes = slip_codes(submission, forms, origin, keys=keys, counters=counters)
    listed = [Procedure(form, p.values, counters.get(form.counter, form.counter))
              for form, p in zip(forms, submission.procedures, strict=True) if form]
    return render_slip(ticket=origin.ticket, procedures=listed,
                       codes=codes.codes if codes else (), office_name=origin.office_name,
                       issued_at=issued_at, fonts=fonts, paper=paper)
