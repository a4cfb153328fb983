"""The assisted-entry paper form: printed for the resident to fill in with staff help."""

from __future__ import annotations

from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen, Primary


class PaperScreen(KioskScreen):
    def title(self) -> str:
        return self.ui.tr("Paper form")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        failed = session.message == "print_failed"
        ui.set_text(self.ids.headline, ui.tr("The paper form could not be printed.") if failed
                    else ui.tr("Please take the paper form from the printer."))
        ui.set_text(self.ids.detail, ui.tr(
            "Take it to the counter: a staff member will fill it in with you."))
        ui.set_text(self.ids.problem, message_text(session.message, ui.tr))

    def primary(self) -> Primary | None:
        return Primary("paper:finish", self.ui.tr("Finish"),
                       lambda: self.actions.act(self.session.finish))
