"""A real CUPS with a PDF queue, for the tests and the demo (never used by the kiosk itself).

Debian starts no service inside a container, so this starts `cupsd -f` itself and stops it
by its own PID; a cupsd that was already running belongs to someone else and is left
alone. The cups-pdf backend turns each job into a PDF in the directory named by
/etc/cups/cups-pdf-<queue>.conf (its `Out` line), so a test prints through the whole CUPS
pipeline (filters, Ghostscript, backend) and looks at the paper that came out. Timings and
quirks are measured in shared/specs/environment.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from drivers.printer.cups import CupsPrinter
from drivers.printer.errors import PrinterConfigError, PrintServiceDown

CUPS_PDF_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


@dataclass(frozen=True)
class Cupsd:
    """The scheduler in use; `pid` is None when it was running before and is not ours."""

    pid: int | None


@dataclass(frozen=True)
class PdfQueue:
    """A cups-pdf queue and the directory its "paper" lands in."""

    name: str
    out_dir: Path

    def printer(self, *, wait: bool = True, timeout: float = 30.0) -> CupsPrinter:
        return CupsPrinter(self.name, wait=wait, timeout=timeout)

    def output_of(self, job: str | int, *, timeout: float = 15.0) -> Path:
        """The PDF cups-pdf wrote for a job, once the job has left the queue.

        cups-pdf names files after the job title with junk around it
        (`receipt.pdf__ut-job_6.pdf`), so only the `-job_N.pdf` ending is relied on.
        """
        number = str(job).rsplit("-", 1)[-1]
        job_id = f"{self.name}-{number}"
        queue = CupsPrinter(self.name)
        deadline = time.monotonic() + timeout
        while True:
            done = job_id not in queue.state().pending_jobs
            found = sorted(self.out_dir.glob(f"*-job_{number}.pdf")) if done else []
            if found:
                return found[0]
            if time.monotonic() >= deadline:
                listing = sorted(path.name for path in self.out_dir.iterdir())
                raise TimeoutError(
                    f"no *-job_{number}.pdf in {self.out_dir} after {timeout:g} s "
                    f"(job {'left the queue' if done else 'still queued'}; files: {listing})"
                )
            time.sleep(0.05)


def _run(command: Sequence[str], *, timeout: float = 15.0) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def scheduler_running() -> bool:
    return "is running" in _run(["lpstat", "-r"]).stdout


@contextmanager
def running_cupsd(*, timeout: float = 10.0, log: Path | None = None) -> Iterator[Cupsd]:
    """Start `cupsd -f` unless a scheduler already answers; stop only the one started here."""
    if scheduler_running():
        yield Cupsd(pid=None)
        return
    if shutil.which("cupsd") is None:
        raise PrinterConfigError("cupsd is not installed (Debian packages cups, cups-client)")
    with ExitStack() as stack:
        output = stack.enter_context(log.open("ab")) if log else subprocess.DEVNULL
        process = subprocess.Popen(
            ["cupsd", "-f"], stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
        )
        stack.callback(_stop, process)
        deadline = time.monotonic() + timeout
        while not scheduler_running():
            if process.poll() is not None:
                raise PrintServiceDown(f"cupsd exited with status {process.returncode} at start")
            if time.monotonic() >= deadline:
                raise PrintServiceDown(f"cupsd did not answer within {timeout:g} s of start")
            time.sleep(0.05)
        yield Cupsd(pid=process.pid)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """cupsd takes about a second to stop; a new one started before it is gone cannot bind."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def cups_pdf_queue(
    name: str, out_dir: Path, *, config_dir: Path = Path("/etc/cups")
) -> Iterator[PdfQueue]:
    """Create a cups-pdf queue writing into `out_dir`; remove it and its config after.

    Refuses a queue name that exists already: it may be a real printer someone set up.
    """
    if not _QUEUE_NAME.match(name):
        raise PrinterConfigError(f"queue name {name!r}: use letters, digits, - and _")
    out_dir = out_dir.resolve()
    if any(character.isspace() for character in str(out_dir)):
        raise PrinterConfigError(f"cups-pdf cannot write into a path with spaces: {out_dir}")
    if _run(["lpstat", "-p", name]).returncode == 0:
        raise PrinterConfigError(f"a CUPS queue named {name!r} already exists")
    out_dir.mkdir(parents=True, exist_ok=True)
    config = config_dir / f"cups-pdf-{name}.conf"
    config.write_text(f"Out {out_dir}\n", encoding="utf-8")
    try:
        created = _run(["lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{name}", "-m", CUPS_PDF_PPD])
        if created.returncode != 0:
            raise PrinterConfigError(f"lpadmin could not create {name!r}: {created.stderr.strip()}")
        yield PdfQueue(name=name, out_dir=out_dir)
    finally:
        _run(["lpadmin", "-x", name])
        config.unlink(missing_ok=True)
