"""The date picker's 「今日」 and bounds, and the question screen's 「手続き 1/2」 line, walked by
touches on the real kiosk window.

    python -m tests.kiosk.ui.date_and_progress_steps --out results.json --screens DIR \
        --locale-dir DIR

Run alone (test_dates_and_progress.py starts it under its own Xvfb) with the shipped
library and one form of its own, DATE_FORM: a move date allowed from a year back to today,
and a birth date with no earliest day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import faulthandler
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms.loader import load_library
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
)
from tests.kiosk.ui.input_steps import overflowing, targets, text_box, window_box, within

NAMES: list[str] = []
DATE_FORM = """\
id: date_check
version: 1
title: {{ja: 日付の確認, ja_kana: ひづけのかくにん, en: Date check}}
category: registration
counter: resident
applicants:
  - {{kind: self, label: {{ja: 本人, en: The person themself}}}}
fields:
  - id: moved_on
    type: date
    label: {{ja: 住み始めた日, en: The day you moved in}}
    required: true
    min: "{year_ago}"
    max: today
  - id: born
    type: date
    label: {{ja: 生年月日, en: Date of birth}}
    required: true
    max: today
"""


def step(name: str) -> Callable[[Journey], Journey]:
    """A journey of this file (driver.journey, remembered for `--only`)."""
    NAMES.append(name)
    return journey(name)


def offered(robot: Any, prefix: str) -> list[str]:
    """What the picker offers at this step: the keys named prefix*, without the prefix."""
    return [w.kid.removeprefix(prefix) for w in targets(robot) if w.kid.startswith(prefix)]


def header(robot: Any) -> dict[str, Any]:
    """The question screen's top line, and whether its text is drawn inside the screen."""
    screen = robot.controller.manager.current_screen
    label = screen.ids.context
    return {"text": label.plain, "inside": within(text_box(label), window_box(screen)),
            "fits_width": label.texture_size[0] <= label.width + 1}


async def to_questions(robot: Any, world: World, menu_kid: str) -> None:
    world.card()
    await robot.tap(menu_kid)
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")


# ---------------------------------------------------------------------------- journeys
@step("dates_bounds_and_today")
async def dates_bounds_and_today(robot: Any, world: World) -> dict[str, Any]:
    """The move date (a year back at most): its eras, years, months and days, then 「今日」;
    the birth date (no earliest day): every era, and 明治's years."""
    await to_questions(robot, world, "menu:date_check")
    shoot(robot, world, "dates-01-move-date")
    move: dict[str, Any] = {"eras": offered(robot, "date:era:"), "today": robot.has("date:today")}
    move["today_label"] = robot.find("date:today").plain if move["today"] else ""
    await robot.tap("date:era:R")
    move["years"] = offered(robot, "date:year:")
    await robot.tap("date:year:7")
    move["months"] = offered(robot, "date:month:")
    await robot.tap("date:month:11")
    move["days"] = offered(robot, "date:day:")
    await robot.tap("date:show:era")
    await robot.tap("chrome:size")
    await robot.frames(3)
    shoot(robot, world, "dates-02-move-date-large")
    move["overflowing_large"] = overflowing(w for w in targets(robot)
                                            if w.kid.startswith("date:"))
    move["header_large"] = header(robot)
    await robot.tap("date:today")
    proc = world.session.procedures[0]
    await robot.until(lambda: "moved_on" in proc.answers, "the move date answered")
    birth: dict[str, Any] = {"eras": offered(robot, "date:era:"),
                             "today": robot.has("date:today")}
    await robot.tap("date:era:M")
    birth["years"] = offered(robot, "date:year:")
    await robot.tap("chrome:size")
    return {"move": move, "birth": birth, "answers": dict(proc.answers),
            "today": world.session.today().isoformat(), "screen": robot.screen}


@step("progress_lone_procedure")
async def progress_lone_procedure(robot: Any, world: World) -> dict[str, Any]:
    await to_questions(robot, world, "menu:juminhyo")
    return {"header": header(robot)}


async def walk_headers(robot: Any, world: World) -> list[dict[str, Any]]:
    """The top line of each question until the second procedure's first one, answering each
    question with its first tile (or 「今日」)."""
    seen: list[dict[str, Any]] = []
    for _ in range(20):
        await robot.wait_screen("question")
        progress = world.session.progress()
        seen.append({**header(robot), "number": progress.number if progress else None})
        if progress is not None and progress.number == 2:
            return seen
        tiles = [w.kid for w in targets(robot) if w.kid.startswith("choice:")]
        if not tiles and not robot.has("date:today"):
            # A name or an address to type: not what this test reads; given directly.
            fill_typed(world.session)
            robot.controller.show()
            await robot.frames(2)
            continue
        tiles = [w.kid for w in targets(robot) if w.kid.startswith("choice:")]
        check(bool(tiles) or robot.has("date:today"),
              f"no tile to answer {seen[-1]['text']!r} with")
        await robot.tap(tiles[0] if tiles else "date:today")
        await robot.frames(2)
    return seen


def fill_typed(session: Any) -> None:
    """Answers the questions shown up to the next one a tile or 「今日」 answers: each group
    gets one person, names, readings and addresses a sample's."""
    samples = {"text": "見本 一郎", "katakana": "ミホン イチロウ", "address": "みほん市北町1-1",
               "date": "1950-01-02"}
    for _ in range(20):
        question = session.question()
        if question is None:
            return
        field = question.state.field
        if field.kind.repeats:
            if session.group_items(question):
                session.finish_group()
            else:
                session.add_group_item()
        elif field.kind.is_date:  # inside its bounds: a birth long ago, else the latest day
            earliest, latest = field.date_bounds(session.today())
            session.answer(samples["date"] if earliest is None else (latest or earliest).isoformat())
        elif field.type in samples:
            session.answer(samples[field.type])
        else:
            return  # a tile: the walk taps it


@step("progress_life_event")
async def progress_life_event(robot: Any, world: World) -> dict[str, Any]:
    """おくやみ with 相続 only: 住民票 and 戸籍 (two procedures), each question's top line, the
    second procedure's in large text and high contrast, and in English."""
    world.card()
    await robot.tap("event:death")
    await robot.wait_screen("screening")
    screening = {"deceased_in_kokuho": False, "inheritance": True}
    while robot.screen == "screening":
        question = world.session.screening_question()
        yes = question is not None and screening.get(question.id, False)
        await robot.tap("screening:yes" if yes else "screening:no")
        await robot.frames(2)
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    procedures = [p.form.id for p in world.session.procedures if not p.shared]
    seen = await walk_headers(robot, world)
    await robot.tap("chrome:size")
    await robot.tap("chrome:contrast")
    await robot.frames(3)
    shoot(robot, world, "dates-03-header-large-contrast")
    large = header(robot)
    await robot.tap("chrome:lang")
    await robot.frames(3)
    shoot(robot, world, "dates-04-header-large-english")
    english = header(robot)
    for kid in ("chrome:lang", "chrome:contrast", "chrome:size"):
        await robot.tap(kid)
    return {"procedures": procedures, "seen": seen, "large": large, "english": english}


@step("progress_shared_questions")
async def progress_shared_questions(robot: Any, world: World) -> dict[str, Any]:
    """引っ越してきた with a card and nothing else: the questions asked once for 転入 and the
    card's address come first, and say so."""
    world.card()
    await robot.tap("event:moving_in")
    await robot.wait_screen("screening")
    while robot.screen == "screening":
        question = world.session.screening_question()
        await robot.tap("screening:yes" if question and question.id == "has_card"
                        else "screening:no")
        await robot.frames(2)
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")
    procedures = [(p.form.id, p.shared) for p in world.session.procedures]
    await robot.tap("chrome:size")
    await robot.frames(3)
    shoot(robot, world, "dates-05-shared-questions-large")
    found = header(robot)
    await robot.tap("chrome:size")
    return {"procedures": procedures, "header": found}


# ---------------------------------------------------------------------------- running
def main(argv: list[str] | None = None) -> int:
    """As driver.main, with DATE_FORM beside the shipped forms."""
    faulthandler.enable()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    parser.add_argument("--locale-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    args.screens.mkdir(parents=True, exist_ok=True)
    port, submitter, clock = SwitchCard(), RecordingSubmitter(), Clock()
    forms = Path(tempfile.mkdtemp(prefix="date-check-"))
    year_ago = clock.now.date() - dt.timedelta(days=365)
    (forms / "date_check.yaml").write_text(DATE_FORM.format(year_ago=year_ago.isoformat()),
                                           encoding="utf-8")
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
