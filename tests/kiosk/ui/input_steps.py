"""The answer widgets walked as residents walk them, on the real kiosk window, by touches.

    python -m tests.kiosk.ui.input_steps --out results.json --screens DIR --locale-dir DIR

The journeys are registered with tests/kiosk/ui/driver.py's runner (one App per process, a
wiped session between journeys) and run alone, with `--only`: test_inputs.py starts this
under its own Xvfb and asserts on the JSON. Every check measures what is drawn: widget
sizes against the 15 mm target, a label's text against its box, the colours a field's text
and background are painted in.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tests.kiosk.ui.driver import (
    Journey,
    World,
    journey,
    main,
    shoot,
    shown,
    to_confirm_with_card,
)

NAMES: list[str] = []


def step(name: str) -> Callable[[Journey], Journey]:
    """A journey of this file (driver.journey, remembered for `--only`)."""
    NAMES.append(name)
    return journey(name)


# ---------------------------------------------------------------------------- measuring
def targets(robot: Any) -> Iterator[Any]:
    """Every touch target on screen: the widgets with a name (kid) that can be touched."""
    for widget in robot.shown():
        if getattr(widget, "kid", "") and widget.opacity > 0 and not widget.disabled:
            yield widget


def smallest(robot: Any, prefix: str) -> dict[str, Any]:
    """The smallest side of the targets named prefix*, in px, and which one it is."""
    found = [(min(w.width, w.height), w.kid) for w in targets(robot) if w.kid.startswith(prefix)]
    if not found:
        return {"px": 0, "kid": None}
    px, kid = min(found)
    return {"px": round(px, 1), "kid": kid}


def overflowing(widgets: Iterable[Any]) -> list[str]:
    """Keys and buttons whose drawn text is wider or taller than the key itself."""
    bad = []
    for widget in widgets:
        texture = getattr(widget, "texture_size", None)
        if not texture or not getattr(widget, "text", ""):
            continue
        if texture[0] > widget.width + 1 or texture[1] > widget.height + 1:
            bad.append(f"{widget.kid}: text {texture} in {tuple(widget.size)}")
    return bad


def lines_of(widget: Any) -> list[str]:
    """The lines a shaped widget is drawn in (its plain text as broken for the screen)."""
    text = getattr(widget, "text", "")
    plain = "".join(text.split("\n"))
    return text.split("\n") if plain else []


def below_fold(robot: Any, kid: str) -> bool:
    """Whether a target lies outside the visible part of the window (hidden until scrolled)."""
    from kivy.core.window import Window  # noqa: PLC0415 - Kivy is imported by now

    widget = robot.find(kid)
    low = widget.to_window(widget.x, widget.y)[1]
    high = widget.to_window(widget.right, widget.top)[1]
    view = widget.parent
    while view is not None and view is not view.parent:
        if hasattr(view, "scroll_y"):
            bottom = view.to_window(view.x, view.y)[1]
            top = view.to_window(view.right, view.top)[1]
            return bool(low < bottom - 1 or high > top + 1)
        view = view.parent
    return bool(low < 0 or high > Window.height)


async def to_manual(robot: Any, world: World) -> None:
    world.port.card = None  # no reader answers: the resident types the basic four
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("identify")
    await robot.tap("identify:manual")
    await robot.wait_screen("manual")


# ---------------------------------------------------------------------------- journeys
@step("inputs_text_size_then_system_keyboard")
async def text_size_then_system_keyboard(robot: Any, world: World) -> dict[str, Any]:
    """English, larger text on and off, the system keyboard, a name, 次へ (the crash)."""
    await to_manual(robot, world)
    await robot.tap("chrome:lang")
    await robot.tap("chrome:size")
    await robot.tap("chrome:size")
    await robot.tap("kana:system")
    await robot.type_text("kana:system_field", "Smith John")
    await robot.tap("ask:next")
    await robot.wait_screen("manual")
    shoot(robot, world, "inputs-01-after-name")
    question = world.session.manual_question()
    return {"screen": robot.screen, "name": world.session.manual.answers.get("name"),
            "next_question": question.state.path if question else None}


def field_colours(robot: Any) -> dict[str, Any]:
    """The colours the answer field's text and background are painted in now."""
    answer = robot.controller.manager.current_screen.input
    found = {"display": [list(answer.display.color), list(answer.display.bg_color)]}
    if answer.system is not None:
        found["system"] = [list(answer.system.foreground_color),
                           list(answer.system.background_color)]
    return found


async def gap_above_bar(robot: Any, kid: str) -> float:
    """Pixels between the bottom of a target (scrolled to, if it must be) and the top of
    the bottom bar."""
    widget = robot.find(kid)
    await robot.scroll_into_view(widget)
    bar = robot.controller.bottom
    return float(widget.to_window(widget.x, widget.y)[1] - bar.to_window(bar.x, bar.top)[1])


@step("inputs_contrast_mid_entry")
async def contrast_mid_entry(robot: Any, world: World) -> dict[str, Any]:
    """白黒反転 on and off while a name is typed, on the kana board and the system field."""
    await to_manual(robot, world)
    await robot.tap_all("kana:た", "kana:ろ")
    seen = {"normal": field_colours(robot)}
    await robot.tap("chrome:contrast")
    seen["contrast"] = field_colours(robot)
    shoot(robot, world, "inputs-02-kana-contrast")
    await robot.tap("kana:system")
    seen["contrast_system"] = field_colours(robot)
    await robot.tap("chrome:contrast")
    seen["normal_again"] = field_colours(robot)
    return {"colours": seen, "typed": robot.controller.manager.current_screen.input.value()}


async def keyboard_facts(robot: Any, prefix: str) -> dict[str, Any]:
    keys = [w for w in targets(robot) if w.kid.startswith(prefix)]
    return {"smallest": smallest(robot, prefix), "overflowing": overflowing(keys),
            "keys": len(keys)}


@step("inputs_large_text_keyboards")
async def large_text_keyboards(robot: Any, world: World) -> dict[str, Any]:
    """文字を大きく on the name: the kana board, its function keys, the A–Z board."""
    await to_manual(robot, world)
    shoot(robot, world, "inputs-03-kana-normal")
    normal = await keyboard_facts(robot, "kana:")
    await robot.tap("chrome:size")
    shoot(robot, world, "inputs-04-kana-large")
    kana = await keyboard_facts(robot, "kana:")
    fn_lines = {kid: lines_of(robot.find(kid)) for kid in ("kana:system", "kana:katakana")}
    await robot.tap("kana:latin")
    shoot(robot, world, "inputs-05-latin-large")
    latin = await keyboard_facts(robot, "latin:")
    await robot.tap_all(*(f"latin:{c}" for c in "OBRIEN"), "kana:space", "latin:J")
    await robot.tap("chrome:contrast")
    shoot(robot, world, "inputs-06-latin-large-contrast")
    await robot.tap("kana:hiragana")
    await robot.tap_all("kana:1", "kana:-")  # the digits, under the board: scrolled to
    typed = robot.controller.manager.current_screen.input.value()
    await robot.tap("chrome:contrast")
    await robot.tap("chrome:size")
    await robot.tap("chrome:lang")
    english_switch = robot.find("kana:katakana").plain
    await robot.tap("ask:next")
    await robot.wait_screen("manual")
    kana_field = sorted(w.kid for w in targets(robot) if w.kid.startswith(("latin:", "kana:")))
    return {"normal": normal, "large": kana, "fn_lines": fn_lines, "latin": latin,
            "typed": typed, "english_switch": english_switch,
            "kana_field_keys": kana_field}


@step("inputs_keypad_and_years")
async def keypad_and_years(robot: Any, world: World) -> dict[str, Any]:
    """The postal code's keypad and the 昭和 year grid, at both text sizes."""
    await to_manual(robot, world)
    await robot.tap_all("kana:た", "ask:next", "kana:た", "ask:next")
    shoot(robot, world, "inputs-07-keypad")
    keypad = {"gap": await gap_above_bar(robot, "num:0"), "smallest": smallest(robot, "num:")}
    await robot.tap("chrome:size")
    shoot(robot, world, "inputs-08-keypad-large")
    keypad_large = {"gap": await gap_above_bar(robot, "num:0"), "smallest": smallest(robot, "num:")}
    await robot.tap("chrome:size")
    await robot.tap_all(*(f"num:{d}" for d in "1000001"), "ask:next", "ask:next")
    await robot.tap("date:era:S")
    shoot(robot, world, "inputs-09-years")
    years = smallest(robot, "date:year:")
    await robot.tap("chrome:size")
    shoot(robot, world, "inputs-10-years-large")
    years_large = smallest(robot, "date:year:")
    years_overflowing = overflowing(w for w in targets(robot) if w.kid.startswith("date:"))
    await robot.tap("date:year:64")  # the last year of 昭和: scrolled to
    await robot.tap_all("date:month:1", "date:day:7")
    value = robot.controller.manager.current_screen.input.value()
    return {"keypad": keypad, "keypad_large": keypad_large, "years": years,
            "years_large": years_large, "years_overflowing": years_overflowing,
            "date": value}


def tile_facts(robot: Any) -> dict[str, Any]:
    tiles = [w for w in targets(robot) if w.kid.startswith(("menu:", "event:"))
             and hasattr(w, "title_markup")]
    cut = [t.kid for t in tiles if t.ids.title.texture_size[0] > t.ids.title.width + 1]
    return {"tiles": len(tiles), "text_wider_than_tile": cut,
            "smallest": smallest(robot, "menu:")}


@step("inputs_menu_large_text")
async def menu_large_text(robot: Any, world: World) -> dict[str, Any]:
    """The menu with large text (and contrast): every tile whole, the list evidently longer."""
    await robot.tap("chrome:size")
    shoot(robot, world, "inputs-11-menu-large")
    large = tile_facts(robot)
    hidden = [w.kid for w in targets(robot) if w.kid.startswith("menu:") and w.kid != "menu:more"
              and below_fold(robot, w.kid)]
    cue = robot.has("menu:more")
    reached = []
    for kid in hidden:
        await robot.tap(kid, count=False)  # scrolls it into view, then touches it
        reached.append(robot.screen)
        await robot.tap("chrome:back", count=False)
        await robot.wait_screen("welcome")
    await robot.tap("chrome:contrast")
    await robot.frames(3)
    shoot(robot, world, "inputs-12-menu-large-contrast")
    return {"large": large, "hidden": hidden, "cue": cue, "reached": reached}


@step("inputs_other_choice_in_sight")
async def other_choice_in_sight(robot: Any, world: World) -> dict[str, Any]:
    """The purpose question's last tile 「その他」: shown, or the list says there is more."""
    world.card()
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")
    await robot.tap_all("choice:self", "choice:household")
    shoot(robot, world, "inputs-13-purpose")
    hidden = below_fold(robot, "choice:other")
    cue = robot.find("choices:more") if robot.has("choices:more") else None
    cue_facts = {"px": min(cue.size), "text": cue.plain} if cue is not None else None
    if cue is not None:
        await robot.tap("choices:more")
    shoot(robot, world, "inputs-14-purpose-more")
    after = below_fold(robot, "choice:other")
    return {"hidden": hidden, "cue": cue_facts, "hidden_after_cue": after,
            "choices": smallest(robot, "choice:"), "text": shown(robot)}


def drawn_text(widget: Any) -> str:
    """The characters a shaped label draws: its markup without the tags."""
    return re.sub(r"\[/?(?:size|font|b|color)(?:=[^\]]*)?\]", "", str(widget.text))


def field_facts(robot: Any) -> dict[str, Any]:
    """The answer field: its box, the size of the text drawn in it, the characters drawn."""
    display = robot.controller.manager.current_screen.input.display
    return {"size": [round(v) for v in display.size],
            "texture": [round(v) for v in display.texture_size],
            "drawn": drawn_text(display), "typed": display.plain}


LONG_ANSWER = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ"  # 30 kana


@step("inputs_long_answer")
async def long_answer(robot: Any, world: World) -> dict[str, Any]:
    """About 30 kana typed on the board: the field shows the end of the answer, on one line,
    with large text and after it is switched back."""
    await to_manual(robot, world)
    await robot.tap("chrome:size")
    await robot.tap_all(*(f"kana:{c}" for c in LONG_ANSWER))
    await robot.frames(3)
    shoot(robot, world, "inputs-15-long-answer-large")
    large = field_facts(robot)
    await robot.tap("chrome:size")
    await robot.frames(3)
    normal = field_facts(robot)
    await robot.tap("kana:delete")
    await robot.frames(3)
    return {"large": large, "normal": normal, "deleted": field_facts(robot)}


def text_box(widget: Any) -> list[float]:
    """Where a label's text is drawn in the window (Kivy centres the texture on the
    widget): left, bottom, right, top."""
    cx, cy = widget.to_window(*widget.center)
    w, h = widget.texture_size
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]


def window_box(widget: Any) -> list[float]:
    x, y = widget.to_window(widget.x, widget.y)
    return [x, y, x + widget.width, y + widget.height]


def within(inner: list[float], outer: list[float], slack: float = 2.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def text_in_sight(robot: Any) -> dict[str, Any]:
    """Which labels of the current screen draw text beyond the screen's own area (under a
    bar, off the window), and whether its title line is in sight."""
    from kivy.uix.label import Label  # noqa: PLC0415 - Kivy is imported by now
    from kivy.uix.scrollview import ScrollView  # noqa: PLC0415

    screen = robot.controller.manager.current_screen
    area = window_box(screen)
    outside = []
    for widget in screen.walk(restrict=True):
        if not isinstance(widget, Label) or not widget.text.strip() or widget.opacity == 0:
            continue
        view = next((w for w in ancestors(widget) if isinstance(w, ScrollView)), None)
        room = window_box(view) if view is not None else area
        if view is None and not within(text_box(widget), room):
            outside.append(getattr(widget, "plain", widget.text)[:30])
    title = screen.ids.instruction
    view = next((w for w in ancestors(title) if isinstance(w, ScrollView)), None)
    seen = window_box(view) if view is not None else area
    return {"outside": outside, "title_in_sight": within(text_box(title), seen)
            and within(text_box(title), area), "title": title.plain,
            "cue": robot.has("pin:more")}


def ancestors(widget: Any) -> Iterator[Any]:
    node = widget.parent
    while node is not None and node is not node.parent:
        yield node
        node = node.parent


@step("inputs_pin_large_text")
async def pin_large_text(robot: Any, world: World) -> dict[str, Any]:
    """The PIN screen with 文字を大きく, in Japanese and in English: its words stay on the
    screen, the title in sight, and the PIN still goes in."""
    world.card()
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    await robot.tap("chrome:size")
    await robot.frames(3)
    shoot(robot, world, "inputs-16-pin-large")
    japanese = text_in_sight(robot)
    await robot.tap("chrome:lang")
    await robot.frames(3)
    shoot(robot, world, "inputs-17-pin-large-english")
    english = text_in_sight(robot)
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")
    return {"japanese": japanese, "english": english, "after_pin": robot.screen}


def label_colours(robot: Any, needle: str) -> list[dict[str, Any]]:
    """The colour of each shown label whose text holds `needle`, and the screen's."""
    from kivy.uix.label import Label  # noqa: PLC0415 - Kivy is imported by now

    background = list(robot.controller.root.bg_color)
    return [{"text": getattr(w, "plain", w.text), "color": list(w.color), "bg": background}
            for w in robot.shown() if isinstance(w, Label) and needle in getattr(w, "plain", "")]


@step("inputs_confirm_contrast")
async def confirm_contrast(robot: Any, world: World) -> dict[str, Any]:
    """白黒反転 on the confirm screen: the fee and its total follow the palette."""
    world.card()
    await to_confirm_with_card(robot, world)
    normal = label_colours(robot, "手数料")
    await robot.tap("chrome:contrast")
    await robot.frames(3)
    shoot(robot, world, "inputs-18-confirm-contrast")
    contrast = label_colours(robot, "手数料")
    await robot.tap("chrome:contrast")
    await robot.frames(3)
    return {"normal": normal, "contrast": contrast, "again": label_colours(robot, "手数料")}


@step("inputs_pressed_selected_tile")
async def pressed_selected_tile(robot: Any, world: World) -> dict[str, Any]:
    """A chosen tile pressed again (a resident tapping the answer they picked) keeps its words
    readable: the label's colour follows the pressed background, not the chosen one. The
    monkey met white on light grey here; the finger is held down as Kivy's state says."""
    world.card()
    await robot.tap("menu:juminhyo")
    await robot.wait_screen("pin")
    await robot.tap_all("pin:1", "pin:2", "pin:3", "pin:4")
    await robot.wait_screen("question")
    tile = robot.find("choice:self")
    facts = {}
    for moment, selected, state in (("chosen", True, "normal"), ("pressed", True, "down"),
                                    ("plain_pressed", False, "down")):
        tile.selected, tile.state = selected, state
        await robot.frames(2)
        ground = tile.down_color if state == "down" else (tile.sel_bg if selected else tile.bg_color)
        facts[moment] = {"color": list(tile.ids.title.color), "bg": list(ground)}
    tile.selected, tile.state = False, "normal"
    return facts


if __name__ == "__main__":
    sys.exit(main([*sys.argv[1:], "--only", *NAMES]))
