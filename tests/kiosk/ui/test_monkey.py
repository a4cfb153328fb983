"""The monkey (kiosk/ui/monkey): its checks on deliberately broken widgets (no window), and
its walk on the running kiosk under Xvfb (`kiosk monkey`, in a subprocess: one Kivy window per
process).

The walk runs 1500 touches per test: about 2 minutes on a 2-core machine (~70 ms a step: a
frame under Xvfb's software GL costs ~30-60 ms). KIOSK_MONKEY_SEED replays or varies a run.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.headless import Xvfb, kivy_environment
from kiosk.ui.monkey.checks import (
    Exits,
    Fault,
    contrast_faults,
    contrast_ratio,
    label_faults,
    no_way_on,
    outwait_busy,
    stuck_busy,
    target_faults,
)
from kiosk.ui.monkey.report import Report, Stop

ROOT = Path(__file__).parents[3]
WHITE = (1.0, 1.0, 1.0, 1.0)
BLACK = (0.0, 0.0, 0.0, 1.0)
GREY = (0.5, 0.5, 0.5, 1.0)
EVERYWHERE = (-1e9, -1e9, 1e9, 1e9)
KIOSK_TOUCHES = 1500
RUN_TIMEOUT_S = 240


# ----------------------------------------------------------------- widgets shaped like Kivy's
@dataclass
class Instruction:
    name: str
    rgba: tuple[float, ...] = ()
    pos: tuple[float, float] = (0, 0)
    size: tuple[float, float] = (0, 0)
    texture: Any = None


def Color(*rgba: float) -> Any:
    return type("Color", (Instruction,), {})("Color", rgba)


def Rectangle(pos: tuple[float, float], size: tuple[float, float]) -> Any:
    return type("Rectangle", (Instruction,), {})("Rectangle", (), pos, size)


@dataclass
class Layer:
    children: list[Any] = field(default_factory=list)


@dataclass
class Canvas:
    before: Layer = field(default_factory=Layer)
    children: list[Any] = field(default_factory=list)


@dataclass
class Widget:
    """The attributes the checks read, in window coordinates (no relative layouts)."""

    x: float = 0
    y: float = 0
    width: float = 100
    height: float = 100
    parent: Any = None
    text: str = ""
    color: tuple[float, ...] = BLACK
    texture_size: tuple[float, float] = (0, 0)
    text_size: tuple[float | None, float | None] = (None, None)
    kid: str = ""
    opacity: float = 1.0
    disabled: bool = False
    canvas: Canvas = field(default_factory=Canvas)

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def to_window(self, x: float, y: float) -> tuple[float, float]:
        return (x, y)

    def to_widget(self, x: float, y: float) -> tuple[float, float]:
        return (x, y)

    def to_parent(self, x: float, y: float) -> tuple[float, float]:
        return (x, y)


class StencilView(Widget):
    """Kivy's clipping widget: its children show only inside its rect."""


class ScrollView(StencilView):
    """As Kivy's: a StencilView whose content moves under it."""


def panel(color: tuple[float, ...], **kwargs: Any) -> Widget:
    """A box that paints its background, as the kiosk's .kv rules do in canvas.before."""
    box = Widget(**kwargs)
    box.canvas.before.children = [Color(*color), Rectangle((box.x, box.y), (box.width, box.height))]
    return box


def label_on(bg: tuple[float, ...], fg: tuple[float, ...], **kwargs: Any) -> Widget:
    parent = panel(bg, width=400, height=200)
    return Widget(parent=parent, text="住民票の写し", color=fg, x=10, y=10, width=300, height=60,
                  texture_size=(200, 40), **kwargs)


def no_measure(_label: Any) -> float:
    return 0.0


# ----------------------------------------------------------------- the checks can fail
def test_contrast_fails_white_on_white_and_passes_black_on_white() -> None:
    white_on_white = contrast_faults(label_on(WHITE, WHITE), screen="question", window_color=BLACK)
    assert [f.check for f in white_on_white] == ["contrast"]
    assert "1.00:1" in white_on_white[0].what and "住民票の写し" in white_on_white[0].what
    assert contrast_faults(label_on(WHITE, BLACK), screen="question", window_color=BLACK) == []
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21.0)


def test_contrast_reads_colour_markup_and_the_window_behind() -> None:
    marked = label_on(WHITE, BLACK)
    marked.text = "[color=#FEFEFE]発券済み[/color]"
    assert [f.check for f in contrast_faults(marked, screen="desk", window_color=BLACK)] == [
        "contrast"]
    bare = Widget(text="x", color=(0.1, 0.1, 0.1, 1), texture_size=(10, 10))  # on the window
    assert contrast_faults(bare, screen="desk", window_color=BLACK) != []
    assert contrast_faults(bare, screen="desk", window_color=WHITE) == []


def test_a_label_whose_text_is_taller_than_it_is_clipped() -> None:
    spilling = label_on(WHITE, BLACK)
    spilling.texture_size = (200, 90)  # a key whose character is taller than the key
    faults = label_faults(spilling, screen="question", clip=EVERYWHERE, window_color=BLACK,
                          natural_height=no_measure)
    assert [f.check for f in faults] == ["clipped"] and "200x90" in faults[0].what
    fits = label_faults(label_on(WHITE, BLACK), screen="question", clip=EVERYWHERE,
                        window_color=BLACK, natural_height=no_measure)
    assert fits == []


def test_lines_kivy_drops_under_a_fixed_text_size_count_as_clipped() -> None:
    block = label_on(WHITE, BLACK, text_size=(300, 60))
    block.texture_size = (300, 60)  # Kivy cuts the texture to the text_size
    faults = label_faults(block, screen="menu", clip=EVERYWHERE, window_color=BLACK,
                          natural_height=lambda _label: 120.0)
    assert [f.check for f in faults] == ["clipped"]


def test_text_outside_its_screen_or_its_tile_is_clipped() -> None:
    label = label_on(WHITE, BLACK)
    outside = label_faults(label, screen="pin", clip=(0, 30, 400, 200), window_color=BLACK,
                           natural_height=no_measure)
    assert "outside its screen" in outside[0].what
    tile = panel(WHITE, x=0, y=0, width=100, height=40)
    inner = Widget(parent=tile, text="所得・課税証明書", x=0, y=0, width=100, height=40,
                   texture_size=(100, 40))
    inner.y, inner.height, inner.texture_size = -20, 80, (100, 80)  # taller than its tile
    spill = label_faults(inner, screen="menu", clip=EVERYWHERE, window_color=BLACK,
                         natural_height=no_measure)
    assert "spills out of the Widget" in spill[0].what


def scrolled_label(fg: tuple[float, ...], *, y: float, tile: tuple[float, ...] = GREY) -> Widget:
    """A label in a list (a ScrollView at y 100..400) inside a tile that paints `tile`; the
    window behind everything is black."""
    tile_box = panel(tile, x=0, y=100, width=400, height=300)
    view = ScrollView(parent=tile_box, x=0, y=100, width=400, height=300)
    return Widget(parent=view, text="手数料 300円", color=fg, x=10, y=y, width=300, height=60,
                  texture_size=(200, 40))


def judged(label: Widget) -> list[Fault]:
    return (label_faults(label, screen="confirm", clip=EVERYWHERE, window_color=BLACK,
                         natural_height=no_measure)
            + contrast_faults(label, screen="confirm", window_color=BLACK))


def test_a_label_scrolled_out_of_its_list_is_not_judged() -> None:
    below = scrolled_label(BLACK, y=-400)  # out of view, where only the black window lies
    assert contrast_faults(below, screen="pin", window_color=BLACK) == []
    assert judged(below) == []
    # Half out of view, its middle over the black window below the tile: judged where it
    # shows, on the tile's grey, and not as spilling out of the tile (the list clips it).
    half = scrolled_label(BLACK, y=60)
    assert judged(half) == []
    edge = scrolled_label(BLACK, y=80)  # its middle on the tile, its lowest line cut off
    assert judged(edge) == []


def test_a_label_in_a_list_is_still_judged_where_it_shows() -> None:
    on_grey = scrolled_label(GREY, y=200)
    assert [f.check for f in judged(on_grey)] == ["contrast"]
    half = scrolled_label(GREY, y=60)  # half out of view: the shown half is grey on grey
    faults = contrast_faults(half, screen="confirm", window_color=BLACK)
    assert [f.check for f in faults] == ["contrast"] and "#808080 on #808080" in faults[0].what
    spilling = scrolled_label(BLACK, y=200)
    key = panel(WHITE, parent=spilling.parent, x=10, y=210, width=300, height=30)
    spilling.parent = key  # a key in the list, its text taller than the key
    assert [f.what for f in judged(spilling)] == [
        "text spills out of the Widget it sits on («手数料 300円»)"]


def test_a_busy_screen_is_waited_for_before_it_is_judged() -> None:
    now, settled = [0.0], []

    async def pause() -> None:
        now[0] += 0.5

    async def settle() -> None:
        settled.append(now[0])

    reading = asyncio.run(outwait_busy(lambda: now[0] < 3.0, pause, settle=settle,
                                       clock=lambda: now[0]))
    assert reading is None and now[0] == 3.0 and settled == [3.0]
    assert asyncio.run(outwait_busy(lambda: False, pause, clock=lambda: now[0])) is None


def test_a_screen_busy_for_ever_fails() -> None:
    now = [0.0]

    async def pause() -> None:
        now[0] += 0.5

    stuck = asyncio.run(outwait_busy(lambda: True, pause, limit_s=15.0, clock=lambda: now[0]))
    assert stuck == 15.0
    fault = stuck_busy("identify", "identify «どなたの申請ですか»", stuck)
    assert fault.check == "stuck_busy" and "for 15 s and still not done" in fault.what


def test_a_target_under_15_mm_is_reported_with_its_size() -> None:
    key = Widget(kid="kana:あ", width=52, height=52, text="あ")
    faults = target_faults(key, screen="question", min_px=57, clip=EVERYWHERE)
    assert [f.check for f in faults] == ["target_size"]
    assert "52x52 px" in faults[0].what and "kana:あ" in faults[0].widget
    assert target_faults(Widget(width=60, height=200), screen="q", min_px=57,
                         clip=EVERYWHERE) == []


def test_dead_ends_and_screens_with_no_way_on() -> None:
    exits = Exits()
    exits.seen(("pin", "残り1回"), ["chrome:back", "pin:1"])
    exits.touched(("pin", "残り1回"), "chrome:back", ("pin", "残り1回"))
    assert exits.dead_ends() == []  # pin:1 not tried yet
    exits.touched(("pin", "残り1回"), "pin:1", ("pin", "残り1回"))
    assert [place for place, _ in exits.dead_ends()] == [("pin", "残り1回")]
    exits.touched(("pin", "残り1回"), "pin:1", ("question", "氏名"))
    assert exits.dead_ends() == []
    assert no_way_on("paper", []) is not None and no_way_on("paper", ["paper:ok"]) is None


def test_the_report_stops_at_the_first_fault_or_lists_each_once(tmp_path: Path) -> None:
    fault = Fault("contrast", "question", "KKey[kana:あ]", "white on white")
    with pytest.raises(Stop, match="white on white"):
        Report("kiosk", 7, 10, tmp_path).add(fault)
    going = Report("kiosk", 7, 10, tmp_path, keep_going=True)
    assert going.add(fault) and not going.add(fault)
    assert "seed 7" in going.text() and "kiosk monkey --touches 10 --seed 7" in going.text()


# ----------------------------------------------------------------- the walk on the screens
def run_monkey(tmp_path: Path, *, touches: int, seed: int, desk: bool = False) -> dict[str, Any]:
    """`kiosk monkey` in a subprocess under a private Xvfb; its JSON report."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (Debian package xvfb; scripts/setup installs it)")
    out, shots = tmp_path / "monkey.json", tmp_path / "shots"
    command = [sys.executable, "-m", "kiosk.cli.main", "monkey", "--touches", str(touches),
               "--seed", str(seed), "--shots", str(shots), "--report", str(out)]
    with Xvfb(1280, 800) as display:
        env = kivy_environment(display, str(tmp_path / "kivy-home"))
        env["KCFG_GRAPHICS_MAXFPS"] = "0"  # no frame pacing: a step waits for frames only
        run = subprocess.run(command + (["--desk"] if desk else []), cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False)
    if not out.is_file():
        pytest.fail(f"the monkey did not finish (exit {run.returncode}):\n{run.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def seed(offset: int) -> int:
    return int(os.environ.get("KIOSK_MONKEY_SEED", "20261123")) + offset


@pytest.mark.ui
@pytest.mark.slow
@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
@pytest.mark.parametrize("offset", [0, 1])
def test_the_kiosk_survives_the_monkey(tmp_path: Path, offset: int) -> None:
    report = run_monkey(tmp_path, touches=KIOSK_TOUCHES, seed=seed(offset))
    assert report["ok"], report["text"]
    assert report["done"] == KIOSK_TOUCHES
