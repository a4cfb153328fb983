"""`kiosk monkey`: the seeded monkey on the kiosk or the desk, for long soaks outside CI.

    kiosk monkey --touches 20000 [--seed S] [--desk] [--keep-going] [--report out.json]

It runs on its own parts (an in-memory card and printer for the kiosk; a desk on SQLite in a
temporary folder), never on kiosk.toml's database, printer or card reader. Without a display
it opens a private Xvfb, as the UI tests do. Exit 1 on the first fault, with the report.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.ui.headless import Xvfb, has_display, kivy_environment


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("monkey", help="random touches on the kiosk (or the desk) until a fault")
    p.add_argument("--touches", type=int, required=True, help="how many touches (and typed scans)")
    p.add_argument("--seed", type=int, default=None, help="replay a run (default: a new seed)")
    p.add_argument("--desk", action="store_true", help="the clerk's desk instead of the kiosk")
    p.add_argument("--keep-going", action="store_true",
                   help="go on after a fault and list each distinct fault once")
    p.add_argument("--shots", type=Path, default=None,
                   help="screenshots of the faults (default: a new temporary folder)")
    p.add_argument("--report", type=Path, default=None, help="also write the report as JSON")
    p.set_defaults(handler=cmd_monkey)


def cmd_monkey(args: argparse.Namespace, _config: KioskConfig) -> int:
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
    shots = args.shots or Path(tempfile.mkdtemp(prefix="kiosk-monkey-shots-"))
    side = "desk" if args.desk else "kiosk"
    print(f"monkey ({side}): seed {seed}, {args.touches} touches; screenshots in {shots}",
          flush=True)
    if has_display():
        return _run(args, seed, shots)
    with Xvfb(1280, 800) as display:
        os.environ.update(kivy_environment(display, tempfile.mkdtemp(prefix="kiosk-monkey-kivy-")))
        return _run(args, seed, shots)


def _run(args: argparse.Namespace, seed: int, shots: Path) -> int:
    from kiosk.ui.monkey.runner import run_monkey  # noqa: PLC0415 - Kivy once DISPLAY is set

    report = run_monkey(desk=args.desk, touches=args.touches, seed=seed, shots=shots,
                        keep_going=args.keep_going)
    if args.report is not None:
        report.write(args.report)
    print(report.text(), file=sys.stdout if report.ok else sys.stderr, flush=True)
    return 0 if report.ok else 1
