"""The narrow port every printer backend plugs into.

Modelled on python-escpos: the public `print_pdf` checks its arguments once, and each backend
overrides one abstract method, `_submit`, so a Windows spooler backend can be added without
touching the kiosk. Documents arrive as finished PDF bytes: layout belongs to printouts/,
and a printer only has to put them on paper.
"""

from __future__ import annotations

import abc
import re
from dataclasses import dataclass

from drivers.printer.errors import InvalidDocument, PrinterConfigError, PrinterError

# ISO 216 sizes in millimetres; these are also the PageSize keywords CUPS and its PPDs use.
_NAMED_SIZES: dict[str, tuple[float, float]] = {
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
}
_CUSTOM_SIZE = re.compile(r"^(\d{1,4}(?:\.\d{1,2})?)x(\d{1,4}(?:\.\d{1,2})?)mm$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PaperSize:
    """A paper size as the kiosk's settings write it ("A4", "80x200mm").

    Receipt printers take roll paper cut to length, which CUPS names `Custom.WxHmm`; sheet
    printers take the ISO names. Parsing once here means a typo in the settings fails before
    a resident waits for a slip.
    """

    name: str
    width_mm: float
    height_mm: float

    @classmethod
    def parse(cls, text: str) -> PaperSize:
        named = _NAMED_SIZES.get(text.strip().upper())
        if named is not None:
            return cls(text.strip().upper(), *named)
        match = _CUSTOM_SIZE.match(text.strip())
        if match is None:
            raise PrinterConfigError(
                f"paper size {text!r}: use one of {', '.join(_NAMED_SIZES)} "
                "or WIDTHxHEIGHTmm such as 80x200mm"
            )
        width, height = float(match[1]), float(match[2])
        if not (10 <= width <= 1000 and 10 <= height <= 5000):
            raise PrinterConfigError(f"paper size {text!r} is not a plausible size in mm")
        return cls(text.strip(), width, height)

    @property
    def cups_page_size(self) -> str:
        if self.name in _NAMED_SIZES:
            return self.name
        return f"Custom.{self.width_mm:g}x{self.height_mm:g}mm"

    @property
    def slug(self) -> str:
        """A spelling safe in a file name."""
        if self.name in _NAMED_SIZES:
            return self.name
        return f"{self.width_mm:g}x{self.height_mm:g}mm"


@dataclass(frozen=True)
class PrintJob:
    """What a backend did with a document, so the caller can log it or find it again.

    `job_id` is the CUPS request id (`kiosk-slip-12`) or the file name; `where` is the queue
    or the file path. `finished` says whether the backend saw the job done, which only
    happens when it was asked to wait.
    """

    job_id: str
    where: str
    title: str
    paper: str
    finished: bool


class Printer(abc.ABC):
    """A place PDFs go to become paper (or, for the demo, files).

    Job titles show up in `lpstat`, CUPS logs and cups-pdf file names, so callers pass a
    title that says what the document is (`slip A-0012`), never a resident's name.
    """

    name: str = "printer"

    def print_pdf(self, pdf: bytes, *, title: str, paper: str) -> PrintJob:
        if not pdf.startswith(b"%PDF-"):
            raise InvalidDocument(f"starts with {pdf[:8]!r}, not %PDF-")
        clean_title = _CONTROL.sub(" ", title).strip()
        if not clean_title:
            raise PrinterConfigError("a print job needs a title that says what it is")
        return self._submit(pdf, title=clean_title[:200], paper=PaperSize.parse(paper))

    def check(self) -> None:
        """Raise the `PrinterError` that would stop a printout now; return if none.

        Backends override this with whatever they can ask the device without printing;
        a backend that cannot ask anything has nothing to report.
        """
        return

    def is_usable(self) -> bool:
        """Answer the health screen's question without raising (python-escpos' name)."""
        try:
            self.check()
        except PrinterError:
            return False
        return True

    @abc.abstractmethod
    def _submit(self, pdf: bytes, *, title: str, paper: PaperSize) -> PrintJob:
        """Hand a checked document to the device; raise a `PrinterError` if it cannot print."""
