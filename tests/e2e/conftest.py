"""End-to-end fixtures: the desk's sites (SQLite and a real PostgreSQL), the real card stack
(pcscd + vpcd + the emulator, from tests/conftest.py) and a real CUPS with a cups-pdf queue, borrowed from the tests
of each part so that every daemon is started the same way everywhere."""

from __future__ import annotations

from tests.drivers.printer.conftest import pdf_queue
from tests.kiosk.desk.conftest import backend, clock, db_url, fonts, library, make_site

__all__ = ["backend", "clock", "db_url", "fonts", "library", "make_site", "pdf_queue"]

