"""Slip payload: how long encode and decode take, and how big the QR code gets.

Run as ``python -m bench.payload [--runs N]``. The figures go in bench/README.md ("Slip payload")
and docs/slip-format.md ("Size budget"); the sample applications are tests.support.examples,
the same ones the size test uses.
"""

from __future__ import annotations

import argparse
import statistics
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from qrcode.constants import ERROR_CORRECT_M

from forms.loader import load_library
from printouts.payload import (
    JST,
    Application,
    CounterKey,
    DeskKeys,
    KioskKeys,
    ProcedureEntry,
    TrustedKiosk,
    TrustList,
    decode,
    encode,
    new_slip_id,
)
from printouts.payload.content import pack, to_cbor
from printouts.payload.content2 import deflate_2, to_cbor_2
from printouts.samples import sample_answers, sample_flags
from tests.support.examples import (
    OFFICE,
    count_answers,
    large_application,
    medium_application,
    small_application,
)

SAMPLES: dict[str, Callable[[bytes], Application]] = {
    "small": small_application,
    "medium": medium_application,
    "large": large_application,
}


@dataclass(frozen=True)
class Figures:
    name: str
    answers: int
    cbor_bytes: int
    plain_zlib_bytes: int
    content_bytes: int
    chars: int
    qr_version: int
    encode_ms: float
    decode_ms: float


def qr_version_m(text: str) -> int:
    """The smallest QR version that holds the text at error level M (as the slip prints it)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return int(code.version)


def _keys() -> tuple[KioskKeys, DeskKeys]:
    signing, sealing = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    kiosk = TrustedKiosk.of(signing.public_key(), kiosk_id="K01", office_code=OFFICE)
    counter = CounterKey.of(sealing.public_key(), office_code=OFFICE)
    desk = DeskKeys.of([sealing], TrustList(kiosks=(kiosk,), counters=(counter,)))
    return KioskKeys(signing_key=signing, kiosk=kiosk, counter=counter), desk


def _median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(name: str, runs: int) -> Figures:
    kiosk, desk = _keys()
    app = SAMPLES[name](new_slip_id())
    text = encode(app, kiosk)
    cbor = to_cbor(app)
    return Figures(
        name=name,
        answers=count_answers(app),
        cbor_bytes=len(cbor),
        plain_zlib_bytes=len(zlib.compress(cbor, 9)),
        content_bytes=len(pack(app)),
        chars=len(text),
        qr_version=qr_version_m(text),
        encode_ms=_median_ms(lambda: encode(app, kiosk), runs),
        decode_ms=_median_ms(lambda: decode(text, desk, office_code=OFFICE), runs),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.payload", description=__doc__)
    parser.add_argument("--runs", type=int, default=300, help="timed runs per figure (median)")
    args = parser.parse_args(argv)
    print(f"slip payload, median of {args.runs} runs")
    print(
        "| application | answers | CBOR bytes | zlib bytes (no dict) | zlib bytes (format 1) "
        "| QR text chars | QR version (M) | encode ms | decode ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in SAMPLES:
        f = measure(name, args.runs)
        print(
            f"| {f.name} | {f.answers} | {f.cbor_bytes} | {f.plain_zlib_bytes} | "
            f"{f.content_bytes} | {f.chars} | {f.qr_version} | {f.encode_ms:.3f} | "
            f"{f.decode_ms:.3f} |"
        )
    print()
    per_form(kiosk_keys=_keys()[0])
    print()
    format_2_figures(args.runs)
    print()
    format_2_per_form(kiosk_keys=_keys()[0])
    return 0


def per_form(*, kiosk_keys: KioskKeys) -> None:
    """QR text size and version for each shipped form, fully answered (printouts/samples.py)."""
    issued = datetime(2026, 11, 23, 10, 0, tzinfo=JST)
    print("each shipped form, maximal sample answers")
    print("| form | answers | QR text chars | QR version (M) | modules per side |")
    print("| --- | ---: | ---: | ---: | ---: |")
    library = load_library()
    for form_id in sorted(library.forms):
        form = library.get(form_id)
        answers = sample_answers(form, issued.date())
        app = Application(office_code=OFFICE, kiosk_id="K01", issued_at=issued, ticket="A-123",
                          procedures=[ProcedureEntry(form.id, form.version, answers)])
        text = encode(app, kiosk_keys, forbidden_keys=form.counter_only_ids())
        version = qr_version_m(text)
        print(f"| {form_id} | {len(answers)} | {len(text)} | {version} | {17 + 4 * version} |")


# --- format 2 (docs/slip-format.md, "Format 2") -------------------------------------------------


def format_2_figures(runs: int) -> None:
    """The three sample applications in format 2 beside format 1: content bytes, characters,
    QR version, and the time to encode and decode with the shipped form library."""
    library = load_library()
    kiosk, desk = _keys()
    print(f"format 2 (by the form definitions), median of {runs} runs")
    print("| application | CBOR bytes | deflated bytes | QR text chars (format 1 -> 2) "
          "| QR version (M) (format 1 -> 2) | encode ms | decode ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, make in SAMPLES.items():
        app = make(new_slip_id())
        old, new = encode(app, kiosk), encode(app, kiosk, forms=library.get)
        cbor = to_cbor_2(app, library.get)
        enc = _median_ms(lambda: encode(app, kiosk, forms=library.get), runs)  # noqa: B023
        dec = _median_ms(
            lambda: decode(new, desk, office_code=OFFICE, forms=library.get), runs  # noqa: B023
        )
        print(f"| {name} | {len(cbor)} | {len(deflate_2(cbor))} | {len(old)} -> {len(new)} | "
              f"{qr_version_m(old)} -> {qr_version_m(new)} | {enc:.3f} | {dec:.3f} |")


def format_2_per_form(*, kiosk_keys: KioskKeys) -> None:
    """Each shipped form, maximal sample answers and the kiosk's flags, in format 2."""
    issued = datetime(2026, 11, 23, 10, 0, tzinfo=JST)
    library = load_library()
    print("each shipped form in format 2, maximal sample answers and flags")
    print("| form | QR text chars (format 1 -> 2) | QR version (M) (format 1 -> 2) |")
    print("| --- | ---: | ---: |")
    for form_id in sorted(library.forms):
        form = library.get(form_id)
        app = Application(
            office_code=OFFICE, kiosk_id="K01", issued_at=issued, ticket="A-123",
            procedures=[ProcedureEntry(form.id, form.version, sample_answers(form, issued.date()),
                                       sample_flags(form))])
        old = encode(app, kiosk_keys)
        new = encode(app, kiosk_keys, forms=library.get)
        print(f"| {form_id} | {len(old)} -> {len(new)} | "
              f"{qr_version_m(old)} -> {qr_version_m(new)} |")


if __name__ == "__main__":
    raise SystemExit(main())
