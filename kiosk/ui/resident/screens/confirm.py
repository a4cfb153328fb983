"""The confirm screen: every answer in large text, marked 「カードから」 (read from the card)
or 「変更」 (a card value the resident changed), each with a button to correct it, and the
optional questions listed so they can be added without being asked one by one."""

from __future__ import annotations

from functools import partial

from kivy.properties import ColorProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.session.display import Row, summary
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
            "Is everything right? Touch 'Correct' to change an answer."))
        rows = self.ids.rows
        rows.clear_widgets()
        for proc in summary(session, ui.lang):
            rows.add_widget(ui.label(ui.form_text(proc.title), role="heading"))
            for row in proc.rows:
                rows.add_widget(self._row(row))
            if proc.notes:
                rows.add_widget(ui.label(ui.tr("Please note:"), role="heading", padding=(0, 14)))
            for note in proc.notes:
                rows.add_widget(ui.label(ui.form_text(note)))
        optional = session.optional_questions()
        if optional:
            rows.add_widget(ui.label(ui.tr("You may also add (not required):"),
                                     role="heading", padding=(0, 14)))
        for question in optional:
            label = ui.form_text(question.state.field.label)
            rows.add_widget(ui.button(
                f"＋ {label}", kid=f"add:{question.procedure}:{question.state.path}",
                role="secondary",
                on_release=partial(self._edit, question.procedure, question.state.path)))
        self.ids.scroll.scroll_y = 1

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
        ui.set_text(edit, ui.tr("Correct"))
        edit.bind(on_release=lambda *_: self._edit(row.procedure, row.path))
        return widget

    def _edit(self, procedure: int, path: str) -> None:
        self.actions.act(self.session.edit, procedure, path)

    def primary(self) -> Primary | None:
        return Primary("confirm:send", self.ui.tr("Send this application"), self._send)

    def _send(self) -> None:
        self.actions.run_blocking(self.session.confirm, progress=N_("Printing your slip…"))

    def clear(self) -> None:
        self.ids.rows.clear_widgets()

