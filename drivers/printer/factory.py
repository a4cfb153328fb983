"""Build the printer the settings name, and refuse a name or option it does not know.

As in python-escpos' config loader, a wrong backend name is an error, never a silent
dummy: a kiosk that "prints" into nothing sends residents to the counter without a slip.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from drivers.printer.base import Printer
from drivers.printer.cups import CupsPrinter
from drivers.printer.errors import PrinterConfigError, UnknownBackend
from drivers.printer.file import FileSink

BACKENDS: Mapping[str, Callable[..., Printer]] = MappingProxyType(
    {"cups": CupsPrinter, "file": FileSink}
)


def make_printer(backend: str, **options: Any) -> Printer:
    """Options are the backend's keyword arguments (`queue=`, `directory=`, `wait=` ...)."""
    factory = BACKENDS.get(backend)
    if factory is None:
        raise UnknownBackend(backend, list(BACKENDS))
    # Checked against the signature so a misspelt option is reported as a setting, not as a
    # TypeError from deep inside the constructor.
    signature = inspect.signature(factory)
    unknown = sorted(set(options) - set(signature.parameters))
    if unknown:
        raise PrinterConfigError(
            f"printer backend {backend!r} has no option {', '.join(unknown)}; "
            f"its options: {', '.join(signature.parameters)}"
        )
    try:
        signature.bind(**options)
    except TypeError as error:
        raise PrinterConfigError(f"printer backend {backend!r}: {error}") from error
    return factory(**options)
