"""Start pcscd with the vpcd virtual reader for tests and the demo, and stop it again.

Facts this relies on (docs/card.md, "pcscd and vpcd"):
- There is no service manager: we start `pcscd --foreground` ourselves and stop it by the
  PID we started, then reap it. A pcscd that is not reaped blocks the next start ("Another
  pcscd seems to be running").
- A pcscd that already answers on its socket (a kiosk machine runs one) is used as it is
  and left running by the demo; tests pass `borrow=False` and refuse it, since a daemon they
  did not start may hold another reader set or another test run's cards.
- pcscd may quit 61 s after start while no PC/SC client is connected, so we hold one
  context open for as long as we want it running.
- vpcd listens on 35963 once pcscd has loaded it. Connecting there would insert a card, so
  readiness is read from /proc/net/tcp instead of probed with a connection.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from smartcard import scard

from drivers.card.emulator.vpcd import VPCD_PORT

DEFAULT_SOCKET = Path("/run/pcscd/pcscd.comm")
_SEARCH_PATH = os.pathsep.join(
    [os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/local/sbin"]
)


class PcscdError(RuntimeError):
    """pcscd could not be started or reached; the message says what to install or check."""


def pcscd_socket() -> Path:
    """Where libpcsclite looks for pcscd (PCSCLITE_CSOCK_NAME overrides the default)."""
    return Path(os.environ.get("PCSCLITE_CSOCK_NAME") or DEFAULT_SOCKET)


def pcscd_answers(path: Path | None = None) -> bool:
    """True if a pcscd accepts connections on its socket (a stale file does not count)."""
    target = path or pcscd_socket()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(target))
        except OSError:
            return False
    return True


def port_listening(port: int = VPCD_PORT) -> bool:
    """True if some socket listens on TCP `port`, read from /proc without connecting."""
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            columns = line.split()
            if len(columns) > 3 and columns[1].endswith(wanted) and columns[3] == "0A":
                return True
    return False


class Pcscd:
    """`with Pcscd():` runs pcscd (ours, or the one already running) with vpcd listening.

    `started` tells whether this object started it; only then does it stop it. With
    `borrow=False` a pcscd that is already running is an error instead of being used.
    """

    def __init__(self, *, timeout: float = 10.0, log_path: Path | None = None,
                 borrow: bool = True) -> None:
        self.timeout = timeout
        self.borrow = borrow
        self.log_path = log_path
        self.started = False
        self._process: subprocess.Popen[bytes] | None = None
        self._temp_log: Path | None = None
        self._keepalive: Any = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        if self._process is not None:
            return self._process.poll() is None
        return pcscd_answers()

    def start(self) -> None:
        deadline = time.monotonic() + self.timeout
        if not pcscd_answers():
            self._spawn(deadline)
        elif not self.borrow:
            raise PcscdError(
                f"a pcscd this run did not start already answers on {pcscd_socket()}; stop it "
                "(systemctl stop pcscd.socket pcscd, or end the other test run) and try again"
            )
        try:
            self._wait_ready(deadline)
            self._hold_context()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Release our client context; stop and reap pcscd if we started it."""
        if self._keepalive is not None:
            scard.SCardReleaseContext(self._keepalive)
            self._keepalive = None
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            self.started = False
        if self._temp_log is not None:
            self._temp_log.unlink(missing_ok=True)
            self._temp_log = None

    def log_tail(self, lines: int = 20) -> str:
        path = self.log_path or self._temp_log
        if path is None or not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, deadline: float) -> None:
        executable = shutil.which("pcscd", path=_SEARCH_PATH)
        if executable is None:
            raise PcscdError(
                "pcscd is not installed: apt-get install pcscd vsmartcard-vpcd"
            )
        if self.log_path is None:
            handle, name = tempfile.mkstemp(prefix="pcscd-", suffix=".log")
            os.close(handle)
            self._temp_log = Path(name)
        log = (self.log_path or self._temp_log or Path(os.devnull)).open("ab")
        try:
            self._process = subprocess.Popen(
                [executable, "--foreground"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in our terminal is ours to handle, not pcscd's
            )
        finally:
            log.close()
        self.started = True

    def _wait_ready(self, deadline: float) -> None:
        while not (pcscd_answers() and port_listening(VPCD_PORT)):
            if self._process is not None and self._process.poll() is not None:
                raise PcscdError(
                    f"pcscd exited at start (code {self._process.returncode}):\n{self.log_tail()}"
                )
            if time.monotonic() >= deadline:
                if pcscd_answers():
                    raise PcscdError(
                        f"pcscd runs but nothing listens on port {VPCD_PORT}: install the "
                        "vpcd driver (apt-get install vsmartcard-vpcd) and restart pcscd"
                    )
                raise PcscdError(
                    f"pcscd did not answer within {self.timeout} s:\n{self.log_tail()}"
                )
            time.sleep(0.02)

    def _hold_context(self) -> None:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise PcscdError(
                f"pcscd answers but refuses a PC/SC context ({hresult & 0xFFFFFFFF:#x})"
            )
        self._keepalive = context
