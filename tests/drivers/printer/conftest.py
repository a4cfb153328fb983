"""Fixtures for the printer tests: a small PDF, and a real cupsd with cups-pdf queues."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drivers.printer.pdfs import make_pdf
from tests.support.cupsd import Cupsd, PdfQueue, cups_pdf_queue, running_cupsd


@pytest.fixture
def small_pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="session")
def cupsd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cupsd]:
    # Fail, not skip: a skipped integration test would hide a missing install step in CI.
    for program in ("cupsd", "lpadmin", "lp", "lpstat", "ipptool"):
        if shutil.which(program) is None:
            pytest.fail(
                f"{program} is missing: apt-get install cups cups-client cups-ipp-utils "
                "printer-driver-cups-pdf"
            )
    log = tmp_path_factory.mktemp("cupsd") / "cupsd.log"
    with running_cupsd(log=log) as server:
        yield server


@pytest.fixture
def pdf_queue(cupsd: Cupsd, tmp_path: Path) -> Iterator[PdfQueue]:
    """A fresh queue per test, so a test that disables or rejects leaves nothing behind."""
    name = f"kiosk-test-{uuid.uuid4().hex[:8]}"
    with cups_pdf_queue(name, tmp_path / "paper") as queue:
        yield queue
