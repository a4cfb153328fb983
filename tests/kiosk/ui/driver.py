"""The UI journeys, run in one process against the real kiosk window (Kivy runs one App
and one window per process), by touches on the real widgets; results as JSON.

    python -m tests.kiosk.ui.driver --out results.json --screens DIR --locale-dir DIR

Run under an X server (DISPLAY set before Kivy is imported): tests/kiosk/ui/conftest.py
starts Xvfb and this script, then the tests assert on the JSON. A journey that fails
records its error and the next one starts from a wiped session.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import io
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.session.identity import Identity
from kiosk.session.ports import CardProblem, CardUnusable
from kiosk.session.session import Session
from kiosk.store.models import audit_events
from kiosk.ui.headless import run_beside
from kiosk.ui.resident.app import build_kiosk_app
from tests.kiosk.session_fixtures import (
    ADMIN,
    CLERK,
    Clock,
    RecordingCard,
    RecordingSubmitter,
    StaffStore,
    make_session,
    staff_store,
)

YOSHI = "\U00020bb7"  # 𠮷, which BIZ UD Gothic lacks
PERSONAL = ("見本", "花子", "みほん市", "1985", "昭和60", "ねんきん", YOSHI, "太郎", "ヨシダ",
            "1000001", "100-0001", "千代田1-1", "1975", "昭和50")


class SwitchCard:
    """The session's card port; each journey puts its own RecordingCard behind it (None: no
    reader answers, as when the reader is unplugged)."""

    def __init__(self) -> None:
        self.card: RecordingCard | None = None

    def tries_left(self) -> int:
        if self.card is None:
            raise CardUnusable(CardProblem.NO_READER)
        return self.card.tries_left()

    def read_identity(self, pin: str) -> Identity:
        if self.card is None:
            raise CardUnusable(CardProblem.NO_READER)
        return self.card.read_identity(pin)


@dataclass
class World:
    port: SwitchCard
    submitter: RecordingSubmitter
    clock: Clock
    session: Session
    shots: Path
    shot_names: list[str] = field(default_factory=list)
    staff: StaffStore | None = None  # the accounts staff sign in with (a real SQLite store)

    def card(self, **kwargs: Any) -> RecordingCard:
        self.port.card = RecordingCard(**kwargs)
        return self.port.card


class Failed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


Journey = Callable[[Any, World], Awaitable[dict[str, Any]]]
JOURNEYS: list[tuple[str, Journey]] = []
ALONE: set[str] = set()  # run only when named with --only (they end the process)


def journey(name: str, *, alone: bool = False) -> Callable[[Journey], Journey]:
    def register(func: Journey) -> Journey:
        JOURNEYS.append((name, func))
        if alone:
            ALONE.add(name)
        return func
    return register


def shoot(robot: Any, world: World, name: str) -> None:
    robot.screenshot(world.shots / f"{name}.png")
    world.shot_names.append(name)


def shown(robot: Any) -> str:
    return "\n".join(robot.texts())


async def to_confirm_with_card(robot: Any, world: World, *, shots: bool = False) -> None:
    """Welcome -> 住民票 -> card -> PIN -> three answers -> confirm."""
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    for digit in "1234":
        await robot.tap(f"pin:{digit}")
    await robot.wait_screen("question")
    for kid in ("choice:self", "choice:household", "choice:pension"):
        await robot.tap(kid)
    await robot.wait_screen("confirm")
    if shots:
        shoot(robot, world, "confirm")


# ---------------------------------------------------------------------------- journeys
@journey("card_juminhyo")
async def card_juminhyo(robot: Any, world: World) -> dict[str, Any]:
    card = world.card(present=False)
    shoot(robot, world, "01-welcome")
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    shoot(robot, world, "02-identify")
    card.present = True  # the resident lays the card on the reader: no touch
    await robot.wait_screen("pin")
    shoot(robot, world, "03-pin")
    await robot.tap_all("pin:1", "pin:2")
    shoot(robot, world, "04-pin-two-digits")
    await robot.tap_all("pin:3", "pin:4")
    await robot.wait_screen("question")
    shoot(robot, world, "05-question-applicant")
    await robot.tap("choice:self")
    shoot(robot, world, "06-question-scope")
    await robot.tap("choice:household")
    shoot(robot, world, "07-question-purpose")
    await robot.tap("choice:pension")
    await robot.wait_screen("confirm")
    shoot(robot, world, "08-confirm")
    text = shown(robot)
    check("見本 花子" in text and "カードから" in text, "confirm shows the name from the card")
    await robot.tap("confirm:send")
    await robot.wait_screen("done")
    shoot(robot, world, "09-done")
    touches = robot.touches
    check("A-001" in shown(robot), "the ticket number is shown")
    (proc,) = world.submitter.submissions[0].procedures
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    return {"touches": touches, "form": proc.form_id, "values": proc.values,
            "flags": proc.flags, "card_calls": card.calls}


@journey("wrong_then_right_pin")
async def wrong_then_right_pin(robot: Any, world: World) -> dict[str, Any]:
    card = world.card()
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    await robot.tap_all("pin:0", "pin:0", "pin:0", "pin:0")
    await robot.wait_screen("pin")
    shoot(robot, world, "10-pin-wrong")
    after_wrong = shown(robot)
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")
    return {"message_shown": "暗証番号がちがいます" in after_wrong,
            "tries_shown": "2回" in after_wrong, "screen": robot.screen,
            "identity": world.session.identity is not None, "card_tries": card.tries}


@journey("last_try_not_risked")
async def last_try_not_risked(robot: Any, world: World) -> dict[str, Any]:
    card = world.card(tries=1)
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("card_problem")
    shoot(robot, world, "11-card-problem-last-try")
    return {"screen": robot.screen, "problem": str(world.session.card_problem),
            "pin_sent": "read_identity" in card.calls,
            "retry_offered": robot.has("problem:retry"),
            "manual_offered": robot.has("problem:manual"), "text": shown(robot)}


@journey("blocked_card_paper_form")
async def blocked_card_paper_form(robot: Any, world: World) -> dict[str, Any]:
    world.card(tries=0)
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("card_problem")
    shoot(robot, world, "12-card-problem-blocked")
    await robot.tap("problem:paper")
    await robot.wait_screen("paper")
    shoot(robot, world, "13-paper")
    return {"screen": robot.screen, "paper_forms": list(world.submitter.paper_forms),
            "text": shown(robot)}


@journey("manual_entry")
async def manual_entry(robot: Any, world: World) -> dict[str, Any]:
    world.port.card = None  # no reader answers
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    await robot.tap("identify:manual")
    await robot.wait_screen("manual")
    shoot(robot, world, "14-manual-name")
    await robot.tap("kana:system")  # a kanji name: the keyboard and its input method
    await robot.type_text("kana:system_field", f"{YOSHI}田 太郎")
    shoot(robot, world, "15-manual-name-typed")
    await robot.tap("ask:next")
    await robot.tap_all("kana:よ", "kana:し", "kana:た", "kana:dakuten", "kana:space",
                        "kana:た", "kana:ろ", "kana:う")
    shoot(robot, world, "16-manual-kana")
    kana_typed = world.session.manual_question()
    await robot.tap("ask:next")
    await robot.tap_all(*(f"num:{d}" for d in "1000001"))
    shoot(robot, world, "17-manual-postal")
    await robot.tap("ask:next")
    address_prefilled = "東京都千代田区千代田" in shown(robot)
    await robot.tap_all("kana:1", "kana:-", "kana:1")
    shoot(robot, world, "18-manual-address")
    await robot.tap("ask:next")
    shoot(robot, world, "19-manual-date-era")
    await robot.tap_all("date:era:S", "date:year:50", "date:month:1")
    shoot(robot, world, "20-manual-date-day")
    await robot.tap("date:day:2")
    await robot.tap("ask:next")
    await robot.tap("choice:male")
    await robot.wait_screen("question")
    await robot.tap_all("choice:self", "choice:household", "choice:pension")
    await robot.wait_screen("confirm")
    shoot(robot, world, "21-confirm-manual")
    yoshi_runs = [w.text for w in robot.shown() if YOSHI in getattr(w, "plain", "")]
    manual_answers = dict(world.session.manual.answers)
    await robot.tap("confirm:send")
    await robot.wait_screen("done")
    (proc,) = world.submitter.submissions[-1].procedures
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    return {"values": proc.values, "flags": proc.flags, "manual": manual_answers,
            "address_prefilled": address_prefilled, "yoshi_markup": yoshi_runs,
            "kana_question_was": kana_typed.state.path if kana_typed else None,
            "left_after_finish": leftovers(robot)}


@journey("mynumber_card_group")
async def mynumber_card_group(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    await robot.tap("menu:mynumber_card_address")
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")
    await robot.tap("choice:self")
    await robot.tap("choice:address")
    shoot(robot, world, "22-multi-choice")
    await robot.tap("ask:next")
    await robot.tap("choice:moved_within")
    # The card holder's own card comes first, its name and birth date from the card:
    # only the rest of that item is asked.
    first_item_question = world.session.question()
    shoot(robot, world, "23-group-card-holder")
    await robot.tap("choice:False")
    await robot.wait_screen("question")
    shoot(robot, world, "24-group-one-item")
    await robot.tap("group:add")
    await robot.tap_all("kana:ま", "kana:た", "kana:dakuten")  # holder_name: まだ
    await robot.tap("ask:next")
    await robot.tap_all("date:era:H", "date:year:5", "date:month:3", "date:day:4")
    await robot.tap("ask:next")
    await robot.tap("choice:False")
    await robot.wait_screen("question")
    shoot(robot, world, "24b-group-two-items")
    await robot.tap("ask:done")
    await robot.wait_screen("confirm")
    shoot(robot, world, "25-confirm-group")
    values = world.session.evaluations()[0].values
    world.submitter.then = ("insurance",)  # as if a second procedure were at another counter
    await robot.tap("confirm:send")
    await robot.wait_screen("done")
    shoot(robot, world, "25b-done-two-counters")
    done_text = shown(robot)
    world.submitter.then = ()
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    return {"cards": values.get("cards"), "changes": values.get("changes"),
            "first_item_question": first_item_question.state.path if first_item_question else None,
            "done": done_text}


@journey("idle_timeout_wipes")
async def idle_timeout_wipes(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    await to_confirm_with_card(robot, world)
    await robot.tap("add:0:submit_to")  # an optional answer typed on the kana keyboard
    await robot.tap_all("kana:ね", "kana:ん", "kana:き", "kana:ん")
    await robot.tap("ask:next")
    await robot.wait_screen("confirm")
    before = leftovers(robot)
    world.clock.advance(75)
    await robot.until(lambda: robot.controller.idle.parent is not None, "the idle warning")
    await robot.frames(2)
    shoot(robot, world, "26-idle-warning")
    warning = shown(robot)
    world.clock.advance(20)
    await robot.wait_screen("welcome")
    await robot.frames(3)
    from kivy.cache import Cache  # noqa: PLC0415 - Kivy is imported by now
    caches = {name: len(Cache._objects.get(name, {}))
              for name in ("textinput.label", "textinput.width")}
    return {"before": before, "after": leftovers(robot), "warning": warning,
            "screen": robot.screen, "caches": caches}


@journey("language_switch")
async def language_switch(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")
    await robot.tap("choice:self")
    await robot.tap("chrome:lang")
    await robot.frames(2)
    shoot(robot, world, "27-question-english")
    english = shown(robot)
    answers = dict(world.session.procedures[0].answers)
    await robot.tap_all("choice:household", "choice:pension")
    await robot.wait_screen("confirm")
    shoot(robot, world, "28-confirm-english")
    confirm = shown(robot)
    await robot.tap("chrome:lang")
    await robot.frames(2)
    back_in_japanese = shown(robot)
    await robot.tap("confirm:send")
    await robot.wait_screen("done")
    (proc,) = world.submitter.submissions[-1].procedures
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    return {"english_question": english, "answers_after_switch": answers,
            "confirm": confirm, "japanese_again": back_in_japanese, "values": proc.values,
            "lang_after_finish": world.session.lang}


@journey("life_event")
async def life_event(robot: Any, world: World) -> dict[str, Any]:
    world.card(present=False)
    await robot.tap("event:moving_in")
    await robot.wait_screen("screening")
    shoot(robot, world, "29-screening")
    first = shown(robot)
    for kid in ("screening:yes", "screening:no", "screening:yes", "screening:no"):
        await robot.tap(kid)
    await robot.wait_screen("identify")
    shoot(robot, world, "30-identify-life-event")
    # The shared questions come first, asked once for every procedure; never filed.
    procedures = [p.form.id for p in world.session.procedures if not p.shared]
    asked_first = [p.form.id for p in world.session.procedures[:1] if p.shared]
    text = shown(robot)
    await robot.tap("chrome:back", count=False)
    return {"first_question": first, "procedures": procedures, "shared_first": asked_first,
            "identify": text}


@journey("staff")
async def staff(robot: Any, world: World) -> dict[str, Any]:
    from kivy.app import App  # noqa: PLC0415
    from kivy.core.window import Window  # noqa: PLC0415

    world.card(present=False)
    app = App.get_running_app()  # the test reaches in; the kiosk itself never does
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    await robot.tap("chrome:staff")
    await robot.wait_screen("staff")
    shoot(robot, world, "31-staff")
    close_blocked = bool(Window.dispatch("on_request_close"))
    escape_swallowed = bool(Window.dispatch("on_keyboard", 27, 41, None, []))
    await robot.frames(3)
    still_running = app is not None and app.root is not None and robot.screen == "staff"
    pad_while_waiting = robot.has("staffpin:1")
    await robot.tap("staff:login")
    await robot.wait_screen("staff_login")
    pad_before_id = robot.has("staffpin:1")
    await type_staff_id(robot, ADMIN[0])
    shoot(robot, world, "31b-staff-login")
    await robot.tap("staff:next")
    shoot(robot, world, "31c-staff-login-pin")
    await robot.tap_all("staffpin:1", "staffpin:1")
    await robot.tap("staff:ok")
    await robot.wait_screen("staff_login")
    wrong = shown(robot)
    await robot.tap_all(*(f"staffpin:{d}" for d in ADMIN[2]))
    await robot.tap("staff:ok")
    await robot.wait_screen("identify")
    staff_mode = world.session.staff_mode
    note = shown(robot)
    await robot.tap("chrome:staff")
    await robot.wait_screen("staff")
    shoot(robot, world, "32-staff-menu")
    may_close = not app._request_close()
    staff_screen = robot.controller._screens["staff"]
    quits: list[bool] = []
    real_quit, staff_screen.quit_kiosk = staff_screen.quit_kiosk, lambda: quits.append(True)
    try:
        await robot.tap("staff:quit")
        shoot(robot, world, "32b-staff-close-asked")
        asked = (shown(robot), list(quits))
        await robot.tap("staff:quit_cancel")
        back_to_menu = robot.has("staff:end") and not quits
        await robot.tap_all("staff:quit", "staff:quit_confirm")
    finally:
        staff_screen.quit_kiosk = real_quit
    await robot.tap("staff:end")
    await robot.wait_screen("welcome")
    return {"close_blocked": close_blocked, "escape_swallowed": escape_swallowed,
            "still_running": still_running, "wrong_pin_text": wrong, "staff_mode": staff_mode,
            "pad_before_id": pad_before_id,
            "note": note, "may_close_in_staff_mode": may_close,
            "staff_mode_after_end": world.session.staff_mode,
            "pad_while_waiting": pad_while_waiting, "close_asked": asked[0],
            "quit_before_confirm": asked[1], "back_to_menu": back_to_menu, "quits": quits}


async def type_staff_id(robot: Any, staff_id: str) -> None:
    """On the staff ID keys, capitals through their shift key."""
    capitals = False
    for char in staff_id:
        if char.isalpha() and char.isupper() != capitals:
            await robot.tap("staffid:shift")
            capitals = not capitals
        await robot.tap(f"staffid:{char}")


@journey("staff_clerk_cannot_close")
async def staff_clerk_cannot_close(robot: Any, world: World) -> dict[str, Any]:
    from kivy.app import App  # noqa: PLC0415

    world.card(present=False)
    app = App.get_running_app()
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    await robot.tap_all("chrome:staff", "staff:login")
    await robot.wait_screen("staff_login")
    await type_staff_id(robot, CLERK[0])
    typed_id = shown(robot)
    await robot.tap("staff:next")
    pin_step = shown(robot)
    await robot.tap_all(*(f"staffpin:{d}" for d in CLERK[2]), "staff:ok")
    await robot.wait_screen("identify")
    who = (world.session.staff_id, world.session.staff_role)
    await robot.tap("chrome:staff")
    await robot.wait_screen("staff")
    staff_screen = robot.controller._screens["staff"]
    quits: list[bool] = []
    real_quit, staff_screen.quit_kiosk = staff_screen.quit_kiosk, lambda: quits.append(True)
    try:
        await robot.tap("staff:quit")
        shoot(robot, world, "32c-staff-close-refused")
        refused = (shown(robot), robot.has("staff:quit_confirm"))
        window_kept = bool(app._request_close())
        await robot.frames(3)  # the menu, drawn again with the same refusal
    finally:
        staff_screen.quit_kiosk = real_quit
    await robot.tap("staff:end")
    await robot.wait_screen("welcome")
    trail = _trail(world, CLERK[0])
    return {"typed_id": typed_id, "pin_step": pin_step, "who": who, "refused": refused[0],
            "confirm_offered": refused[1], "window_kept": window_kept, "quits": quits,
            "trail": trail, "after_end": (world.session.staff_id, world.session.staff_role)}


def _trail(world: World, staff_id: str) -> list[list[str | None]]:
    """The store's audit events under one staff id: action, detail, kiosk."""
    if world.staff is None:
        return []
    events = audit_events.c
    with world.staff.engine.connect() as conn:
        rows = conn.execute(select(events.action, events.detail, events.desk_id)
                            .where(events.clerk_id == staff_id).order_by(events.id)).all()
    return [[row.action, row.detail, row.desk_id] for row in rows]


@journey("print_failure")
async def print_failure(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    world.submitter.printer_works = False
    stored_before = len(world.submitter.submissions)
    await to_confirm_with_card(robot, world)
    await robot.tap("confirm:send")
    await robot.wait_screen("done")
    shoot(robot, world, "33-done-print-failed")
    text = shown(robot)
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    return {"text": text, "stored": len(world.submitter.submissions) - stored_before}


@journey("accessibility")
async def accessibility(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    await robot.tap("chrome:size")
    shoot(robot, world, "34-welcome-large-text")
    size_large = robot.find("menu:juminhyo").font_size
    await robot.tap("chrome:contrast")
    shoot(robot, world, "35-welcome-high-contrast")
    await to_confirm_with_card(robot, world)
    shoot(robot, world, "36-confirm-large-high-contrast")
    bg = list(robot.controller.root.bg_color)
    await robot.tap("chrome:back", count=False)
    await robot.wait_screen("question")
    shoot(robot, world, "37-question-large-high-contrast")
    targets = [min(w.width, w.height) for w in robot.shown()
               if getattr(w, "kid", "") and w.opacity > 0]
    await robot.tap("chrome:staff")
    await robot.wait_screen("staff")
    world.session.finish()
    robot.controller.show()
    await robot.wait_screen("welcome")
    return {"font_size_large": size_large,
            "font_size_after_wipe": robot.find("menu:juminhyo").font_size,
            "background": bg, "smallest_target_px": min(targets),
            "min_target_px": robot.controller.ui.theme.min_target_px}


@journey("yoshi_pixels")
async def yoshi_pixels(robot: Any, world: World) -> dict[str, Any]:
    """𠮷 drawn by the kiosk's own label and markup, compared with the fonts' glyphs."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont  # noqa: PLC0415

    ui = robot.controller.ui
    label = ui.label(YOSHI, role="value", size=(400, 400), size_hint=(None, None))
    label.font_size, label.font_name = 240, ui.theme.regular_font
    label.shape_now()
    label.texture_update()
    texture = label.texture
    image = Image.frombytes("RGBA", texture.size, texture.pixels).getchannel("A")

    def shape(img: Any) -> Any:
        box = img.point(lambda v: 255 if v > 100 else 0).getbbox()
        check(box is not None, "nothing drawn")
        return img.crop(box).resize((64, 64)).point(lambda v: 255 if v > 100 else 0)

    def reference(font_path: str, char: str) -> Any:
        canvas = Image.new("L", (400, 400), 0)
        ImageDraw.Draw(canvas).text((40, 40), char, font=ImageFont.truetype(font_path, 240),
                                    fill=255)
        return shape(canvas)

    def difference(a: Any, b: Any) -> float:
        hist = ImageChops.difference(a, b).histogram()
        return float(hist[255]) / (64 * 64)

    drawn = shape(image)
    noto = ui.glyphs.path_for(YOSHI)
    buffer = io.BytesIO()
    drawn.save(buffer, format="PNG")
    (world.shots / "38-yoshi-drawn.png").write_bytes(buffer.getvalue())
    return {"markup": label.text, "noto": noto,
            "own": difference(drawn, reference(noto, YOSHI)),
            "kichi": difference(drawn, reference(noto, "吉")),
            "box": difference(drawn, reference(ui.theme.regular_font, YOSHI))}


# ---------------------------------------------------------------- dead ends (test_dead_ends)
async def to_question_with_card(robot: Any, world: World) -> None:
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")


@journey("last_try_back")
async def last_try_back(robot: Any, world: World) -> dict[str, Any]:
    card = world.card(tries=2)
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    pin_text = shown(robot)
    shoot(robot, world, "40-pin-names-the-pin")
    await robot.tap_all("pin:1", "pin:1", "pin:1", "pin:1")
    await robot.wait_screen("card_problem")
    await robot.tap("chrome:back", count=False)
    await robot.settle()
    shoot(robot, world, "41-back-from-last-try")
    return {"screen": robot.screen, "pin_pad": robot.has("pin:1"),
            "ways": [kid for kid in ("identify:manual", "identify:paper", "chrome:staff")
                     if robot.has(kid)],
            "pins_sent": card.calls.count("read_identity"), "pin_text": pin_text}


@journey("manual_back")
async def manual_back(robot: Any, world: World) -> dict[str, Any]:
    world.port.card = None
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    await robot.tap("identify:manual")
    await robot.wait_screen("manual")
    await robot.tap("kana:system")
    await robot.type_text("kana:system_field", f"{YOSHI}田 太郎")
    await robot.tap("ask:next")
    await robot.tap_all("kana:よ", "kana:し")
    await robot.tap("ask:next")
    await robot.tap_all(*(f"num:{d}" for d in "1000001"))
    await robot.tap("ask:next")
    await robot.tap("chrome:back", count=False)
    shoot(robot, world, "42-manual-back-postal")
    postal = (robot.screen, shown(robot))
    await robot.tap("chrome:back", count=False)
    await robot.tap("chrome:back", count=False)
    shoot(robot, world, "43-manual-back-name")
    first = (robot.screen, shown(robot))
    return {"postal": postal, "first": first, "answers": dict(world.session.manual.answers)}


@journey("dont_know")
async def dont_know(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    await to_question_with_card(robot, world)
    await robot.tap("choice:self")
    shoot(robot, world, "44-question-dont-know")
    await robot.tap("ask:dont_know")
    await robot.wait_screen("staff")
    shoot(robot, world, "45-staff-waiting")
    waiting = (shown(robot), robot.has("staffpin:1"), robot.has("staff:login"))
    await robot.tap("chrome:back", count=False)
    await robot.wait_screen("question")
    question = world.session.question()
    return {"waiting": waiting, "screen": robot.screen,
            "question": question.state.path if question else None,
            "answers": dict(world.session.procedures[0].answers)}


@journey("error_then_paper")
async def error_then_paper(robot: Any, world: World) -> dict[str, Any]:
    world.port.card = None
    printed_before = len(world.submitter.paper_forms)
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    await robot.tap("identify:manual")
    await robot.wait_screen("manual")
    await robot.tap("kana:system")  # the kanji keyboard: 「次へ」 with nothing typed
    await robot.tap("ask:next")
    shoot(robot, world, "46-required-error")
    error = (shown(robot), robot.has("ask:paper"))
    await robot.type_text("kana:system_field", "山")
    await robot.tap("kana:system_field", count=False)  # the touch that typed it
    after = shown(robot)
    await robot.tap("ask:next")
    await robot.tap("ask:next")  # the reading, left empty
    await robot.tap("ask:paper")
    await robot.wait_screen("paper")
    shoot(robot, world, "47-paper-counter")
    return {"error": error, "after_typing": after, "paper": shown(robot),
            "paper_forms": list(world.submitter.paper_forms[printed_before:]),
            "drawn": world.submitter.paper_tickets[-1:], **ticket_shown(robot)}


@journey("paper_when_the_printer_fails")
async def paper_when_the_printer_fails(robot: Any, world: World) -> dict[str, Any]:
    world.card(tries=0)
    world.submitter.printer_works = False
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("card_problem")
    await robot.tap("problem:paper")
    await robot.wait_screen("paper")
    shoot(robot, world, "48-paper-print-failed")
    return {"paper": shown(robot), "drawn": world.submitter.paper_tickets[-1:],
            **ticket_shown(robot)}


def ticket_shown(robot: Any) -> dict[str, Any]:
    """The ticket number on screen, its size, and the size of the largest other text."""
    ticket, others = ("", 0.0), [0.0]
    for widget in robot.shown():
        text = getattr(widget, "plain", "") or getattr(widget, "text", "")
        if not isinstance(text, str) or not text or widget.opacity == 0:
            continue
        if type(widget).__name__ == "KTicket":
            ticket = (text, float(widget.font_size))
        else:
            others.append(float(getattr(widget, "font_size", 0.0)))
    return {"ticket": ticket, "largest_other": max(others)}


@journey("confirm_fee_and_card")
async def confirm_fee_and_card(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    await to_confirm_with_card(robot, world)
    japanese = shown(robot)
    await robot.tap("chrome:lang")
    await robot.frames(2)
    shoot(robot, world, "48-confirm-fee-english")
    english = shown(robot)
    edit = robot.find("edit:0:applicant").plain
    await robot.tap("chrome:lang")
    await robot.tap("confirm:send")
    await robot.wait_screen("done")
    shoot(robot, world, "49-done-take-card")
    done = shown(robot)
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    return {"japanese": japanese, "english": english, "edit": edit, "done": done}


@journey("shared_question")
async def shared_question(robot: Any, world: World) -> dict[str, Any]:
    """Three procedures that ask 「日中の電話番号」: one offer, with their names."""
    session = world.session
    world.card()
    session.start()
    session.choose_form("tennyu")
    session.procedures += [type(session.procedures[0])(session.library.get(fid))
                           for fid in ("kokuho", "koseki_shomei")]
    session.use_card()
    session.enter_pin("1234")
    session.screen = type(session.screen).CONFIRM
    robot.controller.show()
    await robot.wait_screen("confirm")
    offers = [w for w in robot.shown() if str(getattr(w, "kid", "")).endswith(":applicant_phone")]
    if offers:
        await robot.scroll_into_view(offers[0])
        await robot.frames(2)
    shoot(robot, world, "50-confirm-shared-phone")
    return {"offers": [w.plain for w in offers]}


@journey("staff_login_timeout")
async def staff_login_timeout(robot: Any, world: World) -> dict[str, Any]:
    world.card(present=False)
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    await robot.tap("chrome:staff")
    await robot.wait_screen("staff")
    await robot.tap("staff:login")
    await robot.wait_screen("staff_login")
    looks = (shown(robot), robot.has("pin:box"))
    world.clock.advance(31)
    await robot.wait_screen("welcome")
    return {"looks": looks, "screen": robot.screen, "procedures": len(world.session.procedures)}


@journey("crash_recovers")
async def crash_recovers(robot: Any, world: World) -> dict[str, Any]:
    world.card()
    records = capture_crash_log()
    await to_question_with_card(robot, world)
    await robot.tap("choice:self")
    arm_crash(robot, "question")
    await tap_in_loop(robot, "choice:household")
    await robot.wait_screen("welcome")
    shoot(robot, world, "51-after-crash")
    after = {"screen": robot.screen, "procedures": len(world.session.procedures),
             "identity": world.session.identity is not None, "left": leftovers(robot)}
    await to_confirm_with_card(robot, world)  # the next resident is served
    return {**after, "log": list(records), "next_screen": robot.screen}


@journey("crash_loop", alone=True)
async def crash_loop(robot: Any, world: World) -> dict[str, Any]:
    """Run alone (--only crash_loop): three crashes in a minute end the process with 70."""
    world.card()
    for _ in range(3):
        await to_question_with_card(robot, world)
        arm_crash(robot, "question")
        await tap_in_loop(robot, "choice:self")
        await robot.frames(3)
    return {"still_running": True}


async def tap_in_loop(robot: Any, kid: str) -> None:
    """A touch handled inside Kivy's event loop, as a finger's is (the robot's own taps are
    dispatched from its coroutine, outside the loop's exception handling)."""
    from kivy.clock import Clock  # noqa: PLC0415

    widget = robot.find(kid)
    Clock.schedule_once(lambda _dt: widget.dispatch("on_release"))
    await robot.frames(3)


def capture_crash_log() -> list[str]:
    import logging  # noqa: PLC0415

    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logging.getLogger("kiosk.ui.resident").addHandler(Keep(logging.DEBUG))
    return records


def arm_crash(robot: Any, name: str) -> None:
    """The screen's next refresh fails, as a widget that lost its parent would
    (issue 12: ReferenceError in the kana keyboard); carries a resident's words."""
    screen = robot.controller._screens[name]
    real = screen.refresh

    def broken() -> None:
        screen.refresh = real
        raise ReferenceError("weakly-referenced object 見本 花子 no longer exists")

    screen.refresh = broken


def leftovers(robot: Any) -> list[str]:
    """Personal data still held by any widget, shown or not."""
    texts = robot.texts(everything=True)
    return sorted({datum for datum in PERSONAL for text in texts if datum in text})


# ---------------------------------------------------------------------------- running
async def run_all(app: Any, world: World, results: dict[str, Any], only: list[str]) -> None:
    from kiosk.ui.resident.robot import Robot  # noqa: PLC0415 - imports Kivy: after the app exists

    started = time.monotonic()
    while app.controller is None:
        if time.monotonic() - started > 30:
            raise Failed("the app did not start")
        await asyncio.sleep(0.01)
    robot = Robot(app.controller)
    await robot.frames(5)
    results["start_s"] = time.monotonic() - started
    for name, func in JOURNEYS:
        if (only and name not in only) or (name in ALONE and name not in only):
            continue
        print(f"journey {name}", file=sys.stderr, flush=True)
        robot.touches = 0
        began = time.monotonic()
        try:
            details = await func(robot, world)
            results["journeys"][name] = {"ok": True, **details}
        except Exception as exc:
            results["journeys"][name] = {"ok": False, "error": f"{exc!r}",
                                         "trace": traceback.format_exc(), "screen": robot.screen}
            shoot(robot, world, f"failed-{name}")
        results["journeys"][name]["seconds"] = round(time.monotonic() - began, 2)
        world.submitter.printer_works = True
        world.port.card = None
        world.session.finish()
        app.controller.show()
        await robot.frames(3)
    results["screens"] = world.shot_names
    app.stop()


def main(argv: list[str] | None = None) -> int:
    faulthandler.enable()  # a hang killed with SIGABRT shows where it hung
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    parser.add_argument("--locale-dir", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=[], help="run these journeys only")
    args = parser.parse_args(argv)
    args.screens.mkdir(parents=True, exist_ok=True)
    port, submitter, clock = SwitchCard(), RecordingSubmitter(), Clock()
    folder = tempfile.TemporaryDirectory(prefix="kiosk-ui-staff-")
    staff = staff_store(Path(folder.name), clock)
    session = make_session(port, submitter, clock, staff=staff.check)
    world = World(port, submitter, clock, session, args.screens, staff=staff)
    app = build_kiosk_app(session, fullscreen=True, locale_dir=args.locale_dir)
    results: dict[str, Any] = {"journeys": {}}

    try:
        run_beside(app, run_all(app, world, results, args.only))
    finally:
        staff.close()
        folder.cleanup()
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str),
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    # Run as the package's own module, so that the journeys other files register on it
    # (life_event_steps.py) are in the same list as these.
    import importlib

    importlib.import_module("tests.kiosk.ui.life_event_steps")
    sys.exit(importlib.import_module("tests.kiosk.ui.driver").main())
