"""The confirm screen: every answer in large text, marked 「カードから」 (read from the card)
or 「変更」 (a card value the resident changed), each with a button to change it; in a life
event, an answer shared by several procedures once, with the procedures it fills; the fee of
each procedure and the total, as the slip will print them; and the optional questions,
one offer for a question several procedures ask, so they can be added without being asked
one by one."""

from __future__ import annotations

from functools import partial

from kivy.properties import ColorProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.session.display import Charge, Offer, Row, Summary, offers, summary, total_fee
from kiosk.ui.i18n import N_
from kiosk.ui.resident.screens.base import KioskScreen, Primary


class ConfirmRow(BoxLayout):  # type: ignore[misc]  # Kivy is untyped
    line_color = ColorProperty((0.5, 0.5, 0.5, 1.0))


class ConfirmScreen(KioskScreen):
    def title(self) -> str:
        return self.ui.tr("Please check your application")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        ui.set_text(self.ids.instruction, ui.tr(
            "Is everything right? Touch 'Change' to change an answer."))
        rows = self.ids.rows
        rows.clear_widgets()
        procedures = summary(session, ui.lang)
        for proc in procedures:
            rows.add_widget(ui.label(ui.form_text(proc.title), role="heading"))
            for row in proc.rows:
                rows.add_widget(self._row(row))
            self._fees(proc)
            if proc.notes:
                rows.add_widget(ui.label(ui.tr("Please note:"), role="heading", padding=(0, 14)))
            for note in proc.notes:
                rows.add_widget(ui.label(ui.form_text(note)))
        if any(proc.charges for proc in procedures):
            rows.add_widget(ui.label(ui.tr("Fees in all: {amount} (paid at the counter)",
                                           amount=self._yen(total_fee(procedures))),
                                     role="heading", padding=(0, 14)))
        self._offers(offers(session))
        self.ids.scroll.scroll_y = 1

    def _yen(self, amount: int) -> str:
        digits = format(amount, ",")
        return self.ui.tr("{amount} yen", amount=digits)

    def _fees(self, proc: Summary) -> None:
        """The procedure's fee, line by line as the slip prints it."""
        for charge in proc.charges:
            self.ids.rows.add_widget(self.ui.label(self._fee_line(charge), role="body"))
        if proc.charges and proc.fee_note is not None:
            self.ids.rows.add_widget(self.ui.label(self.ui.form_text(proc.fee_note), role="help"))

    def _fee_line(self, charge: Charge) -> str:
        tr = self.ui.tr
        what = self.ui.form_text(charge.kind) if charge.kind else tr("Fee")
        if charge.unit == 0:
            return tr("{what}: free", what=what)
        if charge.copies is None:
            return f"{what}: {self._yen(charge.unit)}"
        return tr("{what}: {unit} × {copies} = {total}", what=what, unit=self._yen(charge.unit),
                  copies=charge.copies, total=self._yen(charge.total))

    def _offers(self, found: list[Offer]) -> None:
        ui, rows = self.ui, self.ids.rows
        if found:
            rows.add_widget(ui.label(ui.tr("You may also add (not required):"),
                                     role="heading", padding=(0, 14)))
        for offer in found:
            text = f"＋ {ui.form_text(offer.label)}"
            if offer.titles:  # asked by several procedures: answered once for all of them
                names = "、".join(ui.form_text(title) for title in offer.titles)
                text += "\n" + ui.tr("(for: {procedures})", procedures=names)
            rows.add_widget(ui.button(
                text, kid=f"add:{offer.procedures[0]}:{offer.path}", role="secondary",
                on_release=partial(self._edit, offer.procedures[0], offer.path,
                                   offer.procedures)))

    def _row(self, row: Row) -> ConfirmRow:
        ui = self.ui
        widget = ConfirmRow(line_color=ui.theme.color("border"))
        ui.set_text(widget.ids.label, ui.form_text(row.label))
        ui.set_text(widget.ids.value, row.value)
        if row.from_card:
            widget.ids.badges.add_widget(ui.badge(ui.tr("From card"), role="card_badge"))
        if row.changed:
            widget.ids.badges.add_widget(ui.badge(ui.tr("Changed"), role="changed_badge"))
        if row.undecodable:
            widget.ids.badges.add_widget(ui.badge(ui.tr("Staff will check"),
                                                  role="changed_badge"))
        edit = widget.ids.edit
        edit.kid = f"edit:{row.procedure}:{row.path}"
        ui.set_text(edit, ui.tr("Change"))
        if row.fills:  # a shared answer: the procedures it fills, changed once for all
            names = "、".join(ui.form_text(title) for title in row.fills)
            ui.set_text(widget.ids.fills, ui.tr("(for: {procedures})", procedures=names))
        edit.bind(on_release=lambda *_: self._edit(row.procedure, row.path, row.also))
        return widget

    def _edit(self, procedure: int, path: str, also: tuple[int, ...] = ()) -> None:
        self.actions.act(self.session.edit, procedure, path, also)

    def primary(self) -> Primary | None:
        return Primary("confirm:send", self.ui.tr("Send this application"), self._send)

    def _send(self) -> None:
        self.actions.run_blocking(self.session.confirm, progress=N_("Printing your slip…"))

    def clear(self) -> None:
        self.ids.rows.clear_widgets()

