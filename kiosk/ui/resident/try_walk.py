"""`kiosk try` without a display: a robot goes through the one form on a virtual screen.

Like the demo's scripted journey (demo_script.py), but for any form: it touches the form on
the menu, types the sample card's PIN, gives each question the sample answer of the form's
default path (kiosk.tryout.sample_path) and sends, saving a screenshot of every screen, so
IT staff on a server without a screen get the screens and the slip of their form. A choice
is touched on its tile; other answers go in as the question's own input hands them over.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kiosk.session.session import Session
from kiosk.ui.headless import run_beside
from kiosk.ui.resident.app import build_kiosk_app

MAX_SCREENS = 200  # a long move-in is about thirty: more is a robot going round in circles
_ITEM = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


class WalkError(RuntimeError):
    """The robot could not go on; the message says where (no answer's value)."""


def walk_form(session: Session, *, form_id: str, answers: Mapping[str, Any], screenshot_dir: Path,
              counters: dict[str, str], languages: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the app and the walk together; the ticket, whether it printed, and the screens."""
    app = build_kiosk_app(session, fullscreen=True, counters=counters, languages=languages)
    out: dict[str, Any] = {"screens": 0}

    async def journey() -> None:
        from kiosk.ui.resident.robot import Robot  # noqa: PLC0415 - imports Kivy, after the app is configured

        while app.controller is None:
            await asyncio.sleep(0.01)
        robot = Robot(app.controller, timeout_s=30.0)
        try:
            await robot.until(lambda: app.controller is not None and app.controller.warmed,
                              "the first screen")
            await _walk(robot, session, form_id, answers, shots=screenshot_dir, out=out)
        except Exception as exc:  # reported to the command; the app stops all the same
            out["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            app.stop()

    run_beside(app, journey())
    return out


async def _walk(robot: Any, session: Session, form_id: str, answers: Mapping[str, Any], *,
                shots: Path, out: dict[str, Any]) -> None:
    async def shot(name: str) -> None:
        out["screens"] += 1
        await robot.frames(2)
        robot.screenshot(shots / f"{out['screens']:02d}-{name}.png")

    await shot("welcome")
    await robot.tap(f"menu:{form_id}")
    await robot.wait_screen("pin")
    await shot("pin")
    for digit in "1234":  # the sample card's PIN
        await robot.tap(f"pin:{digit}")
    await robot.settle()
    seen: list[tuple[str, int]] = []
    while robot.screen == "question":
        question = session.question()
        if question is None or len(seen) >= MAX_SCREENS:
            break
        where = (question.state.path, len(session.procedures[question.procedure].answers))
        if seen.count(where) > 1:
            raise WalkError(f"the question {question.state.path!r} was not taken")
        seen.append(where)
        await shot(f"question-{question.state.path}")
        await _answer(robot, session, question.state.path, question.state.field, answers)
    if robot.screen != "confirm":
        raise WalkError(f"stopped on the screen {robot.screen!r}")
    await shot("confirm")
    await robot.tap("confirm:send")
    await robot.wait_screen("done")
    await shot("done")
    out["ticket"] = session.receipt.ticket if session.receipt else None
    out["printed"] = bool(session.receipt and session.receipt.printed)
    out["touches"] = robot.touches
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")


async def _answer(robot: Any, session: Session, path: str, field: Any,
                  answers: Mapping[str, Any]) -> None:
    controller = robot.controller
    if field.kind.repeats:
        wanted = answers.get(path) or []
        question = session.question()
        have = len(session.group_items(question)) if question is not None else 0
        controller.act(session.add_group_item if have < len(wanted) else session.finish_group)
    else:
        value = _value(answers, path)
        if value is not None and robot.has(f"choice:{value}"):
            await robot.tap(f"choice:{value}")
        else:
            controller.act(session.answer, value)
    await robot.settle()


def _value(answers: Mapping[str, Any], path: str) -> Any:
    """The answer at `path`, an item's (`members[0].name`) included."""
    item = _ITEM.match(path)
    if item is None:
        return answers.get(path)
    items = answers.get(item[1]) or []
    index = int(item[2])
    return items[index].get(item[3]) if index < len(items) else None
