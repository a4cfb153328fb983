"""Identify: the card is read as soon as it lies on the reader (no touch), or the resident
chooses to go on without it (typed by touch), on paper, or with staff.

The screen polls `Session.card_ready()` once a second on the worker thread. It reads the
card when a card appears, and also at once when one already lies there on the first
visit; coming back after a card problem, it waits for the card to be placed again, so a
card left on the reader cannot send the resident round in a loop.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import ColorProperty

from kiosk.ui.i18n import N_
from kiosk.ui.resident.screens.base import KioskScreen

POLL_S = 1.0


class IdentifyScreen(KioskScreen):
    card_color = ColorProperty((0.0, 0.0, 0.0, 1.0))
    reader_color = ColorProperty((0.0, 0.0, 0.0, 1.0))

    def __init__(self, **kwargs: Any) -> None:
        self._poll: Any = None
        self._last_seen: bool | None = None
        self._polling = False
        super().__init__(**kwargs)

    def title(self) -> str:
        return self.ui.tr("Who is applying?")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        self.card_color = ui.theme.color("primary")
        self.reader_color = ui.theme.color("text")
        ui.set_text(self.ids.instruction, ui.tr("Place your My Number card on the reader"))
        ui.set_text(self.ids.detail, ui.tr(
            "It is read as soon as it is there. Then you enter your 4-digit PIN. "
            "Your name, address and date of birth are filled in from the card."))
        names = "、".join(ui.form_text(p.form.name) for p in session.procedures if not p.shared)
        ui.set_text(self.ids.procedures, ui.tr("Procedures: {names}", names=names))
        ui.set_text(self.ids.card, ui.tr("Read my card"))
        ui.set_text(self.ids.manual, ui.tr("No card, or forgot the PIN: enter by touch"))
        ui.set_text(self.ids.paper, ui.tr("Print a paper form"))

    def clear(self) -> None:
        self.ids.procedures.text = ""
        self.ids.procedures.plain = ""

    # ---------------------------------------------------------------- actions
    def use_card(self) -> None:
        self.actions.run_blocking(self.session.use_card, progress=N_("Reading your card…"))

    def manual(self) -> None:
        self.actions.act(self.session.use_manual_entry)

    def paper(self) -> None:
        self.actions.run_blocking(self.session.request_paper_form,
                                  progress=N_("Printing the paper form…"))

    # ---------------------------------------------------------------- the card
    def on_shown(self) -> None:
        first_visit = self.session.card_problem is None and self.session.tries_left is None
        self._last_seen = None if first_visit else True
        if self.session.has_card_reader:
            self._poll = Clock.schedule_interval(self._check_card, POLL_S)
            Clock.schedule_once(self._check_card, 0)

    def on_hidden(self) -> None:
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None

    def _check_card(self, _dt: float) -> None:
        if self._polling or self._poll is None:
            return
        self._polling = True
        self.actions.background(self.session.card_ready, self._card_seen)

    def _card_seen(self, ready: Any) -> None:
        self._polling = False
        appeared = bool(ready) and self._last_seen is not True
        self._last_seen = bool(ready)
        if appeared and self._poll is not None and self.manager.current == self.name:
            self.use_card()
