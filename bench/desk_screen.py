"""The desk screen's part of scan-to-shown (child process of `python -m bench.desk --screen`):
the scanner's line typed into the focused scan field and Enter, to the first frame drawn with
the application's rows. SQLite, the kiosk's database; runs under the X server the parent
started (Kivy reads DISPLAY when first imported).

    python -m bench.desk_screen --runs 20 --work DIR
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.desk import build_rig, slip_png
from forms.loader import load_library
from kiosk.ui.desk.app import build_desk_app
from kiosk.ui.headless import run_beside
from printouts.layout import Fonts


async def drive(app: Any, rig: Any, library: Any, *, work: Path, runs: int,
                out: list[float], typing: list[float]) -> None:
    from kivy.core.window import Window  # noqa: PLC0415 - Kivy is running by now

    while app.desk_screen is None:
        await asyncio.sleep(0.02)
    await asyncio.sleep(2.0)  # the screen's own warm-up (pooled rows) is done by then
    screen = app.desk_screen
    # Each frame drawn, with the application it showed: the first frame showing the new one
    # is the moment the clerk sees it.
    drawn: list[tuple[float, object]] = []
    Window.bind(on_flip=lambda *_: drawn.append((time.perf_counter(), screen.view)))
    for i in range(runs + 2):
        text = slip_png(rig.slip(library), work / f"s{i}.png")
        scan = screen.ids.scan
        scan.text = text  # what the scanner typed so far; Enter below starts the scan
        before = screen.view
        started = time.perf_counter()
        scan.dispatch("on_text_validate")
        while not any(view is not before and at > started for at, view in drawn):
            await asyncio.sleep(0.001)
        first = next(at for at, view in drawn if view is not before and at > started)
        if i >= 2:
            out.append((first - started) * 1000)
    # A USB scanner types one key at a time; the field must take each faster than it comes.
    scan = screen.ids.scan
    scan.text = ""
    started = time.perf_counter()
    for char in text:
        scan.insert_text(char)
    typing.append((time.perf_counter() - started) * 1000 / len(text))
    typing.append(len(text))
    scan.text = ""
    app.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    library = load_library()
    rig = build_rig(args.work / "rig", lambda name: f"sqlite:///{args.work / name}.sqlite3",
                    shared=True, library=library, fonts=Fonts.for_pdf())
    app = build_desk_app(rig.desk, card_reader=lambda: None,  # type: ignore[arg-type,return-value]
                         export_dir=args.work / "exports")
    times: list[float] = []
    typing: list[float] = []

    run_beside(app, drive(app, rig, library, work=args.work, runs=args.runs, out=times, typing=typing))
    ordered = sorted(times)
    print(f"| text, to the desk screen drawn (Kivy, Xvfb, llvmpipe) | SQLite | "
          f"{statistics.median(ordered):.1f} | {ordered[int(len(ordered) * 0.9) - 1]:.1f} |")
    print(f"| the scan field taking one scanner key ({typing[1]:.0f} characters typed) | — | "
          f"{typing[0]:.2f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
