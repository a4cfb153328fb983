"""A printer that keeps each PDF as a file: for the demo, for tests, and for a kiosk whose
printer is out of order while staff print the files from another PC.

Like python-escpos' `Dummy`, it records what it did in `.output`, so a test asserts on the
record instead of mocking. It records file names and digests, not the bytes: a document
holds a resident's personal data, and the file on disk is the one copy to look after.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from drivers.printer.base import PaperSize, Printer, PrintJob
from drivers.printer.errors import OutputDirectoryUnusable

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class WrittenPdf:
    """One document the sink wrote, enough to find and verify it later."""

    path: Path
    title: str
    paper: str
    size: int
    sha256: str


class FileSink(Printer):
    """Writes `<time>-<seq>-<title>-<paper>.pdf` into a directory that must already exist.

    The directory is not created on demand: a mistyped path in the settings would otherwise
    scatter residents' documents into a folder nobody looks after.
    """

    name = "file"

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.output: list[WrittenPdf] = []
        self._lock = threading.Lock()
        self._sequence = 0

    def check(self) -> None:
        if not self.directory.is_dir():
            raise OutputDirectoryUnusable(str(self.directory), "no such directory")
        if not os.access(self.directory, os.W_OK | os.X_OK):
            raise OutputDirectoryUnusable(str(self.directory), "not writable")

    def _submit(self, pdf: bytes, *, title: str, paper: PaperSize) -> PrintJob:
        self.check()
        slug = _UNSAFE.sub("_", title).strip("_")[:60] or "document"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        with self._lock:
            path = self._write_new(pdf, stamp, slug, paper.slug)
            record = WrittenPdf(
                path=path,
                title=title,
                paper=paper.name,
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
            self.output.append(record)
        return PrintJob(
            job_id=path.name, where=str(path), title=title, paper=paper.name, finished=True
        )

    def _write_new(self, pdf: bytes, stamp: str, slug: str, paper: str) -> Path:
        """Never overwrite: another sink (or an earlier run) may share the directory."""
        while True:
            self._sequence += 1
            path = self.directory / f"{stamp}-{self._sequence:04d}-{slug}-{paper}.pdf"
            try:
                # 0600: the file holds personal data, as cups-pdf's own output does.
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError as error:
                raise OutputDirectoryUnusable(str(self.directory), error.strerror or "") from error
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pdf)
            except OSError as error:  # a full disk must not leave half a document behind
                path.unlink(missing_ok=True)
                raise OutputDirectoryUnusable(str(self.directory), error.strerror or "") from error
            return path
