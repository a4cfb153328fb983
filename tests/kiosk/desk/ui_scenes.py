"""The desk screen under Xvfb, walked as a clerk and a keyboard-wedge scanner really do: clicks are
touches at a widget's place (Kivy takes the keyboard focus away from a text field on any touch
outside it), slips are typed as key events into whatever has the focus, then Enter.

    python -m tests.kiosk.desk.ui_scenes --work DIR --out results.json --screens DIR

The scenes of issue 12 ("never one application under another's scan"): a slip typed after an
export, a damaged slip after a good one, completing and cancelling asked first (and a scan while
asked), the print the procedure needs as the primary button, the card's value beside a
corrected answer, a sex the card does not record, a warning across the row, the index of a long
application, words not codes. What the screen showed goes to the JSON for
tests/kiosk/desk/test_ui_safety.py; screenshots to --screens.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import faulthandler
import json
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

from forms.loader import load_library
from kiosk.application import Submission, card_value_mark
from kiosk.ui.desk.app import build_desk_app
from kiosk.ui.headless import run_beside
from printouts.layout import Fonts
from printouts.samples import sample_answers
from tests.kiosk.desk.ui_driver import (
    PASSWORD,
    Reader,
    by_kid,
    click,
    frames,
    prepare,
    shown_text,
    sign_in,
    typed_by_hand,
    typed_by_scanner,
    until,
    widgets,
)
from tests.kiosk.desk.world import CLERK, Site, build_site, decode_image, rasterise
from tests.kiosk.store.conftest import Clock

CARD_ADDRESS = "みほん市旧町九丁目9番9号"  # what the card said before the resident corrected it


def long_submission(site: Site) -> Submission:
    """転入届 (late, corrected address, a sex the card does not record), 国保 and 住民票."""
    late = (site.today() - dt.timedelta(days=30)).isoformat()
    answers = {**sample_answers(site.library.get("tennyu"), site.today()), "moved_on": late}
    sub = site.submission("tennyu", "kokuho", "juminhyo", tennyu=answers)
    tennyu = sub.procedures[0]
    flags = {**tennyu.flags,
             "previous_address": ["from_card", "corrected", card_value_mark(CARD_ADDRESS)],
             "members[0].sex": ["sex_not_known"]}
    return replace(sub, procedures=(replace(tennyu, flags=flags), *sub.procedures[1:]))


def shortcut(letter: str, times: int = 1) -> None:
    """ctrl+<letter> as the keyboard sends it (ctrl+z undoes, ctrl+r redoes in a TextInput)."""
    from kivy.core.window import Window  # noqa: PLC0415 - after the app has configured Kivy

    for _ in range(times):
        Window.dispatch("on_key_down", ord(letter), 0, letter, ["ctrl"])
        Window.dispatch("on_key_up", ord(letter), 0)


async def undone(field: Any) -> str:
    """What the field holds after the next clerk tries ctrl+z, then ctrl+r, many times."""
    await frames(1)
    shortcut("z", 60)
    shortcut("r", 60)
    await frames(2)
    return str(field.text)


class Scenes:
    def __init__(self, app: Any, site: Site, slips: dict[str, str]) -> None:
        from kiosk.ui.desk.desk_screen import COLORS  # noqa: PLC0415 - imports Kivy

        self.app, self.site, self.slips = app, site, slips
        self.colors = COLORS
        self.results: dict[str, Any] = {}

    @property
    def screen(self) -> Any:
        return self.app.desk_screen

    def kid(self, kid: str) -> Any:
        return by_kid(self.app.root, kid)

    def idle(self) -> bool:
        return not self.app.worker.busy and getattr(self.screen, "_waiting", None) is None

    async def scan(self, text: str) -> None:
        typed_by_scanner(text)
        await frames(2)
        await until(lambda: self.idle() and self.kind() != "info")
        await frames(3)

    def kind(self) -> str:
        """The message's kind by its colour: info, ok, warning, error."""
        bg = tuple(self.screen.message_bg)
        return next((k for k, c in self.colors.items() if tuple(c) == bg), "?")

    def shown(self) -> dict[str, Any]:
        screen = self.screen
        return {"ticket": screen.view.ticket if screen.view else None,
                "message": screen.message_plain, "kind": self.kind()}

    async def run(self) -> None:
        """Each scene on its own: one that breaks is reported and the next still walks."""
        await until(lambda: self.screen is not None)
        await frames(10)
        self.results["signed_in"] = await sign_in(self.app, PASSWORD)
        for scene in (self.long_application, self.after_export, self.damaged_after_good,
                      self.confirmations, self.scan_while_asked, self.scan_into_other_fields,
                      self.undo_after_clearing):
            try:
                await scene()
            except Exception:  # reported in the JSON, for the test to show
                self.results.setdefault("traces", {})[scene.__name__] = traceback.format_exc()
                self.screen.next_resident()
                await frames(3)

    async def long_application(self) -> None:
        await self.scan(self.slips["long"])
        ids = self.screen.ids
        self.app.screenshot("s01-long-application")
        rows = [w for w in widgets(self.app.root) if type(w).__name__ == "FieldRow"]
        banded = [r for r in rows if getattr(r, "band_markup", "")]
        self.results["long_rows"] = {
            "card_shown": [r.plain for r in rows if CARD_ADDRESS in r.plain],
            "sex_marks": [r.plain for r in rows if "性別が不明（ご本人に確認）" in r.marks_markup],
            "bands": [(r.plain, r.ids.band.width >= 0.9 * r.width,
                       r.ids.band.width > 2 * r.ids.marks.width) for r in banded]}
        self.results["long_index"] = [w.kid for w in ids.index.children[::-1]]
        headings = self.screen.pane.headings
        self.results["long"] = {
            **self.shown(),
            "buttons": {h: [(b.kid, b.role) for b in heading.ids.buttons.children[::-1]]
                        for h, heading in headings.items()},
            "printed": {h: heading.printed_markup for h, heading in headings.items()},
        }
        ids.scroll.scroll_y = 0.8
        await frames(3)
        self.app.screenshot("s01b-card-value-and-band")
        await click(self.kid("index:2"))
        await frames(3)
        top = headings[2].to_window(0, headings[2].top)[1]
        low, high = ids.scroll.to_window(0, ids.scroll.y)[1], ids.scroll.to_window(0, ids.scroll.top)[1]
        self.results["jumped"] = {"scroll_y": ids.scroll.scroll_y,
                                  "heading_in_view": low < top <= high + 1}
        self.app.screenshot("s02-index-jump")
        self.kid("lang").dispatch("on_release")
        await frames(3)
        ids.scroll.scroll_y = 0.8
        await frames(3)
        self.app.screenshot("s03-long-application-english")
        self.results["long_en"] = {
            "card_shown": [r.plain for r in rows if CARD_ADDRESS in r.plain],
            "sex_marks": [r.plain for r in rows if "ask the resident" in r.marks_markup],
            "buttons": [b.text for b in headings[1].ids.buttons.children[::-1]],
        }
        self.kid("lang").dispatch("on_release")
        await frames(2)

    async def after_export(self) -> None:
        await click(self.kid("export:json"))
        await until(self.idle)
        await frames(3)
        exported = self.shown()
        await self.scan(self.slips["short"])
        self.app.screenshot("s04-slip-after-export")
        self.results["after_export"] = {"exported": exported, **self.shown()}

    async def damaged_after_good(self) -> None:
        good = self.slips["long"]
        await self.scan(good)
        before = self.shown()
        await self.scan(good[:40] + "%%" + good[42:])
        self.app.screenshot("s05-damaged-after-good")
        self.results["damaged"] = {"before": before, **self.shown(),
                                   "rows_left": len(self.screen.ids.rows.children)}
        await self.scan("123456789018")
        self.results["card_back"] = {**self.shown(),
                                     "rows_left": len(self.screen.ids.rows.children)}

    async def confirmations(self) -> None:
        await self.scan(self.slips["short"])
        await click(self.kid("status:received"))
        await until(self.idle)
        await click(self.kid("status:completed"))
        asked = {"status": self.screen.view.status,
                 "question": self.kid("confirm:yes").parent.parent.ids.question.text,
                 "popup": self.screen.popup is not None}
        self.app.screenshot("s06-complete-asked")
        await click(self.kid("confirm:no"))
        kept = {"status": self.screen.view.status, "popup": self.screen.popup is not None}
        await click(self.kid("status:completed"))
        await click(self.kid("confirm:yes"))
        await until(lambda: self.idle() and self.screen.view.status == "completed")
        await frames(3)
        self.app.screenshot("s07-completed")
        self.results["confirm"] = {"asked": asked, "kept": kept, "done": self.shown(),
                                   "audited": [e.action for e in self.site.desk_store.audit_trail(
                                       self.screen.view.application_id)]}

    async def scan_while_asked(self) -> None:
        await self.scan(self.slips["long"])
        long_id = self.screen.view.application_id
        await click(self.kid("status:cancelled"))
        asked = self.screen.popup is not None
        self.app.screenshot("s08-cancel-asked")
        await self.scan(self.slips["short"])
        self.app.screenshot("s09-scan-while-asked")
        self.results["scan_while_asked"] = {
            "asked": asked, "popup": self.screen.popup is not None, **self.shown(),
            "long_status": self.site.desk_store.get(long_id).status,
            "text": "cancel" not in shown_text(self.app.root)}


    async def scan_into_sign_in(self) -> dict[str, Any]:
        """Signed out, 職員ID typed by hand, the scanner types a slip into it: the line is taken
        out (the field keeps the ID), refused in words, and neither the ID nor a password."""
        app, ids = self.app, self.app.sign_in_screen.ids
        await click(self.kid("signout"))
        await until(lambda: app.manager.current == "signin" and self.idle())
        await click(ids.staff_id)
        typed_by_hand(CLERK)
        await asyncio.sleep(0.2)  # a person's pause: the scanner's run starts after it
        before, focused = ids.staff_id.text, ids.staff_id.focus
        typed_by_scanner(self.slips["long"])
        await frames(5)
        self.app.screenshot("s10-slip-typed-into-the-sign-in")
        seen = {"focused": focused, "field_before": before, "field": ids.staff_id.text,
                "view": app.manager.current, "message": app.sign_in_screen.message_plain,
                "password": ids.password.text, "signed_in": app.desk.clerk}
        seen["then"] = (await sign_in(app, PASSWORD))["signed_in"]
        return seen

    async def scan_into_other_fields(self) -> None:
        """The clerk clicked into the image path; the scanner types a card's back there: it is
        read as a scan and the field keeps what it had. On the sign-in view, a slip typed into
        the ID field is taken out and used as nothing."""
        ids = self.screen.ids
        await self.scan(self.slips["short"])
        self.results["into_sign_in"] = await self.scan_into_sign_in()
        await click(ids.image_path)
        focused = ids.image_path.focus
        ids.image_path.insert_text("/tmp/slip")  # half a path, typed by hand
        await frames(2)
        await self.scan("123456789018")
        self.app.screenshot("s11-card-back-typed-into-the-path-field")
        self.results["into_path"] = {
            **self.shown(), "focused": focused, "field": ids.image_path.text,
            "rows_left": len(ids.rows.children), "scan_focus": ids.scan.focus}
        await click(ids.image_path)
        await click(self.kid("next"))
        await frames(3)
        self.results["after_leaving"] = {"scan_focus": ids.scan.focus,
                                         "path_focus": ids.image_path.focus}

    async def undo_after_clearing(self) -> None:
        """Issue 15: a field emptied for the next resident gives nothing back on ctrl+z or
        ctrl+r: not the scanned slip, not a line taken out of the sign-in's ID field, not a
        path, not the PIN, not a password."""
        ids = self.screen.ids
        await self.scan(self.slips["short"])
        typed_by_hand("x")  # ctrl+z reaches the field: it takes back what was just typed
        await frames(1)
        with_x = ids.scan.text
        shortcut("z")
        await frames(1)
        seen: dict[str, Any] = {"undo_reaches": [with_x, ids.scan.text]}
        # In this order, so that what one field gives back cannot spoil the next one's check.
        await self.scan(self.slips["long"])
        seen["pin"] = await self._pin_after_a_read()
        await click(ids.image_path)
        typed_by_hand("/home/clerk/slips/resident-a.png")
        await frames(1)
        seen["path_typed"] = ids.image_path.text
        await click(self.kid("next"))
        seen["path_cleared"] = ids.image_path.text
        await click(ids.image_path)
        seen["path"] = await undone(ids.image_path)
        await self.scan(self.slips["long"])
        seen["scan"] = await undone(ids.scan)
        seen["clerk"], seen["password"] = await self._sign_in_undone()
        self.results["undo"] = seen

    async def _sign_in_undone(self) -> tuple[str, str]:
        """The sign-in's ID field after a slip typed into it, and the password field after a
        sign-in, each after the next person's ctrl+z and ctrl+r."""
        app, ids = self.app, self.app.sign_in_screen.ids
        await click(self.kid("signout"))
        await until(lambda: app.manager.current == "signin" and self.idle())
        await click(ids.staff_id)
        typed_by_hand(CLERK)
        await asyncio.sleep(0.2)
        typed_by_scanner(self.slips["short"])  # into the ID field, taken out
        await frames(2)
        await click(ids.staff_id)
        clerk = await undone(ids.staff_id)
        await sign_in(app, PASSWORD)
        await click(self.kid("signout"))
        await until(lambda: app.manager.current == "signin" and self.idle())
        await click(ids.password)
        password = await undone(ids.password)
        await sign_in(app, PASSWORD)
        return clerk, password

    async def _pin_after_a_read(self) -> list[str]:
        """Read the number once (PIN typed on the keyboard), then open the step again. The
        buttons are pressed, not clicked: the card step's button may be scrolled out of view."""
        app = self.app
        pin = app.my_number_screen.ids.pin
        self.kid("mynumber:1").dispatch("on_release")
        await until(lambda: app.manager.current == "mynumber" and pin.focus)
        typed_by_hand("1234")
        await frames(1)
        typed = pin.text
        self.kid("mynumber:go").dispatch("on_release")
        await until(lambda: app.manager.current == "desk" and self.idle())
        self.kid("mynumber:1").dispatch("on_release")
        await until(lambda: app.manager.current == "mynumber" and pin.focus)
        left = await undone(pin)
        self.kid("mynumber:back").dispatch("on_release")
        await until(lambda: app.manager.current == "desk")
        await frames(3)  # the desk takes the focus back to its scan field on entering
        return [typed, left]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    args = parser.parse_args(argv)
    faulthandler.enable()
    site = build_site(args.work, url=lambda name: f"sqlite:///{args.work / name}.sqlite3",
                      shared=True, library=load_library(), fonts=Fonts.for_pdf(), clock=Clock())
    prepare(site)
    slips, tickets = {}, {}
    for name, sub in (("long", long_submission(site)), ("short", site.submission("juminhyo"))):
        receipt, slip = site.kiosk.submit(sub)
        slips[name], tickets[name] = decode_image(rasterise(slip))[0], receipt.ticket
    app = build_desk_app(site.desk, card_reader=Reader, fullscreen=False,
                         export_dir=args.work / "exports", screenshot_dir=args.screens)
    scenes = Scenes(app, site, slips)
    results: dict[str, Any] = {"ok": False, "tickets": tickets}

    async def drive() -> None:
        try:
            await scenes.run()
            results["ok"] = "traces" not in scenes.results
        except Exception:  # reported in the JSON, for the test to show
            results["trace"] = traceback.format_exc()
        finally:
            results.update(scenes.results)
            app.stop()

    run_beside(app, drive())
    for engine in site.engines:
        engine.dispose()
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
