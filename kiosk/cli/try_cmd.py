"""`kiosk try FORM_ID|FILE [--as KIND] [--lang LANG] [--out DIR]`: a form on the kiosk screens.

The wiring is kiosk/tryout.py (throwaway database, keys and staff; the sample card on the
vpcd reader). With a display the real kiosk opens in a window, offering that one form; without
one (a server reached over SSH) a robot walks the form's default path on a private virtual
screen (Xvfb) and leaves a screenshot of every screen beside the slip, which is what someone
reviewing a form there can use: nothing to install or forward, and the screens to look at.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from forms.model import ApplicantKind
from kiosk.config import KioskConfig, has_screen_catalogue
from kiosk.demo import DEMO_STAFF_ID, DEMO_STAFF_PIN
from kiosk.errors import KioskError
from kiosk.tryout import TryOut, as_applicant, find_form, read_back, sample_path, try_out
from kiosk.ui.headless import has_display

KINDS = ApplicantKind.__args__  # type: ignore[attr-defined]  # the Literal's values


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("try", help="a procedure on the real kiosk screens with the sample card: "
                                   "nothing stored, the slip written to a file")
    p.add_argument("form", metavar="FORM_ID|FILE",
                   help="a procedure id (`kiosk forms list`) or a form .yaml not yet in a forms folder")
    p.add_argument("--as", dest="applicant", choices=KINDS, default=None,
                   help="answer the form's 窓口に来た人 question with this applicant kind")
    p.add_argument("--lang", dest="screen_lang", default=None, metavar="LANG",
                   help="the screen's first language (default: kiosk.toml's first)")
    p.add_argument("--out", type=Path, default=Path("var/try"),
                   help="folder for the slip (and, without a display, the screens); default var/try")
    p.add_argument("--headless", action="store_true",
                   help="a robot walks the form on a virtual screen (default when there is no display)")
    p.set_defaults(handler=cmd_try)


def cmd_try(args: argparse.Namespace, config: KioskConfig) -> int:
    found = find_form(args.form, config=config)
    for problem in found.problems:
        print(problem.render(args.lang or "en"))
    if found.form is None:
        return 1
    form = as_applicant(found.form, args.applicant) if args.applicant else found.form
    lang = args.screen_lang
    if lang is not None and not has_screen_catalogue(lang):
        raise KioskError(f"--lang {lang}: 画面の言語にありません / no screen text in that language")
    headless = args.headless or not has_display()
    answers = sample_path(form) if headless else {}
    out = args.out.resolve()
    with try_out(form, config=config, out_dir=out, lang=lang) as run:
        _say_hello(run, form.id)
        code = _headless(run, form.id, answers) if headless else _window(run)
        _report(run)
    return code


def _say_hello(run: TryOut, form_id: str) -> None:
    print(f"試用: 「{form_id}」だけのキオスク画面です。見本のマイナンバーカード（暗証番号 1234）を"
          f"「{run.reader_name}」に置きました。職員モードは職員ID {DEMO_STAFF_ID}、暗証番号 "
          f"{DEMO_STAFF_PIN}（この試用だけの職員）。何も保存しません。\n"
          f"Try-out: the kiosk screens with '{form_id}' only; a sample My Number card (PIN 1234) "
          f"is on '{run.reader_name}'; staff mode: {DEMO_STAFF_ID} / {DEMO_STAFF_PIN} (this "
          "try-out's own). Nothing is stored.")


def _window(run: TryOut) -> int:
    from kiosk.ui.resident.app import run_kiosk  # noqa: PLC0415 - Kivy only when a screen is wanted

    parts = run.parts
    run_kiosk(parts.session, fullscreen=False, counters=parts.counters,
              languages=parts.languages, closable=True)
    return 0


def _headless(run: TryOut, form_id: str, answers: dict[str, object]) -> int:
    from kiosk.ui.headless import Xvfb, XvfbError  # noqa: PLC0415

    screens = run.out_dir / "screens"
    try:
        with Xvfb() as display:
            os.environ["DISPLAY"] = display
            from kiosk.ui.resident.try_walk import walk_form  # noqa: PLC0415 - Kivy, on the display

            result = walk_form(run.parts.session, form_id=form_id, answers=answers,
                               screenshot_dir=screens, counters=run.parts.counters,
                               languages=run.parts.languages)
    except XvfbError as exc:
        raise KioskError(f"画面がなく、仮想画面 (Xvfb) も起動できません / no display, and no virtual "
                         f"one: {exc}. 画面のある端末で実行してください / run it where there is a "
                         "screen (or over `ssh -X`)") from None
    print("画面がないため、仮想画面でロボットが見本の答えで申請しました。\n"
          "No display: a robot went through the form with the sample answers on a virtual screen.")
    print(f"  画面 / screenshots: {screens} ({result['screens']})")
    if "error" in result:
        print(f"  途中で止まりました / it stopped: {result['error']}")
        return 1
    print(f"  受付番号 / ticket: {result.get('ticket')}  (touches: {result.get('touches')})")
    return 0 if result.get("printed") else 1


def _report(run: TryOut) -> None:
    """The slips, each read back with the try-out's keys while they still exist."""
    slips = run.slips()
    if not slips:
        print("受付票は印刷されていません / no slip was printed.")
        return
    for slip in slips:
        print(f"受付票 / slip: {slip}")
        for line in read_back(slip, run) if "slip" in slip.name else ():
            print(f"  窓口で読むと / a desk reads: {line}")
    print("この受付票は試用の鍵で署名しました（終了時に削除）。実際の窓口では受け付けられません。\n"
          "This slip is signed with the try-out's own keys (deleted now): no real desk accepts it.")
