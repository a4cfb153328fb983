"""Choosing the backend from the settings, and the messages a clerk reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drivers.printer import errors
from drivers.printer.base import PaperSize
from drivers.printer.cups import CupsPrinter
from drivers.printer.factory import make_printer
from drivers.printer.file import FileSink


def test_builds_the_file_sink(tmp_path: Path) -> None:
    printer = make_printer("file", directory=tmp_path)

    assert isinstance(printer, FileSink)
    assert printer.directory == tmp_path


def test_builds_a_cups_printer_without_asking_cups(tmp_path: Path) -> None:
    # Construction talks to no daemon, so settings can be loaded while CUPS is down.
    printer = make_printer("cups", queue="kiosk-slip", wait=True, timeout=5.0)

    assert isinstance(printer, CupsPrinter)
    assert (printer.queue, printer.wait, printer.timeout) == ("kiosk-slip", True, 5.0)


@pytest.mark.parametrize("backend", ["dummy", "CUPS", "", "usb"])
def test_an_unknown_backend_fails_loudly(backend: str) -> None:
    with pytest.raises(errors.UnknownBackend) as caught:
        make_printer(backend, directory="/tmp")

    assert "cups, file" in caught.value.message_en
    assert "IT 担当" in caught.value.message_ja


def test_a_misspelt_option_is_a_settings_error() -> None:
    with pytest.raises(errors.PrinterConfigError, match="quue"):
        make_printer("cups", quue="kiosk-slip")


def test_a_missing_option_is_a_settings_error() -> None:
    with pytest.raises(errors.PrinterConfigError, match="queue"):
        make_printer("cups")


def test_a_queue_name_cups_would_reject_is_a_settings_error() -> None:
    with pytest.raises(errors.PrinterConfigError):
        make_printer("cups", queue="kiosk slip/1")


@pytest.mark.parametrize(
    ("text", "cups", "slug"),
    [
        ("A4", "A4", "A4"),
        ("a5", "A5", "A5"),
        ("80x200mm", "Custom.80x200mm", "80x200mm"),
        ("58x100.5mm", "Custom.58x100.5mm", "58x100.5mm"),
    ],
)
def test_paper_sizes_become_cups_page_sizes(text: str, cups: str, slug: str) -> None:
    paper = PaperSize.parse(text)

    assert (paper.cups_page_size, paper.slug) == (cups, slug)


@pytest.mark.parametrize(
    "error",
    [
        errors.PrintServiceDown(),
        errors.PrinterNotFound("kiosk-slip"),
        errors.PrinterStopped("kiosk-slip", "Media Empty"),
        errors.PrinterNotAccepting("kiosk-slip", "maintenance"),
        errors.PrintJobFailed("kiosk-slip", "kiosk-slip-3", "aborted"),
        errors.PrintJobTimeout("kiosk-slip", "kiosk-slip-3", 30, cancelled=True),
        errors.OutputDirectoryUnusable("/var/kiosk/print", "no such directory"),
        errors.InvalidDocument("empty"),
    ],
)
def test_every_error_speaks_both_languages_and_has_a_code(error: errors.PrinterError) -> None:
    assert isinstance(error, errors.PrinterError)
    assert error.message_ja and error.message_en
    assert any("\u3040" <= character <= "\u9fff" for character in error.message_ja)
    assert error.message_en.isascii()
    assert str(error) == f"{error.message_ja} / {error.message_en}"
    assert error.code != errors.PrinterError.code


def test_a_stopped_printer_says_why_and_what_to_check() -> None:
    error = errors.PrinterStopped("kiosk-slip", "用紙切れ")

    assert "プリンター「kiosk-slip」が停止しています（理由: 用紙切れ）" in error.message_ja
    assert "用紙とふたを確認してください" in error.message_ja
    assert 'Printer "kiosk-slip" is stopped (reason: 用紙切れ)' in error.message_en


def test_drivers_import_nothing_of_the_app() -> None:
    code = (
        "import sys, drivers.printer.factory, drivers.printer.cups\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('kiosk', 'forms', 'printouts')"
        " or m.startswith('kivy')]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.strip() == "[]"
