"""The chosen procedures' questions, one per screen (layout: ask.kv).

Its top line says where the resident is among several procedures (「手続き 2/3 国民健康保険」,
or the life event's shared questions asked once for all of them): a move-in is about
thirty screens, and knowing how far along one is keeps people from giving up.
"""

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

    def where(self, question: Question) -> str:
        """「手続き 2/3 国民健康保険」; a lone procedure is just its name."""
        ui, progress = self.ui, self.session.progress()
        if progress is None:
            return ui.form_text(self.form(question).name)
        if progress.total <= 1:
            return ui.form_text(progress.title)
        if progress.number is None:
            return ui.tr("Questions for all {total} procedures", total=progress.total)
        return ui.tr("Procedure {number} of {total}: {title}", number=progress.number,
                     total=progress.total, title=ui.form_text(progress.title))

    def context(self, question: Question) -> str:
        ui, session = self.ui, self.session
        title = self.where(question)
        item = session.group_item
        if item is not None:
            group = self.form(question).field(item.group)
            label = ui.form_text(group.item_label or group.label)
            items = session.procedures[item.procedure].answers.get(item.group) or []
            # Whose item this is, once known: the card holder's own is filled in already.
            who = item_summary(group, items[item.index]) if item.index < len(items) else ""
            number = "" if group.max == 1 else f" {item.index + 1}"  # 亡くなった方: one only
            return f"{title} — {label}{number}" + (f"（{who}）" if who else "")
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
