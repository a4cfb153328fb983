"""The application on the desk screen: header, index of procedures, headings and rows.

Drawn from a `DeskView` into the widgets of desk_screen.kv, with the rows reused from a pool
(see RowPool). What the clerk must act on is laid out so it cannot be missed: a form's warning
takes a band the width of the row, a corrected answer shows what the card said beside it, each
procedure's primary button is the print that procedure needs (with the number read from the
card when the My Number Act names it), and a long application opens with an index to jump from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kivy.metrics import dp, sp

from forms.japanese_dates import format_era
from kiosk.desk.base import Printed
from kiosk.desk.view import STATUS_WORDS, DeskView, FieldView, ProcedureView
from kiosk.ui.desk.widgets import DButton, FieldRow, ProcedureHeading, RowPool, SectionRow
from kiosk.ui.glyphs import escape

# The text properties of the pooled rows (widgets.py), emptied by `forget`.
_TEXTS = ("label_markup", "value_markup", "marks_markup", "band_markup", "text_markup",
          "title_markup", "info_markup", "printed_markup", "plain")
STATUS_COLORS = {"issued": "0B5394", "received": "1E6B3A", "completed": "4A4A4A",
                 "cancelled": "B00020"}


class Pane:
    """Lays out one application; `screen` gives the words (tr, m, lang) and the actions."""

    def __init__(self, screen: Any, *, print_form: Callable[[int], None],
                 my_number: Callable[[ProcedureView], None]) -> None:
        self.screen = screen
        self.print_form, self.my_number = print_form, my_number
        self.pool = RowPool({FieldRow: FieldRow, SectionRow: SectionRow,
                             ProcedureHeading: self._new_heading})
        self.headings: dict[int, ProcedureHeading] = {}

    def tr(self, msgid: str, **params: Any) -> str:
        return str(self.screen.tr(msgid, **params))

    def m(self, text: str, *, bold: bool = False) -> str:
        return str(self.screen.m(text, bold=bold))

    @property
    def lang(self) -> str:
        return str(self.screen.lang)

    # --- the whole ----------------------------------------------------------------------------

    def show(self, view: DeskView | None, printed: Mapping[int, Printed]) -> None:
        ids = self.screen.ids
        rows = ids.rows
        self.pool.give_back(list(rows.children))
        rows.clear_widgets()
        self.headings = {}
        self._index(view)
        ids.header.opacity = 0 if view is None else 1
        if view is None:
            ids.ticket.text = ids.status.text = ids.meta.text = ""
            return
        ids.ticket.text = self.m(view.ticket, bold=True)
        color = STATUS_COLORS.get(view.status, "1A1A1A")
        ids.status.text = (f"[color={color}]"
                           f"{escape(STATUS_WORDS[self.lang].get(view.status, view.status))}"
                           "[/color]")
        ids.meta.text = self.m("\n".join(self._meta(view)))
        for procedure in view.procedures:
            heading = self._heading(procedure, view)
            self.headings[procedure.index] = heading
            rows.add_widget(heading)
            for field in procedure.fields:
                for row in self._rows(field, indent=0, number=""):
                    rows.add_widget(row)
        self.mark_printed(printed)
        ids.scroll.scroll_y = 1

    def forget(self) -> None:
        """Nothing shown, and the rows kept for reuse emptied too: a row given back to the pool
        keeps its texts (names, addresses) until it is used again (the idle lock, sign-out)."""
        self.show(None, {})
        for row in self.pool.free():
            for name in _TEXTS:
                if hasattr(row, name):
                    setattr(row, name, "")
            if isinstance(row, ProcedureHeading):
                row.procedure = None

    def _meta(self, view: DeskView) -> list[str]:
        """When and where the slip was issued and first scanned, one line each."""
        day = (format_era(view.issued_at.date()) if self.lang == "ja"
               else f"{view.issued_at:%Y-%m-%d}")
        issued, kiosk = self.tr("issued"), self.tr("kiosk")
        meta = [f"{issued} {day} {view.issued_at:%H:%M}",
                f"{kiosk} {view.kiosk_id}  id {view.application_id}"]
        if view.first_scanned_at:
            first = self.tr("first scanned")
            meta.append(f"{first} {view.first_scanned_at:%H:%M} {view.first_scanned_desk or ''}")
        if view.recorded_from_slip:
            meta.append(self.tr("registered from the slip"))
        if view.next_counters:  # the slip's own list of the counters after this one
            meta.append(self.tr("then: {counters}", counters="、".join(view.next_counters)))
        return meta

    def _index(self, view: DeskView | None) -> None:
        """Buttons to jump to each procedure, when there is more than one to scroll through."""
        box = self.screen.ids.index
        box.clear_widgets()
        many = view is not None and len(view.procedures) > 1
        box.height, box.opacity, box.disabled = (dp(48), 1, False) if many else (0, 0, True)
        if view is None or not many:
            return
        for procedure in view.procedures:
            text = f"{procedure.index + 1}. {procedure.title(self.lang)}"
            if procedure.attention_count:
                text += " " + self.tr("※ {n} to check", n=procedure.attention_count)
            button = DButton(text=self.m(text), kid=f"index:{procedure.index}", height=dp(44),
                             font_size="14sp")
            button.bind(on_release=lambda _b, i=procedure.index: self.jump(i))
            box.add_widget(button)

    def jump(self, index: int) -> None:
        heading = self.headings.get(index)
        if heading is not None:
            self.screen.ids.scroll.scroll_to(heading, padding=0, animate=False)

    # --- a procedure's heading ------------------------------------------------------------------

    def _new_heading(self) -> ProcedureHeading:
        """A heading with its two buttons, bound once to whatever procedure it shows next."""
        heading = ProcedureHeading()
        heading.print_button = DButton(size_hint_x=None, width=dp(230))
        heading.print_button.bind(
            on_release=lambda *_: self.print_form(heading.procedure.index))
        heading.card_button = DButton(role="primary", size_hint_x=None, width=dp(300))
        heading.card_button.bind(on_release=lambda *_: self.my_number(heading.procedure))
        return heading

    def _heading(self, procedure: ProcedureView, view: DeskView) -> ProcedureHeading:
        title = procedure.title(self.lang)
        info = [f"{procedure.form_id} v{procedure.form_version}"]
        if not procedure.loaded:
            info.append(self.tr("form not loaded"))
        if procedure.my_number_required:
            info.append(self.tr("needs the My Number card"))
        if procedure.attention_count:
            info.append(self.tr("※ {n} to check", n=procedure.attention_count))
        notices = [f"※{ja if self.lang == 'ja' else en}" for ja, en in procedure.notices]
        heading: ProcedureHeading = self.pool.take(ProcedureHeading)
        heading.procedure = procedure
        heading.title_markup = self.m(f"{procedure.index + 1}. {title}", bold=True)
        heading.info_markup = self.m("　".join(info))
        heading.band_markup = self.m("\n".join(notices)) if notices else ""
        heading.plain = f"{title} {' '.join(info + notices)}"
        self._buttons(heading, procedure, printable=procedure.loaded
                      and view.status != "cancelled")
        return heading

    def _buttons(self, heading: ProcedureHeading, procedure: ProcedureView, *,
                 printable: bool) -> None:
        """The print the procedure needs is the primary one, first: for a form the My Number
        Act names, reading the card and printing with the number; printing without it stays
        beside it, secondary, for a resident who writes the number in by hand."""
        buttons = heading.ids.buttons
        buttons.clear_widgets()
        plain, card = heading.print_button, heading.card_button
        plain.kid, plain.disabled = f"print:{procedure.index}", not printable
        card.kid, card.disabled = "", not printable
        if procedure.my_number_required:
            card.text = self.tr("Read the My Number and print")
            card.kid = f"mynumber:{procedure.index}"
            plain.text, plain.role = self.tr("Print without the number"), ""
            buttons.add_widget(card)
        else:
            plain.text, plain.role = self.tr("Print the form"), "primary"
        buttons.add_widget(plain)

    def mark_printed(self, printed: Mapping[int, Printed]) -> None:
        """Each heading says whether its form was printed here, when, and with the number."""
        for index, heading in self.headings.items():
            done = printed.get(index)
            if done is None:
                heading.printed_markup = self.m(self.tr("Not printed yet"))
                continue
            at = f"{done.at.astimezone(self.screen.tz):%H:%M}"
            if done.with_number:
                text = self.tr("Printed at {time} with the number", time=at)
            elif heading.procedure.my_number_required:
                text = self.tr("Printed at {time} without the number", time=at)
            else:
                text = self.tr("Printed at {time}", time=at)
            heading.printed_markup = self.m("✓ " + text)

    # --- the answers --------------------------------------------------------------------------

    def _marks(self, field: FieldView) -> str:
        parts = []
        for flag in field.marks:
            word = escape(flag.ja if self.lang == "ja" else flag.en)
            parts.append(f"[color=#B34700][b]※{word}[/b][/color]" if flag.attention
                         else f"[color=#1E6B3A]{word}[/color]")
        return "  ".join(parts)

    def _value(self, field: FieldView) -> tuple[str, str]:
        """The answer, and under it what the card said when the resident corrected it."""
        shown = field.display(self.lang)
        card = field.card(self.lang)
        if not card:
            return self.m(shown), shown
        said = self.tr("On the card: {value}", value=card)
        return (f"{self.m(shown)}\n[size={int(sp(14))}][color=#5A4A3A]{self.m(said)}"
                "[/color][/size]", f"{shown} ({said})")

    def _rows(self, field: FieldView, *, indent: float, number: str) -> list[Any]:
        label = field.label(self.lang)
        if field.kind == "section":
            section: SectionRow = self.pool.take(SectionRow)
            section.text_markup, section.plain = self.m(f"■ {label}", bold=True), label
            return [section]
        shown = f"{number}{label}"
        value_markup, value_plain = self._value(field)
        warnings = [f"※{w.ja if self.lang == 'ja' else w.en}" for w in field.warnings]
        row: FieldRow = self.pool.take(FieldRow)
        row.label_markup = self.m(shown)
        row.value_markup = value_markup
        row.marks_markup = self._marks(field)
        row.band_markup = self.m("\n".join(warnings)) if warnings else ""
        row.attention = any(f.attention for f in field.flags)
        row.indent = indent
        row.plain = " ".join([f"{shown}: {value_plain}", *warnings])
        out: list[Any] = [row]
        for n, item in enumerate(field.items, start=1):
            for child in item:
                out.extend(self._rows(child, indent=indent + dp(22), number=f"{n}. "))
        return out
