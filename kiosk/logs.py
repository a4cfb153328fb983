"""Where the product's log records go: a rotating file under the data folder, or journald.

A refused slip or a failed print must leave a trace an administrator can find the next day, but
a log is copied, rotated and read by more people than the store: it must never hold personal
data. The code logs ids and codes only; `NoPersonalData` is the last line of defence behind
that rule, for a message or a traceback that slips through.

Configured by the `kiosk` command around each run of a sub-command (kiosk/cli/main.py), and
taken down afterwards, so a test that runs the command twice leaves no handler behind.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import logging.handlers
import os
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from io import TextIOWrapper
from pathlib import Path

from common.mynumber import contains_my_number, mask_my_number
from kiosk.config import LoggingConfig

# The product's own loggers: they get the configured level. Other libraries keep the root's
# WARNING, so a driver library's INFO chatter (SQL, device names) stays out of the file.
PRODUCT_LOGGERS = ("kiosk", "drivers", "forms", "printouts", "common")
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"  # no host or user: the file says whose
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 5
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def star_my_numbers(text: str) -> str:
    """The text with every My Number in it (grouped, full-width, broken over lines) starred."""
    if not contains_my_number(text):
        return text  # untouched: NFKC would also fold the full-width text of a message
    folded = unicodedata.normalize("NFKC", text)
    masked = mask_my_number(folded)
    # mask_my_number writes "#"; the log stars the same places, whatever "#" the text held.
    return "".join("*" if m == "#" and f != "#" else m for m, f in zip(masked, folded, strict=True))


class NoPersonalData(logging.Filter):
    """Stars any My Number in a record before a handler writes it, traceback included.

    The message is merged with its arguments here (so `args` cannot carry the number past the
    filter, e.g. into journald's CODE_ARGS field), the traceback is formatted here and starred,
    and the live exception is dropped so no handler formats it again from its objects.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = star_my_numbers(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        if record.exc_text:
            record.exc_text = star_my_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = star_my_numbers(record.stack_info)
        return True


class IsoFormatter(logging.Formatter):
    """ISO 8601 local time with its offset (2026-11-23T10:00:00.123+09:00): unambiguous across
    a clock change or a log copied to another office."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        when = dt.datetime.fromtimestamp(record.created).astimezone()
        return when.isoformat(timespec="milliseconds")


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file that only its owner reads (0600, in a 0700 folder it makes), opened on
    the first record, so a command that logs nothing leaves no file behind."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8",
                         delay=True)
        self._reported = False

    def _open(self) -> TextIOWrapper:
        folder = Path(self.baseFilename).parent
        if not folder.exists():
            # Only a folder made here is narrowed: a configured /var/log keeps its own mode.
            folder.mkdir(mode=FOLDER_MODE, parents=True)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.fchmod(fd, FILE_MODE)  # a file left by an older version, or after a rotation
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        """One line on stderr, once, instead of logging's traceback on every record."""
        if not self._reported:
            self._reported = True
            exc = sys.exc_info()[1]
            print(f"kiosk: cannot write the log {self.baseFilename} ({exc}); "
                  "check [logging] file in kiosk.toml", file=sys.stderr)


def _journal_handler() -> logging.Handler | None:
    """python-systemd's handler, when it is installed (it is not a dependency of ours)."""
    try:
        journal = importlib.import_module("systemd.journal")
    except ImportError:
        return None
    handler: logging.Handler = journal.JournalHandler(SYSLOG_IDENTIFIER="kiosk")
    return handler


def build_handler(settings: LoggingConfig) -> logging.Handler:
    """The handler `settings` asks for, with the filter and the format set."""
    handler: logging.Handler | None = None
    if settings.target == "journald":
        handler = _journal_handler()
        if handler is None:
            print("kiosk: [logging] target = \"journald\", but python's systemd module is not "
                  f"installed (apt install python3-systemd); logging to {settings.file}",
                  file=sys.stderr)
        else:
            # journald stamps the time and the process itself.
            handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    if handler is None:
        handler = PrivateRotatingFileHandler(settings.file)
        handler.setFormatter(IsoFormatter(FORMAT))
    handler.addFilter(NoPersonalData())
    return handler


@contextmanager
def configure_logging(settings: LoggingConfig) -> Iterator[logging.Handler]:
    """Send the product's records to the configured place while the block runs."""
    handler = build_handler(settings)
    root = logging.getLogger()
    loggers = [logging.getLogger(name) for name in PRODUCT_LOGGERS]
    levels = [logger.level for logger in loggers]
    root.addHandler(handler)
    for logger in loggers:
        logger.setLevel(settings.level)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        handler.close()
