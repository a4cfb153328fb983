"""A life event's screening questions (「高校生の年代までのお子さんがいますか」): yes or no."""

from __future__ import annotations

from kiosk.ui.resident.screens.base import KioskScreen


class ScreeningScreen(KioskScreen):
    def title(self) -> str:
        event = self.session.event
        return self.ui.form_text(event.title) if event else ""

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        question = session.screening_question()
        event = session.event
        if question is None or event is None:
            return
        number = len(session.screening) + 1
        ui.set_text(self.ids.progress, ui.tr("Question {n} of {total}", n=number,
                                             total=len(event.questions)))
        ui.set_text(self.ids.kana, ui.furigana(question.label))
        ui.set_text(self.ids.question, ui.form_text(question.label))
        help_text = question.help or (event.description if number == 1 else None)
        ui.set_text(self.ids.help, ui.form_text(help_text))
        ui.set_text(self.ids.yes, ui.tr("Yes"))
        ui.set_text(self.ids.no, ui.tr("No"))

    def answer(self, yes: bool) -> None:
        self.actions.act(self.session.answer_screening, yes)
