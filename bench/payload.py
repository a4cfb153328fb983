"""Slip payload: how long encode and decode take, and how big the QR code gets.

Run as ``python -m bench.payload [--runs N] [--life-events]``. The figures go in bench/README.md
("Slip payload") and docs/slip-format.md ("Size budget"); the sample applications are
tests.support.examples, the same ones the size test uses. Then each shipped life event with a
household of 2, 4 and 6 as the slip carries it: one code a counter (issue 14), and the issue's
targets for them, printed as facts.
"""

from __future__ import annotations

import argparse
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from qrcode.constants import ERROR_CORRECT_M

from bench.timing import median_ms
from forms.loader import Library, load_library
from forms.model import Form, LifeEvent
from kiosk.application import ProcedureAnswers, SlipCodes, SlipOrigin, Submission, slip_codes
from kiosk.cli.event_preview import event_forms, household_answers
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
        encode_ms=median_ms(lambda: encode(app, kiosk), runs),
        decode_ms=median_ms(lambda: decode(text, desk, office_code=OFFICE), runs),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.payload", description=__doc__)
    parser.add_argument("--runs", type=int, default=300, help="timed runs per figure (median)")
    parser.add_argument("--life-events", action="store_true",
                        help="only the life events' codes and the issue 14 targets (no timings)")
    args = parser.parse_args(argv)
    if args.life_events:
        life_events()
        return 0
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
    print()
    life_events()
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
        old, new = encode(app, kiosk), encode(app, kiosk, forms=library.form_version)
        cbor = to_cbor_2(app, library.form_version)
        enc = median_ms(lambda: encode(app, kiosk, forms=library.form_version), runs)  # noqa: B023
        dec = median_ms(
            lambda: decode(new, desk, office_code=OFFICE, forms=library.form_version), runs  # noqa: B023
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
        new = encode(app, kiosk_keys, forms=library.form_version)
        print(f"| {form_id} | {len(old)} -> {len(new)} | "
              f"{qr_version_m(old)} -> {qr_version_m(new)} |")



# --- life events: one code a counter (issue 14) -------------------------------------------------

HOUSEHOLDS = (2, 4, 6)
# A USB scanner sends a key every 1-4 ms; the clerk waits for the whole code before Enter.
SCANNER_S_PER_CHAR = 0.002
# Issue 14's targets: the largest household it names still prints codes a cheap scanner reads
# quickly, and the usual one-certificate visit stays a small code.
TARGET_HOUSEHOLD = 6
TARGET_EVENT_VERSION = 20
TARGET_JUMINHYO_VERSION = 10
LIFE_EVENT_ISSUED = datetime(2026, 11, 23, 10, 0, tzinfo=JST)


@dataclass(frozen=True)
class CodeFigures:
    """One code of a slip: its counter (key), the procedures (form ids) it holds, and its size;
    `chars` is None when no code could hold them and they went on their paper form."""

    counter: str
    procedures: tuple[str, ...]
    chars: int | None
    version: int | None

    def line(self) -> str:
        held = f"{self.counter} ({', '.join(self.procedures)})"
        if self.chars is None or self.version is None:
            return f"  {held}: too large for any code, printed as its paper form"
        return (f"  {held}: {self.chars} chars, version {self.version}, "
                f"{self.chars * SCANNER_S_PER_CHAR:.2f} s to type")


@dataclass(frozen=True)
class SlipFigures:
    """The codes one slip carries, in the order to visit."""

    name: str
    codes: tuple[CodeFigures, ...]

    @property
    def printed(self) -> tuple[CodeFigures, ...]:
        return tuple(c for c in self.codes if c.chars is not None)

    @property
    def largest_version(self) -> int:
        return max((c.version or 0 for c in self.codes), default=0)

    @property
    def chars(self) -> int:
        return sum(c.chars or 0 for c in self.codes)

    def line(self) -> str:
        return (f"{self.name}: {len(self.printed)} codes, largest version {self.largest_version}, "
                f"{self.chars} characters in all")

    def lines(self) -> list[str]:
        return [self.line(), *(c.line() for c in self.codes)]


def _origin(keys: KioskKeys) -> SlipOrigin:
    return SlipOrigin(office_code=keys.kiosk.office_code, office_name="bench",
                      kiosk_id=keys.kiosk.kiosk_id, ticket="A-123", slip_id=new_slip_id(),
                      issued_at=LIFE_EVENT_ISSUED)


def slip_figures(name: str, submission: Submission, forms: Sequence[Form], keys: KioskKeys
                 ) -> SlipFigures:
    """The codes the kiosk's own slip_codes makes for a submission, as it prints them."""
    made: SlipCodes = slip_codes(submission, forms, _origin(keys), keys=keys, counters={})
    # counters={} keeps each code's counter key; a code's titles are its forms' Japanese names.
    ids = {form.name.ja: form.id for form in forms}
    return SlipFigures(name, tuple(
        CodeFigures(code.counter, tuple(ids.get(t, t) for t in code.titles),
                    None if code.text is None else len(code.text),
                    None if code.text is None else qr_version_m(code.text))
        for code in made.codes))


def _submission(procedures: Sequence[ProcedureAnswers]) -> Submission:
    return Submission(tuple(procedures), identity_source="card", staff_assisted=False, lang="ja",
                      created_at=LIFE_EVENT_ISSUED)


def event_figures(event: LifeEvent, library: Library, members: int, keys: KioskKeys
                  ) -> SlipFigures:
    """The slip of the whole event (every procedure it can lead to), each household group with
    `members` people: the preview's sample household (kiosk/cli/event_preview.py)."""
    forms = event_forms(event, library)
    today = LIFE_EVENT_ISSUED.date()
    submission = _submission([
        ProcedureAnswers(f.id, f.version, household_answers(f, today, members), sample_flags(f))
        for f in forms])
    return slip_figures(f"life event {event.id}, household of {members}", submission, forms, keys)


def _juminhyo_request(library: Library) -> tuple[Submission, list[Form]]:
    """A 住民票 request alone: the small sample application (the issue's "13 today")."""
    entries = small_application(new_slip_id()).procedures
    submission = _submission([ProcedureAnswers(e.form_id, e.form_version, dict(e.answers),
                                               {k: list(v) for k, v in e.flags.items()})
                              for e in entries])
    return submission, [library.get(e.form_id) for e in entries]


def juminhyo_figures(library: Library, keys: KioskKeys) -> SlipFigures:
    submission, forms = _juminhyo_request(library)
    return slip_figures("住民票 request (the small sample)", submission, forms, keys)


def kiosk_format(library: Library, keys: KioskKeys) -> int:
    """The format slip_codes writes (its code's prefix), said beside the figures: format 1 is
    about twice as long, so figures of the other format would not be today's."""
    submission, forms = _juminhyo_request(library)
    text = slip_codes(submission, forms, _origin(keys), keys=keys, counters={}).codes[0].text
    return 2 if text is not None and text.startswith("KS2-") else 1


def version_capacity(version: int) -> int:
    """How many Base45 characters a QR code of this version holds at level M."""
    low, high = 1, 3391  # version 40 at level M holds 3,391 (ISO/IEC 18004 Table 7)
    while low < high:
        mid = (low + high + 1) // 2
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        code.add_data("A" * mid)
        low, high = (mid, high) if code.best_fit() <= version else (low, mid - 1)
    return low


def _target_line(target: str, limit: int, slips: Sequence[SlipFigures]) -> str:
    """`met` with the largest code seen and the room left, or `not met` with each code above
    the limit and by how much: a fact to read, not an assertion (the bench exits 0 either way)."""
    room = version_capacity(limit)
    codes = [(s, c) for s in slips for c in s.codes]
    s, c = max(codes, key=lambda sc: (sc[1].version or 99, sc[1].chars or 0))
    largest = (f"the largest is version {c.version or 'none (on paper)'}: {s.name}, {c.counter} "
               f"({', '.join(c.procedures)}), {c.chars} characters (version {limit} holds {room})")
    over = [(s, c) for s, c in codes if c.version is None or c.version > limit]
    if not over:
        return f"{target}: met; {largest}"
    missed = "; ".join(
        f"{s.name}, {c.counter} ({', '.join(c.procedures)}): "
        + ("no code, on paper" if c.chars is None or c.version is None else
           f"version {c.version}, {c.version - limit} above, {c.chars - room} characters too many")
        for s, c in over)
    return f"{target}: not met; {largest}. Above it: {missed}"


def life_events() -> None:
    """Every shipped life event with households of 2, 4 and 6, then issue 14's targets."""
    library = load_library()
    keys = _keys()[0]
    written = kiosk_format(library, keys)
    print(f"each life event, the slip's codes (one a counter, in the order to visit), made by "
          f"kiosk.application.slip_codes (format {written}) with throwaway keys")
    slips = {(event.id, members): event_figures(event, library, members, keys)
             for event in library.life_events.values() for members in HOUSEHOLDS}
    for slip in slips.values():
        print("\n".join(slip.lines()))
    juminhyo = juminhyo_figures(library, keys)
    print("\n".join(juminhyo.lines()))
    print()
    print(_target_line(f"target: every life event with a household of {TARGET_HOUSEHOLD} needs no "
                       f"code above version {TARGET_EVENT_VERSION}", TARGET_EVENT_VERSION,
                       [s for (_, members), s in slips.items() if members == TARGET_HOUSEHOLD]))
    print(_target_line(f"target: a 住民票 request alone fits version {TARGET_JUMINHYO_VERSION}",
                       TARGET_JUMINHYO_VERSION, [juminhyo]))

if __name__ == "__main__":
    raise SystemExit(main())
