"""The card could not be used: what happened in plain words, and no dead end — type the
details by touch, print a paper form, call staff, or (when it can help) try the card again."""

from __future__ import annotations

from kiosk.session.session import CardProblem
from kiosk.ui.i18n import N_
from kiosk.ui.resident.messages import CARD_PROBLEMS
from kiosk.ui.resident.screens.base import KioskScreen
from kiosk.ui.resident.widgets import Spacer


class CardProblemScreen(KioskScreen):
    def title(self) -> str:
        return self.ui.tr("The card could not be used")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        problem = session.card_problem or CardProblem.UNREADABLE
        headline, explanation = CARD_PROBLEMS[problem]
        ui.set_text(self.ids.headline, ui.tr(headline))
        ui.set_text(self.ids.explanation, ui.tr(explanation))
        ways = self.ids.ways
        ways.clear_widgets()
        ways.add_widget(Spacer())
        if problem.card_may_work and session.has_card_reader:
            ways.add_widget(ui.button(ui.tr("Read my card again"), kid="problem:retry",
                                      role="primary", on_release=self._retry))
        ways.add_widget(ui.button(ui.tr("Enter my details by touch"), kid="problem:manual",
                                  role="primary" if not problem.card_may_work else "secondary",
                                  on_release=self._manual))
        ways.add_widget(ui.button(ui.tr("Print a paper form"), kid="problem:paper",
                                  on_release=self._paper))
        ways.add_widget(ui.button(ui.tr("Call a staff member"), kid="problem:staff",
                                  role="staff", on_release=self._staff))
        ways.add_widget(Spacer())

    def _retry(self) -> None:
        self.actions.run_blocking(self.session.use_card, progress=N_("Reading your card…"))

    def _manual(self) -> None:
        self.actions.act(self.session.use_manual_entry)

    def _paper(self) -> None:
        self.actions.run_blocking(self.session.request_paper_form,
                                  progress=N_("Printing the paper form…"))

    def _staff(self) -> None:
        self.actions.act(self.session.call_staff)
