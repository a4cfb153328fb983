"""The desk screen: scan a slip, see the application, act on it.

Everything it shows comes from a `DeskView` (kiosk/desk/view.py) and everything it does is a
`Desk` call run on the worker thread; the screen only lays out and words. The scan field keeps
the focus, so the USB scanner's line (ending in Enter) always lands there; an image or PDF of a
slip is read from a path or picked with a file chooser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import ColorProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.filechooser import FileChooserListView
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen

from forms.japanese_dates import format_era
from kiosk.application import Status
from kiosk.desk.errors import DeskError, DeskMessage
from kiosk.desk.service import Desk, ExportResult, PrintResult
from kiosk.desk.view import JST, NEXT_STATUS, STATUS_WORDS, DeskView, FieldView, ProcedureView
from kiosk.store.repository import StoredApplication
from kiosk.ui.desk.widgets import DButton, FieldRow, ProcedureHeading, RowPool, SectionRow
from kiosk.ui.desk.worker import Worker
from kiosk.ui.glyphs import Glyphs, escape
from kiosk.ui.i18n import N_, Translator, native_name

COLORS = {"ok": (0.86, 0.94, 0.88, 1), "warning": (1.0, 0.90, 0.70, 1),
          "error": (0.98, 0.82, 0.82, 1), "info": (0.96, 0.95, 0.93, 1)}
STATUS_COLORS = {"issued": "0B5394", "received": "1E6B3A", "completed": "4A4A4A",
                 "cancelled": "B00020"}
# The buttons on the right, by their id in desk_screen.kv.
ACTIONS = {"received": N_("Receive"), "completed": N_("Complete"), "cancelled": N_("Cancel"),
           "reprint": N_("Reprint the slip"), "export_json": N_("Export (JSON)"),
           "export_csv": N_("Export (CSV)")}
_DONE = object()
IMAGE_FILTERS = ["*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.tif", "*.tiff", "*.webp",
                 "*.pdf", "*.PNG", "*.JPG", "*.PDF"]


class DeskScreen(Screen):  # type: ignore[misc]  # Kivy is untyped
    message_bg = ColorProperty(COLORS["info"])

    def __init__(self, *, desk: Desk, glyphs: Glyphs, tr: Translator, languages: Sequence[str],
                 worker: Worker, export_dir: Path,
                 open_my_number: Callable[[int, int, str], None], **kwargs: Any) -> None:
        self.desk, self.glyphs, self.worker = desk, glyphs, worker
        self.tr, self.languages = tr, tuple(languages)
        self.export_dir = export_dir
        self.open_my_number = open_my_number
        self.view: DeskView | None = None
        self.message_plain = ""
        self.pool = RowPool({FieldRow: FieldRow, SectionRow: SectionRow,
                             ProcedureHeading: self._new_heading})
        super().__init__(**kwargs)
        self.ids.clerk.text = desk.clerk or ""
        self.refresh_texts()
        self.show_view(None)
        self.say("info", lambda: self.tr("Scan the QR code on the resident's slip."))
        self._warming = self.pool.warm({FieldRow: 90, SectionRow: 12, ProcedureHeading: 4})
        Clock.schedule_once(self._warm_step, 0.2)

    def _warm_step(self, _dt: float) -> None:
        """Make the pooled rows a few per frame: the screen stays usable meanwhile."""
        if next(self._warming, _DONE) is not _DONE:
            Clock.schedule_once(self._warm_step, 0)

    # --- words ------------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        """The screen's language: the catalogues' (texts) and the view's (labels, errors)."""
        return self.tr.lang

    def next_language(self) -> str:
        """The language the switch button offers: the next of `languages`, round."""
        at = self.languages.index(self.lang) if self.lang in self.languages else -1
        return self.languages[(at + 1) % len(self.languages)]

    def m(self, text: str, *, bold: bool = False) -> str:
        """Markup for a text that may hold any character (names): fonts per character."""
        return self.glyphs.markup(text, bold=bold)

    def refresh_texts(self) -> None:
        ids = self.ids
        ids.app_title.text = self.m(self.tr("Counter desk: slip check-in"), bold=True)
        ids.office.text = self.m(f"{self.desk.office_name}（{self.desk.office_code}）")
        ids.clerk_label.text = self.tr("Clerk ID")
        ids.lang.text = native_name(self.next_language())  # "English" / "日本語"
        ids.scan_label.text = self.tr("Scan the slip's QR")
        ids.scan.hint_text = "KS1-…"
        ids.image_path.hint_text = "/path/slip.png"
        ids.image_button.text = self.tr("Image / PDF…")
        ids.status_heading.text = self.tr("Status")
        ids.other_heading.text = self.tr("Other")
        for key, msgid in ACTIONS.items():
            ids[key].text = self.tr(msgid)
        ids.next_resident.text = self.tr("Next resident (clear)")

    def toggle_language(self) -> None:
        self.tr.lang = self.next_language()
        self.refresh_texts()
        self.show_view(self.view)
        self.say(*self._said)  # the message too, in the new language
        self.focus_scan()

    def clerk_changed(self, text: str) -> None:
        self.desk.clerk = text.strip() or None

    def focus_scan(self) -> None:
        Clock.schedule_once(lambda _dt: setattr(self.ids.scan, "focus", True), 0)

    def on_enter(self, *_args: Any) -> None:
        self.focus_scan()

    # --- messages -------------------------------------------------------------------------

    def say(self, kind: str, text: Callable[[], str]) -> None:
        """Show a message; `text` words it in the screen's language now and after a switch."""
        self._said = (kind, text)
        self.message_plain = text()
        self.message_bg = COLORS[kind]
        self.ids.message.text = self.m(self.message_plain)

    def say_error(self, exc: DeskError) -> None:
        def text() -> str:
            detail = f"（{exc.detail}）" if exc.detail else ""
            return f"[{exc.code}] {exc.message_ja if self.lang == 'ja' else exc.message_en}{detail}"

        self.say("error", text)
        self.focus_scan()

    def say_warnings(self, first: Callable[[], str], warnings: tuple[DeskMessage, ...]) -> None:
        def text() -> str:
            return "\n".join([first()] + [f"[{w.code}] {w.ja if self.lang == 'ja' else w.en}"
                                          + (f"（{w.detail}）" if w.detail else "") for w in warnings])

        self.say("warning" if warnings else "ok", text)

    def _run(self, call: Callable[[], Any], then: Callable[[Any], None]) -> None:
        if self.worker.run(call, then, self.say_error):
            self.say("info", lambda: self.tr("Working…"))

    # --- scanning -----------------------------------------------------------------------------

    def scan_text(self, text: str) -> None:
        self.ids.scan.text = ""  # the next slip starts in an empty field
        if text.strip():
            self._run(partial(self.desk.scan_text, text), self._scanned)

    def scan_image(self, path: str) -> None:
        if path.strip():
            self._run(partial(self.desk.scan_image, Path(path.strip())), self._scanned)

    def _scanned(self, view: DeskView) -> None:
        self.ids.image_path.text = ""
        self.show_view(view)
        self.say_warnings(lambda: self.tr("Slip read."), view.warnings)
        self.focus_scan()

    def choose_image(self) -> None:
        chooser = FileChooserListView(path=str(Path.cwd()), filters=IMAGE_FILTERS)
        body = BoxLayout(orientation="vertical", spacing=dp(8))
        body.add_widget(chooser)
        buttons = BoxLayout(size_hint_y=None, height=dp(44), spacing=dp(8))
        popup = Popup(title=self.tr("Choose an image or PDF of the slip"), content=body,
                      size_hint=(0.8, 0.85),
                      title_font=self.glyphs.font_path())

        def read(*_: Any) -> None:
            if chooser.selection:
                popup.dismiss()
                self.scan_image(chooser.selection[0])

        buttons.add_widget(DButton(text=self.tr("Read"), role="primary", kid="chooser:read",
                                   on_release=read))
        buttons.add_widget(DButton(text=self.tr("Close"), kid="chooser:close",
                                   on_release=lambda *_: popup.dismiss()))
        body.add_widget(buttons)
        popup.open()

    # --- actions ------------------------------------------------------------------------------

    def set_status(self, new: str) -> None:
        if self.view is not None:
            app_id = self.view.application_id
            self._run(partial(self.desk.set_status, app_id, new), self._status_changed)

    def _status_changed(self, stored: StoredApplication) -> None:
        self.show_view(self.desk.current)
        self.say("ok", lambda: self.tr("Status is now “{status}”.", status=STATUS_WORDS[
            self.lang].get(stored.status, stored.status)))
        self.focus_scan()

    def print_form(self, procedure: int) -> None:
        if self.view is not None:
            self._run(partial(self.desk.print_form, self.view.application_id, procedure),
                      self.printed)

    def reprint(self) -> None:
        if self.view is not None:
            self._run(partial(self.desk.reprint_slip, self.view.application_id), self.printed)

    def printed(self, result: PrintResult) -> None:
        self.say_warnings(lambda: self.tr("Printed: {title}", title=result.name_ja
                                          if self.lang == "ja" else result.name_en),
                          result.warnings)
        self.focus_scan()

    def my_number(self, procedure: ProcedureView) -> None:
        if self.view is not None:
            self.open_my_number(self.view.application_id, procedure.index,
                                procedure.title(self.lang))

    def export(self, fmt: str) -> None:
        stamp = dt.datetime.now(JST).strftime("%Y%m%d-%H%M%S")
        target = self.export_dir / f"desk-export-{stamp}.{fmt}"
        today = dt.datetime.now(JST).date()
        self._run(partial(self.desk.export, fmt, target, since=today), self._exported)  # type: ignore[arg-type]

    def _exported(self, result: ExportResult) -> None:
        paths = ", ".join(str(p) for p in result.paths)
        self.say("ok", lambda: self.tr("{n} exported: {paths}", n=result.applications,
                                       paths=paths))

    def next_resident(self) -> None:
        """Clear the screen for the next resident: nothing personal stays shown."""
        self.desk.forget()
        self.show_view(None)
        self.say("info", lambda: self.tr("Cleared.") + " "
                 + self.tr("Scan the QR code on the resident's slip."))
        self.focus_scan()

    # --- the application ------------------------------------------------------------------------

    def show_view(self, view: DeskView | None) -> None:
        self.view = view
        ids = self.ids
        rows = ids.rows
        self.pool.give_back(list(rows.children))
        rows.clear_widgets()
        allowed = NEXT_STATUS.get(Status(view.status), ()) if view else ()
        for key in ("received", "completed", "cancelled"):
            ids[key].disabled = key not in allowed
        ids.reprint.disabled = view is None
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
            rows.add_widget(self._heading(procedure, view))
            for field in procedure.fields:
                for row in self._rows(field, indent=0, number=""):
                    rows.add_widget(row)
        ids.scroll.scroll_y = 1

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
        return meta

    def _new_heading(self) -> ProcedureHeading:
        """A heading with its two buttons, bound once to whatever procedure it shows next."""
        heading = ProcedureHeading()
        heading.print_button = DButton(role="primary", size_hint_x=None, width=dp(200))
        heading.print_button.bind(
            on_release=lambda *_: self.print_form(heading.procedure.index))
        heading.card_button = DButton(size_hint_x=None, width=dp(300))
        heading.card_button.bind(on_release=lambda *_: self.my_number(heading.procedure))
        heading.ids.buttons.add_widget(heading.print_button)
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
        info.extend(f"※{ja if self.lang == 'ja' else en}" for ja, en in procedure.notices)
        heading: ProcedureHeading = self.pool.take(ProcedureHeading)
        heading.procedure = procedure
        heading.title_markup = self.m(f"{procedure.index + 1}. {title}", bold=True)
        heading.info_markup = self.m("　".join(info))
        heading.plain = f"{title} {' '.join(info)}"
        printable = procedure.loaded and view.status != "cancelled"
        heading.print_button.text = self.tr("Print the form")
        heading.print_button.kid = f"print:{procedure.index}"
        heading.print_button.disabled = not printable
        card = heading.card_button
        if card.parent is not None:
            card.parent.remove_widget(card)
        card.kid = ""
        if procedure.my_number_required:
            card.text = self.tr("Read the My Number and print")
            card.kid = f"mynumber:{procedure.index}"
            card.disabled = not printable
            heading.ids.buttons.add_widget(card)
        return heading

    def _marks(self, field: FieldView) -> str:
        parts = []
        for flag in field.flags:
            word = escape(flag.ja if self.lang == "ja" else flag.en)
            parts.append(f"[color=#B34700][b]※{word}[/b][/color]" if flag.attention
                         else f"[color=#1E6B3A]{word}[/color]")
        return "  ".join(parts)

    def _rows(self, field: FieldView, *, indent: float, number: str) -> list[Any]:
        label = field.label(self.lang)
        if field.kind == "section":
            section: SectionRow = self.pool.take(SectionRow)
            section.text_markup, section.plain = self.m(f"■ {label}", bold=True), label
            return [section]
        shown = f"{number}{label}"
        row: FieldRow = self.pool.take(FieldRow)
        row.label_markup = self.m(shown)
        row.value_markup = self.m(field.display(self.lang))
        row.marks_markup = self._marks(field)
        row.attention = any(f.attention for f in field.flags)
        row.indent = indent
        row.plain = f"{shown}: {field.display(self.lang)}"
        out: list[Any] = [row]
        for n, item in enumerate(field.items, start=1):
            for child in item:
                out.extend(self._rows(child, indent=indent + dp(22), number=f"{n}. "))
        return out

    def clear(self) -> None:
        self.next_resident()
