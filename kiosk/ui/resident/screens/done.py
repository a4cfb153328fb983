"""Done: ticket number, counter, 'take your slip'. A print failure is said plainly — the
application is stored, so a clerk prints the slip again; nothing is lost. A procedure too large
for the slip's codes came out as its filled-in paper form: the resident is told to hand it in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.ui.resident.screens.base import KioskScreen, Primary


def counter_name(names: Mapping[str, str], counter: str, lang: str) -> str:
    """kiosk.toml names counters 「市民課 住民記録係 / Resident Registration」: one side each."""
    name = names.get(counter, counter)
    ja, _, other = name.partition(" / ")
    return ja if lang == "ja" or not other else other


class DoneScreen(KioskScreen):
    def __init__(self, *, counters: Mapping[str, str], **kwargs: Any) -> None:
        self.counters = counters
        super().__init__(**kwargs)

    def title(self) -> str:
        return self.ui.tr("Thank you. Your application is received.")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        receipt = session.receipt
        if receipt is None:
            return
        ui.set_text(self.ids.ticket_label, ui.tr("Your number"))
        ui.set_text(self.ids.ticket, receipt.ticket)
        ui.set_text(self.ids.counter, ui.tr("Please go to: {counter}", counter=counter_name(
            self.counters, receipt.counter, ui.lang)))
        # Procedures at other counters: the first counter sends the resident on.
        later = "、".join(counter_name(self.counters, c, ui.lang) for c in receipt.then)
        ui.set_text(self.ids.then, ui.tr("Then also: {counters}", counters=later) if later else "")
        if receipt.printed:
            ui.set_text(self.ids.slip, ui.tr("Please take your slip from the printer."))
            ui.set_text(self.ids.printing, "")
            ui.set_text(self.ids.paper, self.paper_note(receipt.paper_forms))
        else:
            ui.set_text(self.ids.slip, ui.tr("Please remember your number."))
            ui.set_text(self.ids.printing, ui.tr(
                "The slip could not be printed. A staff member will print it again for you."))
            ui.set_text(self.ids.paper, "")
        ui.set_text(self.ids.take_card, ui.tr(
            "Please take your My Number card from the reader.") if session.card_seen else "")
        needs_card = any(p.form.my_number_required for p in session.procedures)
        ui.set_text(self.ids.card_note, ui.tr(
            "Please show your My Number card at the counter.") if needs_card else "")
        guidance = self.ids.guidance
        guidance.clear_widgets()
        steps = session.event_guidance()
        if steps:
            guidance.add_widget(ui.label(ui.tr("Also to do:"), role="heading"))
        for text in steps:
            guidance.add_widget(ui.label(f"・{ui.form_text(text)}", role="help"))

    def paper_note(self, form_ids: tuple[str, ...]) -> str:
        """「転入届は紙の申請書をお渡ししました…」 naming each procedure as the screens did."""
        if not form_ids:
            return ""
        names = {p.form.id: self.ui.form_text(p.form.name) for p in self.session.procedures}
        sep = "、" if self.ui.lang == "ja" else ", "
        forms = sep.join(names.get(form_id, form_id) for form_id in form_ids)
        return self.ui.tr("We have printed the paper form for {forms}, filled in. Please hand "
                          "it in at the counter.", forms=forms)

    def primary(self) -> Primary | None:
        return Primary("done:finish", self.ui.tr("Finish"),
                       lambda: self.actions.act(self.session.finish))

    def clear(self) -> None:
        for name in ("ticket", "counter", "slip", "then", "printing", "paper", "take_card",
                     "card_note"):
            self.ids[name].text = ""
            self.ids[name].plain = ""
        self.ids.guidance.clear_widgets()
