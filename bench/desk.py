"""Counter desk benchmark: scan-to-shown time, from the scanner's line (or an image of the slip)
to the `DeskView` the screen draws, and then to the clerk's screen drawn.

    python -m bench.desk             # SQLite file and a throwaway PostgreSQL 15, 40 runs each
    python -m bench.desk --runs 10   # fewer
    python -m bench.desk --screen    # also the Kivy desk screen under Xvfb

Each run scans a fresh slip printed by the real kiosk path (KioskSubmitter: store, encode, slip
PDF): a 住民票 request and a 国保 notification with two people, a QR code of about 900
characters. Timed: `Desk.scan` (the 12-digit check, Base45, HPKE open, Ed25519, CBOR, the
store's locked and audited open, the view in the form's order), for the scanner's text, for a
PNG of the slip at 203 dpi (zxing-cpp first), on the kiosk's database (found) and on the desk's
own (recorded from the slip first), and a second scan of the same slip. Durable commits, as in
production (SQLite synchronous=FULL; PostgreSQL with fsync on). Target: median under 200 ms.
Exit 1 if a median misses it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp

from drivers.printer.file import FileSink
from forms.engine import evaluate
from forms.loader import Library, load_library
from kiosk.application import ProcedureAnswers, Submission
from kiosk.config import OfficeConfig
from kiosk.desk.service import Desk
from kiosk.desk.signed import codes_opener
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.repository import Store, open_store
from kiosk.store.sealing import RecordOpener, RecordSealer
from kiosk.submit import KioskSubmitter
from printouts.layout import Fonts
from printouts.payload import init_keys, load_desk_keys, load_kiosk_keys
from printouts.samples import sample_answers, sample_flags
from tests.support.pgserver import running_postgres

TARGET_MS = 200.0
OFFICE = OfficeConfig(name="みほん市役所", code="999997")
JST = dt.timezone(dt.timedelta(hours=9), "JST")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def submission(library: Library) -> Submission:
    today = dt.datetime.now(JST).date()
    procedures = []
    for form_id in ("juminhyo", "kokuho"):
        form = library.get(form_id)
        values = evaluate(form, sample_answers(form, today), today=today).values
        procedures.append(ProcedureAnswers(form.id, form.version, values, sample_flags(form)))
    return Submission(tuple(procedures), "card", False, "ja", utc_now())


@dataclass
class Rig:
    """A kiosk and a desk on one database (`shared`) or each on its own."""

    submitter: KioskSubmitter
    sink: FileSink
    desk: Desk
    stores: list[Store]

    def slip(self, library: Library) -> Path:
        self.submitter.submit(submission(library))
        return self.sink.output[-1].path


def build_rig(root: Path, url: Callable[[str], str], *, shared: bool, library: Library,
              fonts: Fonts) -> Rig:
    keys = root / "keys"  # the demo's one folder: both roles (docs/security.md)
    init_keys(keys, kiosk_id="K01", office_code=OFFICE.code)
    desk_keys = load_desk_keys(keys)
    kiosk_url = url("kiosk")
    stores = []
    for name, db_url in (("kiosk", kiosk_url), ("desk", kiosk_url if shared else url("desk"))):
        engine = make_engine(db_url)
        upgrade(engine)
        if name == "kiosk":
            stores.append(open_store(engine, sealer=RecordSealer(load_kiosk_keys(keys))))
        else:
            stores.append(open_store(engine, opener=RecordOpener(desk_keys, codes_opener(
                desk_keys, office_code=OFFICE.code, forms=library.form_version))))
    slips = root / "slips"
    slips.mkdir()
    sink = FileSink(slips)
    submitter = KioskSubmitter(
        store=stores[0], printer=sink, printer_label="file", keys=load_kiosk_keys(keys),
        fonts=fonts, library=library, office_code=OFFICE.code, office_name=OFFICE.name,
        kiosk_id="K01", counters={}, clock=utc_now)
    forms = root / "forms"
    forms.mkdir()
    desk = Desk(store=stores[1], keys=load_desk_keys(keys), library=library,
                printer=FileSink(forms), printer_label="file", office=OFFICE, counters={},
                clock=utc_now, clerk="bench", role="supervisor", desk_id="bench", fonts=fonts)
    return Rig(submitter, sink, desk, stores)


def slip_png(slip: Path, out: Path) -> str:
    """The slip at the thermal printer's 203 dpi, as a photo of it would be; returns its text."""
    document = pdfium.PdfDocument(slip)
    try:
        image = document[0].render(scale=203 / 72 * (1 - 1e-6), grayscale=True).to_pil()
    finally:
        document.close()
    image.convert("L").save(out)
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    return str(zxingcpp.read_barcodes(image, formats=qr_only)[0].text)


@dataclass(frozen=True)
class Figure:
    what: str
    database: str
    times_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p90(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def measure(database: str, url: Callable[[str], str], runs: int, library: Library,
            fonts: Fonts) -> list[Figure]:
    times: dict[str, list[float]] = {k: [] for k in (
        "text, found on the kiosk's database", "text, recorded from the slip (own database)",
        "image (PNG, 203 dpi), found", "second scan of the same slip")}
    keys = list(times)
    with tempfile.TemporaryDirectory(prefix="bench-desk-") as tmp:
        shared = build_rig(Path(tmp) / "shared", url, shared=True, library=library, fonts=fonts)
        bridge = build_rig(Path(tmp) / "bridge", url, shared=False, library=library, fonts=fonts)
        for i in range(runs + 2):  # two warm-up rounds
            slip = shared.slip(library)
            png = Path(tmp) / f"slip{i}.png"
            text = slip_png(slip, png)
            other = bridge.slip(library)
            other_text = slip_png(other, Path(tmp) / f"other{i}.png")
            image_slip = shared.slip(library)
            image_png = Path(tmp) / f"image{i}.png"
            slip_png(image_slip, image_png)
            samples = [
                _timed(partial(shared.desk.scan, text + "\r\n")),
                _timed(partial(bridge.desk.scan, other_text + "\r\n")),
                _timed(partial(shared.desk.scan, image_png)),
                _timed(partial(shared.desk.scan, text)),
            ]
            if i >= 2:
                for key, seconds in zip(keys, samples, strict=True):
                    times[key].append(seconds * 1000)
        for rig in (shared, bridge):
            for store in rig.stores:
                store._engine.dispose()
    return [Figure(what, database, ms) for what, ms in times.items()]


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@contextmanager
def databases(tmp: Path) -> Iterator[list[tuple[str, Callable[[str], str]]]]:
    with running_postgres(fsync=True) as server:
        counter = iter(range(1_000_000))
        yield [
            ("SQLite", lambda name: f"sqlite:///{tmp / name}-{next(counter)}.sqlite3"),
            ("PostgreSQL", lambda name: server.create_database(f"{name}_{next(counter)}")),
        ]


def screen_figures(runs: int) -> str:
    """The Kivy desk screen under Xvfb, in a child process (one Kivy window per process)."""
    from kiosk.ui.headless import Xvfb, kivy_environment  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="bench-desk-ui-") as tmp, Xvfb(1280, 800) as display:
        env = kivy_environment(display, str(Path(tmp) / "kivy-home"))
        result = subprocess.run(
            [sys.executable, "-m", "bench.desk_screen", "--runs", str(runs), "--work", tmp],
            env=env, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        return f"screen bench failed:\n{result.stderr[-2000:]}"
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--screen", action="store_true", help="also the Kivy screen (Xvfb)")
    args = parser.parse_args(argv)
    library = load_library()
    fonts = Fonts.for_pdf()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-desk-db-") as tmp, databases(Path(tmp)) as dbs:
        for name, url in dbs:
            figures += measure(name, url, args.runs, library, fonts)
    print(f"scan to DeskView, {args.runs} slips each, median (p90) in ms; target < {TARGET_MS:g}")
    print("| scan | database | median ms | p90 ms |")
    print("| --- | --- | ---: | ---: |")
    for f in figures:
        print(f"| {f.what} | {f.database} | {f.median:.1f} | {f.p90:.1f} |")
    missed = [f for f in figures if f.median >= TARGET_MS]
    if args.screen:
        print(screen_figures(min(args.runs, 20)))
    if missed:
        print(f"missed the target: {', '.join(f'{f.what} ({f.database})' for f in missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
