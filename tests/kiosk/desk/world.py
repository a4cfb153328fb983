"""A kiosk and a counter desk wired to real parts (stores, keys, file printers), for the desk's
tests and the end-to-end tests.

`Site` holds both sides. `shared=True` gives the desk the kiosk's database (one city
PostgreSQL, or one SQLite file); `shared=False` gives it a database and data key of its own, so
the slip is the only bridge. Nothing is faked: the kiosk stores and prints with its real
submitter, the desk opens slips with the real counter key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image
from sqlalchemy import Engine, select

from common.clock import JST
from drivers.printer.base import Printer
from drivers.printer.file import FileSink
from forms.engine import evaluate
from forms.loader import Library
from kiosk.application import ProcedureAnswers, Receipt, Submission
from kiosk.config import OfficeConfig
from kiosk.desk.service import Desk
from kiosk.desk.signed import codes_opener
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.models import audit_events
from kiosk.store.repository import Store, open_store
from kiosk.store.sealing import RecordOpener, RecordSealer
from kiosk.store.staff import Role
from kiosk.submit import KioskSubmitter
from printouts.layout import Fonts
from printouts.payload import init_keys, load_desk_keys, load_kiosk_keys
from printouts.samples import sample_answers, sample_flags

OFFICE = OfficeConfig(name="みほん市役所", code="999997")
COUNTERS = {"resident": "市民課 住民記録係", "insurance": "保険年金課"}
CLERK = "clerk-007"
DESK_ID = "desk-3"
# d1..d11 weighted 6 5 4 3 2 7 6 5 4 3 2 sum to 212; 212 mod 11 = 3; check digit 11 - 3 = 8.
# The emulator's sample resident has it too (drivers/card/emulator/sample_resident.toml).
MY_NUMBER = "123456789018"


def my_number_spellings(number: str = MY_NUMBER) -> list[bytes]:
    """The ways the number could sit in a file: plain, grouped, UTF-16 (a Windows tool)."""
    grouped = f"{number[:4]} {number[4:8]} {number[8:]}"
    texts = [number, grouped, grouped.replace(" ", "-")]
    return [t.encode(enc) for t in texts for enc in ("ascii", "utf-16-le")]


def submission(library: Library, form_ids: Sequence[str], *, today: dt.date,
               answers: Mapping[str, Mapping[str, Any]] | None = None,
               when: dt.datetime) -> Submission:
    """What the session would hand over: normalised answers of each form, with its flags."""
    procedures = []
    for form_id in form_ids:
        form = library.get(form_id)
        given = dict((answers or {}).get(form_id) or sample_answers(form, today))
        values = evaluate(form, given, today=today).values
        procedures.append(ProcedureAnswers(form.id, form.version, values, sample_flags(form)))
    return Submission(tuple(procedures), identity_source="card", staff_assisted=False, lang="ja",
                      created_at=when)


def decode_image(image: Image.Image) -> list[str]:
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)  # large ticket digits can pass for a 1-D code
    return [c.text for c in zxingcpp.read_barcodes(image, formats=qr_only) if c.valid]


def rasterise(pdf: Path, dpi: int = 203) -> Image.Image:
    """The slip as the thermal printer's dot grid makes it (the test helpers' rule)."""
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=dpi / 72 * (1 - 1e-6), grayscale=True)
        image: Image.Image = bitmap.to_pil().convert("L")
        return image
    finally:
        document.close()


@dataclass
class Kiosk:
    kiosk_id: str
    keys_dir: Path  # its signing key and trust.json: nothing that opens an application
    store: Store
    sink: FileSink
    submitter: KioskSubmitter

    def submit(self, sub: Submission) -> tuple[Receipt, Path]:
        receipt = self.submitter.submit(sub)
        return receipt, self.sink.output[-1].path


@dataclass
class Site:
    """One office: kiosks, one desk, their stores, keys and printers."""

    root: Path
    library: Library
    fonts: Fonts
    clock: Callable[[], dt.datetime]
    keys_dir: Path
    desk: Desk
    desk_store: Store
    desk_sink: FileSink
    shared: bool
    desk_url: str
    kiosks: dict[str, Kiosk] = field(default_factory=dict)
    engines: list[Engine] = field(default_factory=list)

    @property
    def kiosk(self) -> Kiosk:
        return self.kiosks["K01"]

    def today(self) -> dt.date:
        return self.clock().astimezone(JST).date()

    def config_file(self, **printer: str) -> Path:
        """A kiosk.toml for the desk of this site (`kiosk desk ...` reads it)."""
        out = self.root / "desk-print"
        out.mkdir(exist_ok=True)
        lines = [
            f'keys_dir = "{self.keys_dir}"', "",  # top-level keys before the first table
            "[office]", f'name = "{OFFICE.name}"', f'code = "{OFFICE.code}"', "",
            "[database]", f'url = "{self.desk_url}"', "",
            "[printer]", f'backend = "{printer.get("backend", "file")}"', f'out_dir = "{out}"',
            f'form_queue = "{printer.get("form_queue", "kiosk-a4")}"',
        ]
        path = self.root / "kiosk.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def submission(self, *form_ids: str, **answers: Mapping[str, Any]) -> Submission:
        return submission(self.library, form_ids or ("juminhyo",), today=self.today(),
                          answers=answers, when=self.clock())


def _store(url: str, engines: list[Engine], clock: Callable[[], dt.datetime], *,
           sealer: RecordSealer | None = None, opener: RecordOpener | None = None) -> Store:
    engine = make_engine(url)
    engines.append(engine)
    upgrade(engine)
    return open_store(engine, sealer=sealer, opener=opener, clock=clock)


def desk_opener(keys_dir: Path, library: Library) -> RecordOpener:
    """A desk's opener of stored records, as the wiring builds it."""
    keys = load_desk_keys(keys_dir)
    return RecordOpener(keys, codes_opener(keys, office_code=OFFICE.code, forms=library.form_version))


def build_site(root: Path, *, url: Callable[[str], str], shared: bool, library: Library,
               fonts: Fonts, clock: Callable[[], dt.datetime], kiosk_ids: Sequence[str] = ("K01",),
               desk_library: Library | None = None,
               desk_printer: tuple[Printer, str] | None = None,
               serves: Sequence[str] = (), role: Role = "supervisor") -> Site:
    """Keys by role as docs/security.md sets them up: the desk's sealing key first, each kiosk's
    signing key in a folder of its own with the trust list copied over, and the desk's trust
    list naming every kiosk. A store per kiosk unless shared. The desk's person is signed in
    as a supervisor (every desk action); tests of the roles sign in as others."""
    keys_dir = root / "keys"
    init_keys(keys_dir, kiosk_id="K01", office_code=OFFICE.code, role="desk")
    engines: list[Engine] = []
    kiosk_url = url("kiosk")
    kiosks: dict[str, Kiosk] = {}
    for n, kiosk_id in enumerate(kiosk_ids):
        own = root / f"keys-{kiosk_id}"
        own.mkdir(mode=0o700, parents=True)
        (own / "trust.json").write_bytes((keys_dir / "trust.json").read_bytes())
        init_keys(own, kiosk_id=kiosk_id, office_code=OFFICE.code, role="kiosk")
        (keys_dir / "trust.json").write_bytes((own / "trust.json").read_bytes())
        store_url = kiosk_url if (shared or n == 0) else url(f"kiosk_{kiosk_id.lower()}")
        kiosk_keys = load_kiosk_keys(own)
        store = _store(store_url, engines, clock, sealer=RecordSealer(kiosk_keys))
        slips = root / f"slips-{kiosk_id}"
        slips.mkdir()
        sink = FileSink(slips)
        submitter = KioskSubmitter(
            store=store, printer=sink, printer_label="file", keys=kiosk_keys,
            fonts=fonts, library=library, office_code=OFFICE.code, office_name=OFFICE.name,
            kiosk_id=kiosk_id, counters=COUNTERS, clock=clock)
        kiosks[kiosk_id] = Kiosk(kiosk_id, own, store, sink, submitter)
    desk_url = kiosk_url if shared else url("desk")
    desk_lib = desk_library or library
    desk_store = _store(desk_url, engines, clock, opener=desk_opener(keys_dir, desk_lib))
    forms_out = root / "forms-out"
    forms_out.mkdir()
    desk_sink = FileSink(forms_out)
    printer, label = desk_printer or (desk_sink, "file")
    desk = Desk(
        store=desk_store, keys=load_desk_keys(keys_dir), library=desk_lib,
        printer=printer, printer_label=label, office=OFFICE, counters=COUNTERS, clock=clock,
        clerk=CLERK, role=role, desk_id=DESK_ID, fonts=fonts, serves=serves)
    return Site(root, library, fonts, clock, keys_dir, desk, desk_store, desk_sink, shared,
                desk_url, kiosks, engines)


def refused(site: Site) -> list[str | None]:
    """The codes of the refused scans in the desk's audit trail, oldest first."""
    with site.engines[-1].connect() as conn:  # the desk's store is built last
        return list(conn.execute(select(audit_events.c.detail).where(
            audit_events.c.action == "refused").order_by(audit_events.c.id)).scalars())


def counter_desk(site: Site, *serves: str, desk_id: str) -> Desk:
    """Another counter's desk of the same office: the same store, keys and forms as the
    site's desk, serving only `serves` ([desk] counters)."""
    return Desk(
        store=site.desk_store, keys=load_desk_keys(site.keys_dir), library=site.library,
        printer=site.desk_sink, printer_label="file", office=OFFICE, counters=COUNTERS,
        clock=site.clock, clerk=CLERK, role="supervisor", desk_id=desk_id, fonts=site.fonts,
        serves=serves)
