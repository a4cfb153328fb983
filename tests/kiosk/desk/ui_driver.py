"""The clerk's screen, driven in one process under Xvfb (Kivy runs one window per process):

    python -m tests.kiosk.desk.ui_driver --work DIR --out results.json --screens DIR [--people]

A real kiosk (SQLite, file printer, real keys) stores and prints a slip; the desk opens signed
out, on its sign-in view, where a wrong password is refused and the right one shows the desk
(clicks and typing through the window). The desk screen gets its text the way a USB scanner
types it (characters into the focused scan field, then Enter),
shows the application, prints the forms (one with the number from a recording card port),
changes the status, is shown the same slip again and a My Number card's code, and is cleared
for the next resident. What the screen showed is written as JSON for tests/kiosk/desk/test_ui.py;
screenshots go to --screens for eyes.

With --people the journey is the idle lock's instead (tests/kiosk/desk/test_ui_people.py): the
desk locks itself after 2 s untouched with an application on screen, the lock view takes the
password, and the sign-out goes back to the sign-in view.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from forms.loader import load_library
from kiosk.store.models import audit_events
from kiosk.ui.desk.app import build_desk_app
from kiosk.ui.headless import run_beside
from printouts.layout import Fonts
from tests.kiosk.desk.world import CLERK, MY_NUMBER, Site, build_site, decode_image, rasterise
from tests.kiosk.store.conftest import Clock
from tests.printouts.documents_helpers import text_of as pdf_text

PERSONAL = ("見本", "花子", "みほん市中央", "昭和60", "田 髙橋", "090-1234")
PASSWORD = "clerk-007 password"  # the test account's
ENTER = (13, 40)  # key code, scancode
IDLE_LOCK_S = 2  # the --people journey's [desk] idle_lock_min, in seconds


class Reader:
    def __init__(self) -> None:
        self.pins: list[int] = []

    def read_my_number(self, pin: str, *, allow_last_try: bool = False) -> str:
        self.pins.append(len(pin))  # the length only: a PIN is never kept
        return MY_NUMBER


def widgets(root: Any) -> list[Any]:
    """Every widget under `root`, and in any popup open over it (popups hang off the window)."""
    from kivy.core.window import Window  # noqa: PLC0415 - after the app has configured Kivy

    found = list(root.walk(restrict=False))
    for layer in Window.children:
        if layer is not root and layer not in found:
            found.extend(layer.walk(restrict=False))
    return found


def by_kid(root: Any, kid: str) -> Any:
    found = [w for w in widgets(root) if getattr(w, "kid", None) == kid]
    if len(found) != 1:
        raise AssertionError(f"{len(found)} widgets with kid {kid}")
    return found[0]


def shown_text(root: Any) -> str:
    """What the rows and messages show, as plain text."""
    parts = [getattr(w, "plain", "") for w in widgets(root)]
    parts += [getattr(w, "message_plain", "") for w in widgets(root)]
    parts += [getattr(w, "text", "") for w in widgets(root) if type(w).__name__ == "DText"]
    return "\n".join(p for p in parts if p)


def every_text(app: Any) -> str:
    """Every text any widget of the desk holds: each screen's, shown or not (a screen not
    current is out of the window's tree), the popups', and the rows kept for reuse."""
    from kivy.core.window import Window  # noqa: PLC0415 - after the app has configured Kivy

    found: list[Any] = []
    for top in [*app.manager.screens, *Window.children, *app.desk_screen.pane.pool.free()]:
        found.extend(top.walk(restrict=False))
    names = ("text", "plain", "message_plain", "hint_text", "label_markup", "value_markup",
             "marks_markup", "band_markup", "text_markup", "title_markup", "info_markup")
    return "\n".join(str(v) for w in found for n in names if (v := getattr(w, n, "")))


def words(app: Any) -> dict[str, str]:
    """The desk's own texts (not the application's): title, labels, buttons, the message."""
    ids = app.desk_screen.ids
    shown = {key: ids[key].text for key in (
        "app_title", "person", "sign_out", "lang", "scan_label", "image_button", "status_heading",
        "other_heading", "received", "completed", "cancelled", "reprint", "export_json",
        "export_csv", "next_resident")}
    return {**shown, "message": app.desk_screen.message_plain}


async def until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the screen")
        await asyncio.sleep(0.02)


async def frames(n: int = 3) -> None:
    for _ in range(n):
        await asyncio.sleep(1 / 30)


async def click(widget: Any) -> None:
    """A mouse click at the widget's centre, through the window (focus handling included)."""
    from kivy.tests.common import UnitTestTouch  # noqa: PLC0415 - Kivy's own test touch

    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    await frames(1)
    touch.touch_up()
    await frames(2)


def typed_by_scanner(text: str) -> None:
    """The wedge: key events to whatever holds the keyboard focus, then Enter."""
    from kivy.core.window import Window  # noqa: PLC0415 - after the app has configured Kivy

    for char in text:
        Window.dispatch("on_textinput", char)
    Window.dispatch("on_key_down", ENTER[0], ENTER[1], None, [])
    Window.dispatch("on_key_up", ENTER[0], ENTER[1])


def typed_by_hand(text: str) -> None:
    from kivy.core.window import Window  # noqa: PLC0415 - after the app has configured Kivy

    for char in text:
        Window.dispatch("on_textinput", char)


async def sign_in(app: Any, password: str, staff_id: str = CLERK) -> dict[str, Any]:
    """Click into 職員ID and パスワード, type, click サインイン: what the person then sees."""
    screen = app.sign_in_screen
    await until(lambda: app.manager.current == "signin")
    await click(screen.ids.staff_id)
    if screen.ids.staff_id.text != staff_id:
        typed_by_hand(staff_id)
    await click(screen.ids.password)
    typed_by_hand(password)
    await frames(1)
    masked = screen.ids.password.password
    await click(by_kid(app.root, "signin:go"))
    await until(lambda: not app.worker.busy and (app.manager.current == "desk"
                                                 or screen.message_bg[0] > 0.97))
    await frames(2)
    return {"view": app.manager.current, "message": screen.message_plain, "masked": masked,
            "password_left": screen.ids.password.text, "signed_in": app.desk.clerk}


def prepare(site: Site) -> None:
    """The desk opens signed out; CLERK has an account (a supervisor: every desk action)."""
    site.desk.sign_out()
    site.desk_store.add_staff(CLERK, "supervisor", PASSWORD, by="tests")


async def journey(app: Any, site: Any, slip_text: str, reader: Reader, results: dict[str, Any]
                  ) -> None:
    await until(lambda: app.desk_screen is not None)
    await frames(10)
    screen = app.desk_screen
    root = app.root

    def idle() -> bool:
        return not app.worker.busy

    results["opened_on"] = app.manager.current
    sign_in_screen = app.sign_in_screen.ids
    results["sign_in_words"] = {key: sign_in_screen[key].text for key in (
        "heading", "staff_id_label", "password_label", "go", "lang")}
    app.screenshot("00-sign-in")
    results["wrong_password"] = await sign_in(app, "not the password")
    app.screenshot("00b-sign-in-refused")
    results["right_password"] = await sign_in(app, PASSWORD)
    await frames(5)
    app.screenshot("01-ready")
    results["focus_on_scan"] = bool(screen.ids.scan.focus)
    results["words_ja"] = words(app)

    # The scanner types the code and presses Enter.
    scan = screen.ids.scan
    scan.focus = True
    for char in slip_text:
        scan.insert_text(char)
    scan.dispatch("on_text_validate")
    await until(lambda: screen.view is not None and idle())
    await frames()
    app.screenshot("02-application")
    screen.ids.scroll.scroll_y = 0.25  # the second procedure: a group and the card step
    await frames()
    app.screenshot("02b-application-group")
    screen.ids.scroll.scroll_y = 1
    text = shown_text(root)
    results["after_scan"] = {
        "ticket": screen.view.ticket, "scan_field_empty": scan.text == "",
        "names": all(s in text for s in ("見本 花子", "昭和60年6月15日", "見本 三郎")),
        "rare_name_markup": "[font=" in "".join(w.text for w in widgets(root)
                                               if type(w).__name__ == "DText"),
        "attention_rows": sum(1 for w in widgets(root) if getattr(w, "attention", False)),
        "message": screen.message_plain,
        "buttons": {kid: not by_kid(root, kid).disabled for kid in (
            "status:received", "status:completed", "status:cancelled", "print:0", "print:1",
            "mynumber:1", "reprint")},
    }

    by_kid(root, "print:0").dispatch("on_release")
    await until(lambda: idle() and "印刷しました" in screen.message_plain)
    results["printed_form"] = screen.message_plain

    by_kid(root, "mynumber:1").dispatch("on_release")
    await until(lambda: app.manager.current == "mynumber")
    await frames()
    app.screenshot("03-my-number")
    step_ids = app.my_number_screen.ids
    results["my_number_words"] = {key: step_ids[key].text for key in (
        "heading", "steps", "pin_label", "last_try_label", "go", "back")}
    pin = app.my_number_screen.ids.pin
    for char in "1234":
        pin.insert_text(char)
    by_kid(root, "mynumber:go").dispatch("on_release")
    await until(lambda: app.manager.current == "desk" and idle())
    await frames()
    results["my_number"] = {
        "pin_lengths": reader.pins, "message": screen.message_plain,
        "pin_field_empty": pin.text == "",
        "on_screen": MY_NUMBER in shown_text(root),
        "in_printed_form": MY_NUMBER in "".join(
            pdf_text(w.path).split()) if (w := site.desk_sink.output[-1]) else False,
    }
    app.screenshot("04-printed-with-number")

    by_kid(root, "status:received").dispatch("on_release")
    await until(idle)
    await frames()
    by_kid(root, "status:completed").dispatch("on_release")  # asked first: it cannot be undone
    await frames()
    by_kid(root, "confirm:yes").dispatch("on_release")
    await until(lambda: idle() and screen.view.status == "completed")
    await frames()
    results["completed"] = {"status": screen.view.status, "message": screen.message_plain,
                            "buttons": [not by_kid(root, k).disabled for k in (
                                "status:received", "status:completed", "status:cancelled")]}

    scan.focus = True
    for char in slip_text.lower():  # Caps Lock on, this time
        scan.insert_text(char)
    scan.dispatch("on_text_validate")
    await until(lambda: idle() and screen.view is not None)
    await frames()
    app.screenshot("05-scanned-again")
    results["rescan"] = screen.message_plain

    for char in MY_NUMBER:
        scan.insert_text(char)
    scan.dispatch("on_text_validate")
    await until(lambda: idle() and screen.message_bg[0] > 0.97)  # the error's red
    await frames()
    app.screenshot("06-card-refused")
    results["card_refused"] = {"message": screen.message_plain,
                               "number_shown": MY_NUMBER in shown_text(root),
                               "still_showing": screen.view is not None}

    by_kid(root, "lang").dispatch("on_release")
    await frames()
    results["words_en"] = words(app)
    results["english_message"] = screen.message_plain  # the refusal, said again in English
    for char in slip_text:  # the slip again, to read its application in English
        scan.insert_text(char)
    scan.dispatch("on_text_validate")
    await until(lambda: idle() and screen.view is not None)
    await frames()
    app.screenshot("07-english")
    results["english"] = "Date of birth of the head of household" in shown_text(root)
    by_kid(root, "lang").dispatch("on_release")

    by_kid(root, "next").dispatch("on_release")
    await frames()
    app.screenshot("08-cleared")
    left = shown_text(root)
    results["cleared"] = {"personal_left": [p for p in PERSONAL if p in left],
                          "view": screen.view is None}


async def people_journey(app: Any, site: Site, slip_text: str, results: dict[str, Any]) -> None:
    """Signed in, a slip on screen, then nothing touched: the lock, the unlock, the sign-out."""
    await until(lambda: app.desk_screen is not None)
    await frames(10)
    screen = app.desk_screen
    results["signed_in"] = await sign_in(app, PASSWORD)
    typed_by_scanner(slip_text)
    await until(lambda: screen.view is not None and not app.worker.busy)
    await frames(3)
    app.screenshot("p01-signed-in")
    loop = asyncio.get_running_loop()
    shown_at = loop.time()
    results["before"] = {"name_held": "見本 花子" in every_text(app),
                         "person": screen.ids.person.text, "sign_out": screen.ids.sign_out.text}
    typed_by_hand("half a path")  # into the scan field, left there when the clerk walks away
    await until(lambda: app.manager.current == "lock", timeout=IDLE_LOCK_S + 5)
    locked_after = loop.time() - shown_at
    await frames(3)
    app.screenshot("p02-locked")
    left = every_text(app)
    lock_ids = app.lock_screen.ids
    results["locked"] = {
        "after_s": locked_after, "personal_left": [p for p in PERSONAL if p in left],
        "ticket_left": screen.view is not None or "A-001" in left,
        "rows": len(screen.ids.rows.children), "desk_locked": app.desk.locked,
        "desk_current": app.desk.current is not None,
        "scan": screen.ids.scan.text, "image_path": screen.ids.image_path.text,
        "words": {k: lock_ids[k].text for k in ("heading", "person", "go", "sign_out")}}
    await click(lock_ids.password)
    typed_by_hand("not the password")
    await click(by_kid(app.root, "lock:unlock"))
    await until(lambda: not app.worker.busy and app.lock_screen.message_bg[0] > 0.97)
    results["unlock_refused"] = {"view": app.manager.current,
                                 "message": app.lock_screen.message_plain,
                                 "password_left": lock_ids.password.text}
    app.screenshot("p03-unlock-refused")
    await click(lock_ids.password)
    typed_by_hand(PASSWORD)
    await click(by_kid(app.root, "lock:unlock"))
    await until(lambda: not app.worker.busy and app.manager.current == "desk")
    await frames(3)
    app.screenshot("p04-unlocked")
    results["unlocked"] = {"ticket": screen.view.ticket if screen.view else None,
                           "name_shown": "見本 花子" in shown_text(app.root),
                           "message": screen.message_plain}
    await click(by_kid(app.root, "signout"))
    await until(lambda: app.manager.current == "signin" and not app.worker.busy)
    await frames(3)
    app.screenshot("p05-signed-out")
    left = every_text(app)
    results["signed_out"] = {
        "view": app.manager.current, "clerk": app.desk.clerk,
        "personal_left": [p for p in PERSONAL if p in left], "ticket_left": "A-001" in left,
        "audited": audited(site)}


def audited(site: Site) -> list[str]:
    """The actions of the desk's audit events about people (no application), in order."""
    events = audit_events.c
    with site.engines[-1].connect() as conn:  # the desk's store is built last
        return list(conn.execute(select(events.action).where(
            events.application_id.is_(None)).order_by(events.id)).scalars())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    parser.add_argument("--people", action="store_true", help="the idle lock's journey")
    args = parser.parse_args(argv)
    faulthandler.enable()
    clock = Clock()
    library = load_library()
    fonts = Fonts.for_pdf()
    # Kiosk and desk on one database: the 住民票 counter's code opens the whole application
    # at a desk serving every counter (the slip has a code for each counter).
    site = build_site(args.work, url=lambda name: f"sqlite:///{args.work / name}.sqlite3",
                      shared=True, library=library, fonts=fonts, clock=clock)
    prepare(site)
    _, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    slip_text = decode_image(rasterise(slip))[0]
    reader = Reader()
    app = build_desk_app(site.desk, card_reader=lambda: reader, fullscreen=False,
                         export_dir=args.work / "exports", screenshot_dir=args.screens,
                         idle_lock_s=IDLE_LOCK_S if args.people else 300)
    results: dict[str, Any] = {"ok": False}

    async def drive() -> None:
        try:
            if args.people:
                await people_journey(app, site, slip_text, results)
            else:
                await journey(app, site, slip_text, reader, results)
            results["ok"] = True
        except Exception:  # reported in the JSON, for the test to show
            results["trace"] = traceback.format_exc()
        finally:
            app.stop()

    run_beside(app, drive())
    for engine in site.engines:
        engine.dispose()
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
