"""Storage benchmark: applications stored per second with 1, 8 and 32 kiosks writing at once.

    python -m bench.store            # SQLite file and a throwaway PostgreSQL 15, both durable
    python -m bench.store --quick    # fewer applications, for a smoke run

Then, on each database, the wait a running kiosk sees for its next ticket right after two other
kiosks were killed (SIGKILL) in the middle of writing: their transactions and the counter row's
lock must go with them (SQLite: the file lock; PostgreSQL: the backend notices the dropped
connection), or every kiosk of the office would stand still.

Each writer is a process of its own (spawn) with its own engine and Store, as a kiosk is; all
start together at a barrier, and the clock runs from the barrier to the last writer's last
commit. Every application is a full `Store.add_application`: My Number scan, CBOR, HPKE seal and signature,
ticket allocation and insert in one transaction, committed durably (SQLite synchronous=FULL;
PostgreSQL with fsync and synchronous_commit on, unlike the test server). All writers use one
office, so they all contend for the same ticket counter: the worst case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import signal
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from threading import Barrier

from sqlalchemy import Engine

from kiosk.application import ProcedureAnswers, Submission
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.repository import Store, open_store
from kiosk.store.sealing import RecordSealer
from printouts.payload import init_keys, load_kiosk_keys
from tests.support.pgserver import running_postgres

WRITERS = (1, 8, 32)
KILL_ROUNDS = 5
JST = dt.timezone(dt.timedelta(hours=9))


def sample(i: int) -> Submission:
    """A 住民票 request of a made-up resident, about the size of a real one."""
    return Submission(
        procedures=(ProcedureAnswers(
            form_id="juminhyo", form_version=3,
            values={"name": f"見本 花子{i}", "kana": "ミホン ハナコ",
                    "address": "みほん市中央一丁目2番3号", "birth_date": dt.date(1985, 4, 1),
                    "copies": 2, "include": ["household"], "purpose": "勤務先に提出"},
            flags={"name": ["from_card"], "address": ["from_card"]},
        ),),
        identity_source="card", staff_assisted=False, lang="ja",
        created_at=dt.datetime.now(JST),
    )


@dataclass(frozen=True)
class Run:
    """One measurement: `writers` processes storing `total` applications between them."""

    backend: str
    url: str
    keys: Path  # a folder of kiosk keys, one per kiosk id (`kiosk_store`)
    writers: int
    total: int
    office: str

    @property
    def each(self) -> int:
        return max(1, self.total // self.writers)


def kiosk_store(url: str, keys: Path, office: str, kiosk_id: str) -> tuple[Store, Engine]:
    """A kiosk's store as the wiring opens it: sealing and signing with this kiosk's own key
    (made here on first use; the counter key is the folder's own, as in the demo)."""
    folder = keys / f"{office}-{kiosk_id}"
    init_keys(folder, kiosk_id=kiosk_id, office_code=office)
    engine = make_engine(url)
    return open_store(engine, sealer=RecordSealer(load_kiosk_keys(folder))), engine


def writer(job: Run, kiosk_id: str, barrier: Barrier,
           results: Queue[tuple[float, list[float]]]) -> None:
    store, engine = kiosk_store(job.url, job.keys, job.office, kiosk_id)
    latencies = []
    # Warm up outside the measured time: connection, statement caches, the first seal.
    store.get(store.add_application(sample(-1), office_code=job.office, kiosk_id=kiosk_id,
                                    slip_id=os.urandom(12)).id)
    barrier.wait(timeout=300)
    for i in range(job.each):
        started = time.monotonic()
        store.add_application(sample(i), office_code=job.office, kiosk_id=kiosk_id,
                              slip_id=os.urandom(12))
        latencies.append(time.monotonic() - started)
    results.put((time.monotonic(), latencies))
    engine.dispose()


@dataclass(frozen=True)
class Result:
    backend: str
    writers: int
    applications: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.applications / self.seconds


def run(job: Run) -> Result:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(job.writers + 1)
    results: Queue[tuple[float, list[float]]] = ctx.Queue()
    procs = [ctx.Process(target=writer, args=(job, f"K{i:02d}", barrier, results))
             for i in range(job.writers)]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    started = time.monotonic()
    finished = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        if p.exitcode != 0:
            raise RuntimeError(f"a writer failed (exit {p.exitcode})")
    latencies = sorted(x for _, lat in finished for x in lat)
    return Result(
        backend=job.backend, writers=job.writers, applications=job.each * job.writers,
        seconds=max(end for end, _ in finished) - started,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    )


def endless_writer(url: str, keys: Path, office: str, kiosk_id: str,
                   written: Synchronized[int]) -> None:
    """Writes until killed; `written` says how far it got, so the kill lands mid-stream."""
    store, _ = kiosk_store(url, keys, office, kiosk_id)
    i = 0
    while True:
        store.add_application(sample(i), office_code=office, kiosk_id=kiosk_id, slip_id=os.urandom(12))
        i += 1
        written.value = i


def next_ticket_after_kill(url: str, keys: Path, office: str, rounds: int = KILL_ROUNDS) -> list[float]:
    """Seconds a kiosk that was already running waits for its next ticket after the kills."""
    ctx = multiprocessing.get_context("spawn")
    for n in range(2):  # the writers' keys, made before they race to make them
        init_keys(keys / f"{office}-K8{n}", kiosk_id=f"K8{n}", office_code=office)
    store, engine = kiosk_store(url, keys, office, "K90")
    waits = []
    for _ in range(rounds):
        written = [ctx.Value("i", 0) for _ in range(2)]
        procs = [ctx.Process(target=endless_writer, args=(url, keys, office, f"K8{n}", written[n]))
                 for n in range(2)]
        for p in procs:
            p.start()
        deadline = time.monotonic() + 120
        while sum(w.value for w in written) < 40:
            if time.monotonic() > deadline or not all(p.is_alive() for p in procs):
                raise RuntimeError("the writers to be killed did not get going")
            time.sleep(0.01)
        time.sleep(random.uniform(0, 0.05))  # land anywhere in a transaction
        for p in procs:
            os.kill(p.pid or 0, signal.SIGKILL)
        for p in procs:
            p.join(timeout=30)
        started = time.monotonic()
        store.add_application(sample(0), office_code=office, kiosk_id="K90", slip_id=os.urandom(12))
        waits.append(time.monotonic() - started)
    engine.dispose()
    return waits


@contextmanager
def databases(tmp: Path) -> Iterator[dict[str, str]]:
    with running_postgres(fsync=True, max_connections=200) as pg:
        yield {"sqlite": f"sqlite:///{tmp / 'bench.sqlite3'}", "postgresql": pg.url()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer applications per run")
    parser.add_argument("--total", type=int, default=None,
                        help="applications per run (default 1600, --quick 320)")
    args = parser.parse_args(argv)
    total = args.total or (320 if args.quick else 1600)
    print(f"{os.cpu_count()} CPUs; {total} applications per run, all for one office and day")
    print(f"{'backend':<11} {'writers':>7} {'apps':>6} {'seconds':>8} {'apps/s':>8} "
          f"{'p50 ms':>7} {'p99 ms':>7}")
    results = []
    kills: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        keys = tmp / "keys"
        with databases(tmp) as urls:
            for number, (backend, url) in enumerate(urls.items()):
                engine = make_engine(url)
                upgrade(engine)
                engine.dispose()
                for writers in WRITERS:
                    r = run(Run(backend, url, keys, writers, total, f"{number}{writers:05d}"))
                    results.append(r)
                    print(f"{r.backend:<11} {r.writers:>7} {r.applications:>6} {r.seconds:>8.2f} "
                          f"{r.per_second:>8.0f} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f}", flush=True)
                kills.append((backend, next_ticket_after_kill(url, keys, f"{number}99999")))
    print(f"next ticket after 2 writers killed mid-write ({KILL_ROUNDS} rounds):")
    for backend, waits in kills:
        print(f"  {backend:<11} median {statistics.median(waits) * 1000:7.1f} ms   "
              f"max {max(waits) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
