"""The resident's monkey: random touches on the kiosk, weighted so that it gets somewhere.

Most steps touch one visible, enabled target: the screen's main button more often than a
key, もどる now and then, the top bar's language, 文字を大きく and 白黒反転 a few times in a
hundred. On the PIN pad it types the card's PIN half the time (else it would only ever block
cards); on a bank or branch question it picks from the list of matches a third of the time;
it types text into the system keyboard's field when one shows; it lays the card on the reader
when the identify screen waits for one; about once in a hundred steps it lets the idle
warning or the idle timeout come. It never touches 「端末を終了する」 (closing the kiosk
is the staff menu's purpose, not a fault).
"""

from __future__ import annotations

import time
from typing import Any

from kivy.uix.textinput import TextInput

from kiosk.monkey_worlds import IDLE_TIMEOUT_S, PIN, KioskWorld
from kiosk.session.session import IDLE_WARNING_S, STAFF_IDLE_FACTOR
from kiosk.ui.monkey.kivy_side import Scene, active_layer, scene
from kiosk.ui.monkey.report import Report
from kiosk.ui.monkey.walk import Guard, Place, Walk
from kiosk.ui.resident.robot import Robot

TOP_BAR = {"chrome:size": 3, "chrome:contrast": 3, "chrome:lang": 3, "chrome:staff": 1}
NEVER = {"staff:quit"}
TYPED = ("𠮷田 太郎", "Smith John", "山田花子", "ｱｲｳ", "1-2-3", "  ", "髙橋", "O'Brien-Ñúñez",
         "あいうえおかきくけこさしすせそ" * 3)


class KioskWalk(Walk):
    side = "kiosk"

    def __init__(self, robot: Robot, report: Report, guard: Guard, world: KioskWorld) -> None:
        super().__init__(robot, report, guard)
        self.world = world
        self.controller = robot.controller
        self.min_px = float(self.controller.ui.theme.min_target_px)
        self.generation = world.session.generation
        world.card.roll()

    def place(self) -> Place:
        layer = active_layer()
        title = str(getattr(self.controller.top.ids.title, "plain", ""))
        return (self.robot.screen, title if layer is self.controller.root
                else f"{title} | {type(layer).__name__}")

    def way_on(self, found: Scene) -> list[Any]:
        return [t for t in found.targets if getattr(t, "kid", "") not in TOP_BAR]

    async def settle(self) -> None:
        await self.robot.frames(2)  # the walk outwaits a read or a print (Walk.busy)

    def busy(self) -> bool:
        return bool(self.controller.busy or self.controller.progress.parent is not None)

    def settled(self) -> None:
        if self.world.session.generation != self.generation:
            self.generation = self.world.session.generation
            self.world.card.roll()  # the next resident, the next card

    async def step(self) -> str | None:
        rng, screen = self.rng, self.robot.screen
        found = scene(active_layer())
        targets = [t for t in found.targets if getattr(t, "kid", "") not in NEVER]
        if rng.random() < 0.01:
            await self.idle()
            return None
        if screen == "identify" and not self.world.card.present and rng.random() < 0.2:
            self.report.actions["card laid on the reader"] += 1
            self.world.card.present = True
            await self.robot.frames(2)
            return None
        fields = [f for f in found.fields if isinstance(f, TextInput)]
        if fields and rng.random() < 0.3:
            return await self.type_text(rng.choice(fields))
        if screen == "pin" and rng.random() < 0.5 and self.world.card.present:
            return await self.type_pin(targets)
        if not targets:
            await self.robot.frames(2)
            return None
        target = self.listed(targets) or self.pick(targets)
        self.report.actions[self.kind(target)] += 1
        return await self.touch(target)

    def pick(self, targets: list[Any]) -> Any:
        """The top bar a few times in a hundred; the main button and もどる more than a key."""
        rng = self.rng
        top = [t for t in targets if getattr(t, "kid", "") in TOP_BAR]
        if top and rng.random() < 0.10:
            return rng.choices(top, weights=[TOP_BAR[t.kid] for t in top])[0]
        rest = [t for t in targets if getattr(t, "kid", "") not in TOP_BAR] or targets
        primary = self.controller.bottom.ids.primary
        # A keyboard has 60 keys: the main button keeps a quarter of the touches anyway.
        main, back = max(6.0, len(rest) / 3), max(2.0, len(rest) / 12)
        weights = [main if t is primary else back if getattr(t, "kid", "") == "chrome:back"
                   else 1.0 for t in rest]
        return rng.choices(rest, weights=weights)[0]

    def listed(self, targets: list[Any]) -> Any:
        """A bank or branch from the list of matches, a third of the time one shows: among
        50 kana keys a random touch seldom lands on one, and only a pick answers."""
        picks = [t for t in targets if ":pick:" in str(getattr(t, "kid", ""))]
        return self.rng.choice(picks) if picks and self.rng.random() < 0.3 else None

    def kind(self, target: Any) -> str:
        kid = str(getattr(target, "kid", "") or type(target).__name__)
        return kid if kid.startswith("chrome:") else kid.split(":", maxsplit=1)[0]

    async def type_pin(self, targets: list[Any]) -> str | None:
        keys = {getattr(t, "kid", ""): t for t in targets}
        self.report.actions["the card's PIN"] += 1
        for digit in PIN:
            key = keys.get(f"pin:{digit}")
            if key is None or self.robot.screen != "pin":
                return None
            await self.touch(key)
            await self.robot.frames(2)
            if self.busy():
                break  # the card checks the PIN: the walk waits for its answer
        return None  # the PIN's way on is the card's answer, not a target

    async def type_text(self, field: Any) -> str:
        """As the system keyboard or its input method types into the field."""
        self.report.actions["typed (system keyboard)"] += 1
        field.focus = True
        field.insert_text(self.rng.choice(TYPED))
        self.report.done += 1
        await self.robot.frames(2)
        return f"typed:{getattr(field, 'kid', '')}"

    async def idle(self) -> None:
        """Let the idle warning (or, the next time, the timeout) come, then one tick."""
        session = self.world.session
        wipe = self.rng.random() < 0.5
        self.report.actions["idle timeout" if wipe else "idle warning"] += 1
        limit = IDLE_TIMEOUT_S * (STAFF_IDLE_FACTOR if session.staff_mode else 1)
        self.world.clock.advance(limit + 1 if wipe else limit - IDLE_WARNING_S + 5)
        generation, deadline = session.generation, time.monotonic() + 2.5
        while time.monotonic() < deadline and not (
                session.idle_warning or session.generation != generation):
            await self.robot.frames(1)  # the controller ticks once a second
        await self.robot.frames(2)
