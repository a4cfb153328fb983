"""A throwaway PostgreSQL server, for the tests, the benchmark and a demo (never production).

Debian starts no service in a container, so this runs initdb and pg_ctl itself in a fresh
directory (its socket there too, its TCP port a free one) and stops the server by that directory
when done. A server started by someone else is never touched nor used: if what answers on the
port is not the server of that directory, the run fails and says whose it is.

initdb refuses to run as root: as root every command runs as the `postgres` user
(`runuser -u postgres`), which owns the directory. Timings measured in
shared/specs/environment.md: initdb 0.8 s, start 0.24 s, createdb and stop 0.12 s each.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

_DB_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class PgServerError(RuntimeError):
    """The throwaway server could not be set up; the message says which step and why."""


@dataclass(frozen=True)
class PgServer:
    directory: Path
    port: int
    user: str = "postgres"

    def url(self, database: str = "kiosk") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        if not _DB_NAME.fullmatch(name):
            raise ValueError("database name: lower-case letters, digits and _")
        conninfo = f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)


def find_bindir() -> Path:
    """$PG_BINDIR, else the newest /usr/lib/postgresql/N/bin (Debian), else initdb on PATH."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if debian:
        return debian[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PgServerError("PostgreSQL is not installed: apt-get install postgresql")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_postgres(*, fsync: bool = False, bindir: Path | None = None,
                     max_connections: int = 100) -> Iterator[PgServer]:
    """Start a server on a free port with a `kiosk` database; stop it and remove it after.

    `fsync=False` (tests) trades crash safety of the throwaway server for speed; the benchmark
    passes True to measure what production pays for durable commits.
    """
    bindir = bindir or find_bindir()
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    if as_root:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    data = base / "data"
    started = False
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        port = 0
        for _attempt in range(3):  # a free port can be taken between the probe and the start
            port = free_port()
            options = (f"-k {base} -p {port} -c listen_addresses=127.0.0.1 "
                       f"-c fsync={'on' if fsync else 'off'} -c max_connections={max_connections}")
            result = _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l",
                           str(base / "server.log"), "-w", "-o", options, "start"],
                          "pg_ctl start", check=False)
            if result.returncode == 0:
                started = True
                break
        if not started:
            raise PgServerError(f"pg_ctl start failed 3 times; see {base / 'server.log'}:\n"
                                f"{_tail(base / 'server.log')}")
        _check_ours(port, data)
        server = PgServer(base, port)
        server.create_database("kiosk")
        yield server
    finally:
        if started:
            stopped = _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                            "stop"], "pg_ctl stop", check=False)
            if stopped.returncode != 0:
                _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                      "stop"], "pg_ctl stop", check=False)
        shutil.rmtree(base, ignore_errors=True)


def _check_ours(port: int, data: Path) -> None:
    """The server on `port` must be the one of `data`: a test must not write into someone's."""
    conninfo = f"host=127.0.0.1 port={port} user=postgres dbname=postgres connect_timeout=5"
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SHOW data_directory").fetchone()
    answered = Path(str(row[0])) if row else None
    if answered is None or answered.resolve() != data.resolve():
        raise PgServerError(
            f"127.0.0.1:{port} is answered by the PostgreSQL of {answered}, not by the one "
            f"started in {data}; a test run uses only a server it started itself")


def _run(command: Sequence[str], step: str, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60,
                            check=False, cwd="/")
    if check and result.returncode != 0:
        raise PgServerError(f"{step} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
