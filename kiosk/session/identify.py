"""Who the resident is: the My Number card and its PIN, or the short manual form.

The card port answers in the session's words (kiosk/session/ports.py); the last PIN try is
never risked, because a blocked card is unlocked only at the city office.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms.engine import evaluate, prefill
from forms.model import Form, FormField
from kiosk.postal import address_for
from kiosk.session.identity import Identity
from kiosk.session.ports import CardProblem, CardUnusable, WrongPin
from kiosk.session.questions import QuestionFlow, next_question
from kiosk.session.state import Question, Screen

# A PIN typed on a Japanese IME or pasted from a note arrives in full-width digits (１２３４);
# the resident means the same four digits.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise_pin(typed: str) -> str:
    """The PIN as the resident means it: full-width digits made half-width, spaces around gone."""
    return typed.strip().translate(_FULL_WIDTH_DIGITS)


def pin_problem(tries_left: int) -> CardProblem:
    """One try left is the last try; none left (or fewer, on a card that says so) is blocked."""
    return CardProblem.LAST_TRY if tries_left == 1 else CardProblem.BLOCKED


class Identification(QuestionFlow):
    def card_ready(self) -> bool:
        """Whether a card lies on the reader, spending no PIN try and changing nothing.

        The identify screen polls this so that placing the card is the resident's whole
        action (no touch); any problem beyond "no card yet" (a blocked card, another card)
        counts as ready, so that `use_card` reports it.
        """
        if self._card is None:
            return False
        try:
            self._card.tries_left()
        except CardUnusable as exc:
            return not exc.problem.card_absent
        return True

    def use_card(self) -> None:
        if self._card is None:
            self._card_problem(CardProblem.NO_READER)
            return
        try:
            self.tries_left = self._card.tries_left()
        except CardUnusable as exc:
            self.card_seen = self.card_seen or not exc.problem.card_absent
            self._card_problem(exc.problem)
            return
        self.card_seen = True
        if self.tries_left <= 1:
            # The last try is not risked: a blocked card is unlocked only at the city office.
            self._card_problem(pin_problem(self.tries_left))
        else:
            self._go(Screen.PIN)

    def enter_pin(self, pin: str) -> None:
        pin = normalise_pin(pin)
        if self._card is None or not (len(pin) == 4 and pin.isascii() and pin.isdigit()):
            self.message = "pin_format"
            return
        try:
            identity = self._card.read_identity(pin)
        except WrongPin as exc:
            self.tries_left = exc.tries_left
            if exc.tries_left <= 1:
                self._card_problem(pin_problem(exc.tries_left))
            else:
                self.message = "wrong_pin"
            return
        except CardUnusable as exc:
            self._card_problem(exc.problem)
            return
        self._identified(identity)

    def _card_problem(self, problem: CardProblem) -> None:
        self.card_problem = problem
        if self.screen == Screen.PIN:
            # 「もどる」 from here leads to the ways on (identify), never to a PIN pad that
            # would only bounce back: the pad is left out of the way back.
            self.screen = self._history.pop() if self._history else Screen.IDENTIFY
        self._go(Screen.CARD_PROBLEM)

    def use_manual_entry(self) -> None:
        """Typing the details by touch; what was typed before in this session is kept, and
        shown again from the first question."""
        asked = self._manual_asked()
        self.manual_revisit = asked[0] if asked else None
        self._go(Screen.MANUAL)

    def manual_question(self) -> Question | None:
        if self.manual_revisit is not None:
            ev = evaluate(self._manual_form, self.manual.answers, today=self._today())
            return Question(0, ev.state(self.manual_revisit))
        return next_question([self.manual], self._today(), ask_optional=True)

    def _manual_asked(self) -> list[str]:
        """The manual questions the resident has seen, in the form's order."""
        ev = evaluate(self._manual_form, self.manual.answers, today=self._today())
        return [s.path for s in ev.states if s.visible and s.path in self.manual.asked
                and s.field.kind.asked_at_kiosk and s.field.kind.single_answer]

    def _previous_manual(self) -> str | None:
        """The manual question before the one shown, answers kept; None on the first."""
        question = self.manual_question()
        asked = self._manual_asked()
        if question is not None and question.state.path in asked:
            asked = asked[:asked.index(question.state.path)]
        return asked[-1] if asked else None

    def answer_manual(self, value: Any) -> None:
        question = self.manual_question()
        if question is None:
            return
        self._set(self.manual, question.state.path, value)
        if question.state.field.kind.fills_address and "address" not in self.manual.answers:
            found = address_for(str(value))
            if found:
                self.manual.answers["address"] = found
        ev = evaluate(self._manual_form, self.manual.answers, today=self._today())
        error = ev.error_at(question.state.path)
        self.message = error.message if error else None
        if error is None:
            self.manual_revisit = None
        if self.manual_question() is None and ev.ok:
            v = ev.values
            self._identified(Identity(
                name=v["name"], address=v["address"],
                birth_date=dt.date.fromisoformat(v["birth_date"]),
                sex=v.get("sex", "not_applicable"),
                source="staff" if self.staff_mode else "manual"))

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
            for f in _card_fields_outside_groups(proc.form):
                if f.id in filled:
                    proc.card_values[f.id] = filled[f.id]
                had = proc.flags.get(f.id, [])
                marks = [m for m in self._identity_marks(f.bind or "", filled=f.id in filled)
                         if m not in had]
                if marks:
                    proc.flags[f.id] = [*had, *marks]
        self._history = [Screen.CHOOSE]  # never back into the PIN pad
        self._after_answer()


def _card_fields_outside_groups(form: Form) -> list[FormField]:
    """The fields bound to the card that `prefill` fills (a group's are filled per item, when
    the card holder is offered as its first item)."""
    in_groups = {id(c) for g in form.all_fields() if g.kind.repeats for c in g.walk() if c is not g}
    return [f for f in form.all_fields()
            if f.bind and f.bind.startswith("card.") and id(f) not in in_groups]
