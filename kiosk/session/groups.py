"""Repeated groups (everyone who moved, every child): adding, editing and removing items.

The items' own questions are asked by the question flow (`QuestionFlow._item_question`);
this part keeps the list of items and what was recorded per item consistent when one goes.
"""

from __future__ import annotations

from typing import Any

from kiosk.session import shared
from kiosk.session.questions import QuestionFlow, drop_item
from kiosk.session.state import GroupItem, Procedure, Question


class GroupSteps(QuestionFlow):
    def _group_question(self) -> Question | None:
        """The question shown, when it is a group's list of items."""
        question = self.question()
        if question is None or not question.state.field.kind.repeats:
            return None
        return question

    def group_items(self, question: Question) -> list[dict[str, Any]]:
        """The items entered so far for a group question (as typed, not normalised)."""
        raw = self.procedures[question.procedure].answers.get(question.state.path)
        return [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []

    def add_group_item(self) -> None:
        question = self._group_question()
        if question is None:
            return
        limit = question.state.field.max
        items = self.procedures[question.procedure].answers.setdefault(question.state.path, [])
        if isinstance(limit, int) and len(items) >= limit:
            self.message = "group_full"
            return
        items.append({})
        proc = self.procedures[question.procedure]
        if question.state.path in proc.bound:  # beside the shared members: this one's own
            proc.item_sources.setdefault(question.state.path, []).append(shared.OWN)
        self.group_item = GroupItem(question.procedure, question.state.path, len(items) - 1)
        self.message = None

    def edit_group_item(self, index: int) -> None:
        question = self._group_question()
        if question is None:
            return
        proc = self.procedures[question.procedure]
        prefix = f"{question.state.path}[{index}]."
        proc.asked = {p for p in proc.asked if not p.startswith(prefix)}
        self.group_item = GroupItem(question.procedure, question.state.path, index)
        self.message = None

    def remove_group_item(self, index: int) -> None:
        question = self._group_question()
        if question is None:
            return
        proc = self.procedures[question.procedure]
        items = proc.answers.get(question.state.path)
        if isinstance(items, list) and 0 <= index < len(items):
            del items[index]
            _forget_source(proc, question.state.path, index, drop=True)
            # Paths of the later items shift down by one; what was asked is asked again.
            prefix = f"{question.state.path}["
            proc.asked = {p for p in proc.asked if not p.startswith(prefix)}
            for by_path in (proc.flags, proc.card_values):
                drop_item(by_path, question.state.path, index)

    def finish_group(self) -> None:
        """The resident has entered every item: check the group, then the next question."""
        question = self._group_question()
        if question is None:
            return
        error = self._evaluate(question.procedure).error_at(question.state.path)
        if error:
            self.message = error.message
            return
        self.procedures[question.procedure].asked.add(question.state.path)
        self.editing = None
        self.revisit = None
        self._after_answer()

    def _leave_group_item(self) -> None:
        item = self.group_item
        self.group_item = None
        self.message = None
        if item is None:
            return
        items = self.procedures[item.procedure].answers.get(item.group)
        if isinstance(items, list) and item.index < len(items) and not items[item.index]:
            del items[item.index]  # nothing was entered: no empty person left behind
            _forget_source(self.procedures[item.procedure], item.group, item.index, drop=False)


def _forget_source(proc: Procedure, group: str, index: int, *, drop: bool) -> None:
    """Keep a group filled from the shared members in step with its items: a member taken
    out stays out of this procedure (the others keep it)."""
    sources = proc.item_sources.get(group)
    if sources is None or index >= len(sources):
        return
    member = sources.pop(index)
    if drop and member != shared.OWN:
        proc.dropped.setdefault(group, set()).add(member)
