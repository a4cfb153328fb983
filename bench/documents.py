"""Documents: how long the slip, the official A4 form and the assisted form take to render.

Run as ``python -m bench.documents [--runs N] [--qr-chars N]``. The resident waits for the
slip, so its target is < 100 ms including the QR; the forms are printed at the counter while
the clerk talks, so they only have to feel immediate. Each form of the shipped library is
rendered with the maximal sample answers (printouts/samples.py), the slip with a stand-in QR
text as long as the largest sample payload (bench/README.md, "Slip payload").

The first document of a process also reads the fonts (cmaps, TrueType tables); that one-off
cost is shown apart, since the kiosk builds its `Fonts` once at start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable

import pypdfium2 as pdfium

from bench.timing import median_ms
from forms.loader import load_library
from forms.model import Form
from printouts.assisted_form import render_assisted_form
from printouts.layout import Fonts
from printouts.official_form import render_official_form
from printouts.samples import sample_answers, sample_flags, sample_qr_text
from printouts.slip import Procedure, render_slip

ISSUED_AT = dt.datetime(2025, 4, 1, 10, 23)
OFFICE = "みほん市役所"
COUNTER = "市民課 住民記録係 / Resident Registration"



def _slip(form: Form, fonts: Fonts, qr_text: str) -> Callable[[], object]:
    answers = sample_answers(form, ISSUED_AT.date())
    return lambda: render_slip(ticket="A-023", procedures=[Procedure(form, answers, COUNTER)], qr_text=qr_text,
                               office_name=OFFICE, issued_at=ISSUED_AT, fonts=fonts)


def _official(form: Form, fonts: Fonts) -> Callable[[], object]:
    answers = sample_answers(form, ISSUED_AT.date(), stage="counter")
    return lambda: render_official_form(form=form, answers=answers, today=ISSUED_AT.date(), office_name=OFFICE,
                                        fonts=fonts, flags=sample_flags(form), ticket="A-023")


def _assisted(form: Form, fonts: Fonts) -> Callable[[], object]:
    return lambda: render_assisted_form(form=form, today=ISSUED_AT.date(), office_name=OFFICE, fonts=fonts)


def _pages(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.documents", description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="renders per figure (median); default 20")
    parser.add_argument("--qr-chars", type=int, default=1100, help="length of the slip's QR text; default 1100")
    args = parser.parse_args(argv)
    library = load_library()
    qr_text = sample_qr_text(args.qr_chars)
    forms = [library.get(i) for i in sorted(library.forms)]

    start = time.perf_counter()
    fonts = Fonts.for_pdf()
    _slip(forms[0], fonts, qr_text)()
    cold = (time.perf_counter() - start) * 1000
    print(f"first slip of a process (fonts read, {forms[0].id}): {cold:.0f} ms\n")

    print("| form | slip ms (80 mm, QR incl.) | official A4 ms | pages | assisted A4 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for form in forms:
        slip_ms = median_ms(_slip(form, fonts, qr_text), args.runs)
        official = _official(form, fonts)
        official_ms = median_ms(official, args.runs)
        pages = _pages(render_official_form(form=form, answers=sample_answers(form, ISSUED_AT.date(), stage="counter"),
                                            today=ISSUED_AT.date(), office_name=OFFICE, fonts=fonts).data)
        assisted_ms = median_ms(_assisted(form, fonts), args.runs)
        worst = max(worst, slip_ms)
        print(f"| {form.id} | {slip_ms:.1f} | {official_ms:.1f} | {pages} | {assisted_ms:.1f} |")
    print(f"\nslowest slip: {worst:.1f} ms (target < 100 ms)")
    return 0 if worst < 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
