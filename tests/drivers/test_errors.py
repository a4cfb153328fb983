"""Every driver error speaks the one bilingual scheme (common.errors.BilingualError).

The desk and the kiosk word a lower layer's error by reading `code`, `message_ja`,
`message_en` and `detail`; an error class that lacked one would surface as an AttributeError
in front of a clerk instead of a message.
"""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

import pytest

from common.errors import BilingualError
from drivers.card import errors as card
from drivers.printer import errors as printer
from drivers.scanner import errors as scanner

# Arguments for the classes whose constructor needs some.
_ARGS: dict[type[BaseException], tuple[object, ...]] = {
    card.WrongPinError: (2,),
    printer.PrinterConfigError: ("paper size 'Z9'",),
    printer.UnknownBackend: ("lp0", ["cups", "file"]),
    printer.InvalidDocument: ("empty",),
    printer.PrinterNotFound: ("kiosk-slip",),
    printer.OutputDirectoryUnusable: ("/var/kiosk/print", "no such directory"),
    printer.PrinterStopped: ("kiosk-slip", "Media Empty"),
    printer.PrinterNotAccepting: ("kiosk-slip", "maintenance"),
    printer.PrintJobFailed: ("kiosk-slip", "kiosk-slip-3", "aborted"),
    scanner.ImageUnreadableError: ("slip.png", "not an image"),
    scanner.FileTooLargeError: ("slip.pdf", "page_size", 1800, (5000, 5000)),
}
_KW: dict[type[BaseException], dict[str, object]] = {
    printer.PrintJobTimeout: {"printer": "kiosk-slip", "job_id": "3", "seconds": 30,
                              "cancelled": True},
}


def _classes(module: ModuleType) -> list[type[BilingualError]]:
    return [c for _, c in inspect.getmembers(module, inspect.isclass)
            if issubclass(c, BilingualError) and c.__module__ == module.__name__]


@pytest.mark.parametrize(
    "cls", [c for m in (card, printer, scanner) for c in _classes(m)], ids=lambda c: c.__name__
)
def test_every_error_has_code_both_texts_and_detail(cls: type[BilingualError]) -> None:
    make: Any = cls  # each class has its own constructor; the tables above fit each
    error: BilingualError = make(*_ARGS.get(cls, ()), **_KW.get(cls, {}))
    assert error.code and error.code != "error"
    assert any("\u3040" <= ch <= "\u9fff" for ch in error.message_ja)
    assert error.message_en and error.message_en.isascii()
    assert isinstance(error.detail, str)
    assert error.message("ja").startswith(error.message_ja)


def test_every_exception_class_is_bilingual() -> None:
    found = [c for m in (card, printer, scanner) for _, c in inspect.getmembers(m, inspect.isclass)
             if issubclass(c, BaseException) and c.__module__ == m.__name__]
    assert found and all(issubclass(c, BilingualError) for c in found)


def test_codes_are_kept() -> None:
    codes = {c.__name__: c.code for m in (card, printer, scanner) for c in _classes(m)}
    assert codes == {
        "CardError": "card_error", "NoReaderError": "no_reader", "NoCardError": "no_card",
        "ReaderTimeoutError": "timeout", "WaitCancelledError": "cancelled",
        "NotMyNumberCardError": "not_my_number_card", "CardRemovedError": "card_removed",
        "PinFormatError": "pin_format", "WrongPinError": "wrong_pin",
        "LastPinTryError": "last_pin_try", "PinBlockedError": "pin_blocked",
        "PinNotVerifiedError": "pin_not_verified", "UnreadableDataError": "unreadable_data",
        "PrinterError": "printer_error", "PrinterConfigError": "config",
        "UnknownBackend": "unknown_backend", "InvalidDocument": "invalid_document",
        "PrintServiceDown": "service_down", "PrinterNotFound": "printer_not_found",
        "OutputDirectoryUnusable": "output_directory_unusable",
        "PrinterStopped": "printer_stopped", "PrinterNotAccepting": "printer_not_accepting",
        "PrintJobFailed": "job_failed", "PrintJobTimeout": "job_timeout",
        "ScannerError": "scanner_error", "ImageUnreadableError": "image_unreadable",
        "FileTooLargeError": "file_too_large",
    }


def test_a_print_job_failure_keeps_what_cups_said_as_the_detail() -> None:
    error = printer.PrintJobFailed("kiosk-slip", "kiosk-slip-3", "aborted")
    assert error.detail == "aborted"
    assert str(error) == f"{error.message_ja} / {error.message_en}"  # not said twice


def test_a_card_error_worded_by_the_reader_keeps_its_texts() -> None:
    error = card.NoReaderError(ja="リーダー「X」が見つかりません。", en='Reader "X" not found.')
    assert (error.code, error.message_en, error.detail) == ("no_reader", 'Reader "X" not found.', "")
    assert card.NoReaderError().message_en.startswith("No card reader found.")
