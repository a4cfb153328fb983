"""Fixtures for the printer tests: a small PDF, and a real cupsd with cups-pdf queues."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drivers.printer.pdfs import make_pdf
from tests.support.cupsd import Cupsd, PdfQueue, cups_pdf_queue


@pytest.fixture
def small_pdf() -> bytes:
    return make_pdf()


@pytest.fixture
def pdf_queue(cupsd: Cupsd, tmp_path: Path) -> Iterator[PdfQueue]:
    """A fresh queue per test, so a test that disables or rejects leaves nothing behind."""
    name = f"kiosk-test-{uuid.uuid4().hex[:8]}"
    with cups_pdf_queue(name, tmp_path / "paper") as queue:
        yield queue
