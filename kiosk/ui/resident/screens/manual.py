"""Manual entry: the basic four items typed by touch when the card cannot be used
(layout: ask.kv, shared with the procedures' questions)."""

from __future__ import annotations

from typing import Any

from forms.model import Form
from kiosk.session.session import Question
from kiosk.ui.resident.screens.ask import AskScreen


class ManualScreen(AskScreen):
    def title(self) -> str:
        return self.ui.tr("About you")

    def current(self) -> Question | None:
        return self.session.manual_question()

    def form(self, question: Question) -> Form:
        return self.session.manual.form

    def context(self, question: Question) -> str:
        return self.ui.tr("Entered by touch instead of the card")

    def answer(self, value: Any) -> None:
        self.actions.act(self.session.answer_manual, value)
