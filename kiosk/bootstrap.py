"""The one wiring place (cosmicpython's bootstrap): config in, a ready kiosk session out.

Nothing is opened at import time anywhere in the project; this module opens the database,
the printer, the keys and the card reader, in that order, and hands them to the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drivers.card.reader import open_readers
from drivers.printer.base import Printer
from drivers.printer.factory import make_printer
from forms.loader import Library, load_library
from kiosk.card_port import PcscCardPort
from kiosk.config import KioskConfig
from kiosk.errors import KioskError
from kiosk.session.session import Session
from kiosk.staff_bell import CommandBell
from kiosk.store.db import make_engine
from kiosk.store.repository import Store, open_store
from kiosk.submit import KioskSubmitter
from printouts.layout import Fonts
from printouts.payload import load_kiosk_keys

IDENTITY_FORM_DIR = Path(__file__).parent / "session" / "identity_form"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class KioskParts:
    """What the wiring built, for the UI and for tests that look behind the session."""

    session: Session
    library: Library
    store: Store
    printer: Printer
    submitter: KioskSubmitter


def load_forms(config: KioskConfig) -> Library:
    library = load_library(config.forms.dirs, counters=set(config.counters))
    if not library.forms:
        raise KioskError("no procedure could be loaded; run `kiosk forms validate` to see why")
    return library


def build_printer(config: KioskConfig) -> tuple[Printer, str]:
    if config.printer.backend == "file":
        config.printer.out_dir.mkdir(parents=True, exist_ok=True)
        return make_printer("file", directory=config.printer.out_dir), "file"
    return make_printer("cups", queue=config.printer.slip_queue), config.printer.slip_queue


def build_store(config: KioskConfig) -> Store:
    url = config.database.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return open_store(make_engine(url), config.database.key_file)


def build_kiosk(config: KioskConfig, *, staff_pin: str, clock: Callable[[], dt.datetime] = utc_now,
                printer: tuple[Printer, str] | None = None) -> KioskParts:
    """A session wired to the configured card reader, database, printer and keys."""
    library = load_forms(config)
    store = build_store(config)
    the_printer, label = printer or build_printer(config)
    submitter = KioskSubmitter(
        store=store, printer=the_printer, printer_label=label, keys=load_kiosk_keys(config.keys_dir),
        fonts=Fonts.for_pdf(), library=library, office_code=config.office.code,
        office_name=config.office.name, kiosk_id=config.kiosk_id, counters=dict(config.counters), clock=clock)
    manual = load_library([], shipped=IDENTITY_FORM_DIR).get("manual_identity")
    card = PcscCardPort(open_readers(config.card.backend, reader_name=config.card.reader))
    office = {"name": config.office.name, "code": config.office.code, "address": config.office.address,
              "phone": config.office.phone}
    bell = CommandBell(config.staff_call.command, config.kiosk_id) if config.staff_call.command else None
    session = Session(library=library, card=card, submitter=submitter, office=office, clock=clock,
                      idle_timeout_s=config.idle_timeout_s, manual_form=manual, staff_pin=staff_pin,
                      lang=config.languages[0], staff_bell=bell)
    return KioskParts(session, library, store, the_printer, submitter)


