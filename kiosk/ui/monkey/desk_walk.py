"""The clerk's monkey: random clicks on the desk, and between them slips typed as a USB
keyboard-wedge scanner types them (characters to whatever has the keyboard focus, then Enter).

What it types: a new good slip, one already scanned, a damaged slip (characters dropped or
changed), the 12 digits of a card's back, random text. After each typed scan it checks what
the clerk then sees: a new slip shows its own application, and a refused scan leaves no
application on screen (issue 12: never one application under another's scan).
The desk is used with a mouse, so its targets are held to WCAG 2.5.8's 24 px, not 15 mm.
"""

from __future__ import annotations

import string
from typing import Any

from kivy.core.window import Window

from kiosk.desk.wedge import MIN_BURST
from kiosk.monkey_worlds import CARD_BACK, DESK_STAFF, DeskWorld
from kiosk.ui.monkey.checks import Fault
from kiosk.ui.monkey.report import Report
from kiosk.ui.monkey.walk import Guard, Place, Walk
from kiosk.ui.resident.robot import Robot
from kiosk.ui.text_fields import forget_text

POINTER_MIN_PX = 24.0  # WCAG 2.5.8 Target Size (Minimum), for a mouse pointer
ENTER = (13, 40)  # key code, scancode
SCANS = {"new slip": 30, "same slip again": 15, "damaged slip": 20, "card back": 15,
         "random text": 20}


class _Stand:
    """What the robot finger reads of a controller, for the desk: its screen manager."""

    def __init__(self, app: Any) -> None:
        self.manager = app.manager
        self.busy = False


class DeskWalk(Walk):
    side = "desk"
    min_px = POINTER_MIN_PX

    def __init__(self, robot: Robot, report: Report, guard: Guard, world: DeskWorld,
                 app: Any) -> None:
        super().__init__(robot, report, guard)
        self.world, self.app = world, app
        self.expect: tuple[str, str | None] | None = None  # (kind, ticket) of the last scan

    @classmethod
    def for_app(cls, app: Any, report: Report, guard: Guard, world: DeskWorld) -> DeskWalk:
        return cls(Robot(_Stand(app), timeout_s=30.0), report, guard, world, app)  # type: ignore[arg-type]

    def place(self) -> Place:
        return (str(self.app.manager.current), "")

    async def settle(self) -> None:
        await self.robot.until(lambda: not self.app.worker.busy, "the desk's worker")
        await self.robot.frames(2)

    async def step(self) -> str | None:
        self.expect = None
        screen = self.app.desk_screen
        if self.app.manager.current in ("signin", "lock") and self.rng.random() < 0.5:
            return await self.sign_in()
        if self.app.manager.current == "desk" and self.rng.random() < 0.35:
            await self.scan(screen)
            return None
        if self.app.manager.current == "mynumber" and self.rng.random() < 0.5:
            pin = self.app.my_number_screen.ids.pin
            pin.text = ""
            pin.insert_text("".join(self.rng.choice(string.digits) for _ in range(4)))
            self.report.actions["card PIN typed"] += 1
            return None
        from kiosk.ui.monkey.kivy_side import active_layer, scene  # noqa: PLC0415

        targets = scene(active_layer()).targets
        if not targets:
            return None
        target = self.rng.choice(targets)
        self.report.actions[f"click {type(target).__name__}"] += 1
        return await self.touch(target)

    async def sign_in(self) -> str | None:
        """The monkey's own account: its way on from the sign-in and lock views (a touch of the
        button, so the walk's exits see the view lead on)."""
        ids = self.app.manager.current_screen.ids
        if "staff_id" in ids:
            forget_text(ids.staff_id, DESK_STAFF[0])
        forget_text(ids.password, DESK_STAFF[1])
        self.report.actions["signed in"] += 1
        return await self.touch(ids.go)

    async def scan(self, screen: Any) -> None:
        kind = self.rng.choices(list(SCANS), weights=list(SCANS.values()))[0]
        ticket: str | None = None
        if kind == "new slip" or (kind != "random text" and not self.world.slips):
            kind = "new slip"
            ticket, text = self.world.new_slip()
        elif kind == "same slip again":
            ticket, text = self.rng.choice(self.world.slips)
        elif kind == "damaged slip":
            text = self.damage(self.rng.choice(self.world.slips)[1])
        elif kind == "card back":
            text = CARD_BACK
        else:  # another QR code: never fewer characters than a scanner's line (kiosk/desk/wedge.py)
            text = "".join(self.rng.choice(string.printable[:94]) for _ in range(
                self.rng.randint(MIN_BURST, 40)))
        self.report.actions[f"scan: {kind}"] += 1
        self.expect = (kind, ticket)
        for char in text:  # the wedge types into whatever has the keyboard focus
            Window.dispatch("on_textinput", char)
        Window.dispatch("on_key_down", ENTER[0], ENTER[1], None, [])
        Window.dispatch("on_key_up", ENTER[0], ENTER[1])
        self.report.done += 1

    def damage(self, text: str) -> str:
        chars = list(text)
        for _ in range(self.rng.randint(1, 4)):
            at = self.rng.randrange(len(chars))
            if self.rng.random() < 0.5:
                del chars[at]
            else:  # another character: the same one would leave the slip whole
                chars[at] = self.rng.choice([c for c in string.ascii_uppercase + string.digits
                                             if c != chars[at]])
        return "".join(chars)

    def extra_faults(self) -> list[Fault]:
        """After a typed scan: the slip's own application, or none under a refusal."""
        if self.expect is None:
            return []
        kind, ticket = self.expect
        view = self.app.desk_screen.view
        where = "DeskScreen > TextInput[scan]"
        if ticket is not None and (view is None or view.ticket != ticket):
            shown = "nothing" if view is None else "another application"
            return [Fault("scan", "desk", where, f"a {kind} typed by the scanner shows "
                          f"{shown}, not its own application (the scan field had no focus?)")]
        if ticket is None and view is not None:
            return [Fault("scan", "desk", where, f"a refused scan ({kind}) leaves the "
                          "previous application on screen under the error")]
        return []
