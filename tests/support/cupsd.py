"""A real CUPS with PDF queues, for the tests, the benchmarks and the demo (never the kiosk).

Debian starts no service inside a container, so this starts `cupsd -f` itself, with its own
configuration, spool and domain socket in a temporary folder, and points the CUPS clients at
it (CUPS_SERVER) while it runs. It never uses a scheduler it did not start: one already
running may be a real office printer's, and a test that cancels, disables or deletes queues
must not touch it. The cups-pdf backend turns each job into a PDF in the directory named by
/etc/cups/cups-pdf-<queue>.conf (its `Out` line; the path is compiled into the backend), so a
test prints through the whole CUPS pipeline (filters, Ghostscript, backend) and looks at the
paper that came out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from drivers.printer.cups import CupsPrinter
from drivers.printer.errors import PrinterConfigError

CUPS_PDF_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class CupsdError(RuntimeError):
    """The test scheduler did not start; the message says why and what else runs a cupsd."""


@dataclass(frozen=True)
class Cupsd:
    """The scheduler this process started: its PID, its folder and the socket clients use."""

    pid: int
    root: Path
    socket: Path


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
    """Whether the scheduler CUPS_SERVER (or the system default) names answers."""
    return "is running" in _run(["lpstat", "-r"]).stdout


_CUPSD_CONF = """\
# A throwaway scheduler for the tests: no network, no browsing, no authentication (only this
# machine's processes reach the socket, and every queue here is a test's).
LogLevel warn
MaxLogSize 0
Listen {socket}
Browsing No
WebInterface No
DefaultAuthType None
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""

_CUPS_FILES_CONF = """\
ServerRoot {root}/etc
StateDir {root}/state
CacheDir {root}/cache
RequestRoot {root}/spool
TempDir {root}/spool/tmp
AccessLog {root}/log/access_log
ErrorLog {error_log}
PageLog {root}/log/page_log
SystemGroup root
"""


@contextmanager
def running_cupsd(*, timeout: float = 10.0, log: Path | None = None) -> Iterator[Cupsd]:
    """Start a `cupsd -f` of our own in a temporary folder; stop it and remove the folder after.

    CUPS_SERVER names its socket while it runs, so `lp`, `lpstat`, `lpadmin` and `ipptool`
    (and the kiosk's CupsPrinter, which calls them) talk to it and to nothing else.
    """
    if shutil.which("cupsd") is None:
        raise PrinterConfigError("cupsd is not installed (Debian packages cups, cups-client)")
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    root.chmod(0o755)  # the filters run as `lp` and read the spool below it
    socket = root / "cups.sock"
    for part in ("etc/ppd", "state", "cache", "spool/tmp", "log"):
        (root / part).mkdir(parents=True)
    (root / "etc" / "cupsd.conf").write_text(_CUPSD_CONF.format(socket=socket), encoding="utf-8")
    error_log = log or root / "log" / "error_log"  # `log` outlives the folder, for a failed run
    (root / "etc" / "cups-files.conf").write_text(
        _CUPS_FILES_CONF.format(root=root, error_log=error_log), encoding="utf-8")
    before = os.environ.get("CUPS_SERVER")
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        output = stack.enter_context(log.open("ab")) if log else subprocess.DEVNULL
        process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(root / "etc" / "cupsd.conf"),
             "-s", str(root / "etc" / "cups-files.conf")],
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, process)
        os.environ["CUPS_SERVER"] = str(socket)
        stack.callback(_restore_server, before)
        _wait_for(process, root, error_log, timeout)
        yield Cupsd(pid=process.pid, root=root, socket=socket)


def _wait_for(process: subprocess.Popen[bytes], root: Path, error_log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not scheduler_running():
        if process.poll() is not None or time.monotonic() >= deadline:
            what = (f"exited with status {process.returncode}" if process.poll() is not None
                    else f"did not answer within {timeout:g} s")
            raise CupsdError(
                f"the test cupsd in {root} {what} at start; it will not fall back to another "
                f"scheduler (other cupsd running now: {_other_schedulers(process.pid) or 'none'}). "
                f"Its log: {_tail(error_log)}"
            )
        time.sleep(0.05)


def _other_schedulers(ours: int) -> str:
    """What else runs a cupsd, named in the failure so a person can tell why ours did not start."""
    found = _run(["pgrep", "-a", "cupsd"]).stdout.splitlines()
    return "; ".join(line for line in found if line.split(" ", 1)[0] != str(ours))


def _tail(path: Path, lines: int = 10) -> str:
    try:
        return " | ".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(none)"


def _restore_server(before: str | None) -> None:
    if before is None:
        os.environ.pop("CUPS_SERVER", None)
    else:
        os.environ["CUPS_SERVER"] = before


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

    Refuses a queue name that exists already: it may be a real printer someone set up. Refuses
    to run without a scheduler of `running_cupsd`: the queue would land on whatever CUPS the
    machine runs.
    """
    if not _QUEUE_NAME.match(name):
        raise PrinterConfigError(f"queue name {name!r}: use letters, digits, - and _")
    out_dir = out_dir.resolve()
    if any(character.isspace() for character in str(out_dir)):
        raise PrinterConfigError(f"cups-pdf cannot write into a path with spaces: {out_dir}")
    server = os.environ.get("CUPS_SERVER", "")
    if not (server and (Path(server).parent / "etc" / "cups-files.conf").is_file() and scheduler_running()):
        raise PrinterConfigError(f"no test scheduler (CUPS_SERVER={server!r}): start one with running_cupsd()")
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
