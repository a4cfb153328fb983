"""The audit trail's hash chain on both databases: what the store writes verifies whole; a
row changed, removed or slipped in by hand (as the tables' owner, who the grants cannot stop)
is named by `verify`; the purge and many writers at once keep the chain whole."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, text, update

from kiosk.store.audit_chain import event_hash
from kiosk.store.db import make_engine
from kiosk.store.models import audit_events, audit_heads
from kiosk.store.repository import Store
from kiosk.store.sealing import RecordOpener, RecordSealer
from tests.kiosk.store.conftest import START, Clock
from tests.kiosk.store.samples import submission

OFFICE = "999997"
SLIPS = ("0123456789abcdef01234567", "fedcba9876543210fedcba98", "00112233445566778899aabb")


def events(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(audit_events).order_by(audit_events.c.seq)))


@pytest.fixture
def written(store: Store, migrated: Engine, clock: Clock) -> list[Any]:
    """A morning at the desk, as the store writes it: accounts, sign-ins, applications opened,
    printed, received (eight or more events, each a link)."""
    store.add_staff("k.tanaka", "clerk", "a good password", by="a.suzuki")
    store.sign_in("k.tanaka", "a good password", desk="D01")
    for slip in SLIPS:
        clock.advance(minutes=3)
        stored = store.add_application(submission(), office_code=OFFICE, kiosk_id="K01",
                                       slip_id=slip)
        store.open_for_clerk(stored.id, "k.tanaka", desk="D01")
        store.set_status(stored.id, "received", "k.tanaka", desk="D01")
    store.record_print(1, kind="form", printer="P1", ok=True, clerk="k.tanaka", desk="D01")
    return events(migrated)


def test_what_the_store_writes_verifies_whole(store: Store, written: list[Any]) -> None:
    check = store.verify_audit()
    assert check.whole and check.problem is None
    assert check.events == len(written) >= 8
    assert [e.seq for e in written] == list(range(1, len(written) + 1))
    assert all(e.prev_hash == before.hash for before, e in itertools.pairwise(written))


@pytest.mark.parametrize(("column", "value"), [
    ("detail", "nothing happened"), ("clerk_id", "someone.else"), ("action", "printed"),
    ("application_id", 99), ("desk_id", "D99"), ("prev_hash", "not hex at all"),
    ("at", START + dt.timedelta(hours=1)), ("hash", "0" * 64)])
def test_an_event_changed_by_hand_is_named(
        store: Store, migrated: Engine, written: list[Any], column: str, value: object) -> None:
    victim = written[4]
    with migrated.begin() as conn:
        conn.execute(update(audit_events).where(audit_events.c.id == victim.id)
                     .values({column: value}))
    check = store.verify_audit()
    assert (check.problem, check.event_id, check.seq) == ("changed", victim.id, victim.seq)
    assert not check.whole


def test_an_event_deleted_from_the_middle_is_missing_before_the_next(
        store: Store, migrated: Engine, written: list[Any]) -> None:
    gone, after = written[3], written[4]
    with migrated.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.id == gone.id))
    check = store.verify_audit()
    assert (check.problem, check.event_id, check.seq) == ("missing", after.id, gone.seq)


def test_the_last_event_deleted_is_missing_at_the_head(
        store: Store, migrated: Engine, written: list[Any]) -> None:
    last = written[-1]
    with migrated.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.id == last.id))
    check = store.verify_audit()
    assert (check.problem, check.event_id, check.seq) == ("missing", None, last.seq)
    assert check.events == len(written) - 1


def _forge(migrated: Engine, last: Any, *, right_hash: bool, move_head: bool) -> None:
    """An event slipped in after the last one by hand, as someone who knows the format would."""
    at, seq = START + dt.timedelta(hours=2), last.seq + 1
    digest = event_hash(last.hash, seq, clerk="k.tanaka", action="exported", application_id=None,
                        desk="D01", detail="count=3", at=at) if right_hash else "f" * 64
    with migrated.begin() as conn:
        conn.execute(insert(audit_events).values(
            clerk_id="k.tanaka", action="exported", application_id=None, desk_id="D01",
            detail="count=3", at=at, seq=seq, prev_hash=last.hash, hash=digest))
        if move_head:
            conn.execute(update(audit_heads).values(seq=seq, hash=digest))


def test_a_forged_event_with_a_made_up_hash_is_named(
        store: Store, migrated: Engine, written: list[Any]) -> None:
    _forge(migrated, written[-1], right_hash=False, move_head=True)
    forged = events(migrated)[-1]
    check = store.verify_audit()
    assert (check.problem, check.event_id, check.seq) == ("changed", forged.id, forged.seq)


def test_a_forged_event_the_head_does_not_know_shows_at_the_head(
        store: Store, migrated: Engine, written: list[Any]) -> None:
    _forge(migrated, written[-1], right_hash=True, move_head=False)
    check = store.verify_audit()
    assert (check.problem, check.event_id) == ("head", None)
    assert check.events == len(written) + 1


def test_a_forged_event_inserted_between_two_is_named(
        store: Store, migrated: Engine, written: list[Any]) -> None:
    """The numbers are unique, so slipping an event in means renumbering those after it: the
    first renumbered one no longer hashes to what it says."""
    with migrated.begin() as conn:
        conn.execute(update(audit_events).where(audit_events.c.seq > 5)
                     .values(seq=audit_events.c.seq + 1000))
        conn.execute(update(audit_events).where(audit_events.c.seq > 5)
                     .values(seq=audit_events.c.seq - 999))
    _forge(migrated, written[4], right_hash=True, move_head=False)
    check = store.verify_audit()
    assert (check.problem, check.event_id, check.seq) == ("changed", written[5].id, 7)


def test_the_purge_writes_its_events_into_the_chain(
        store: Store, migrated: Engine, written: list[Any], clock: Clock) -> None:
    clock.advance(days=40)
    assert store.purge(dt.timedelta(days=30)) == len(SLIPS)
    after = events(migrated)
    assert [e.action for e in after[len(written):]] == ["purged"] * len(SLIPS)
    check = store.verify_audit()
    assert check.whole and check.events == len(written) + len(SLIPS)


def test_writers_on_several_stores_at_once_keep_the_chain_whole(
        migrated: Engine, sealer: RecordSealer, opener: RecordOpener, clock: Clock,
        db_url: str) -> None:
    engines = [migrated, make_engine(db_url), make_engine(db_url)]
    stores = [Store(e, sealer=sealer, opener=opener, clock=clock) for e in engines]
    barrier = threading.Barrier(6)
    failed: list[BaseException] = []

    def write(store: Store, n: int) -> None:
        barrier.wait()
        try:
            for i in range(20):
                store.audit(f"clerk{n}", "exported", detail=f"count={i}", desk=f"D{n}")
        except BaseException as exc:  # reported by the main thread
            failed.append(exc)

    threads = [threading.Thread(target=write, args=(stores[n % 3], n)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines[1:]:
        engine.dispose()
    assert failed == []
    check = stores[0].verify_audit()
    assert check.whole and check.events == 120
    with migrated.connect() as conn:
        head = conn.execute(text("SELECT seq FROM audit_heads")).scalar_one()
    assert head == 120
