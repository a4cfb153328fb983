"""The assisted-entry paper form: printed for the resident to fill in with staff help.

The screen names the counter each form goes to and the form itself, so the resident knows
where to queue. No ticket number is drawn here: tickets come with a stored application
(kiosk/store), and a paper form is not one yet; the counter gives the number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.session.display import paper_destinations
from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen, Primary
from kiosk.ui.resident.screens.done import counter_name


class PaperScreen(KioskScreen):
    def __init__(self, *, counters: Mapping[str, str], **kwargs: Any) -> None:
        self.counters = counters
        super().__init__(**kwargs)

    def title(self) -> str:
        return self.ui.tr("Paper form")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        failed = session.message == "print_failed"
        ui.set_text(self.ids.headline, ui.tr("The paper form could not be printed.") if failed
                    else ui.tr("Please take the paper form from the printer."))
        places = self.ids.places
        places.clear_widgets()
        for counter, names in paper_destinations(session):
            where = counter_name(self.counters, counter, ui.lang)
            places.add_widget(ui.label(ui.tr("Please go to: {counter}", counter=where),
                                       role="heading"))
            forms = "、".join(ui.form_text(name) for name in names)
            places.add_widget(ui.label(ui.tr("Form: {forms}", forms=forms), role="body"))
        ui.set_text(self.ids.detail, ui.tr(
            "A staff member there will fill it in with you and give you a number."))
        ui.set_text(self.ids.card, ui.tr("Please take your My Number card from the reader.")
                    if session.card_seen else "")
        ui.set_text(self.ids.problem, message_text(session.message, ui.tr))

    def primary(self) -> Primary | None:
        return Primary("paper:finish", self.ui.tr("Finish"),
                       lambda: self.actions.act(self.session.finish))

    def clear(self) -> None:
        self.ids.places.clear_widgets()
