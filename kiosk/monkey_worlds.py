"""What the monkey's screens are wired to: no hardware, nothing kept after the run.

The kiosk gets a session over an in-memory card and printer whose behaviour the monkey's seed
rolls afresh for each resident (a card on the reader or not, 3, 1 or 0 PIN tries, no reader,
a printer out of paper), and a clock the monkey moves to let the idle timer fire. The desk gets
a real `Desk` on SQLite in a temporary folder with fresh keys, and slips signed the way the
kiosk signs them (the sample answers of each form), so its scan field reads real codes.

It lives outside kiosk/ui (the monkey's screens side, kiosk/ui/monkey, imports it) because
building those worlds takes printouts (keys, signed slips, fonts) and the screens import
nothing of printouts: no Kivy here either.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from common.clock import utc_now
from drivers.printer.file import FileSink
from forms.engine import evaluate
from forms.loader import Library, load_library
from kiosk.application import Receipt, Submission
from kiosk.config import OfficeConfig
from kiosk.desk.service import Desk
from kiosk.desk.signed import codes_opener
from kiosk.session.identity import Identity
from kiosk.session.ports import CardProblem, CardUnusable, StaffOnDuty, StaffRefused, WrongPin
from kiosk.session.session import Session
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.repository import open_store
from kiosk.store.sealing import RecordOpener
from kiosk.wiring import load_manual_form
from printouts.layout import Fonts
from printouts.payload import (
    Application,
    ProcedureEntry,
    encode,
    init_keys,
    load_desk_keys,
    load_kiosk_keys,
    new_slip_id,
)
from printouts.samples import sample_answers, sample_flags

PIN = "1234"
IDLE_TIMEOUT_S = 90
SAMPLE = Identity("見本 花子", "みほん市中央一丁目2番3号", dt.date(1985, 4, 1), "female", "card")
OFFICE = OfficeConfig(name="みほん市役所", code="999997")
COUNTERS = {"resident": "市民課 住民記録係", "insurance": "保険年金課", "tax": "税務課"}
# A valid 12-digit number (its check digit is right), as printed on a card's back.
CARD_BACK = "123456789018"


class MovableClock:
    """The session's clock: real time, plus what the monkey adds to make it idle."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utc_now() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += dt.timedelta(seconds=seconds)


@dataclass
class MonkeyCard:
    """A card port whose card the monkey lays down, blocks or takes away."""

    rng: random.Random
    tries: int = 3
    present: bool = True
    reader: bool = True

    def roll(self) -> None:
        """The next resident's card: mostly a good one on the reader."""
        self.tries = self.rng.choice((3, 3, 3, 3, 1, 0))
        self.present = self.rng.random() < 0.75
        self.reader = self.rng.random() < 0.95

    def tries_left(self) -> int:
        if not self.reader:
            raise CardUnusable(CardProblem.NO_READER)
        if not self.present:
            raise CardUnusable(CardProblem.NO_CARD)
        return self.tries

    def read_identity(self, pin: str) -> Identity:
        if self.tries_left() == 0:
            raise CardUnusable(CardProblem.BLOCKED)
        if pin != PIN:
            self.tries -= 1
            if self.tries == 0:
                raise CardUnusable(CardProblem.BLOCKED)
            raise WrongPin(self.tries)
        self.tries = 3
        return SAMPLE


@dataclass
class MonkeyStaff:
    """No account: the monkey's random ids and PINs are all refused, as the store refuses
    unknown ids; what it tried is counted, never kept."""

    tries: int = 0
    refusals: list[str] = field(default_factory=list)

    def sign_in(self, staff_id: str, pin: str) -> StaffOnDuty:
        self.tries += 1
        raise StaffRefused()

    def note_refusal(self, staff_id: str, what: str) -> None:
        self.refusals.append(what)


@dataclass
class MonkeyPrinter:
    """Stores nothing; the printer fails now and then, as a real one runs out of paper."""

    rng: random.Random
    library: Library
    tickets: int = 0

    def submit(self, submission: Submission) -> Receipt:
        self.tickets += 1
        counters = list(dict.fromkeys(self.library.get(p.form_id).counter
                                      for p in submission.procedures))
        printed = self.rng.random() < 0.9
        return Receipt(f"A-{self.tickets:03d}", counters[0], printed=printed,
                       print_error=None if printed else "out of paper", then=tuple(counters[1:]))

    def print_paper_forms(self, form_ids: Sequence[str], lang: str, *,
                          ticket: str | None = None) -> Receipt:
        """A ticket like every resident's (the same one when asked again), then the forms."""
        if ticket is None:
            self.tickets += 1
            ticket = f"A-{self.tickets:03d}"
        counters = list(dict.fromkeys(self.library.get(f).counter for f in form_ids))
        printed = self.rng.random() < 0.9
        return Receipt(ticket, counters[0], printed=printed,
                       print_error=None if printed else "out of paper", then=tuple(counters[1:]))


@dataclass
class KioskWorld:
    session: Session
    card: MonkeyCard
    clock: MovableClock


def kiosk_world(rng: random.Random, library: Library | None = None) -> KioskWorld:
    lib = library or load_library()
    card, clock = MonkeyCard(rng), MovableClock()
    session = Session(library=lib, card=card, submitter=MonkeyPrinter(rng, lib),
                      office={"name": OFFICE.name, "code": OFFICE.code}, clock=clock,
                      idle_timeout_s=IDLE_TIMEOUT_S, manual_form=load_manual_form(),
                      staff=MonkeyStaff())
    return KioskWorld(session, card, clock)


# ------------------------------------------------------------------------- the desk
class CardReader:
    """The desk's My Number card reader: the card answers with the number on its back."""

    def read_my_number(self, pin: str, *, allow_last_try: bool = False) -> str:
        return CARD_BACK


@dataclass
class DeskWorld:
    desk: Desk
    library: Library
    root: Path
    rng: random.Random
    slips: list[tuple[str, str]] = field(default_factory=list)  # (ticket, code) made so far

    def new_slip(self) -> tuple[str, str]:
        """A slip the kiosk would print now: one to three procedures, sample answers."""
        keys = load_kiosk_keys(self.root / "keys")
        now = utc_now()
        today = now.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
        forms = self.rng.sample(sorted(self.library.forms), self.rng.randint(1, 3))
        entries = []
        for form_id in forms:
            form = self.library.get(form_id)
            values = evaluate(form, sample_answers(form, today), today=today).values
            entries.append(ProcedureEntry(form.id, form.version, values, sample_flags(form)))
        ticket = f"B-{len(self.slips) + 1:03d}"
        never = [f.id for form_id in forms for f in self.library.get(form_id).all_fields()
                 if f.kind.counter_only]
        app = Application(office_code=OFFICE.code, kiosk_id="K01", issued_at=now.replace(
            microsecond=0), ticket=ticket, slip_id=new_slip_id(), procedures=entries)
        code = encode(app, keys, forbidden_keys=never, forms={f: self.library.get(f) for f in forms})
        self.slips.append((ticket, code))
        return ticket, code


# The desk monkey's own account (a supervisor: every desk action), for the sign-in and lock views.
DESK_STAFF = ("monkey", "the monkey's password")


def desk_world(root: Path, rng: random.Random, library: Library | None = None) -> DeskWorld:
    lib = library or load_library()
    keys = root / "keys"
    init_keys(keys, kiosk_id="K01", office_code=OFFICE.code)
    engine = make_engine(f"sqlite:///{root / 'desk.sqlite3'}")
    upgrade(engine)
    desk_keys = load_desk_keys(keys)
    store = open_store(engine, opener=RecordOpener(desk_keys, codes_opener(
        desk_keys, office_code=OFFICE.code, forms=lib.form_version)), clock=utc_now)
    store.add_staff(DESK_STAFF[0], "supervisor", DESK_STAFF[1], by="bootstrap")
    forms_out = root / "forms-out"
    forms_out.mkdir()
    desk = Desk(store=store, keys=desk_keys, library=lib, printer=FileSink(forms_out),
                printer_label="file", office=OFFICE, counters=COUNTERS, clock=utc_now,
                clerk="monkey", role="supervisor", desk_id="desk-m", fonts=Fonts.for_pdf())
    return DeskWorld(desk, lib, root, rng)
