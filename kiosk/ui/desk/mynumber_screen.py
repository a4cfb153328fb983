"""The My Number step at the counter: card on the reader, PIN typed by the resident, the number
read and printed on the official form, then forgotten.

The number never reaches this screen: the worker reads it and hands it straight to
`Desk.print_form`, which prints it and empties the holder; the screen sees only the print's
result or the card's error (wrong_pin with the tries left, last_pin_try, no_card ...). The PIN
field is emptied as soon as it is read, whatever happens next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import ColorProperty
from kivy.uix.screenmanager import Screen

from drivers.card.errors import CardError
from kiosk.desk.card import MyNumberReader
from kiosk.desk.errors import DeskError, desk_error
from kiosk.desk.service import Desk, PrintResult
from kiosk.ui.desk.worker import Worker
from kiosk.ui.glyphs import Glyphs

COLORS = {"error": (0.98, 0.82, 0.82, 1), "info": (0.96, 0.95, 0.93, 1)}
WORDS = {
    "ja": {
        "heading": "個人番号の読み取り（マイナンバーカード）",
        "steps": "1. ご本人にマイナンバーカードを窓口のカードリーダーに置いていただきます。\n"
                 "2. ご本人に暗証番号（数字4桁）を入力していただきます。\n"
                 "3. 「読み取って印刷」を押すと、個人番号を申請書に印字して印刷します。",
        "law": "個人番号は申請書の印刷にだけ使い、保存・書き出し・記録はしません（番号法）。"
               "職員は暗証番号を聞かず、入力も代わりに行わないでください。",
        "pin": "暗証番号（4桁）", "last_try": "残り1回のときも使う（ご本人の同意を得たときだけ）",
        "go": "読み取って印刷", "back": "戻る（印刷しない）", "busy": "カードを読み取っています…",
        "pin_format": "暗証番号は数字4桁です。",
    },
    "en": {
        "heading": "Reading the My Number from the card",
        "steps": "1. The resident places the My Number card on the counter's reader.\n"
                 "2. The resident types the 4-digit PIN.\n"
                 "3. 'Read and print' prints the number on the form.",
        "law": "The number is used only to print this form; it is never stored, exported or "
               "logged (My Number Act). Never ask for the PIN or type it for the resident.",
        "pin": "PIN (4 digits)", "last_try": "Use the last try too (only with the resident's consent)",
        "go": "Read and print", "back": "Back (do not print)", "busy": "Reading the card…",
        "pin_format": "The PIN is 4 digits.",
    },
}


class MyNumberScreen(Screen):  # type: ignore[misc]  # Kivy is untyped
    message_bg = ColorProperty(COLORS["info"])

    def __init__(self, *, desk: Desk, glyphs: Glyphs, worker: Worker,
                 card_reader: Callable[[], MyNumberReader],
                 done: Callable[[PrintResult | None], None], **kwargs: Any) -> None:
        self.desk, self.glyphs, self.worker = desk, glyphs, worker
        self.card_reader = card_reader
        self.done = done
        self.lang = "ja"
        self.application_id = 0
        self.procedure = 0
        self.message_plain = ""
        super().__init__(**kwargs)

    def t(self, key: str) -> str:
        return WORDS[self.lang][key]

    def prepare(self, *, application_id: int, procedure: int, title: str, lang: str) -> None:
        self.application_id, self.procedure, self.lang = application_id, procedure, lang
        ids = self.ids
        ids.heading.text = self.glyphs.markup(self.t("heading"), bold=True)
        ids.procedure.text = self.glyphs.markup(f"{procedure + 1}. {title}")
        ids.steps.text = self.glyphs.markup(self.t("steps"))
        ids.law.text = self.glyphs.markup(self.t("law"))
        ids.pin_label.text = self.t("pin")
        ids.last_try_label.text = self.glyphs.markup(self.t("last_try"))
        ids.go.text, ids.back.text = self.t("go"), self.t("back")
        ids.pin.text = ""
        ids.last_try.active = False
        self.say("info", "")

    def on_enter(self, *_args: Any) -> None:
        Clock.schedule_once(lambda _dt: setattr(self.ids.pin, "focus", True), 0)

    def limit_pin(self, field: Any) -> None:
        if len(field.text) > 4:
            field.text = field.text[:4]

    def say(self, kind: str, text: str) -> None:
        self.message_plain = text
        self.message_bg = COLORS.get(kind, COLORS["info"])
        self.ids.message.text = self.glyphs.markup(text)

    def read_and_print(self) -> None:
        pin = self.ids.pin.text
        self.ids.pin.text = ""  # emptied now, whatever the card says
        if len(pin) != 4 or not pin.isdigit():
            self.say("error", self.t("pin_format"))
            return
        allow_last = bool(self.ids.last_try.active)
        app_id, procedure, desk, reader = (self.application_id, self.procedure, self.desk,
                                           self.card_reader)

        def job() -> PrintResult:
            try:
                port = reader()
            except CardError as exc:
                raise desk_error(exc) from None
            number = desk.read_my_number(port, pin, application_id=app_id, procedure=procedure,
                                         allow_last_try=allow_last)
            return desk.print_form(app_id, procedure, my_number=number)  # forgets it

        if self.worker.run(job, self._printed, self._failed):
            self.say("info", self.t("busy"))

    def _printed(self, result: PrintResult) -> None:
        self.done(result)

    def _failed(self, exc: DeskError) -> None:
        text = exc.message_ja if self.lang == "ja" else exc.message_en
        self.say("error", f"[{exc.code}] {text}")
        self.on_enter()

    def back(self) -> None:
        self.ids.pin.text = ""
        self.done(None)
