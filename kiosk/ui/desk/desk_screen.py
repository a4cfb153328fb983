"""The desk screen: scan a slip, see the application, act on it.

Everything it shows comes from a `DeskView` (kiosk/desk/view.py) and everything it does is a
`Desk` call run on the worker thread; the screen only lays out (kiosk/ui/desk/pane.py) and words.

Never one resident's application under another's scan (issue 12):
- the scan field takes the focus back whenever nothing else that takes typing has it (after a
  button, a popup, an export), so the USB scanner's line, ending in Enter, always lands there;
- a scanner's line typed while the clerk is in another field (an image path) is taken out of
  it at its Enter, the field getting back what it held, and read as a scan (kiosk/desk/wedge.py
  tells it from the clerk's typing by its speed and shape);
- a scan clears the screen before anything is read, so a refused one leaves no application
  shown; one typed while the desk is busy waits for it and then runs, never dropped, and the
  result of what it waited for no longer redraws an application;
- completing and cancelling, which cannot be undone, are confirmed first, naming the ticket.
The clerk reads words: codes and the lower layers' English details go to the log.

Who is at the desk is signed in on the sign-in view (kiosk/ui/desk/people_screens.py); this
screen shows their ID and role and a sign-out button, and `wipe()` empties it for the idle lock
and the sign-out.
"""

from __future__ import annotations

import datetime as dt
import logging
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

from kiosk.application import Status
from kiosk.desk.errors import DeskError, DeskMessage
from kiosk.desk.service import Desk, ExportResult, PrintResult
from kiosk.desk.view import JST, NEXT_STATUS, STATUS_WORDS, DeskView, ProcedureView
from kiosk.store.repository import StoredApplication
from kiosk.ui.desk.pane import Pane
from kiosk.ui.desk.people_screens import person_words
from kiosk.ui.desk.widgets import ConfirmBox, DButton, FieldRow, ProcedureHeading, SectionRow
from kiosk.ui.desk.worker import Worker
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import N_, Translator, native_name
from kiosk.ui.text_fields import forget_text

log = logging.getLogger("kiosk.desk.screen")

COLORS = {"ok": (0.86, 0.94, 0.88, 1), "warning": (1.0, 0.90, 0.70, 1),
          "error": (0.98, 0.82, 0.82, 1), "info": (0.96, 0.95, 0.93, 1)}
# The buttons on the right, by their id in desk_screen.kv.
ACTIONS = {"received": N_("Receive"), "completed": N_("Complete"), "cancelled": N_("Cancel"),
           "reprint": N_("Reprint the slip"), "export_json": N_("Export (JSON)"),
           "export_csv": N_("Export (CSV)")}
# The moves that cannot be taken back (NEXT_STATUS has no way out of them): asked first.
CONFIRM = {
    "completed": (N_("Mark {ticket} as completed? This cannot be undone."), N_("Complete")),
    "cancelled": (N_("Cancel {ticket}? A cancelled application cannot be processed again."),
                  N_("Cancel the application")),
}
_DONE = object()
IMAGE_FILTERS = ["*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.tif", "*.tiff", "*.webp",
                 "*.pdf", "*.PNG", "*.JPG", "*.PDF"]


class DeskScreen(Screen):  # type: ignore[misc]  # Kivy is untyped
    message_bg = ColorProperty(COLORS["info"])
    tz = JST

    def __init__(self, *, desk: Desk, glyphs: Glyphs, tr: Translator, languages: Sequence[str],
                 worker: Worker, export_dir: Path,
                 open_my_number: Callable[[int, int, str], None],
                 sign_out: Callable[[], None], **kwargs: Any) -> None:
        self.desk, self.glyphs, self.worker = desk, glyphs, worker
        self.tr, self.languages = tr, tuple(languages)
        self.export_dir = export_dir
        self.open_my_number = open_my_number
        self.sign_out = sign_out
        self.view: DeskView | None = None
        self.message_plain = ""
        self.popup: Popup | None = None
        self._scans = 0  # counts scans: a result started before the latest one is stale
        self._waiting: Callable[[], DeskView] | None = None  # a scan typed while busy
        self.pane = Pane(self, print_form=self.print_form, my_number=self.my_number)
        super().__init__(**kwargs)
        for field in (self.ids.scan, self.ids.image_path):
            field.bind(focus=self._hold_focus)
        self.refresh_texts()
        self.show_view(None)
        self.say("info", lambda: self.tr("Scan the QR code on the resident's slip."))
        self._warming = self.pane.pool.warm({FieldRow: 90, SectionRow: 12, ProcedureHeading: 4})
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
        ids.person.text = self.m(person_words(self.desk, self.tr))
        ids.sign_out.text = self.tr("Sign out")
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

    def field_entered(self, field: Any) -> None:
        """Enter in the image path: a scanner's line is taken out of the field (which gets
        back what it held) and read as a scan; else the path is read."""
        taken = field.watch.entered()
        if taken is not None:
            forget_text(field, taken.restore)  # no undo step brings the slip's line back
            field.cursor = field.get_cursor_from_index(taken.cursor)
            log.info("desk screen: a scanned line in another field, read as a scan")
            self.ids.scan.focus = True
            self.scan_text(taken.line)
        else:
            self.scan_image(field.text)

    # --- the scan field's focus ---------------------------------------------------------------

    def _hold_focus(self, *_args: Any) -> None:
        """Any field losing the focus: next frame, give it back to the scan field unless the
        clerk is typing an image path."""
        Clock.schedule_once(self._refocus, 0)

    def _refocus(self, _dt: float = 0) -> None:
        ids = self.ids
        if self.manager is not None and self.manager.current != self.name:
            return  # the My Number step has its PIN field, the sign-in and lock views theirs
        if not (ids.scan.focus or ids.image_path.focus):
            ids.scan.focus = True

    def focus_scan(self) -> None:
        Clock.schedule_once(lambda _dt: setattr(self.ids.scan, "focus", True), 0)

    def on_pre_enter(self, *_args: Any) -> None:
        self.refresh_texts()  # the person signed in, the language chosen on the sign-in view

    def on_enter(self, *_args: Any) -> None:
        self.focus_scan()

    # --- messages -------------------------------------------------------------------------

    def say(self, kind: str, text: Callable[[], str]) -> None:
        """Show a message; `text` words it in the screen's language now and after a switch."""
        self._said = (kind, text)
        self.message_plain = text()
        self.message_bg = COLORS[kind]
        self.ids.message.text = self.m(self.message_plain)

    def words(self, message: DeskError | DeskMessage) -> str:
        """What the clerk reads: the message in the screen's language, no code, no detail."""
        if isinstance(message, DeskError):
            return message.message_ja if self.lang == "ja" else message.message_en
        return message.ja if self.lang == "ja" else message.en

    def say_error(self, exc: DeskError) -> None:
        log.info("desk screen: %s", exc.code)  # the code for the log; the words for the clerk
        self.say("error", lambda: self.words(exc))

    def say_warnings(self, first: Callable[[], str], warnings: tuple[DeskMessage, ...]) -> None:
        if warnings:
            log.info("desk screen: %s", " ".join(w.code for w in warnings))
        self.say("warning" if warnings else "ok",
                 lambda: "\n".join([first()] + [f"※ {self.words(w)}" for w in warnings]))

    def _run(self, call: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run `call` on the worker; its result is shown only if no scan came since."""
        token = self._scans

        def done(result: Any) -> None:
            if token == self._scans:
                then(result)
            self._next_scan()

        def failed(exc: DeskError) -> None:
            if token == self._scans:
                self.say_error(exc)
            else:
                log.info("desk screen: %s (after the next scan; not shown)", exc.code)
            self._next_scan()

        if self.worker.run(call, done, failed):
            self.say("info", lambda: self.tr("Working…"))

    # --- scanning -----------------------------------------------------------------------------

    def scan_text(self, text: str) -> None:
        self.clear_scan()  # the next slip starts in an empty field
        if text.strip():
            self._scan(partial(self.desk.scan_text, text))

    def clear_scan(self) -> None:
        """Empty the scan field (after a scan, Escape): ctrl+z never brings a slip back."""
        forget_text(self.ids.scan)

    def scan_image(self, path: str) -> None:
        if path.strip():
            self._scan(partial(self.desk.scan_image, Path(path.strip())))

    def _scan(self, call: Callable[[], DeskView]) -> None:
        """Clear the screen first, whatever the scan turns out to be, then read it (now, or
        when the desk's current call is done)."""
        self._scans += 1
        self._close_popup()
        self.show_view(None)
        self.say("info", lambda: self.tr("Reading the slip…"))
        self._waiting = call
        if not self.worker.busy:
            self._next_scan()

    def _next_scan(self) -> None:
        call, self._waiting = self._waiting, None
        if call is not None:
            self._run(call, self._scanned)

    def _scanned(self, view: DeskView) -> None:
        forget_text(self.ids.image_path)
        self.show_view(view)
        self.say_warnings(lambda: self.tr("Slip read."), view.warnings)

    def choose_image(self) -> None:
        chooser = FileChooserListView(path=str(Path.cwd()), filters=IMAGE_FILTERS)
        body = BoxLayout(orientation="vertical", spacing=dp(8))
        body.add_widget(chooser)
        buttons = BoxLayout(size_hint_y=None, height=dp(44), spacing=dp(8))
        popup = self._open_popup(self.tr("Choose an image or PDF of the slip"), body,
                                 size_hint=(0.8, 0.85))

        def read(*_: Any) -> None:
            if chooser.selection:
                self._close_popup()
                self.scan_image(chooser.selection[0])

        buttons.add_widget(DButton(text=self.tr("Read"), role="primary", kid="chooser:read",
                                   on_release=read))
        buttons.add_widget(DButton(text=self.tr("Close"), kid="chooser:close",
                                   on_release=lambda *_: popup.dismiss()))
        body.add_widget(buttons)

    def _open_popup(self, title: str, content: Any, **options: Any) -> Popup:
        self._close_popup()
        popup = Popup(title=title, content=content, title_font=self.glyphs.font_path(),
                      auto_dismiss=False, **options)
        popup.bind(on_dismiss=lambda *_: self._hold_focus())
        self.popup = popup
        popup.open()
        self._hold_focus()  # the scanner's next line still lands in the scan field
        return popup

    def _close_popup(self) -> None:
        popup, self.popup = self.popup, None
        if popup is not None:
            popup.dismiss()

    # --- actions ------------------------------------------------------------------------------

    def set_status(self, new: str) -> None:
        """Receive at once; complete and cancel, which cannot be undone, after a yes."""
        view = self.view
        if view is None:
            return
        if new not in CONFIRM:
            self._set_status(view.application_id, new)
            return
        question, yes = CONFIRM[new]
        box = ConfirmBox()
        box.ids.question.text = self.m(self.tr(question, ticket=view.ticket))
        box.ids.yes.text, box.ids.no.text = self.tr(yes), self.tr("Go back (change nothing)")
        box.ids.yes.bind(on_release=lambda *_: self._confirmed(view.application_id, new))
        box.ids.no.bind(on_release=lambda *_: self._close_popup())
        self._open_popup(self.tr("Please confirm"), box, size_hint=(None, None),
                         size=(dp(560), dp(250)))

    def _confirmed(self, application_id: int, new: str) -> None:
        self._close_popup()
        if self.view is not None and self.view.application_id == application_id:
            self._set_status(application_id, new)

    def _set_status(self, application_id: int, new: str) -> None:
        self._run(partial(self.desk.set_status, application_id, new), self._status_changed)

    def _status_changed(self, stored: StoredApplication) -> None:
        self.show_view(self.desk.current)
        self.say("ok", lambda: self.tr("Status is now “{status}”.", status=STATUS_WORDS[
            self.lang].get(stored.status, stored.status)))

    def print_form(self, procedure: int) -> None:
        if self.view is not None:
            self._run(partial(self.desk.print_form, self.view.application_id, procedure),
                      self.printed)

    def reprint(self) -> None:
        if self.view is not None:
            self._run(partial(self.desk.reprint_slip, self.view.application_id), self.printed)

    def printed(self, result: PrintResult) -> None:
        self.pane.mark_printed(self.desk.printed)
        self.say_warnings(lambda: self.tr("Printed: {title}", title=result.name_ja
                                          if self.lang == "ja" else result.name_en),
                          result.warnings)

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
        self._close_popup()
        self.desk.forget()
        self.clear_scan()
        forget_text(self.ids.image_path)
        self.show_view(None)
        self.say("info", lambda: self.tr("Cleared.") + " "
                 + self.tr("Scan the QR code on the resident's slip."))

    # --- the application ------------------------------------------------------------------------

    def show_view(self, view: DeskView | None) -> None:
        self.view = view
        ids = self.ids
        allowed = NEXT_STATUS.get(Status(view.status), ()) if view else ()
        for key in ("received", "completed", "cancelled"):
            ids[key].disabled = key not in allowed
        ids.reprint.disabled = view is None
        self.pane.show(view, self.desk.printed if view else {})

    def clear(self) -> None:
        self.next_resident()

    def wipe(self) -> None:
        """The idle lock and the sign-out: every personal datum out of the widgets, not covered.

        A result still on its way is dropped (as after a new scan), the popup closes, the rows,
        header and index are emptied and so are the rows kept for reuse; the scan and path
        fields lose their text and its undo history."""
        self._scans += 1
        self._waiting = None
        self._close_popup()
        self.show_view(None)
        self.pane.forget()
        self.clear_scan()
        forget_text(self.ids.image_path)
        self.say("info", str)
