"""`kiosk forms preview ID --out DIR`: the three printouts of a procedure, with sample answers (or
a file of answers choosing a branch: kiosk/branch_answers.py); for a life event's id, the slip
the whole event prints (kiosk/cli/event_preview.py).

IT staff change a form file and want to see what the resident and the clerk will get before
a resident does: the slip, the completed official form and the assisted-entry paper form,
filled with a made-up resident (見本 花子, and 𠮷田 髙橋 to show the font fallback).
The slip's QR holds a stand-in text of the real size; a desk refuses it as not a slip.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from common.clock import JST
from common.fonts import FontError
from forms.engine import Stage, prefill
from forms.errors import UnknownFormError
from forms.model import Form
from kiosk.branch_answers import answers_from, read_answers
from kiosk.cli.event_preview import describe, event_slip
from kiosk.config import KioskConfig
from kiosk.errors import KioskError
from kiosk.wiring import load_forms, office_details
from printouts.assisted_form import render_assisted_form
from printouts.document import Document
from printouts.layout import Fonts
from printouts.official_form import render_official_form
from printouts.samples import sample_answers, sample_card, sample_flags, sample_qr_text
from printouts.slip import A5, RECEIPT_58, RECEIPT_80, Procedure, render_slip

SAMPLE_TICKET = "A-023"
PAPERS = {"80mm": RECEIPT_80, "58mm": RECEIPT_58, "a5": A5}


def register_preview(fsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `preview` to the `forms` sub-commands (called from forms_cmd.register)."""
    p = fsub.add_parser("preview", help="write sample printouts of a procedure (slip, form, assisted form), "
                                         "or the slip of a life event, as PDF")
    p.add_argument("id", nargs="?", help="procedure or life event id (see `kiosk forms list`)")
    p.add_argument("--household", type=int, default=2, metavar="N",
                   help="a life event: N people in each household group (default: 2)")
    p.add_argument("--all", action="store_true", help="every loaded procedure")
    p.add_argument("--out", type=Path, default=Path("out/preview"), help="folder to write to (default: out/preview)")
    p.add_argument("--slip-paper", choices=sorted(PAPERS), default="80mm", help="slip paper (default: 80mm roll)")
    p.add_argument("--answers", type=Path, metavar="FILE",
                   help="a procedure: YAML or JSON answers (field id: value) over the samples, "
                        "to print the branch they choose")
    p.set_defaults(handler=cmd_preview)


Answers = Callable[[Form, dt.date, Stage], dict[str, Any]]


def samples(form: Form, today: dt.date, stage: Stage) -> dict[str, Any]:
    return sample_answers(form, today, stage=stage)


def answers_file(path: Path) -> Answers:
    """The answers of FILE over the samples; read once, checked for each stage."""
    given: Mapping[str, Any] = read_answers(path)
    return lambda form, today, stage: answers_from(form, given, today=today, stage=stage, source=path)


def preview_documents(form: Form, *, fonts: Fonts, office: dict[str, str], counter_label: str,
                      issued_at: dt.datetime, slip_paper: str = "80mm",
                      qr_text: Callable[[Form], str] = lambda form: sample_qr_text(),
                      answers: Answers = samples) -> dict[str, Document]:
    """The three sample documents of one form, keyed "slip", "form" and "assisted"."""
    today = issued_at.date()
    kiosk_answers = answers(form, today, "kiosk")
    slip = render_slip(ticket=SAMPLE_TICKET, procedures=[Procedure(form, kiosk_answers, counter_label)],
                       qr_text=qr_text(form), office_name=office["name"], issued_at=issued_at,
                       fonts=fonts, paper=PAPERS[slip_paper])
    official = render_official_form(form=form, answers=answers(form, today, "counter"),
                                    today=today, office_name=office["name"], fonts=fonts,
                                    flags=sample_flags(form), ticket=SAMPLE_TICKET)
    known = prefill(form, card=sample_card(), office=office, today=today)
    assisted = render_assisted_form(form=form, today=today, office_name=office["name"], fonts=fonts,
                                    answers=known)
    return {"slip": slip, "form": official, "assisted": assisted}


def cmd_preview(args: argparse.Namespace, config: KioskConfig) -> int:
    if bool(args.id) == bool(args.all):
        raise KioskError("name one procedure or life event id, or give --all (not both)")
    if args.household < 1:
        raise KioskError("--household: at least 1")
    if args.answers is not None and (args.all or not args.id):
        raise KioskError("--answers: name one procedure id (not --all)")
    lib = load_forms(config=config, allow_empty=True)
    event = lib.life_events.get(args.id) if args.id else None
    try:
        forms = [] if event else [lib.get(args.id)] if args.id else [lib.get(i) for i in sorted(lib.forms)]
    except UnknownFormError as exc:
        raise KioskError(f"{exc} (see `kiosk forms list`)") from None
    if event is not None and args.answers is not None:
        raise KioskError("--answers: name one procedure id, not a life event")
    answers = samples if args.answers is None else answers_file(args.answers)
    try:
        fonts = Fonts.for_pdf()
    except FontError as exc:
        raise KioskError(str(exc)) from None
    office = office_details(config=config)
    args.out.mkdir(parents=True, exist_ok=True)
    issued_at = dt.datetime.now(JST).replace(second=0, microsecond=0)
    if event is not None:
        slip = event_slip(event, lib, members=args.household, fonts=fonts, office=office,
                          counters=config.counters, ticket=SAMPLE_TICKET, issued_at=issued_at,
                          paper=PAPERS[args.slip_paper])
        path = args.out / f"{event.id}-household{args.household}-slip.pdf"
        path.write_bytes(slip.document.data)
        print(path)
        for line in describe(slip):
            print(f"  {line}")
        return 0
    for form in forms:
        label = config.counters.get(form.counter, form.counter)
        docs = preview_documents(form, fonts=fonts, office=office, counter_label=label, issued_at=issued_at,
                                 slip_paper=args.slip_paper, answers=answers)
        for kind, doc in docs.items():
            path = args.out / f"{form.id}-{kind}.pdf"
            path.write_bytes(doc.data)
            print(path)
    return 0
