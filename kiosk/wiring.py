"""The one wiring place (cosmicpython's bootstrap): config in, ready parts out.

The kiosk (`build_kiosk`), the counter desk (`build_desk`) and every CLI command get their
forms, database, printers, keys and card readers from the keyword-only builders here, so a
setting in kiosk.toml means the same thing everywhere. Nothing is opened at import time: a
builder opens what it returns, and its caller closes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from common.clock import utc_now
from drivers.card.reader import CardReaders, open_readers
from drivers.printer.base import Printer
from drivers.printer.errors import PrinterError
from drivers.printer.factory import make_printer
from forms.loader import Library, load_library
from forms.model import Form
from kiosk.card_port import PcscCardPort
from kiosk.config import KioskConfig
from kiosk.desk.access import SignedOut
from kiosk.desk.card import PcscMyNumberReader
from kiosk.desk.errors import desk_error
from kiosk.desk.service import Desk
from kiosk.desk.signed import codes_opener
from kiosk.errors import KioskError
from kiosk.session.session import Session
from kiosk.staff_bell import CommandBell
from kiosk.staff_check import StoreStaffCheck
from kiosk.store.db import make_engine, sqlite_file
from kiosk.store.errors import StoreError
from kiosk.store.repository import Store, open_store
from kiosk.store.sealing import RecordOpener, RecordSealer
from kiosk.submit import KioskSubmitter
from printouts.layout import Fonts
from printouts.payload import DeskKeys, KeyStoreError, load_desk_keys, load_kiosk_keys

IDENTITY_FORM_DIR = Path(__file__).parent / "session" / "identity_form"
CLERK_ENV = "KIOSK_CLERK"
DESK_ENV = "KIOSK_DESK"
_STAFF_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,63}")  # the store's rule for ids

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class KioskParts:
    """What the wiring built, for the UI and for tests that look behind the session.

    `languages` is kiosk.toml's `languages`: the screen offers these, in this order, and the
    first is the one every session starts in (config.py checks each has a screen catalogue).
    """

    session: Session
    library: Library
    store: Store
    printer: Printer
    submitter: KioskSubmitter
    languages: tuple[str, ...]
    counters: dict[str, str]
    engine: Engine

    def close(self) -> None:
        """Forget the resident on screen and close the database connections."""
        self.session.wipe()
        self.engine.dispose()


@dataclass(frozen=True)
class DeskParts:
    desk: Desk
    printer: Printer
    printer_label: str
    engine: Engine

    def close(self) -> None:
        """Forget the application on screen and close the database connections."""
        self.desk.forget()
        self.engine.dispose()


# ---------------------------------------------------------------- the parts
def load_forms(*, config: KioskConfig, allow_empty: bool = False) -> Library:
    """The shipped procedures and the office's own (`forms.dirs`), for its counters, less
    those `[forms] hide` names.

    A kiosk or desk with no procedure is refused; `kiosk forms` commands pass `allow_empty`
    to report what could not be loaded instead.
    """
    library = load_library(config.forms.dirs, counters=set(config.counters), hide=config.forms.hide)
    if not library.forms and not allow_empty:
        raise KioskError("no procedure could be loaded; run `kiosk forms validate` to see why")
    return library


def load_manual_form() -> Form:
    """The questions a resident without a usable card answers (a form file like any other)."""
    return load_library([], shipped=IDENTITY_FORM_DIR).get("manual_identity")


def office_details(*, config: KioskConfig) -> dict[str, str]:
    """The `office.*` values a form's bindings and the printouts take."""
    office = config.office
    return {"name": office.name, "code": office.code, "address": office.address, "phone": office.phone}


def open_engine(*, config: KioskConfig, make_folder: bool = True) -> Engine:
    """The database engine. An SQLite file's folder is made unless `make_folder` is False
    (commands that only look at an existing database); the file itself is not."""
    engine = make_engine(config.database.url)
    path = sqlite_file(engine)
    if path is not None and make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    return engine


def kiosk_store(*, config: KioskConfig, engine: Engine, clock: Clock = utc_now) -> Store:
    """A kiosk's store: it seals and signs what it writes, and cannot read any of it."""
    return open_store(engine, sealer=RecordSealer(load_kiosk_keys(config.keys_dir)), clock=clock)


def desk_store(*, config: KioskConfig, engine: Engine, keys: DeskKeys, library: Library,
               clock: Clock = utc_now) -> Store:
    """A desk's store: it opens records a trusted kiosk signed, and writes none of its own."""
    opener = RecordOpener(keys, codes_opener(keys, office_code=config.office.code,
                                             forms=library.form_version))
    return open_store(engine, opener=opener, clock=clock)


def _file_sink(config: KioskConfig) -> tuple[Printer, str]:
    config.printer.out_dir.mkdir(parents=True, exist_ok=True)
    return make_printer("file", directory=config.printer.out_dir), "file"


def build_slip_printer(*, config: KioskConfig) -> tuple[Printer, str]:
    """The kiosk's slip printer: CUPS `printer.slip_queue`, or the file sink of the demo."""
    if config.printer.backend == "file":
        return _file_sink(config)
    return make_printer("cups", queue=config.printer.slip_queue), config.printer.slip_queue


def build_form_printer(*, config: KioskConfig) -> tuple[Printer, str]:
    """The desk's A4 printer: CUPS `printer.form_queue`, or the file sink of the demo."""
    if config.printer.backend == "file":
        return _file_sink(config)
    return make_printer("cups", queue=config.printer.form_queue), config.printer.form_queue


def card_readers(*, config: KioskConfig, reader: str | None = None) -> CardReaders:
    """The configured PC/SC readers; `reader` overrides `card.reader` (the CLI's --reader)."""
    return open_readers(config.card.backend, reader_name=config.card.reader if reader is None else reader)


def build_card_port(*, config: KioskConfig) -> PcscCardPort:
    """The kiosk's card port: the session's view of the reader."""
    return PcscCardPort(card_readers(config=config))


def build_card_reader(*, config: KioskConfig) -> PcscMyNumberReader:
    """The counter's card reader (the same [card] settings as a kiosk's)."""
    return PcscMyNumberReader(card_readers(config=config))


def default_desk_id() -> str | None:
    """$KIOSK_DESK, else the host name if the store accepts it as an id."""
    name = os.environ.get(DESK_ENV) or socket.gethostname()
    return name if _STAFF_ID.fullmatch(name) else None


# ---------------------------------------------------------------- the kiosk
def build_kiosk(*, config: KioskConfig, clock: Clock = utc_now,
                printer: tuple[Printer, str] | None = None, library: Library | None = None) -> KioskParts:
    """A session wired to the configured forms, database, printer, keys and card reader; staff
    sign in with their own id and kiosk PIN, checked by the store (`kiosk staff`). `library`
    offers other forms than the configured ones (`kiosk try`: one form)."""
    library = library or load_forms(config=config)
    engine = open_engine(config=config)
    try:
        return _kiosk_on(engine, config=config, library=library, clock=clock, printer=printer)
    except BaseException:
        engine.dispose()
        raise


def _kiosk_on(engine: Engine, *, config: KioskConfig, library: Library, clock: Clock,
              printer: tuple[Printer, str] | None) -> KioskParts:
    store = kiosk_store(config=config, engine=engine, clock=clock)
    the_printer, label = printer or build_slip_printer(config=config)
    submitter = KioskSubmitter(
        store=store, printer=the_printer, printer_label=label, keys=load_kiosk_keys(config.keys_dir),
        fonts=Fonts.for_pdf(), library=library, office_code=config.office.code,
        office_name=config.office.name, kiosk_id=config.kiosk_id, counters=dict(config.counters), clock=clock)
    bell = CommandBell(config.staff_call.command, config.kiosk_id) if config.staff_call.command else None
    session = Session(library=library, card=build_card_port(config=config), submitter=submitter,
                      office=office_details(config=config), clock=clock,
                      idle_timeout_s=config.idle_timeout_s, manual_form=load_manual_form(),
                      staff=StoreStaffCheck(store, config.kiosk_id), lang=config.languages[0],
                      staff_bell=bell)
    return KioskParts(session=session, library=library, store=store, printer=the_printer,
                      submitter=submitter, languages=tuple(config.languages),
                      counters=dict(config.counters), engine=engine)


# ---------------------------------------------------------------- the desk
def build_desk(*, config: KioskConfig, clerk: str | None = None, password: str | None = None,
               desk_id: str | None = None, clock: Clock = utc_now,
               printer: tuple[Printer, str] | None = None, fonts: Fonts | None = None) -> DeskParts:
    """Forms, database, printer, keys; a problem with any of them is a DeskError with its code.

    The desk opens slips and stored applications with the counter's sealing keys from
    `keys_dir`, believing only the kiosks of its trust.json; it never signs. It is built with
    nobody signed in; given `clerk`, that person signs in with `password` (the store's account,
    a wrong password counted towards the lockout): a staff id alone opens nothing (SignedOut).
    """
    if clerk is not None and not password:
        raise SignedOut()  # before anything is opened: an id alone proves nothing
    library = load_forms(config=config)
    engine = open_engine(config=config)
    try:
        keys = load_desk_keys(config.keys_dir)
        store = desk_store(config=config, engine=engine, keys=keys, library=library, clock=clock)
        the_printer, label = printer or build_form_printer(config=config)
        desk = Desk(
            store=store, keys=keys, library=library,
            printer=the_printer, printer_label=label, office=config.office,
            counters=dict(config.counters), clock=clock, clerk=None,
            desk_id=desk_id if desk_id is not None else default_desk_id(), fonts=fonts,
            serves=config.desk.counters, slip_valid_days=config.desk.slip_valid_days)
        if clerk is not None and password:
            desk.sign_in(clerk, password)  # a DeskError: sign_in_failed, account_locked, ...
    except (StoreError, KeyStoreError, PrinterError) as exc:
        engine.dispose()
        raise desk_error(exc) from None
    except BaseException:
        engine.dispose()
        raise
    return DeskParts(desk, the_printer, label, engine)


@contextlib.contextmanager
def opened_desk(*, config: KioskConfig, clerk: str | None, password: str | None = None,
                desk_id: str | None = None) -> Iterator[Desk]:
    """A desk for one command, `clerk` signed in with `password`: signed out (audited) and its
    database connections closed after, so the trail shows where each command's access ends."""
    parts = build_desk(config=config, clerk=clerk, password=password, desk_id=desk_id)
    try:
        yield parts.desk
    finally:
        parts.desk.sign_out()
        parts.close()
