"""Printing to a CUPS queue with the command-line clients (`lp`, `lpstat`, `cancel`, `ipptool`).

The clients come with every CUPS install and need no C extension (pycups needs libcups2-dev
and a compiler); their output is read in the C.UTF-8 locale so that the English texts
parsed here stay stable while a reason typed in Japanese (`cupsdisable -r 用紙切れ`)
survives. The facts this module relies on were measured with CUPS 2.4 on Debian 12:

- a missing queue and a stopped cupsd give the same `lp`/`lpstat` error, so `lpstat -r`
  tells them apart (it exits 0 either way and says "is running" or "is not running");
- a disabled queue still takes jobs and holds them, which is why the queue is checked
  before submitting: a slip that comes out an hour later lands in a stranger's hands;
- a job leaves the pending list (`lpstat -o`) whether it printed or not; only its IPP
  `job-state` (completed, canceled, aborted) tells, and only `ipptool` reads it.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import quote

from drivers.printer.base import PaperSize, Printer, PrintJob
from drivers.printer.errors import (
    PrinterConfigError,
    PrinterError,
    PrinterNotAccepting,
    PrinterNotFound,
    PrinterStopped,
    PrintJobFailed,
    PrintJobTimeout,
    PrintServiceDown,
)

# A CUPS queue name: printable, no space, "/", "#" or quotes (CUPS' own rule is looser,
# but these names also become file names and command arguments).
_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,127}$")
_REQUEST_ID = re.compile(r"request id is (\S+-\d+)")
_INVALID_DESTINATION = ("Invalid destination name", "does not exist")
_DEBIAN_PACKAGE = {"lp": "cups-client", "lpstat": "cups-client", "cancel": "cups-client"}

# RFC 8011 section 5.3.7 Get-Job-Attributes, in ipptool's test-file language.
_GET_JOB_STATE = """{
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job_id
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes job-state,job-state-reasons,job-printer-state-message
  DISPLAY job-state
  DISPLAY job-state-reasons
  DISPLAY job-printer-state-message
}
"""


@dataclass(frozen=True)
class QueueState:
    """What `lpstat -p Q -a Q -o Q` says about one queue."""

    name: str
    enabled: bool
    accepting: bool
    # The printer-state-message: why it is disabled, or what it is doing when enabled.
    state_message: str
    reject_reason: str
    pending_jobs: tuple[str, ...]


def parse_lpstat(queue: str, text: str) -> QueueState:
    """Read `lpstat -p Q -a Q -o Q` output (C locale texts, any charset for the reasons).

    Each header line may be followed by tab-indented lines: the state message under
    "printer Q ...", the reject reason under "Q not accepting requests ...".
    """
    enabled: bool | None = None
    accepting: bool | None = None
    details: dict[str, list[str]] = {"printer": [], "accept": []}
    jobs: list[str] = []
    current = ""
    job_line = re.compile(rf"^({re.escape(queue)}-\d+)\s")
    for line in text.splitlines():
        if line[:1] in ("\t", " "):
            if current:
                details[current].append(line.strip())
            continue
        current = ""
        if line.startswith(f"printer {queue} "):
            enabled = " disabled since " not in line
            current = "printer"
        elif line.startswith(f"{queue} accepting requests"):
            accepting, current = True, "accept"
        elif line.startswith(f"{queue} not accepting requests"):
            accepting, current = False, "accept"
        elif match := job_line.match(line):
            jobs.append(match[1])
    if enabled is None or accepting is None:
        raise PrinterError(
            ja=f"プリンター「{queue}」の状態を読めませんでした。IT 担当に連絡してください。",
            en=f'Could not read the state of printer "{queue}" from lpstat: {text.strip()!r}. '
            "Call IT staff.",
            printer=queue,
        )
    return QueueState(
        name=queue,
        enabled=enabled,
        accepting=accepting,
        state_message="; ".join(filter(None, details["printer"])),
        reject_reason="" if accepting else "; ".join(filter(None, details["accept"])),
        pending_jobs=tuple(jobs),
    )


class CupsPrinter(Printer):
    """One CUPS queue.

    With `wait=True` a print returns only once CUPS has finished the job, and raises if it
    did not print; a job still queued at `timeout` (or held by a queue that stopped) is
    cancelled, because the submission is stored first and can be reprinted, while a late
    slip would print personal data for the next resident.
    """

    name = "cups"

    def __init__(
        self,
        queue: str,
        *,
        server: str | None = None,
        wait: bool = False,
        timeout: float = 60.0,
        poll_interval: float = 0.2,
        command_timeout: float = 10.0,
    ) -> None:
        if not _QUEUE_NAME.match(queue):
            raise PrinterConfigError(f"CUPS queue name {queue!r} has characters CUPS rejects")
        self.queue = queue
        self.server = server
        self.wait = wait
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.command_timeout = command_timeout

    def check(self) -> None:
        if self.wait and shutil.which("ipptool") is None:
            raise PrinterConfigError(
                "ipptool is not installed (Debian package cups-ipp-utils); "
                "it is needed to know whether a job printed"
            )
        state = self.state()
        if not state.enabled:
            raise PrinterStopped(self.queue, state.state_message)
        if not state.accepting:
            raise PrinterNotAccepting(self.queue, state.reject_reason)

    def state(self) -> QueueState:
        q = self.queue
        result = self._run("lpstat", ["-p", q, "-a", q, "-o", q])
        if result.returncode != 0:
            self._raise_unreachable(result.stderr)
        return parse_lpstat(q, result.stdout)

    def scheduler_running(self) -> bool:
        return "is running" in self._run("lpstat", ["-r"]).stdout

    def _submit(self, pdf: bytes, *, title: str, paper: PaperSize) -> PrintJob:
        # Checked first because a disabled queue would take the job and hold it.
        self.check()
        args = ["-d", self.queue, "-t", title, "-o", f"PageSize={paper.cups_page_size}"]
        result = self._run("lp", args, stdin=pdf)  # no file argument: lp reads stdin
        match = _REQUEST_ID.search(result.stdout)
        if result.returncode != 0 or match is None:
            self._raise_submit_failure(result.stderr or result.stdout)
        job_id = match[1]
        if self.wait:
            self.wait_for(job_id)
        return PrintJob(
            job_id=job_id, where=self.queue, title=title, paper=paper.name, finished=self.wait
        )

    def wait_for(self, job_id: str, timeout: float | None = None) -> None:
        """Return once the job printed; raise (after cancelling it) if it cannot."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            state = self.state()
            if job_id not in state.pending_jobs:
                break
            if not state.enabled:
                cancelled = self.cancel(job_id)
                raise PrinterStopped(
                    self.queue, state.state_message, job_cancelled=job_id if cancelled else ""
                )
            if time.monotonic() >= deadline:
                cancelled = self.cancel(job_id)
                raise PrintJobTimeout(
                    self.queue,
                    job_id,
                    self.timeout if timeout is None else timeout,
                    cancelled=cancelled,
                )
            time.sleep(self.poll_interval)
        job_state, detail = self.job_state(job_id)
        if job_state != "completed":
            raise PrintJobFailed(self.queue, job_id, f"CUPS job-state {job_state}{detail}")

    def cancel(self, job_id: str) -> bool:
        return self._run("cancel", [job_id]).returncode == 0

    def job_state(self, job_id: str) -> tuple[str, str]:
        """The IPP job-state keyword and, after "; ", whatever reasons CUPS adds."""
        number = job_id.rsplit("-", 1)[-1]
        with tempfile.NamedTemporaryFile("w", suffix=".test", encoding="utf-8") as test:
            test.write(_GET_JOB_STATE)
            test.flush()
            result = self._run(
                "ipptool",
                [
                    "-T",
                    f"{self.command_timeout:g}",
                    "-c",
                    "-d",
                    f"job_id={number}",
                    self._printer_uri(),
                    test.name,
                ],
                server_option=False,
            )
        rows = list(csv.reader(result.stdout.splitlines()))
        if result.returncode != 0:
            return "unknown", f"; ipptool: {(result.stderr or result.stdout).strip()}"
        if len(rows) < 2 or not rows[1]:
            # CUPS forgets finished jobs only when cupsd.conf says PreserveJobHistory No.
            return "unknown", "; CUPS has no record of the job (PreserveJobHistory No?)"
        state, *rest = rows[1]
        reasons = [value for value in rest if value and value != "processing-to-stop-point"]
        return state, "".join(f"; {value}" for value in reasons)

    def _printer_uri(self) -> str:
        server = self.server or self._run("lpstat", ["-H"]).stdout.strip() or "localhost"
        # A domain socket path goes into the host part percent-encoded, as CUPS accepts it.
        host = quote(server, safe="") if server.startswith("/") else server
        return f"ipp://{host}/printers/{quote(self.queue)}"

    def _raise_unreachable(self, stderr: str) -> NoReturn:
        if not self.scheduler_running():
            # lp/lpstat's own text here ("Invalid destination") would only mislead.
            raise PrintServiceDown(f"server {self.server}" if self.server else "")
        if any(text in stderr for text in _INVALID_DESTINATION):
            raise PrinterNotFound(self.queue)
        raise PrintJobFailed(self.queue, "", stderr.strip() or "lpstat failed")

    def _raise_submit_failure(self, stderr: str) -> NoReturn:
        if "not accepting jobs" in stderr:
            state = self.state()
            raise PrinterNotAccepting(self.queue, state.reject_reason)
        self._raise_unreachable(stderr)

    def _run(
        self,
        program: str,
        args: Sequence[str],
        *,
        stdin: bytes | None = None,
        server_option: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        command = [program]
        if self.server and server_option:
            command += ["-h", self.server]
        command += args
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        try:
            raw = subprocess.run(
                command,
                input=stdin if stdin is not None else b"",
                capture_output=True,
                env=env,
                timeout=self.command_timeout,
                check=False,
            )
        except FileNotFoundError as error:
            package = _DEBIAN_PACKAGE.get(program, "cups-ipp-utils")
            raise PrinterConfigError(
                f"the CUPS program {program!r} is not installed (Debian package {package})"
            ) from error
        except subprocess.TimeoutExpired as error:
            raise PrintServiceDown(
                f"{program} got no answer within {self.command_timeout:g} s"
            ) from error
        return subprocess.CompletedProcess(
            raw.args,
            raw.returncode,
            raw.stdout.decode("utf-8", "replace"),
            raw.stderr.decode("utf-8", "replace"),
        )
