"""Writer processes for the concurrency tests, importable by a `spawn` child.

Each writer is a kiosk: its own process, engine and Store. After each `add_application` returns
(the commit is done) it appends "id ticket" to its acknowledgement file with one unbuffered
os.write: what a SIGKILL cannot take back, as a printed slip cannot be taken back.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from threading import Barrier

from kiosk.store.db import make_engine
from kiosk.store.repository import open_store
from kiosk.store.sealing import RecordSealer
from printouts.payload import init_keys, load_kiosk_keys
from tests.kiosk.store.samples import submission


@dataclass(frozen=True)
class WriterJob:
    url: str
    keys_dir: Path  # each writer makes its own kiosk key here
    kiosk_id: str
    count: int
    ack_path: Path
    now: dt.datetime
    office: str = "999997"


def write_applications(job: WriterJob, barrier: Barrier | None) -> None:
    engine = make_engine(job.url)
    folder = job.keys_dir / job.kiosk_id
    init_keys(folder, kiosk_id=job.kiosk_id, office_code=job.office)
    sealer = RecordSealer(load_kiosk_keys(folder))
    store = open_store(engine, sealer=sealer, clock=lambda: job.now)
    ack = os.open(job.ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if barrier is not None:
            barrier.wait(timeout=120)
        for i in range(job.count):
            app = store.add_application(submission(f"見本 {job.kiosk_id}-{i}"),
                                        office_code=job.office, kiosk_id=job.kiosk_id,
                                        slip_id=os.urandom(12))
            os.write(ack, f"{app.id} {app.ticket}\n".encode("ascii"))
    finally:
        os.close(ack)
        engine.dispose()


def acknowledged(ack_path: Path) -> dict[int, str]:
    """id -> ticket for every complete line (a line cut by SIGKILL is not an acknowledgement)."""
    if not ack_path.exists():
        return {}
    out = {}
    for line in ack_path.read_text(encoding="ascii").splitlines(keepends=True):
        if line.endswith("\n"):
            app_id, ticket = line.split()
            out[int(app_id)] = ticket
    return out
