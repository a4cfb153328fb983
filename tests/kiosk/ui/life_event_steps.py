"""Life events walked by touch from the menu to the ticket, each with a family of four,
counting what the resident does (issue 13, "Asking once"; figures in bench/README.md).

The journeys register on driver.py's runner and test_journeys.py asserts on their results.
Every answer is given by touching the real widgets; the session is only read, to know which
question is on screen and to count:

- touches: every tap on the screen, and one per character typed on the system keyboard
  (kanji names and addresses); 「おわる」 on the done screen is not counted;
- screens: the views the resident touched something on (the menu, each screening question,
  the PIN pad, each question, each time a group's list shows, the confirm screen), and the
  done screen;
- asked again: a question whose concept the session had already answered. A question of a
  procedure whose field is bound to an answer the event shares always counts (the shared
  questions should have filled it); any other's concept is its Japanese label, the choice
  values it offers (or its type) and, in a group, the item's index. What the resident opens
  again with 「変更」 on the confirm screen is their own change, not counted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from forms import events
from forms.japanese_dates import era_of
from forms.reading import options
from kiosk.session.session import Question, Session
from kiosk.ui.resident import kana
from tests.kiosk.ui.driver import Failed, World, check, journey, shoot, shown, ticket_shown

ITEM = re.compile(r"^(?P<group>\w+)\[(?P<index>\d+)\]\.(?P<child>\w+)$")
PHONE = "0312345678"
HANAKO_KANA = "ミホン ハナコ"


@dataclass(frozen=True)
class Plan:
    """One resident's journey: the event, the screening answers, and every answer by touch."""

    event: str
    screening: tuple[bool, ...]
    shared: dict[str, Any]  # the shared questions, by field id
    members: dict[str, list[dict[str, Any]]]  # a shared group's members, by group id
    own: dict[str, Any]  # each procedure's own questions: "form.path", "form.field" or field id
    add_own: dict[str, int] = field(default_factory=dict)  # "form.group": items added there


HUSBAND = {"name": "見本 太郎", "name_kana": "ミホン タロウ", "birth_date": "1983-06-10",
           "sex": "male", "relationship": "husband", "has_mynumber_card": True,
           "joins_kokuho": False}
MOVING_IN = Plan(
    event="moving_in", screening=(True, True, True, True),
    shared={"applicant": "self", "applicant_phone": PHONE, "move_date": "2026-11-20",
            "new_postal_code": "1000001", "new_address": "みほん市北町一丁目1番1号",
            "head_name": "見本 花子"},
    members={"household": [
        {"name_kana": HANAKO_KANA, "relationship": "head", "has_mynumber_card": True,
         "joins_kokuho": True},
        HUSBAND,
        {"name": "見本 一郎", "name_kana": "ミホン イチロウ", "birth_date": "2015-05-05",
         "sex": "male", "relationship": "child", "has_mynumber_card": False,
         "joins_kokuho": True},
        {"name": "見本 次子", "name_kana": "ミホン ツギコ", "birth_date": "2019-09-09",
         "sex": "female", "relationship": "child", "has_mynumber_card": True,
         "joins_kokuho": True}]},
    own={"moveout_method": "certificate", "household_kind": "new_household",
         "has_foreign_resident": False, "reissue_signature_cert": False, "has_spouse": True,
         "child_relationship": "child", "child_lives_with": True,
         "claimant_insurance": "kokuho", "use_public_account": True, "id_method": "photo_id",
         "previous": "none"})
# おくやみ: 花子 (the card holder, head of the household of four) for her father.
DEATH = Plan(
    event="death", screening=(True, True, True, True),
    shared={"applicant": "mourner", "applicant_phone": PHONE, "death_date": "2026-11-10"},
    members={"deceased": [{"name": "見本 正男", "name_kana": "ミホン マサオ",
                           "birth_date": "1940-02-03", "relationship": "father"}]},
    own={"kokuho.head_name": "見本 花子", "card_returned": True,
         "relationship_to_deceased": "子", "funeral_date": "2026-11-14", "bank_kind": "bank",
         "bank_name": "みほん銀行", "branch_name": "本店", "account_type": "ordinary",
         "account_number": "1234567", "account_holder_kana": HANAKO_KANA,
         "subject_address": "みほん市中央一丁目2番3号", "juminhyo.relationship": "子",
         "scope": "household", "juminhyo.purpose": "inheritance",
         "honseki": "みほん市中央一丁目2番地", "hittosha": "見本 正男", "honseki_here": True,
         "whose": "lineal", "kinds": ["zenbu"], "copies_zenbu": 1,
         "koseki_shomei.purpose": "inheritance"})
# 出生: 花子 and 太郎, 一郎 (their older child, added in 児童手当 only) and the newborn 三郎.
BIRTH = Plan(
    event="birth", screening=(True,),
    shared={"applicant": "self", "applicant_phone": PHONE},
    members={"babies": [{"name": "見本 三郎", "name_kana": "ミホン サブロウ",
                         "birth_date": "2026-11-15", "sex": "male", "relationship": "child"}]},
    own={"applicant_name_kana": HANAKO_KANA, "has_spouse": True, "spouse_name": "見本 太郎",
         "child_relationship": "child", "child_lives_with": True,
         "claimant_insurance": "kokuho", "use_public_account": True,
         "jidou_teate.children[1].child_name": "見本 一郎",
         "jidou_teate.children[1].child_name_kana": "ミホン イチロウ",
         "jidou_teate.children[1].child_birth_date": "2021-05-05"},
    add_own={"jidou_teate.children": 1})


# ---------------------------------------------------------------------------- answering
def answer_for(plan: Plan, session: Session, question: Question) -> Any:
    proc = session.procedures[question.procedure]
    path, name = question.state.path, question.state.field.id
    item = ITEM.match(path)
    if proc.shared:
        if item:
            return plan.members[item["group"]][int(item["index"])][name]
        return plan.shared[name]
    for key in (f"{proc.form.id}.{path}", f"{proc.form.id}.{name}", name):
        if key in plan.own:
            return plan.own[key]
    raise Failed(f"the plan has no answer for {proc.form.id}.{path}")


def presses(question: Question, value: Any) -> list[tuple[str, str]]:
    """The touches that give a value: ("tap", kid), or ("type", text) on the system keyboard
    (after a tap on its key)."""
    found = question.state.field
    kind = found.kind
    if kind.is_choice:
        if kind.multiple:
            return [("tap", f"choice:{v}") for v in value] + [("tap", "ask:next")]
        return [("tap", f"choice:{value}")]
    if kind.keypad:
        return [("tap", f"num:{d}") for d in str(value)] + [("tap", "ask:next")]
    if kind.is_date:
        day = dt.date.fromisoformat(value)
        era = era_of(day)
        check(era is not None, f"no era for {value}")
        assert era is not None
        return [("tap", k) for k in (f"date:era:{era[0].letter}", f"date:year:{era[1]}",
                                     f"date:month:{day.month}", f"date:day:{day.day}",
                                     "ask:next")]
    keys = kana_keys(str(value))
    if keys is None:  # kanji: the system keyboard and its input method
        return [("tap", "kana:system"), ("type", str(value)), ("tap", "ask:next")]
    return [("tap", k) for k in keys] + [("tap", "ask:next")]


BOARD = {c for column in kana.COLUMNS for c in column if c}


def kana_keys(text: str) -> list[str] | None:
    """The kana board's keys for text (゛, ゜ and 小 after their kana); None if it cannot."""
    keys: list[str] = []
    for char in kana.to_hiragana(text):
        if char in " 　":
            keys.append("kana:space")
        elif char in BOARD or char in kana.DIGITS:
            keys.append(f"kana:{char}")
        else:
            made = [(base, fn) for base in BOARD for fn, edit in (
                ("dakuten", kana.add_dakuten), ("handakuten", kana.add_handakuten),
                ("small", kana.toggle_small)) if edit(base) == char]
            if not made:
                return None
            keys += [f"kana:{made[0][0]}", f"kana:{made[0][1]}"]
    return keys


# ---------------------------------------------------------------------------- counting
def concept(session: Session, question: Question) -> tuple[Any, ...] | None:
    """What the question asks, as the session should know it; None: a field bound to an
    answer this session shares (it should never be asked)."""
    proc = session.procedures[question.procedure]
    asked = question.state.field
    first = session.procedures[0]
    if (first.shared and not proc.shared
            and events.resolve(asked, [f.id for f in first.form.fields]) is not None):
        return None
    offered = (tuple(v for v, _ in options(proc.form, asked)) if asked.kind.is_choice
               else asked.type)
    item = ITEM.match(question.state.path)
    return asked.label.ja, offered, int(item["index"]) if item else None


@dataclass
class Tally:
    """What the resident did: touches, the screens touched on, the questions asked again."""

    typed: int = 0
    screens: int = 0
    view: tuple[Any, ...] = ()
    seen: set[tuple[Any, ...]] = field(default_factory=set)
    shown_questions: set[tuple[int, str]] = field(default_factory=set)
    again: list[str] = field(default_factory=list)
    headers: list[dict[str, Any]] = field(default_factory=list)

    def where(self, robot: Any, session: Session) -> tuple[Any, ...]:
        screen = robot.screen
        if screen == "screening":
            screening = session.screening_question()
            return screen, screening.id if screening else None
        if screen == "question":
            question = session.question()
            item = session.group_item
            return (screen, question.procedure if question else None,
                    question.state.path if question else None,
                    (item.group, item.index) if item else None)
        return (screen,)

    async def tap(self, robot: Any, session: Session, kid: str) -> None:
        here = self.where(robot, session)
        if here != self.view:
            self.screens += 1
            self.view = here
        await robot.tap(kid)

    def ask(self, robot: Any, session: Session, question: Question) -> None:
        """A question on screen: asked again?, and what its top line says."""
        key = (question.procedure, question.state.path)
        if key in self.shown_questions or session.editing is not None:
            return
        self.shown_questions.add(key)
        proc = session.procedures[question.procedure]
        idea = concept(session, question)
        if idea is None or idea in self.seen:
            self.again.append(f"{proc.form.id}.{question.state.path}")
        if idea is not None:
            self.seen.add(idea)
        progress = session.progress()
        head = robot.controller.manager.current_screen.ids.context
        self.headers.append({"path": f"{proc.form.id}.{question.state.path}",
                             "text": getattr(head, "plain", ""),
                             "number": progress.number if progress else None,
                             "total": progress.total if progress else None})


# ---------------------------------------------------------------------------- walking
async def answer_questions(robot: Any, world: World, plan: Plan, tally: Tally,
                           shots: dict[str, str]) -> None:
    """Every question until the confirm screen, by touch, as the plan answers it."""
    session = world.session
    for _ in range(300):
        if robot.screen != "question":
            return
        question = session.question()
        check(question is not None, "a question screen without a question")
        assert question is not None
        tally.ask(robot, session, question)
        await shoot_once(robot, world, session, question, shots)
        if question.state.field.kind.repeats:
            await tally.tap(robot, session, group_step(plan, session, question))
            continue
        for action, arg in presses(question, answer_for(plan, session, question)):
            if action == "type":
                await robot.type_text("kana:system_field", arg)
                tally.typed += len(arg)
            else:
                await tally.tap(robot, session, arg)
        check(session.message is None,
              f"{question.state.path}: refused: {session.message!r}")
    raise Failed("the questions never ended")


def group_step(plan: Plan, session: Session, question: Question) -> str:
    """On a group's list: add the next member, or say every one is in."""
    proc = session.procedures[question.procedure]
    have = len(session.group_items(question))
    if proc.shared:
        want = len(plan.members[question.state.path])
    else:
        want = have + plan.add_own.get(f"{proc.form.id}.{question.state.path}", 0) - sum(
            1 for src in proc.item_sources.get(question.state.path, []) if src < 0)
    return "group:add" if have < want else "ask:done"


async def shoot_once(robot: Any, world: World, session: Session, question: Question,
                     shots: dict[str, str]) -> None:
    """The screenshots asked for, each the first time its kind of screen shows."""
    proc = session.procedures[question.procedure]
    item = session.group_item
    if proc.shared and "first" in shots:
        shoot(robot, world, shots.pop("first"))
    elif item is not None and item.index == 1 and proc.shared and "item" in shots:
        shoot(robot, world, shots.pop("item"))


async def walk_event(robot: Any, world: World, plan: Plan,
                     shots: dict[str, str]) -> dict[str, Any]:
    """Menu, screening, card and PIN, every question, the confirm screen, the ticket."""
    session, tally = world.session, Tally()
    world.card()
    await tally.tap(robot, session, f"event:{plan.event}")
    await robot.wait_screen("screening")
    for yes in plan.screening:
        await tally.tap(robot, session, "screening:yes" if yes else "screening:no")
    await robot.wait_screen("pin")
    for digit in "1234":
        await tally.tap(robot, session, f"pin:{digit}")
    await robot.wait_screen("question")
    await answer_questions(robot, world, plan, tally, shots)
    await robot.wait_screen("confirm")
    if "confirm" in shots:
        shoot(robot, world, shots.pop("confirm"))
    confirm = shown(robot)
    for key in [key for key in shots if key.startswith("row ")]:  # a row further down
        await robot.scroll_into_view(robot.find(key.removeprefix("row ")))
        shoot(robot, world, shots.pop(key))
    added = await add_own_items(robot, world, plan, tally, shots)
    await tally.tap(robot, session, "confirm:send")
    await robot.wait_screen("done")
    tally.screens += 1
    done, ticket = shown(robot), ticket_shown(robot)["ticket"][0]
    sent = world.submitter.submissions[-1].procedures
    await robot.tap("done:finish", count=False)
    await robot.wait_screen("welcome")
    return {"touches": robot.touches + tally.typed, "screens": tally.screens,
            "asked_again": len(tally.again), "again": tally.again, "headers": tally.headers,
            "forms": [p.form_id for p in sent], "values": {p.form_id: p.values for p in sent},
            "flags": {p.form_id: p.flags for p in sent}, "confirm": confirm, "done": done,
            "ticket": ticket, "own_rows": added}


async def add_own_items(robot: Any, world: World, plan: Plan, tally: Tally,
                        shots: dict[str, str]) -> dict[str, bool]:
    """Items one procedure holds beside the shared members (the older child in 児童手当),
    added with 「変更」 on that group's row; whether each row was there to touch."""
    found: dict[str, bool] = {}
    for where in plan.add_own:
        form_id, group = where.split(".")
        index = next(i for i, p in enumerate(world.session.procedures) if p.form.id == form_id)
        kid = f"edit:{index}:{group}"
        found[where] = robot.has(kid)
        if not found[where]:
            continue
        await tally.tap(robot, world.session, kid)
        await answer_questions(robot, world, plan, tally, shots)
        await robot.wait_screen("confirm")
    return found


@journey("moving_in_household_4")
async def moving_in_household_4(robot: Any, world: World) -> dict[str, Any]:
    return await walk_event(robot, world, MOVING_IN, {
        "first": "60-shared-first-question", "item": "61-shared-household-item",
        "confirm": "62-confirm-shared-rows", "row edit:0:household": "62b-confirm-household-row"})


@journey("death_household_4")
async def death_household_4(robot: Any, world: World) -> dict[str, Any]:
    return await walk_event(robot, world, DEATH, {"confirm": "63-confirm-death"})


@journey("birth_household_4")
async def birth_household_4(robot: Any, world: World) -> dict[str, Any]:
    return await walk_event(robot, world, BIRTH, {"confirm": "64-confirm-birth"})
