"""The question flow: which question comes next, answering it, going back, the confirm list.

Only required questions are asked one by one; optional ones wait on the confirm screen. A
repeated group (everyone who moved) is entered item by item: `_item_question` asks the items'
own questions, and kiosk/session/groups.py adds, edits and removes the items.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from common.flags import FlagCode, card_value_mark, is_card_value_mark
from forms.engine import FieldState, evaluate, prefill_item
from kiosk.session import shared
from kiosk.session.state import GroupItem, Procedure, Question, Screen, SessionState

# "members[0].name": a field of one item of a group.
_ITEM_PATH = re.compile(r"^(?P<group>\w+)\[(?P<index>\d+)\]\.(?P<child>\w+)$", re.ASCII)


class QuestionFlow(SessionState):
    def question(self) -> Question | None:
        if self.group_item is not None:
            return self._item_question(self.group_item)
        for chosen in (self.editing, self.revisit):
            if chosen is not None:
                index, path = chosen
                return Question(index, self._evaluate(index).state(path))
        return next_question(self.procedures, self._today())

    def answer(self, value: Any) -> None:
        question = self.question()
        if question is None:
            return
        if question.state.field.kind.repeats:
            return  # a group is answered item by item: add_group_item, then finish_group
        proc = self.procedures[question.procedure]
        path = question.state.path
        self._set(proc, path, value)
        if path in proc.card_values:
            _mark_correction(proc, path)
        error = self._evaluate(question.procedure).error_at(path)
        if error:
            self.message = error.message
            return
        if self.group_item is not None:
            self.message = None
            if self._item_question(self.group_item).state.field.kind.repeats:
                self.group_item = None  # the item is complete: back to the list of items
                if path.split("[", 1)[0] in proc.bound:
                    self._after_answer()  # the shared members: on to the next one's questions
            return
        for other in self.sharing:
            self._set(self.procedures[other], path, value)
        self.editing = None
        self.revisit = None
        self.sharing = ()
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
        shared.sync(self.procedures, self._today())
        nxt = next_question(self.procedures, self._today())
        self.screen = Screen.QUESTION if nxt else Screen.CONFIRM
        if nxt is not None and nxt.state.field.kind.repeats:
            if nxt.state.path in self.procedures[nxt.procedure].bound:
                self._open_incomplete_item(nxt)
            else:
                self._offer_card_holder(nxt)

    def _open_incomplete_item(self, question: Question) -> None:
        """A group filled from the shared members asks only what it adds per member (国保:
        the certificate returned): straight into the first member still missing an answer."""
        items = self.procedures[question.procedure].answers.get(question.state.path) or []
        for index in range(len(items)):
            item = GroupItem(question.procedure, question.state.path, index)
            if not self._item_question(item).state.field.kind.repeats:
                self.group_item = item
                return

    def _offer_card_holder(self, question: Question) -> None:
        """Start an empty group with the card holder as its first item (the first person who
        moved, the first card to update), so a name and birth date on the card are not typed
        again; then ask only the rest of that item.

        Only for a group whose fields are bound (`bind: card.name` ...), once per group, and
        not when an agent or legal representative came: then the card holder is not one of
        the items. In a life event's shared questions, only when the shared `applicant` says
        the person came themself (`self`): a household member who did not move is not one of
        those who moved. A removed first item stays removed.
        """
        proc = self.procedures[question.procedure]
        group, path = question.state.field, question.state.path
        if (self.identity is None or path in proc.offered_groups or proc.answers.get(path)
                or shared.takes_shared(self.procedures, proc, group)):
            return
        proc.offered_groups.add(path)
        came = [proc.answers.get(f.id) for f in proc.form.all_fields() if f.kind.names_applicant]
        if any(kind not in (None, "self", "household") for kind in came):
            return
        if proc.shared and proc.answers.get("applicant") not in (None, "self"):
            return  # a life event's household is the card holder's only when they came
        item = prefill_item(group, card=self.identity.as_card_values(), office=self._office,
                            today=self._today())
        bound = {f.id: f.bind for f in group.fields or () if f.bind and f.bind.startswith("card.")}
        if not any(child in item for child in bound):
            return
        proc.answers[path] = [item]
        for child, bind in bound.items():
            item_path = f"{path}[0].{child}"
            if child in item:
                proc.asked.add(item_path)
                proc.card_values[item_path] = item[child]
            marks = self._identity_marks(bind, filled=child in item)
            if marks:  # a sex the card does not record is asked, and marked for the clerk
                proc.flags[item_path] = marks
        self.group_item = GroupItem(question.procedure, path, 0)

    def _item_question(self, item: GroupItem) -> Question:
        """The next child question of the item being entered; the group itself when done."""
        proc = self.procedures[item.procedure]
        ev = self._evaluate(item.procedure)
        prefix = f"{item.group}[{item.index}]."
        for state in ev.states:
            if (not state.path.startswith(prefix) or not state.visible
                    or not (state.field.kind.asked_at_kiosk and state.field.kind.single_answer)):
                continue
            missing = state.required and state.value is None
            if missing or state.error is not None or state.path not in proc.asked:
                return Question(item.procedure, state)
        return Question(item.procedure, ev.state(item.group))

    def edit(self, procedure: int, path: str, also: tuple[int, ...] = ()) -> None:
        """Change an answer from the confirm screen; `also`: the other procedures that ask
        the same question, given the same answer (one 「日中の電話番号」 for all)."""
        self.editing = (procedure, path)
        self.sharing = tuple(i for i in also if i != procedure)
        self.revisit = None
        self.group_item = None
        self._go(Screen.QUESTION)

    def answer_beside(self, question: Question, field_id: str) -> Any:
        """Another field's answer next to the question's (in the same group item when the
        question is an item's): the branch picker searches the bank answered before it."""
        if question.procedure >= len(self.procedures):
            return None
        return value_at(self.procedures[question.procedure],
                        path_beside(question.state.path, field_id))

    def optional_questions(self) -> list[Question]:
        """Questions not asked one by one (optional, still empty), for the confirm screen."""
        out: list[Question] = []
        for index, ev in enumerate(self.evaluations()):
            proc = self.procedures[index]
            for state in ev.states:
                field = state.field
                from_event = bool(field.event_bind)
                if (state.visible and not state.required and state.value is None
                        and field.kind.asked_at_kiosk and field.kind.single_answer
                        and "[" not in state.path and (field.bind is None or from_event)
                        and not shared.takes_shared(self.procedures, proc, field)):
                    out.append(Question(index, state))
        return out

    def _previous_question(self) -> tuple[int, str] | None:
        """The question before the one shown (the last one from the confirm screen),
        among those the resident was asked: in form order, whatever they answered since."""
        shown: list[tuple[int, str]] = []
        for index, ev in enumerate(self.evaluations()):
            shown += [(index, state.path) for state in ev.states
                      if state.visible and state.field.kind.asked_at_kiosk
                      and "[" not in state.path]
        current = self.question() if self.screen == Screen.QUESTION else None
        here = (current.procedure, current.state.path) if current else None
        before = shown[:shown.index(here)] if here in shown else shown
        asked = [(i, path) for i, path in before if path in self.procedures[i].asked
                 and path not in self.procedures[i].bound | self.procedures[i].given]
        return asked[-1] if asked else None


def _mark_correction(proc: Procedure, path: str) -> None:
    """「変更」 on a value filled from the identity that the resident changed, and for a card's
    value the value itself, kept once beside it so the clerk compares the two (common/flags.py);
    both taken off when the resident changes it back."""
    card = proc.card_values[path]
    marks = [m for m in proc.flags.get(path, [])
             if m != FlagCode.CORRECTED and not is_card_value_mark(m)]
    if value_at(proc, path) != card:
        marks.append(FlagCode.CORRECTED)
        if FlagCode.FROM_CARD in marks:
            marks.append(card_value_mark(card))
    proc.flags[path] = marks


def path_beside(path: str, field_id: str) -> str:
    """The path of `field_id` next to `path`: in the same group item when `path` is an item's."""
    item, _dot, _own = path.rpartition(".")
    return f"{item}.{field_id}" if item else field_id


def value_at(proc: Procedure, path: str) -> Any:
    """The answer at a path, an item's field (`members[0].name`) included."""
    item = _ITEM_PATH.match(path)
    if not item:
        return proc.answers.get(path)
    items = proc.answers.get(item["group"])
    index = int(item["index"])
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        return items[index].get(item["child"])
    return None


def drop_item(by_path: dict[str, Any], group: str, index: int) -> None:
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
    if state.field.kind.repeats:
        # A group stays on screen until the resident says every item is in (finish_group).
        wanted = state.required or (isinstance(state.field.min, int) and state.field.min > 0)
        return state.error is not None or (wanted and state.path not in proc.asked)
    unseen_optional = ask_optional and state.path not in proc.asked
    missing = state.required and state.value is None
    return missing or state.error is not None or unseen_optional


def next_question(procedures: list[Procedure], today: dt.date, *,
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
            if not state.visible or not state.field.kind.asked_at_kiosk:
                continue
            if "[" in state.path:
                if state.error is not None:
                    return Question(index, ev.state(state.path.split("[", 1)[0]))
                continue
            if _needs_asking(proc, state, ask_optional):
                return Question(index, state)
    return None
