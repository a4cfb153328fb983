"""Builds a `Desk` from kiosk.toml: the desk's side of the one wiring place.

Same order as the kiosk's bootstrap: forms, database, printer, keys. The desk prints A4 forms,
so its printer is the configured form queue (or the file sink of the demo). It opens slips with
the counter's sealing keys from `keys_dir`; if the same folder also holds a kiosk signing key
(the demo, or a desk set up beside its kiosk), reprinted slips get their code back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Engine

from drivers.card.reader import open_readers
from drivers.printer.base import Printer
from drivers.printer.errors import PrinterError
from drivers.printer.factory import make_printer
from kiosk.bootstrap import load_forms, utc_now
from kiosk.config import KioskConfig
from kiosk.desk.card import PcscMyNumberReader
from kiosk.desk.errors import desk_error
from kiosk.desk.service import Desk
from kiosk.store.db import make_engine
from kiosk.store.errors import StoreError
from kiosk.store.repository import open_store
from printouts.layout import Fonts
from printouts.payload import KeyStoreError, KioskKeys, load_desk_keys, load_kiosk_keys
from printouts.payload.keys import KIOSK_KEY_FILE

CLERK_ENV = "KIOSK_CLERK"
DESK_ENV = "KIOSK_DESK"
_STAFF_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,63}")  # the store's rule for ids


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


def build_form_printer(config: KioskConfig) -> tuple[Printer, str]:
    """The A4 printer: CUPS `printer.form_queue`, or the file sink of the demo."""
    if config.printer.backend == "file":
        config.printer.out_dir.mkdir(parents=True, exist_ok=True)
        return make_printer("file", directory=config.printer.out_dir), "file"
    return make_printer("cups", queue=config.printer.form_queue), config.printer.form_queue


def optional_kiosk_keys(config: KioskConfig) -> KioskKeys | None:
    """The kiosk signing key, if this desk has one beside its sealing key (for reprints)."""
    if not (config.keys_dir / KIOSK_KEY_FILE).exists():
        return None
    try:
        return load_kiosk_keys(config.keys_dir)
    except KeyStoreError:
        return None


def default_desk_id() -> str | None:
    """$KIOSK_DESK, else the host name if the store accepts it as an id."""
    name = os.environ.get(DESK_ENV) or socket.gethostname()
    return name if _STAFF_ID.fullmatch(name) else None


def build_desk(config: KioskConfig, *, clerk: str | None, desk_id: str | None = None,
               clock: Callable[[], dt.datetime] = utc_now,
               printer: tuple[Printer, str] | None = None, fonts: Fonts | None = None) -> DeskParts:
    """Forms, database, printer, keys; a problem with any of them is a DeskError with its code."""
    library = load_forms(config)
    engine = make_engine(config.database.url)  # an SQLite file's folder is made here
    try:
        store = open_store(engine, config.database.key_file, clock=clock)
        the_printer, label = printer or build_form_printer(config)
        desk = Desk(
            store=store, keys=load_desk_keys(config.keys_dir), library=library,
            printer=the_printer, printer_label=label, office=config.office,
            counters=dict(config.counters), clock=clock, clerk=clerk,
            desk_id=desk_id if desk_id is not None else default_desk_id(), fonts=fonts,
            kiosk_keys=optional_kiosk_keys(config))
    except (StoreError, KeyStoreError, PrinterError) as exc:
        engine.dispose()
        raise desk_error(exc) from None
    except BaseException:
        engine.dispose()
        raise
    return DeskParts(desk, the_printer, label, engine)


@contextlib.contextmanager
def opened_desk(config: KioskConfig, *, clerk: str | None, desk_id: str | None = None
                ) -> Iterator[Desk]:
    """A desk for one command: its database connections closed after."""
    parts = build_desk(config, clerk=clerk, desk_id=desk_id)
    try:
        yield parts.desk
    finally:
        parts.close()


def build_card_reader(config: KioskConfig) -> PcscMyNumberReader:
    """The counter's card reader (the same [card] settings as a kiosk's)."""
    return PcscMyNumberReader(open_readers(config.card.backend, reader_name=config.card.reader))
