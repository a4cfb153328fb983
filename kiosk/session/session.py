"""The resident session: one journey from welcome to slip, and the wipe after it.

A plain state machine. The screens show `session.screen` and the data beside it, and call
the methods below on touches; nothing here knows of Kivy. Every personal datum lives in
this object only, so `wipe()` (on finish, on idle, on staff request) forgets it all.

The journey's seams each have a module: identification (kiosk/session/identify.py), the
question flow (questions.py) and repeated groups (groups.py), over the attributes declared
in state.py. This module holds what joins them: choosing, going back, idling, the staff,
confirming.

Two calls block on hardware: `use_card`/`enter_pin` (the card reader) and `confirm`/
`request_paper_form` (store and printer). The UI runs them on a worker thread and does not
touch the session until they return, so the session itself needs no lock.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from forms import expr
from forms.engine import evaluate
from forms.loader import Library
from forms.model import Form, ScreeningQuestion
from forms.text import Text
from kiosk.application import ProcedureAnswers, Submission
from kiosk.session import shared
from kiosk.session.groups import GroupSteps
from kiosk.session.identify import Identification
from kiosk.session.ports import (
    CardPort,
    CardProblem,
    StaffBell,
    StaffCheck,
    StaffLocked,
    StaffRefused,
    SubmitPort,
)
from kiosk.session.state import (
    GroupItem,
    Message,
    Procedure,
    Progress,
    Question,
    Screen,
)

__all__ = ["CardProblem", "GroupItem", "Message", "Procedure", "Progress", "Question", "Screen",
           "Session"]

IDLE_WARNING_S = 20
# The clerk's sign-in left open (a clerk called away, a curious resident): back to the start.
STAFF_LOGIN_IDLE_S = 30
# A clerk helping a resident reads documents and talks; the session waits longer for them,
# but a session left open by a clerk who walked away is still wiped.
STAFF_IDLE_FACTOR = 5
# Only an administrator may take the kiosk out of service (issue 16: access by role).
CLOSES_KIOSK = "admin"


class Session(Identification, GroupSteps):
    def __init__(self, *, library: Library, card: CardPort | None, submitter: SubmitPort,
                 office: dict[str, str], clock: Callable[[], dt.datetime], idle_timeout_s: int,
                 manual_form: Form, staff: StaffCheck, lang: str = "ja",
                 staff_bell: StaffBell | None = None) -> None:
        self._library, self._card, self._submitter = library, card, submitter
        self._staff_bell = staff_bell
        self._office, self._clock, self._idle_timeout_s = office, clock, idle_timeout_s
        self._manual_form, self._staff = manual_form, staff
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
        self.procedures = []
        self.event = None
        self.screening = {}
        self.identity = None
        self.manual = Procedure(self._manual_form)
        self.tries_left = None
        self.card_problem = None
        self.message = None
        self.editing = None
        self.revisit = None
        self.manual_revisit = None
        self.sharing = ()
        self.group_item = None
        self.receipt = None
        self.card_seen = False
        self.staff_id = None
        self.staff_role = None
        self.staff_called = False
        self.idle_warning = False
        self._history = []
        self._last_touch = self._clock()

    def touch(self) -> None:
        self._last_touch = self._clock()
        self.idle_warning = False

    @property
    def _idle_limit_s(self) -> int:
        if self.screen == Screen.STAFF_LOGIN:
            return STAFF_LOGIN_IDLE_S
        return self._idle_timeout_s * (STAFF_IDLE_FACTOR if self.staff_mode else 1)

    def tick(self) -> None:
        """Called about once a second: warn before the idle timeout, wipe at it. The staff
        sign-in is wiped without a warning: nobody there is in the middle of anything."""
        if self.screen == Screen.WELCOME:
            return
        idle = (self._clock() - self._last_touch).total_seconds()
        if idle >= self._idle_limit_s:
            self.wipe()
        elif (idle >= self._idle_limit_s - IDLE_WARNING_S
              and self.screen != Screen.STAFF_LOGIN):
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
            self.sharing = ()
            self.screen = Screen.CONFIRM
        elif self.screen == Screen.MANUAL and self._previous_manual():
            self.manual_revisit = self._previous_manual()
        elif self.screen in (Screen.QUESTION, Screen.CONFIRM) and self._previous_question():
            self.revisit = self._previous_question()
            self.screen = Screen.QUESTION
        elif self._history:
            self.revisit = None
            self.screen = self._history.pop()

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
        chosen = [(self._library.get(step.form), step) for step in event.steps
                  if step.form and step.form in self._library.forms
                  and self._step_applies(step.when)]
        self.procedures = shared.expand(event, chosen, self.screening, self._today())

    def event_guidance(self) -> list[Text]:
        """The life event's steps done elsewhere (school, pension office), for the resident."""
        if self.event is None:
            return []
        return [step.info for step in self.event.steps
                if step.info is not None and self._step_applies(step.when)]

    def progress(self) -> Progress | None:
        """Which procedure of how many the question shown belongs to (None off a question)."""
        question = self.question() if self.screen == Screen.QUESTION else None
        if question is None:
            return None
        filed = [i for i, p in enumerate(self.procedures) if not p.shared]
        proc = self.procedures[question.procedure]
        number = None if proc.shared else filed.index(question.procedure) + 1
        return Progress(number, len(filed), proc.form.name)

    def draft(self, value: Any) -> None:
        """What the resident has typed so far, before 「次へ」: an error it no longer
        deserves (「必ず答えてください」 once something is there) goes at once. Nothing is
        stored and no new error is raised while they are still typing."""
        manual = self.screen == Screen.MANUAL
        question = self.manual_question() if manual else self.question()
        if self.message is None or question is None or question.state.field.kind.repeats:
            return
        proc = self.manual if manual else self.procedures[question.procedure]
        trial = Procedure(proc.form, answers=copy.deepcopy(proc.answers))
        self._set(trial, question.state.path, value)
        if evaluate(trial.form, trial.answers, today=self._today()).error_at(
                question.state.path) is None:
            self.message = None

    # ----------------------------------------------------------- finish
    def confirm(self) -> None:
        shared.sync(self.procedures, self._today())
        evaluations = self.evaluations()
        if any(not ev.ok for ev in evaluations) or self.identity is None:
            self._after_answer()
            return
        submission = Submission(
            procedures=tuple(
                ProcedureAnswers(p.form.id, p.form.version, ev.values,
                                 {k: list(v) for k, v in p.flags.items()})
                for p, ev in zip(self.procedures, evaluations, strict=True) if not p.shared
            ),
            identity_source=self.identity.source,
            staff_assisted=self.staff_mode,
            lang=self.lang,
            created_at=self._clock(),
        )
        self.receipt = self._submitter.submit(submission)
        self._go(Screen.DONE)

    @property
    def paper_offered(self) -> bool:
        """An answer was refused: the paper form is offered beside the question."""
        return self.message is not None and self.screen in (Screen.QUESTION, Screen.MANUAL)

    def request_paper_form(self) -> None:
        """The paper forms, with a ticket like every resident's; the screen shows its number
        even when the printer failed. Asked again (back, then paper once more) the forms are
        printed under the same ticket: one resident, one number."""
        form_ids = [p.form.id for p in self.procedures if not p.shared]
        self.receipt = self._submitter.print_paper_forms(
            form_ids, self.lang, ticket=self.receipt.ticket if self.receipt else None)
        self._go(Screen.PAPER)
        self.message = None if self.receipt.printed else "print_failed"

    def call_staff(self) -> None:
        """The staff screen. The bell rings once per call (a call stays open until a clerk
        signs in or the session ends), and not for a clerk who is already here."""
        if self._staff_bell is not None and not self.staff_called and not self.staff_mode:
            self._staff_bell.ring(screen=str(self.screen))
        self.staff_called = True
        self._go(Screen.STAFF)

    def dont_know(self) -> None:
        """「わからない」 on a question: the staff come; the answers wait for them."""
        self.call_staff()

    def open_staff_login(self) -> None:
        """The clerk's sign-in, a screen of its own (the resident waits on STAFF)."""
        if self.screen == Screen.STAFF and not self.staff_mode:
            self._go(Screen.STAFF_LOGIN)

    def staff_login(self, staff_id: str, pin: str) -> bool:
        """A staff member takes over the session (their own id and kiosk PIN) where the
        resident left it; a wrong one or a locked account changes nothing but the message.
        Blocks on the store (the PIN's hash is checked there): the UI's worker thread."""
        try:
            member = self._staff.sign_in(staff_id, pin)
        except StaffLocked:
            self.message = "staff_locked"
            return False
        except StaffRefused:
            self.message = "wrong_staff_pin"
            return False
        self.staff_id, self.staff_role = member.staff_id, member.role
        self.staff_called = False
        while self._history and self._history[-1] in (Screen.STAFF, Screen.STAFF_LOGIN):
            self._history.pop()
        self.screen = self._history.pop() if self._history else Screen.CHOOSE
        self.message = None
        return True

    def may_close_kiosk(self) -> bool:
        """Whether the person signed in may close the kiosk: an admin only. Anyone else in
        staff mode is told so, and the refusal goes into the audit trail under their id; a
        resident (no staff mode) is refused without a word, as Escape always was."""
        if self.staff_id is None:
            return False
        if self.staff_role == CLOSES_KIOSK:
            return True
        self.message = "close_needs_admin"
        self._staff.note_refusal(self.staff_id, "close_kiosk")
        return False

    def finish(self) -> None:
        self.wipe()
