"""A session wired to in-memory parts, for driving journeys without a screen or hardware.

The card fake stands in for the whole PC/SC stack only in these unit tests of the state
machine; tests/kiosk/test_card_port.py, tests/drivers/card and tests/e2e go through the real
pcscd and emulator. It answers as the real port does (kiosk/card_port.py over the driver): a
blocked card reports 0 tries left, and the PIN it is asked to check then is refused.

Staff sign in against a real store (`staff_store`: SQLite in the test's folder, accounts made
with `add_staff` and `set_pin`, the kiosk's own adapter in front), so the lockout and the audit
trail are the store's own; a session that never signs anyone in gets `NoStaff`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from forms.loader import Library, load_library
from kiosk.application import Receipt, Submission
from kiosk.session.identity import Identity
from kiosk.session.ports import (
    CardPort,
    CardProblem,
    CardUnusable,
    StaffBell,
    StaffCheck,
    StaffOnDuty,
    StaffRefused,
    WrongPin,
)
from kiosk.session.session import Screen, Session
from kiosk.staff_check import StoreStaffCheck
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.repository import Store, open_store
from kiosk.store.staff import Role

IDENTITY_FORM_DIR = Path(__file__).parents[2] / "kiosk" / "session" / "identity_form"
KIOSK_ID = "K01"
# The accounts `staff_store` makes: id, role, kiosk PIN.
Account = tuple[str, Role, str]
CLERK: Account = ("k.tanaka", "clerk", "135790")
SUPERVISOR: Account = ("m.sato", "supervisor", "864209")
ADMIN: Account = ("kanri", "admin", "97531246")
HANAKO = Identity("見本 花子", "みほん市中央一丁目2番3号", dt.date(1985, 4, 1), "female", "card")


@dataclass
class RecordingCard:
    """A card that keeps a PIN counter like the real one and records every call."""

    pin: str = "1234"
    tries: int = 3
    identity: Identity = HANAKO
    fail_with: Exception | None = None  # raised by every call, e.g. CardUnusable(...)
    present: bool = True  # False: the reader is there, the card not yet on it
    calls: list[str] = field(default_factory=list)

    def tries_left(self) -> int:
        self.calls.append("tries_left")
        if self.fail_with:
            raise self.fail_with
        if not self.present:
            raise CardUnusable(CardProblem.NO_CARD)
        return self.tries  # 0 on a blocked card, as the card itself answers

    def read_identity(self, pin: str) -> Identity:
        self.calls.append("read_identity")
        if self.fail_with:
            raise self.fail_with
        if not self.present:
            raise CardUnusable(CardProblem.REMOVED)
        if self.tries == 0:
            raise CardUnusable(CardProblem.BLOCKED)
        if pin != self.pin:
            self.tries -= 1
            if self.tries == 0:
                raise CardUnusable(CardProblem.BLOCKED)
            raise WrongPin(self.tries)
        self.tries = 3
        return self.identity


@dataclass
class RecordingSubmitter:
    """Applications and paper forms, numbered from one counter as the store numbers them."""

    printer_works: bool = True
    submissions: list[Submission] = field(default_factory=list)
    paper_forms: list[str] = field(default_factory=list)
    paper_tickets: list[str] = field(default_factory=list)  # drawn for paper forms, in order
    then: tuple[str, ...] = ()  # counters after the first, as the receipt names them

    def _next_ticket(self) -> str:
        return f"A-{len(self.submissions) + len(self.paper_tickets) + 1:03d}"

    def submit(self, submission: Submission) -> Receipt:
        ticket = self._next_ticket()
        self.submissions.append(submission)
        if self.printer_works:
            return Receipt(ticket, "resident", printed=True, then=self.then)
        return Receipt(ticket, "resident", printed=False, print_error="printer stopped", then=self.then)

    def print_paper_forms(self, form_ids: Sequence[str], lang: str, *,
                          ticket: str | None = None) -> Receipt:
        if ticket is None:
            ticket = self._next_ticket()
            self.paper_tickets.append(ticket)
        self.paper_forms.extend(form_ids)
        if self.printer_works:
            return Receipt(ticket, "resident", printed=True, then=self.then)
        return Receipt(ticket, "resident", printed=False, print_error="printer stopped", then=self.then)


@dataclass
class NoStaff:
    """For sessions no staff member signs in to: every id and PIN refused, each try kept."""

    tries: list[str] = field(default_factory=list)
    refusals: list[tuple[str, str]] = field(default_factory=list)

    def sign_in(self, staff_id: str, pin: str) -> StaffOnDuty:
        self.tries.append(staff_id)
        raise StaffRefused()

    def note_refusal(self, staff_id: str, what: str) -> None:
        self.refusals.append((staff_id, what))


@dataclass
class StaffStore:
    """A kiosk's store with staff accounts, and the session's check over it."""

    store: Store
    check: StoreStaffCheck
    engine: Engine

    def close(self) -> None:
        self.engine.dispose()


def staff_store(folder: Path, clock: Clock,
                accounts: Sequence[Account] = (CLERK, SUPERVISOR, ADMIN)
                ) -> StaffStore:
    """SQLite in `folder` at the newest schema, the accounts added as `kiosk staff` adds them."""
    engine = make_engine(f"sqlite:///{folder / 'kiosk.sqlite3'}")
    upgrade(engine)
    store = open_store(engine, clock=clock)
    for staff_id, role, pin in accounts:
        store.add_staff(staff_id, role, "a long enough password", by="setup")
        store.set_pin(staff_id, pin, by="setup")
    return StaffStore(store, StoreStaffCheck(store, KIOSK_ID), engine)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def make_session(card: CardPort | None, submitter: RecordingSubmitter, clock: Clock,
                 library: Library | None = None, staff_bell: StaffBell | None = None, *,
                 staff: StaffCheck | None = None) -> Session:
    lib = library or load_library()
    manual = load_library([], shipped=IDENTITY_FORM_DIR).get("manual_identity")
    return Session(library=lib, card=card, submitter=submitter, office={"name": "みほん市役所"},
                   clock=clock, idle_timeout_s=90, manual_form=manual, staff=staff or NoStaff(),
                   staff_bell=staff_bell)


@dataclass(frozen=True)
class Asked:
    """One question the resident met: which procedure, the path, the label they read."""

    procedure: int
    path: str
    label: str


def answer_all(s: Session, *, family: Sequence[dict[str, Any]], shared: dict[str, Any],
               own: dict[str, Any]) -> list[Asked]:
    """Answers every question of a life event as a family would, up to the confirm screen:
    the shared questions from `shared` (per member from `family`), each procedure's own from
    `own` by field id. Every answer must be taken (no message)."""
    asked: list[Asked] = []
    for _ in range(300):
        question = s.question() if s.screen == Screen.QUESTION else None
        if question is None:
            return asked
        field, path = question.state.field, question.state.path
        proc = s.procedures[question.procedure]
        if field.kind.repeats:
            if proc.shared and len(s.group_items(question)) < len(family):
                s.add_group_item()
            else:
                s.finish_group()
            continue
        asked.append(Asked(question.procedure, path, field.label.ja))
        if not proc.shared:
            s.answer(own[field.id])
        elif "[" in path:
            s.answer(family[int(path.split("[")[1].split("]")[0])][field.id])
        else:
            s.answer(shared[field.id])
        assert s.message is None, (path, s.message)
    raise AssertionError("the journey never reached the confirm screen")
