"""The resident session: one journey from welcome to slip, and the wipe after it.

A plain state machine. The screens show `session.screen` and the data beside it, and call
the methods below on touches; nothing here knows of Kivy. Every personal datum lives in
this object only, so `wipe()` (on finish, on idle, on staff request) forgets it all.

Two calls block on hardware: `use_card`/`enter_pin` (the card reader) and `confirm`/
`request_paper_form` (store and printer). The UI runs them on a worker thread and does not
touch the session until they return, so the session itself needs no lock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from drivers.card import errors as card_errors
from forms import expr
from forms.engine import Evaluation, FieldState, evaluate, prefill, prefill_item
from forms.loader import Library
from forms.model import Form, LifeEvent, ScreeningQuestion
from forms.text import Text
from kiosk.application import ProcedureAnswers, Receipt, Submission
from kiosk.postal import address_for
from kiosk.session.identity import Identity
from kiosk.session.ports import CardPort, StaffBell, SubmitPort

QUESTION_TYPES = frozenset({
    "text", "katakana", "integer", "copies", "date", "choice", "multi_choice", "yes_no",
    "applicant", "postal_code", "address", "phone", "group",
})
IDLE_WARNING_S = 20
# A clerk helping a resident reads documents and talks; the session waits longer for them,
# but a session left open by a clerk who walked away is still wiped.
STAFF_IDLE_FACTOR = 5
# "members[0].name": a field of one item of a group.
_ITEM_PATH = re.compile(r"^(?P<group>\w+)\[(?P<index>\d+)\]\.(?P<child>\w+)$", re.ASCII)

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


class CardProblem(StrEnum):
    NO_READER = "no_reader"
    NO_CARD = "no_card"
    NOT_MY_NUMBER_CARD = "not_my_number_card"
    REMOVED = "removed"
    LAST_TRY = "last_try"
    BLOCKED = "blocked"
    UNREADABLE = "unreadable"

    @property
    def card_may_work(self) -> bool:
        """Whether trying the card again can help; a PIN problem needs the city office."""
        return self not in (CardProblem.LAST_TRY, CardProblem.BLOCKED)


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


class Session:
    def __init__(self, *, library: Library, card: CardPort | None, submitter: SubmitPort,
                 office: dict[str, str], clock: Callable[[], dt.datetime], idle_timeout_s: int,
                 manual_form: Form, staff_pin: str, lang: str = "ja",
                 staff_bell: StaffBell | None = None) -> None:
        self._library, self._card, self._submitter = library, card, submitter
        self._staff_bell = staff_bell
        self._office, self._clock, self._idle_timeout_s = office, clock, idle_timeout_s
        self._manual_form, self._staff_pin = manual_form, staff_pin
        self.default_lang = lang
        # Counts wipes, so a screen can tell that what it shows belongs to nobody any more.
        self.generation = 0
        self.wipe()

    @property
    def library(self) -> Library:
        return self._library

    @property
    def has_card_reader(self) -> bool:
        return self._card is not None

    # ----------------------------------------------------------------- state
    def wipe(self) -> None:
        """Forget the resident: answers, identity, card results, messages, history."""
        self.generation += 1
        self.screen = Screen.WELCOME
        self.lang = self.default_lang
        self.procedures: list[Procedure] = []
        self.event: LifeEvent | None = None
        self.screening: dict[str, bool] = {}
        self.identity: Identity | None = None
        self.manual = Procedure(self._manual_form)
        self.tries_left: int | None = None
        self.card_problem: CardProblem | None = None
        self.message: Message | None = None  # a short error the current screen shows
        self.editing: tuple[int, str] | None = None  # from the confirm screen: back to it
        self.revisit: tuple[int, str] | None = None  # gone back to an earlier question
        self.group_item: GroupItem | None = None
        self.receipt: Receipt | None = None
        self.staff_mode = False
        self.staff_called = False
        self.idle_warning = False
        self._history: list[Screen] = []
        self._last_touch = self._clock()

    def _go(self, screen: Screen) -> None:
        if screen != self.screen:
            self._history.append(self.screen)
        self.screen = screen
        self.message = None

    def touch(self) -> None:
        self._last_touch = self._clock()
        self.idle_warning = False

    @property
    def _idle_limit_s(self) -> int:
        return self._idle_timeout_s * (STAFF_IDLE_FACTOR if self.staff_mode else 1)

    def tick(self) -> None:
        """Called about once a second: warn before the idle timeout, wipe at it."""
        if self.screen == Screen.WELCOME:
            return
        idle = (self._clock() - self._last_touch).total_seconds()
        if idle >= self._idle_limit_s:
            self.wipe()
        elif idle >= self._idle_limit_s - IDLE_WARNING_S:
            self.idle_warning = True

    def idle_seconds_left(self) -> int:
        """Seconds until the idle wipe, for the countdown of the 「続けますか？」 warning."""
        idle = (self._clock() - self._last_touch).total_seconds()
        return max(0, int(self._idle_limit_s - idle + 0.999))

    def set_language(self, lang: str) -> None:
        self.lang = lang

    @property
    def can_go_back(self) -> bool:
        if self.screen == Screen.DONE:
            return False  # sent: there is nothing to go back to, only 「おわる」
        return bool(self._history or self.editing or self.group_item
                    or self.screen in (Screen.QUESTION, Screen.CONFIRM))

    def back(self) -> None:
        """One step back: the previous question (answers kept), else the previous screen."""
        self.message = None
        if self.screen == Screen.DONE:
            # Never back into the confirm screen: that would submit the application twice.
            self.finish()
        elif self.screen == Screen.QUESTION and self.group_item is not None:
            self._leave_group_item()
        elif self.screen == Screen.QUESTION and self.editing:
            self.editing = None
            self.screen = Screen.CONFIRM
        elif self.screen in (Screen.QUESTION, Screen.CONFIRM) and self._previous_question():
            self.revisit = self._previous_question()
            self.screen = Screen.QUESTION
        elif self._history:
            self.revisit = None
            self.screen = self._history.pop()

    def _previous_question(self) -> tuple[int, str] | None:
        """The question before the one shown (the last one from the confirm screen),
        among those the resident was asked: in form order, whatever they answered since."""
        shown: list[tuple[int, str]] = []
        for index, ev in enumerate(self.evaluations()):
            shown += [(index, state.path) for state in ev.states
                      if state.visible and state.field.type in QUESTION_TYPES
                      and "[" not in state.path]
        current = self.question() if self.screen == Screen.QUESTION else None
        here = (current.procedure, current.state.path) if current else None
        before = shown[:shown.index(here)] if here in shown else shown
        asked = [(i, path) for i, path in before if path in self.procedures[i].asked]
        return asked[-1] if asked else None

    # ----------------------------------------------------------- choose
    def start(self) -> None:
        self._go(Screen.CHOOSE)

    def choose_form(self, form_id: str) -> None:
        self.procedures = [Procedure(self._library.get(form_id))]
        self.event = None
        self._go(Screen.IDENTIFY)

    def choose_event(self, event_id: str) -> None:
        self.event = self._library.life_events[event_id]
        self.screening = {}
        self._go(Screen.SCREENING if self.event.questions else Screen.IDENTIFY)
        if not self.event.questions:
            self._expand_event()

    def screening_question(self) -> ScreeningQuestion | None:
        event = self.event
        if event is None:
            return None
        return next((q for q in event.questions if q.id not in self.screening), None)

    def answer_screening(self, yes: bool) -> None:
        question = self.screening_question()
        if question is None:
            return
        self.screening[question.id] = yes
        if self.screening_question() is None:
            self._expand_event()
            self._go(Screen.IDENTIFY)

    def _step_applies(self, when: str | None) -> bool:
        lookup = expr.mapping_lookup(self.screening)
        return not when or expr.parse(when).truth(lookup, today=self._today())

    def _expand_event(self) -> None:
        event = self.event
        if event is None:
            return
        self.procedures = [
            Procedure(self._library.get(step.form)) for step in event.steps
            if step.form and step.form in self._library.forms and self._step_applies(step.when)
        ]

    def event_guidance(self) -> list[Text]:
        """The life event's steps done elsewhere (school, pension office), for the resident."""
        if self.event is None:
            return []
        return [step.info for step in self.event.steps
                if step.info is not None and self._step_applies(step.when)]

    # ----------------------------------------------------------- identify
    def card_ready(self) -> bool:
        """Whether a usable card lies on the reader, spending no PIN try and changing nothing.

        The identify screen polls this so that placing the card is the resident's whole
        action (no touch); any problem beyond "no card yet" is left for `use_card` to report.
        """
        if self._card is None:
            return False
        try:
            self._card.tries_left()
        except (card_errors.NoCardError, card_errors.NoReaderError, card_errors.ReaderTimeoutError):
            return False
        except card_errors.CardError:
            return True
        return True

    def use_card(self) -> None:
        if self._card is None:
            self._card_problem(CardProblem.NO_READER)
            return
        try:
            self.tries_left = self._card.tries_left()
        except card_errors.CardError as exc:
            self._card_problem(_problem_of(exc))
            return
        if self.tries_left <= 1:
            # The last try is not risked: a blocked card is unlocked only at the city office.
            self._card_problem(_pin_problem(self.tries_left))
        else:
            self._go(Screen.PIN)

    def enter_pin(self, pin: str) -> None:
        if self._card is None or not (len(pin) == 4 and pin.isascii() and pin.isdigit()):
            self.message = "pin_format"
            return
        try:
            identity = self._card.read_identity(pin)
        except card_errors.WrongPinError as exc:
            self.tries_left = exc.tries_left
            if exc.tries_left <= 1:
                self._card_problem(_pin_problem(exc.tries_left))
            else:
                self.message = "wrong_pin"
            return
        except card_errors.CardError as exc:
            self._card_problem(_problem_of(exc))
            return
        self._identified(identity)

    def _card_problem(self, problem: CardProblem) -> None:
        self.card_problem = problem
        self._go(Screen.CARD_PROBLEM)

    def use_manual_entry(self) -> None:
        self.manual = Procedure(self._manual_form)
        self._go(Screen.MANUAL)

    def manual_question(self) -> Question | None:
        return _next_question([self.manual], self._today(), ask_optional=True)

    def answer_manual(self, value: Any) -> None:
        question = self.manual_question()
        if question is None:
            return
        self._set(self.manual, question.state.path, value)

        if question.state.field.type == "postal_code" and "address" not in self.manual.answers:
            found = address_for(str(value))
            if found:
                self.manual.answers["address"] = found
        ev = evaluate(self._manual_form, self.manual.answers, today=self._today())
        error = ev.error_at(question.state.path)
        self.message = error.message if error else None
        if self.manual_question() is None and ev.ok:
            v = ev.values
            self._identified(Identity(
                name=v["name"], address=v["address"],
                birth_date=dt.date.fromisoformat(v["birth_date"]),
                sex=v.get("sex", "not_applicable"),
                source="staff" if self.staff_mode else "manual"))

    def _identity_marks(self, bind: str) -> list[str]:
        """What the clerk is told about a value filled from the identity through `bind`."""
        assert self.identity is not None
        marks = ["from_card" if self.identity.source == "card" else "manual"]
        if bind.removeprefix("card.") in self.identity.undecodable:
            marks.append("undecodable")
        return marks

    def _identified(self, identity: Identity) -> None:
        self.identity = identity
        self.tries_left = None
        card_values = identity.as_card_values()
        today = self._today()
        for proc in self.procedures:
            filled = prefill(proc.form, card=card_values, office=self._office, today=today)
            for f in proc.form.all_fields():
                if f.default is not None and f.id not in filled:
                    filled[f.id] = f.default
            proc.answers.update(filled)
            for f in proc.form.all_fields():
                if f.bind and f.bind.startswith("card.") and f.id in filled:
                    proc.card_values[f.id] = filled[f.id]
                    proc.flags.setdefault(f.id, []).extend(self._identity_marks(f.bind))
        self._history = [Screen.CHOOSE]  # never back into the PIN pad
        self._after_answer()

    # ----------------------------------------------------------- questions
    def _today(self) -> dt.date:
        return self._clock().date()

    def today(self) -> dt.date:
        """The kiosk's date (the date picker's upper end, 令和's last year)."""
        return self._today()

    def _evaluate(self, index: int) -> Evaluation:
        proc = self.procedures[index]
        return evaluate(proc.form, proc.answers, today=self._today())

    def question(self) -> Question | None:
        if self.group_item is not None:
            return self._item_question(self.group_item)
        for chosen in (self.editing, self.revisit):
            if chosen is not None:
                index, path = chosen
                return Question(index, self._evaluate(index).state(path))
        return _next_question(self.procedures, self._today())

    def answer(self, value: Any) -> None:
        question = self.question()
        if question is None:
            return
        if question.state.field.type == "group":
            return  # a group is answered item by item: add_group_item, then finish_group
        proc = self.procedures[question.procedure]
        path = question.state.path
        self._set(proc, path, value)
        if path in proc.card_values:
            marks = proc.flags.setdefault(path, [])
            changed = _value_at(proc, path) != proc.card_values[path]
            if changed and "corrected" not in marks:
                marks.append("corrected")
            elif not changed and "corrected" in marks:
                marks.remove("corrected")
        error = self._evaluate(question.procedure).error_at(path)
        if error:
            self.message = error.message
            return
        if self.group_item is not None:
            self.message = None
            if self._item_question(self.group_item).state.field.type == "group":
                self.group_item = None  # the item is complete: back to the list of items
            return
        self.editing = None
        self.revisit = None
        self._after_answer()

    def _set(self, proc: Procedure, path: str, value: Any) -> None:
        proc.asked.add(path)
        target: dict[str, Any] = proc.answers
        key = path
        item = _ITEM_PATH.match(path)
        if item:
            items = proc.answers.setdefault(item["group"], [])
            target, key = items[int(item["index"])], item["child"]
        if value in (None, "", []):
            target.pop(key, None)
        else:
            target[key] = value

    def _after_answer(self) -> None:
        self.message = None
        nxt = _next_question(self.procedures, self._today())
        self.screen = Screen.QUESTION if nxt else Screen.CONFIRM
        if nxt is not None and nxt.state.field.type == "group":
            self._offer_card_holder(nxt)

    def _offer_card_holder(self, question: Question) -> None:
        """Start an empty group with the card holder as its first item (the first person who
        moved, the first card to update), so a name and birth date on the card are not typed
        again; then ask only the rest of that item.

        Only for a group whose fields are bound (`bind: card.name` ...), once per group, and
        not when an agent or legal representative came: then the card holder is not one of
        the items. A removed first item stays removed.
        """
        proc = self.procedures[question.procedure]
        group, path = question.state.field, question.state.path
        if self.identity is None or path in proc.offered_groups or proc.answers.get(path):
            return
        proc.offered_groups.add(path)
        came = [proc.answers.get(f.id) for f in proc.form.all_fields() if f.type == "applicant"]
        if any(kind not in (None, "self", "household") for kind in came):
            return
        item = prefill_item(group, card=self.identity.as_card_values(), office=self._office,
                            today=self._today())
        bound = {f.id: f.bind for f in group.fields or ()
                 if f.id in item and f.bind and f.bind.startswith("card.")}
        if not bound:
            return
        proc.answers[path] = [item]
        for child, bind in bound.items():
            item_path = f"{path}[0].{child}"
            proc.asked.add(item_path)
            proc.card_values[item_path] = item[child]
            proc.flags[item_path] = self._identity_marks(bind)
        self.group_item = GroupItem(question.procedure, path, 0)

    def edit(self, procedure: int, path: str) -> None:
        self.editing = (procedure, path)
        self.revisit = None
        self.group_item = None
        self._go(Screen.QUESTION)

    def evaluations(self) -> list[Evaluation]:
        return [self._evaluate(i) for i in range(len(self.procedures))]

    def optional_questions(self) -> list[Question]:
        """Questions not asked one by one (optional, still empty), for the confirm screen."""
        out: list[Question] = []
        for index, ev in enumerate(self.evaluations()):
            for state in ev.states:
                if (state.visible and not state.required and state.value is None
                        and state.field.type in QUESTION_TYPES and state.field.type != "group"
                        and "[" not in state.path and state.field.bind is None):
                    out.append(Question(index, state))
        return out

    # ----------------------------------------------------------- groups
    def group_items(self, question: Question) -> list[dict[str, Any]]:
        """The items entered so far for a group question (as typed, not normalised)."""
        raw = self.procedures[question.procedure].answers.get(question.state.path)
        return [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []

    def add_group_item(self) -> None:
        question = self.question()
        if question is None or question.state.field.type != "group":
            return
        limit = question.state.field.max
        items = self.procedures[question.procedure].answers.setdefault(question.state.path, [])
        if isinstance(limit, int) and len(items) >= limit:
            self.message = "group_full"
            return
        items.append({})
        self.group_item = GroupItem(question.procedure, question.state.path, len(items) - 1)
        self.message = None

    def edit_group_item(self, index: int) -> None:
        question = self.question()
        if question is None or question.state.field.type != "group":
            return
        proc = self.procedures[question.procedure]
        prefix = f"{question.state.path}[{index}]."
        proc.asked = {p for p in proc.asked if not p.startswith(prefix)}
        self.group_item = GroupItem(question.procedure, question.state.path, index)
        self.message = None

    def remove_group_item(self, index: int) -> None:
        question = self.question()
        if question is None or question.state.field.type != "group":
            return
        proc = self.procedures[question.procedure]
        items = proc.answers.get(question.state.path)
        if isinstance(items, list) and 0 <= index < len(items):
            del items[index]
            # Paths of the later items shift down by one; what was asked is asked again.
            prefix = f"{question.state.path}["
            proc.asked = {p for p in proc.asked if not p.startswith(prefix)}
            for by_path in (proc.flags, proc.card_values):
                _drop_item(by_path, question.state.path, index)

    def finish_group(self) -> None:
        """The resident has entered every item: check the group, then the next question."""
        question = self.question()
        if question is None or question.state.field.type != "group":
            return
        error = self._evaluate(question.procedure).error_at(question.state.path)
        if error:
            self.message = error.message
            return
        self.procedures[question.procedure].asked.add(question.state.path)
        self.editing = None
        self.revisit = None
        self._after_answer()

    def _item_question(self, item: GroupItem) -> Question:
        """The next child question of the item being entered; the group itself when done."""
        proc = self.procedures[item.procedure]
        ev = self._evaluate(item.procedure)
        prefix = f"{item.group}[{item.index}]."
        for state in ev.states:
            if (not state.path.startswith(prefix) or not state.visible
                    or state.field.type not in QUESTION_TYPES or state.field.type == "group"):
                continue
            missing = state.required and state.value is None
            if missing or state.error is not None or state.path not in proc.asked:
                return Question(item.procedure, state)
        return Question(item.procedure, ev.state(item.group))

    def _leave_group_item(self) -> None:
        item = self.group_item
        self.group_item = None
        self.message = None
        if item is None:
            return
        items = self.procedures[item.procedure].answers.get(item.group)
        if isinstance(items, list) and item.index < len(items) and not items[item.index]:
            del items[item.index]  # nothing was entered: no empty person left behind

    # ----------------------------------------------------------- finish
    def confirm(self) -> None:
        evaluations = self.evaluations()
        if any(not ev.ok for ev in evaluations) or self.identity is None:
            self._after_answer()
            return
        submission = Submission(
            procedures=tuple(
                ProcedureAnswers(p.form.id, p.form.version, ev.values,
                                 {k: list(v) for k, v in p.flags.items()})
                for p, ev in zip(self.procedures, evaluations, strict=True)
            ),
            identity_source=self.identity.source,
            staff_assisted=self.staff_mode,
            lang=self.lang,
            created_at=self._clock(),
        )
        self.receipt = self._submitter.submit(submission)
        self._go(Screen.DONE)

    def request_paper_form(self) -> None:
        form_ids = [p.form.id for p in self.procedures]
        printed = all(self._submitter.print_paper_form(fid, self.lang) for fid in form_ids)
        self._go(Screen.PAPER)
        self.message = None if printed else "print_failed"

    def call_staff(self) -> None:
        """The staff screen. The bell rings once per call (a call stays open until a clerk
        signs in or the session ends), and not for a clerk who is already here."""
        if self._staff_bell is not None and not self.staff_called and not self.staff_mode:
            self._staff_bell.ring(screen=str(self.screen))
        self.staff_called = True
        self._go(Screen.STAFF)

    def staff_login(self, pin: str) -> bool:
        """A clerk takes over the session (their PIN); wrong PIN changes nothing."""
        if pin != self._staff_pin:
            self.message = "wrong_staff_pin"
            return False
        self.staff_mode = True
        self.staff_called = False
        self.back()
        return True

    def finish(self) -> None:
        self.wipe()


def _pin_problem(tries_left: int) -> CardProblem:
    return CardProblem.LAST_TRY if tries_left == 1 else CardProblem.BLOCKED


def _problem_of(exc: Exception) -> CardProblem:
    table: list[tuple[type[Exception], CardProblem]] = [
        (card_errors.PinBlockedError, CardProblem.BLOCKED),
        (card_errors.LastPinTryError, CardProblem.LAST_TRY),
        (card_errors.NotMyNumberCardError, CardProblem.NOT_MY_NUMBER_CARD),
        (card_errors.CardRemovedError, CardProblem.REMOVED),
        (card_errors.NoReaderError, CardProblem.NO_READER),
        (card_errors.NoCardError, CardProblem.NO_CARD),
        (card_errors.ReaderTimeoutError, CardProblem.NO_CARD),
    ]
    found = (problem for kind, problem in table if isinstance(exc, kind))
    return next(found, CardProblem.UNREADABLE)


def _value_at(proc: Procedure, path: str) -> Any:
    """The answer at a path, an item's field (`members[0].name`) included."""
    item = _ITEM_PATH.match(path)
    if not item:
        return proc.answers.get(path)
    items = proc.answers.get(item["group"])
    index = int(item["index"])
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        return items[index].get(item["child"])
    return None


def _drop_item(by_path: dict[str, Any], group: str, index: int) -> None:
    """Forget what was kept for a removed item; the later items' paths move down by one."""
    kept: dict[str, Any] = {}
    for path, value in by_path.items():
        item = _ITEM_PATH.match(path)
        at = int(item["index"]) if item and item["group"] == group else -1
        if at == index:
            continue
        kept[f"{group}[{at - 1}].{item['child']}" if item and at > index else path] = value
    by_path.clear()
    by_path.update(kept)


def _needs_asking(proc: Procedure, state: FieldState, ask_optional: bool) -> bool:
    if state.field.type == "group":
        # A group stays on screen until the resident says every item is in (finish_group).
        wanted = state.required or (isinstance(state.field.min, int) and state.field.min > 0)
        return state.error is not None or (wanted and state.path not in proc.asked)
    unseen_optional = ask_optional and state.path not in proc.asked
    missing = state.required and state.value is None
    return missing or state.error is not None or unseen_optional


def _next_question(procedures: list[Procedure], today: dt.date, *,
                   ask_optional: bool = False) -> Question | None:
    """The first visible question still without a valid answer, across the procedures.

    In a procedure, optional questions are not asked one by one (fewer touches); the
    confirm screen lists them for the resident who wants to add them. The short manual
    identity form asks them once (the postal code fills the address). An item of a group
    with a wrong or missing answer brings back its group's question.
    """
    for index, proc in enumerate(procedures):
        ev = evaluate(proc.form, proc.answers, today=today)
        for state in ev.states:
            if not state.visible or state.field.type not in QUESTION_TYPES:
                continue
            if "[" in state.path:
                if state.error is not None:
                    return Question(index, ev.state(state.path.split("[", 1)[0]))
                continue
            if _needs_asking(proc, state, ask_optional):
                return Question(index, state)
    return None
