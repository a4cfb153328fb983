"""The bank and branch found by their reading, and the account number's digits, walked by
touches on the real kiosk window.

    python -m tests.kiosk.ui.bank_steps --out results.json --screens DIR --locale-dir DIR

Run alone (test_bank_input.py starts it under its own Xvfb) with the shipped library and one
form of its own, BANK_FORM: a bank, its branch and a 7-digit account number, the account block
of 児童手当 (jidou_teate) without the questions before it. When the shipped 児童手当 asks for its
bank by `type: bank`, it is walked too, its earlier questions answered directly.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms.loader import load_library
from kiosk.session.session import Session
from kiosk.ui.headless import run_beside
from kiosk.ui.resident.app import build_kiosk_app
from tests.kiosk.session_fixtures import Clock, RecordingSubmitter, make_session
from tests.kiosk.ui.driver import (
    Journey,
    SwitchCard,
    World,
    check,
    journey,
    run_all,
    shoot,
    shown,
)
from tests.kiosk.ui.input_steps import overflowing, smallest, targets

NAMES: list[str] = []
BANK_FORM = """\
id: bank_check
version: 1
title: {ja: 振込先の確認, ja_kana: ふりこみさきのかくにん, en: Bank account check}
category: welfare
counter: resident
applicants:
  - {kind: self, label: {ja: 本人, en: The person themself}}
fields:
  - id: bank_code
    type: bank
    label: {ja: 金融機関, ja_kana: きんゆうきかん, en: Bank}
    required: true
  - id: branch_code
    type: bank_branch
    bank: bank_code
    label: {ja: 支店, ja_kana: してん, en: Branch}
    required: true
  - id: account_number
    type: digits
    length: 7
    label: {ja: 口座番号（7けた）, ja_kana: こうざばんごう, en: Account number (7 digits)}
    required: true
"""
# 児童手当's answers before (and after) its account, by field id; the rest by type.
JIDOU_TEATE = {"applicant": "self", "claim_reason": "birth", "has_spouse": False,
               "supports_older_children": False, "claimant_insurance": "kokuho",
               "use_public_account": False, "bank_kind": "bank", "account_type": "ordinary",
               "child_relationship": "child", "child_lives_with": True}
BY_TYPE = {"text": "見本 一郎", "katakana": "ミホン イチロウ", "address": "みほん市北町1-1",
           "phone": "0312345678", "date": "2024-05-05", "digits": "1234567", "yes_no": False}


def step(name: str) -> Callable[[Journey], Journey]:
    """A journey of this file (driver.journey, remembered for `--only`)."""
    NAMES.append(name)
    return journey(name)


# ---------------------------------------------------------------------------- looking
def answer_widget(robot: Any) -> Any:
    return robot.controller.manager.current_screen.input


def picker_facts(robot: Any, what: str) -> dict[str, Any]:
    """The matches listed (their names, as the tiles show them), the one marked as picked,
    the typed reading, and the sizes of the keys and buttons a finger meets."""
    tiles = [w for w in targets(robot) if w.kid.startswith(f"{what}:pick:")]
    widget = answer_widget(robot)
    keys = [w for w in targets(robot) if w.kid.startswith("kana:")]
    return {"listed": [(t.kid.rsplit(":", 1)[1], t.title, t.kana) for t in tiles],
            "selected": [t.kid for t in tiles if t.selected],
            "typed": widget.ids.display.plain, "picked_line": widget.ids.picked.plain,
            "smallest_key": smallest(robot, "kana:"),
            "smallest_tile": smallest(robot, f"{what}:pick:"),
            "keys_overflowing": overflowing(keys),
            "tiles_cut": [t.kid for t in tiles
                          if t.ids.title.texture_size[0] > t.ids.title.width + 1],
            "text": shown(robot)}


def monkey_faults(robot: Any) -> list[str]:
    """What the monkey's checks find on the screen now: clipped text, contrast under 3:1,
    targets under 15 mm (kiosk/ui/monkey/checks.py)."""
    from kiosk.ui.monkey.kivy_side import (  # noqa: PLC0415 - imports Kivy: after the app exists
        Measure,
        active_layer,
        check_scene,
        scene,
        window_color,
    )

    return [fault.line() for fault in check_scene(
        scene(active_layer()), screen=robot.screen, window_color=window_color(),
        min_px=float(robot.controller.ui.theme.min_target_px), measure=Measure())]


def tile_colours(robot: Any, kid: str) -> dict[str, list[float]]:
    """A listed match's title colour against the fill it is drawn on (picked or not)."""
    tile = robot.find(kid)
    ground = tile.sel_bg if tile.selected else tile.bg_color
    return {"fg": list(tile.ids.title.color), "bg": list(ground)}


# ---------------------------------------------------------------------------- answering
def answer_until(session: Session, stop: Callable[[Any], bool]) -> None:
    """Answers each question directly (not what these journeys look at) until one `stop`
    says the resident answers by touch, or the confirm screen."""
    for _ in range(80):
        question = session.question()
        if question is None or stop(question.state.field):
            return
        field = question.state.field
        if field.kind.repeats:
            if session.group_items(question):
                session.finish_group()
            else:
                session.add_group_item()
            continue
        value = JIDOU_TEATE.get(field.id, BY_TYPE.get(field.type))
        if value is None and field.kind.is_choice:
            value = field.choices[0].value if field.choices else None
        session.answer(value)
        check(session.message is None, f"{field.id}: {session.message!r}")
    raise AssertionError("the questions did not end")


def kind_is(*kinds: str) -> Callable[[Any], bool]:
    return lambda field: field.type in kinds


async def show_now(robot: Any) -> None:
    robot.controller.show()
    await robot.frames(3)


async def to_form(robot: Any, world: World, form_id: str) -> None:
    world.card()
    await robot.tap(f"menu:{form_id}")
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")


# ---------------------------------------------------------------------------- journeys
async def walk_account(robot: Any, world: World, form_id: str, prefix: str) -> dict[str, Any]:
    """ミツビシ typed by touch, 三菱ＵＦＪ銀行 picked (large text and contrast switched on and
    off mid-search), マルノ typed and 丸の内 picked, 0012345 typed on the number pad; then
    the rest answered and the confirm screen read."""
    facts: dict[str, Any] = {}
    await to_form(robot, world, form_id)
    answer_until(world.session, kind_is("bank"))
    await show_now(robot)
    shoot(robot, world, f"{prefix}-01-bank-before-typing")
    facts["before"] = picker_facts(robot, "bank")
    await robot.tap_all("kana:み", "kana:つ", "kana:ひ", "kana:dakuten", "kana:し")
    shoot(robot, world, f"{prefix}-02-bank-mitsubishi")
    facts["typed"] = picker_facts(robot, "bank")
    faults = {"normal": monkey_faults(robot)}
    await robot.tap("chrome:size")
    await robot.frames(3)
    shoot(robot, world, f"{prefix}-03-bank-large")
    facts["large"] = picker_facts(robot, "bank")
    faults["large"] = monkey_faults(robot)
    await robot.tap("chrome:contrast")
    await robot.tap("bank:pick:0005")
    await robot.frames(2)
    shoot(robot, world, f"{prefix}-04-bank-picked-large-contrast")
    facts["picked"] = picker_facts(robot, "bank")
    facts["contrast"] = {"picked": tile_colours(robot, "bank:pick:0005"),
                         "other": tile_colours(robot, "bank:pick:0288")}
    faults["large_contrast"] = monkey_faults(robot)
    facts["monkey_faults"] = faults
    await robot.tap("chrome:contrast")
    await robot.tap("chrome:size")
    await robot.tap("ask:next")
    await robot.wait_screen("question")
    facts["branch_before"] = picker_facts(robot, "branch")
    await robot.tap_all("kana:ま", "kana:る", "kana:の")
    shoot(robot, world, f"{prefix}-05-branch-marunouchi")
    facts["branch"] = picker_facts(robot, "branch")
    await robot.tap("branch:pick:002")
    await robot.tap("ask:next")
    await robot.wait_screen("question")
    proc = world.session.procedures[0]
    ids: dict[str, str] = {}
    for f in proc.form.all_fields():  # the first of each type: the account's, not ゆうちょ's
        ids.setdefault(f.type, f.id)
    facts["answers"] = {"bank": proc.answers.get(ids["bank"]),
                        "branch": proc.answers.get(ids["bank_branch"])}
    answer_until(world.session, kind_is("digits"))
    await show_now(robot)
    await robot.tap_all("num:0", "num:0", "num:1")
    shoot(robot, world, f"{prefix}-06-digits-three")
    widget = answer_widget(robot)
    facts["digits_three"] = {"shown": widget.ids.display.plain, "count": widget.ids.suffix.plain}
    await robot.tap_all("num:2", "num:3", "num:4", "num:5")
    facts["digits_all"] = {"shown": widget.ids.display.plain, "count": widget.ids.suffix.plain}
    await robot.tap("ask:next")
    answer_until(world.session, lambda _field: False)
    await show_now(robot)
    await robot.wait_screen("confirm")
    rows = [w for w in robot.shown() if "三菱ＵＦＪ銀行" in str(getattr(w, "plain", ""))]
    if rows:  # the account's rows, scrolled to for the screenshot
        await robot.scroll_into_view(rows[0])
    shoot(robot, world, f"{prefix}-07-confirm")
    facts["confirm"] = shown(robot)
    facts["values"] = world.session.evaluations()[0].values
    facts["account_number"] = facts["values"].get(ids["digits"])
    return facts


@step("bank_account_by_touch")
async def bank_account_by_touch(robot: Any, world: World) -> dict[str, Any]:
    return await walk_account(robot, world, "bank_check", "bank")


@step("bank_jidou_teate")
async def bank_jidou_teate(robot: Any, world: World) -> dict[str, Any]:
    """The same on 児童手当, once it asks for its bank by `type: bank`."""
    form = world.session.library.get("jidou_teate")
    if not any(f.type == "bank" for f in form.all_fields()):
        return {"asks_bank": False}
    return {"asks_bank": True, **await walk_account(robot, world, "jidou_teate", "jidou")}


@step("bank_not_found_and_back")
async def bank_not_found_and_back(robot: Any, world: World) -> dict[str, Any]:
    """A reading no bank has: a plain message and a way on; then the bank picked, the branch
    screen left with もどる: the bank shows as picked, first in the list."""
    await to_form(robot, world, "bank_check")
    await robot.tap("chrome:lang")
    await robot.tap_all("kana:を", "kana:を", "kana:を")
    nothing_en = picker_facts(robot, "bank")
    await robot.tap("chrome:lang")  # back to Japanese mid-search: what was typed stays
    shoot(robot, world, "bank-08-not-found")
    nothing = picker_facts(robot, "bank")
    await robot.tap("kana:clear")
    await robot.tap_all("kana:ゆ", "kana:う", "kana:ち")
    await robot.tap("bank:pick:9900")
    await robot.tap("ask:next")
    await robot.wait_screen("question")
    await robot.tap("chrome:back", count=False)
    await robot.wait_screen("question")
    shoot(robot, world, "bank-09-back-to-the-bank")
    back = picker_facts(robot, "bank")
    return {"nothing": nothing, "nothing_en": nothing_en, "back": back,
            "value_after_back": answer_widget(robot).value()}


# ---------------------------------------------------------------------------- running
def main(argv: list[str] | None = None) -> int:
    """As driver.main, with BANK_FORM beside the shipped forms."""
    faulthandler.enable()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    parser.add_argument("--locale-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    args.screens.mkdir(parents=True, exist_ok=True)
    port, submitter, clock = SwitchCard(), RecordingSubmitter(), Clock()
    forms = Path(tempfile.mkdtemp(prefix="bank-check-"))
    (forms / "bank_check.yaml").write_text(BANK_FORM, encoding="utf-8")
    session = make_session(port, submitter, clock, library=load_library([forms]))
    world = World(port, submitter, clock, session, args.screens)
    app = build_kiosk_app(session, fullscreen=True, locale_dir=args.locale_dir)
    results: dict[str, Any] = {"journeys": {}}

    run_beside(app, run_all(app, world, results, NAMES))
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str),
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
