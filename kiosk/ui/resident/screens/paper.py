"""The assisted-entry paper form: printed for the resident to fill in with staff help.

The resident gets a ticket like everyone else (drawn from the same counter as the kiosk's
applications, kiosk/submit.py), shown as large as on the done screen, with the counter each
form goes to and the form itself, so they know where to queue and the counter calls them by
number. A printer that failed takes nothing away: the number is theirs, and staff print the
form.
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
        self._ticket()
        places = self.ids.places
        places.clear_widgets()
        destinations = paper_destinations(session)
        for counter, names in destinations:
            if len(destinations) > 1:  # which form to which counter
                places.add_widget(ui.label(counter_name(self.counters, counter, ui.lang),
                                           role="heading"))
            forms = "、".join(ui.form_text(name) for name in names)
            places.add_widget(ui.label(ui.tr("Form: {forms}", forms=forms), role="body"))
        ui.set_text(self.ids.detail, ui.tr(
            "Please remember your number. A staff member there will print the form for you.")
            if failed else ui.tr("A staff member there will help you fill it in."))
        ui.set_text(self.ids.card, ui.tr("Please take your My Number card from the reader.")
                    if session.card_seen else "")
        # The failed print is said above, in the words of the paper form.
        ui.set_text(self.ids.problem, "" if failed else message_text(session.message, ui.tr))

    def _ticket(self) -> None:
        """The number and the first counter, as the done screen shows them."""
        ui, receipt = self.ui, self.session.receipt
        ui.set_text(self.ids.ticket_label, ui.tr("Your ticket number") if receipt else "")
        ui.set_text(self.ids.ticket, receipt.ticket if receipt else "")
        ui.set_text(self.ids.counter, ui.tr("Please go to: {counter}", counter=counter_name(
            self.counters, receipt.counter, ui.lang)) if receipt else "")

    def primary(self) -> Primary | None:
        return Primary("paper:finish", self.ui.tr("Finish"),
                       lambda: self.actions.act(self.session.finish))

    def clear(self) -> None:
        for name in ("ticket_label", "ticket", "counter"):
            self.ids[name].text = ""
            self.ids[name].plain = ""
        self.ids.places.clear_widgets()
