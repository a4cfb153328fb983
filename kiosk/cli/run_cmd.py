"""`kiosk demo` and `kiosk run`: the resident's screen, wired to the card, store and printer."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.demo import DEMO_DESK_PASSWORD, DEMO_STAFF_ID, DEMO_STAFF_PIN, demo_environment
from kiosk.errors import KioskError
from kiosk.ui.headless import has_display
from kiosk.wiring import KioskParts, build_kiosk


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="the kiosk with a virtual card reader and a PDF printer (no hardware)")
    p.add_argument("--identity", type=Path, default=None, help="card emulator identity file (default: sample)")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--headless", action="store_true",
                   help="run a scripted journey on a virtual screen and exit (default when there is no display)")
    p.set_defaults(handler=cmd_demo)
    p = sub.add_parser("run", help="the kiosk on real hardware, as kiosk.toml says (staff sign in "
                                   "with their own id and PIN: `kiosk staff`)")
    p.set_defaults(handler=cmd_run)


def cmd_demo(args: argparse.Namespace, config: KioskConfig) -> int:
    headless = args.headless or not has_display()
    with demo_environment(config, identity_file=args.identity) as env:
        parts = build_kiosk(config=config)
        try:
            return _demo_screen(args, parts, env.card.reader_name, env.print_dir, headless=headless)
        finally:
            parts.close()


def _demo_screen(args: argparse.Namespace, parts: KioskParts, reader_name: str, print_dir: Path, *,
                 headless: bool) -> int:
    print(f"デモ: 見本のマイナンバーカード（暗証番号 1234）を「{reader_name}」に置きました。"
          f" 職員モードは職員ID {DEMO_STAFF_ID}、暗証番号 {DEMO_STAFF_PIN}。\n"
          f"Demo: a sample My Number card (PIN 1234) is on '{reader_name}';"
          f" staff mode: staff ID {DEMO_STAFF_ID}, PIN {DEMO_STAFF_PIN}.")
    if headless:
        return _headless(parts, print_dir)
    from kiosk.ui.resident.app import run_kiosk  # noqa: PLC0415 - Kivy only when a screen is wanted

    run_kiosk(parts.session, fullscreen=not args.windowed, counters=parts.counters,
              languages=parts.languages, closable=True)  # the demo: a window like any other
    print(f"Slips / 受付票: {print_dir.resolve()}")
    return 0


def _headless(parts: KioskParts, print_dir: Path) -> int:
    from kiosk.ui.headless import Xvfb  # noqa: PLC0415

    screens = Path("var/demo-screens").resolve()
    with Xvfb() as display:
        os.environ["DISPLAY"] = display
        from kiosk.ui.resident.demo_script import run_scripted_journey  # noqa: PLC0415

        result = run_scripted_journey(parts.session, screenshot_dir=screens, counters=parts.counters,
                                      languages=parts.languages)
    slips = sorted(print_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime)
    print("画面がないため、仮想画面で住民票の写しの申請を自動で行いました。"
          "\nNo display: a 住民票 request was made by simulated touches on a virtual screen.")
    print(f"  受付番号 / ticket: {result.get('ticket')}  (touches: {result.get('touches')})")
    print(f"  画面 / screenshots: {screens}")
    print(f"  受付票 / slip: {slips[-1].resolve() if slips else '(none printed)'}")
    if slips:
        print("窓口で読み取る / at the counter desk:"
              f"\n  echo {DEMO_DESK_PASSWORD} | {_this_command()} desk scan {slips[-1].resolve()}"
              f" --clerk {DEMO_STAFF_ID} --password-stdin")
    return 0 if result.get("printed") else 1


def _this_command() -> str:
    """How to call `kiosk` again from anywhere: the script that is running, when it is ours."""
    script = Path(sys.argv[0])
    return str(script.resolve()) if script.name == "kiosk" else "kiosk"


def cmd_run(args: argparse.Namespace, config: KioskConfig) -> int:
    if not has_display():
        raise KioskError("画面（ディスプレイ）がありません。タッチパネルをつないだ端末で起動してください"
                         "（画面なしで試すには `kiosk demo`）。 / No display here: start the kiosk on the "
                         "touch-screen machine (`kiosk demo` tries it without one).")
    parts = build_kiosk(config=config)  # keys and schema: `kiosk keys init`, `kiosk db upgrade`
    from kiosk.ui.resident.app import run_kiosk  # noqa: PLC0415

    try:
        run_kiosk(parts.session, fullscreen=True, counters=parts.counters, languages=parts.languages)
    finally:
        parts.close()
    return 0
