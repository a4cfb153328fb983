"""What one session holds, shared by the parts of `Session` (kiosk/session/session.py).

`Session` is assembled from a few classes, one per seam of the journey (identify, questions,
groups); each reads and writes the attributes declared here. They are set in `wipe()` only,
so forgetting the resident stays one method.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from common.flags import FlagCode
from forms.engine import Evaluation, FieldState, evaluate
from forms.loader import Library
from forms.model import Form, LifeEvent
from forms.text import Text
from kiosk.application import Receipt
from kiosk.session.identity import Identity
from kiosk.session.ports import CardPort, CardProblem, StaffBell, StaffCheck, SubmitPort

# A message on the current screen: a stable key the UI translates ("wrong_pin"), or a
# form's own text in every language it has (an answer that is not right).
Message = str | Text


class Screen(StrEnum):
    WELCOME = "welcome"
    CHOOSE = "choose"
    SCREENING = "screening"
    IDENTIFY = "identify"
    PIN = "pin"
    CARD_PROBLEM = "card_problem"
    MANUAL = "manual"
    QUESTION = "question"
    CONFIRM = "confirm"
    DONE = "done"
    PAPER = "paper"
    STAFF = "staff"
    # The clerk's sign-in: apart from STAFF, so the resident waiting there never sees a PIN pad.
    STAFF_LOGIN = "staff_login"


@dataclass
class Procedure:
    form: Form
    answers: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    card_values: dict[str, Any] = field(default_factory=dict)
    # Questions the resident has seen: an optional one left empty is not asked again.
    asked: set[str] = field(default_factory=set)
    # Groups already offered the card holder as their first item: removed, it stays removed.
    offered_groups: set[str] = field(default_factory=set)
    # The life event's shared questions (kiosk/session/shared.py), asked once before the
    # procedures they fill; never filed as a procedure of its own.
    shared: bool = False
    # Answers the life event gave (its yes/no questions, what it implies): never asked,
    # not listed to change on the confirm screen.
    given: set[str] = field(default_factory=set)
    # Fields filled from the shared questions now: shown and changed there, not here.
    bound: set[str] = field(default_factory=set)
    # A group filled from a shared group: which member each of its items is, and the life
    # event's condition on which members it holds (forms.model.EventStep.select).
    item_sources: dict[str, list[int]] = field(default_factory=dict)
    dropped: dict[str, set[int]] = field(default_factory=dict)  # members taken out of it
    select: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # EventStep.values


@dataclass(frozen=True)
class Progress:
    """Where the resident is, for the top of a question: 「手続き 2/3 国民健康保険」."""

    number: int | None  # 1-based among the procedures filed; None: the shared questions
    total: int  # procedures filed
    title: Text  # the procedure's name, or the life event's for the shared questions


@dataclass(frozen=True)
class Question:
    procedure: int
    state: FieldState


@dataclass(frozen=True)
class GroupItem:
    """The item of a repeated group (one person of "everyone who moved") being entered."""

    procedure: int
    group: str
    index: int


class SessionState:
    """The attributes of a session and the few steps every part of it takes."""

    # Wiring, fixed for the kiosk's life.
    _library: Library
    _card: CardPort | None
    _submitter: SubmitPort
    _staff_bell: StaffBell | None
    _office: dict[str, str]
    _clock: Callable[[], dt.datetime]
    _idle_timeout_s: int
    _manual_form: Form
    _staff: StaffCheck
    default_lang: str
    generation: int
    # One resident's journey: every attribute below is reset by `wipe()`.
    screen: Screen
    lang: str
    procedures: list[Procedure]
    event: LifeEvent | None
    screening: dict[str, bool]
    identity: Identity | None
    manual: Procedure
    tries_left: int | None
    card_problem: CardProblem | None
    message: Message | None  # a short error the current screen shows
    editing: tuple[int, str] | None  # from the confirm screen: back to it
    revisit: tuple[int, str] | None  # gone back to an earlier question
    manual_revisit: str | None  # manual entry: gone back to an earlier question
    # From the confirm screen, one answer for the same question of several procedures
    # (「日中の電話番号」 of 転入届 and 国保): the other procedures it also fills.
    sharing: tuple[int, ...]
    group_item: GroupItem | None
    receipt: Receipt | None
    card_seen: bool  # a card lay on the reader: 「カードをお取りください」 at the end
    # Who took over at the kiosk (their own id and PIN), forgotten with the resident.
    staff_id: str | None
    staff_role: str | None
    staff_called: bool
    idle_warning: bool
    _history: list[Screen]
    _last_touch: dt.datetime

    @property
    def staff_mode(self) -> bool:
        """A staff member signed in for this session (and only for it)."""
        return self.staff_id is not None

    def _go(self, screen: Screen) -> None:
        if screen != self.screen:
            self._history.append(self.screen)
        self.screen = screen
        self.message = None

    def _today(self) -> dt.date:
        return self._clock().date()

    def today(self) -> dt.date:
        """The kiosk's date (the date picker's upper end, 令和's last year)."""
        return self._today()

    def _evaluate(self, index: int) -> Evaluation:
        proc = self.procedures[index]
        return evaluate(proc.form, proc.answers, today=self._today())

    def evaluations(self) -> list[Evaluation]:
        return [self._evaluate(i) for i in range(len(self.procedures))]

    def _identity_marks(self, bind: str, *, filled: bool = True) -> list[str]:
        """What the clerk is told about a field bound to the identity through `bind`: where a
        filled value came from and what to check. A sex the card records as not known (the
        port lists it among the undecodable items) fills nothing and is asked of the resident;
        the clerk sees that it was, not "undecodable": the card gave no character to decode."""
        identity = self.identity
        if identity is None:
            return []
        item = bind.removeprefix("card.")
        if item == "sex" and identity.source == "card" and identity.sex is None:
            return [FlagCode.SEX_NOT_KNOWN]
        if not filled:
            return []
        marks: list[str] = [FlagCode.FROM_CARD if identity.source == "card" else FlagCode.MANUAL]
        if item in identity.undecodable:
            marks.append(FlagCode.UNDECODABLE)
        return marks
