"""The chosen procedures' questions, one per screen (layout: ask.kv)."""

from __future__ import annotations

from typing import Any

from forms.model import Form
from kiosk.session.display import item_summary
from kiosk.session.session import Question
from kiosk.ui.resident.inputs.factory import GroupCalls
from kiosk.ui.resident.screens.ask import AskScreen


class QuestionScreen(AskScreen):
    def current(self) -> Question | None:
        return self.session.question()

    def form(self, question: Question) -> Form:
        return self.session.procedures[question.procedure].form

    def context(self, question: Question) -> str:
        ui, session = self.ui, self.session
        title = ui.form_text(self.form(question).name)
        item = session.group_item
        if item is not None:
            group = self.form(question).field(item.group)
            label = ui.form_text(group.item_label or group.label)
            items = session.procedures[item.procedure].answers.get(item.group) or []
            # Whose item this is, once known: the card holder's own is filled in already.
            who = item_summary(group, items[item.index]) if item.index < len(items) else ""
            return f"{title} — {label} {item.index + 1}" + (f"（{who}）" if who else "")
        return title

    def answer(self, value: Any) -> None:
        self.actions.act(self.session.answer, value)

    def group_calls(self, question: Question) -> GroupCalls | None:
        if not question.state.field.kind.repeats:
            return None
        session, act = self.session, self.actions.act
        return GroupCalls(items=session.group_items(question),
                          add=lambda: act(session.add_group_item),
                          edit=lambda i: act(session.edit_group_item, i),
                          remove=lambda i: act(session.remove_group_item, i))
