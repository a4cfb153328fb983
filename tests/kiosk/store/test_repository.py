"""The Store on both databases: tickets, round trip, status, audit, prints, purge, keys."""

from __future__ import annotations

import datetime as dt
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text, update

from kiosk.store.db import make_engine
from kiosk.store.errors import (
    AlreadyCancelledError,
    AlreadyCompletedError,
    AlreadyReceivedError,
    DuplicateSlipError,
    InvalidValueError,
    KeyMissingError,
    MyNumberRefusedError,
    NotFoundError,
    NotReceivedError,
    StatusError,
    StoreError,
    TamperedError,
)
from kiosk.store.migrate import upgrade
from kiosk.store.models import applications, audit_events, ticket_counters
from kiosk.store.repository import Store, StoredApplication, open_store
from kiosk.store.sealing import RecordOpener, RecordSealer
from printouts.payload import init_keys, load_kiosk_keys
from tests.kiosk.store.conftest import Clock
from tests.kiosk.store.samples import HANAKO, MY_NUMBER, submission

OFFICE = "999997"
OTHER_OFFICE = "131016"


def add(store: Store, office: str = OFFICE, *, name: str = HANAKO, kiosk: str = "K01"
        ) -> StoredApplication:
    return store.add_application(submission(name), office_code=office, kiosk_id=kiosk,
                                 slip_id=os.urandom(12))


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


# --- tickets and the round trip -----------------------------------------------------------------


def test_tickets_count_up_per_office_and_day(store: Store, migrated: Engine, clock: Clock,
                                             tmp_path: Path) -> None:
    assert [add(store).ticket for _ in range(3)] == ["A-001", "A-002", "A-003"]
    init_keys(tmp_path / "other", kiosk_id="K01", office_code=OTHER_OFFICE)
    other = open_store(migrated, sealer=RecordSealer(load_kiosk_keys(tmp_path / "other")),
                       clock=clock)
    assert add(other, OTHER_OFFICE).ticket == "A-001"
    clock.advance(hours=15)  # 10:00 -> 01:00 the next day in Japan (16:00 UTC)
    later = add(store)
    assert later.ticket == "A-001"
    assert later.ticket_day == dt.date(2026, 11, 24)


def test_tickets_past_999_keep_every_digit(store: Store, migrated: Engine) -> None:
    add(store)
    with migrated.begin() as conn:
        conn.execute(update(ticket_counters).values(last_number=998))
    assert [add(store).ticket for _ in range(2)] == ["A-999", "A-1000"]


def test_ticket_day_is_the_day_in_japan(store: Store, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.UTC)  # 00:30 on the 24th in JST
    assert add(store).ticket_day == dt.date(2026, 11, 24)


def test_round_trip_and_nothing_personal_in_the_clear(store: Store, migrated: Engine) -> None:
    original = submission()
    slip = os.urandom(12)
    stored = store.add_application(original, office_code=OFFICE, kiosk_id="K01", slip_id=slip)
    assert store.get(stored.id) == stored
    assert store.find_by_slip(slip) == stored
    assert store.find_by_slip(slip.hex().upper()) == stored
    assert store.find_by_slip(os.urandom(12)) is None
    assert [(f.form_id, f.version) for f in stored.forms] == [("juminhyo", 3), ("inkan", 1)]
    assert stored.created_at.tzinfo is not None and stored.created_at.utcoffset() == dt.timedelta(0)

    opened = store.open_for_clerk(stored.id, "clerk01", desk="desk-2")
    assert opened.submission == original
    assert opened.application == stored

    with migrated.connect() as conn:
        row = conn.execute(select(applications).where(applications.c.id == stored.id)).one()
    for value in row:
        blob = value if isinstance(value, bytes) else str(value).encode()
        assert HANAKO.encode() not in blob
        assert "みほん市中央".encode() not in blob
    assert HANAKO.encode() not in row.payload and len(row.payload) > 100


def test_times_come_back_aware_utc(store: Store, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 23, 19, 5, 6, 789, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    stored = add(store)
    got = store.get(stored.id)
    assert got.created_at == clock.now and got.created_at.tzinfo == dt.UTC


def test_duplicate_slip_is_refused(store: Store, migrated: Engine) -> None:
    slip = os.urandom(12)
    store.add_application(submission(), office_code=OFFICE, kiosk_id="K01", slip_id=slip)
    with pytest.raises(DuplicateSlipError) as caught:
        store.add_application(submission(), office_code=OFFICE, kiosk_id="K01", slip_id=slip)
    assert caught.value.code == "duplicate_slip"
    assert slip.hex() not in str(caught.value)
    assert count(migrated, applications) == 1
    assert add(store).ticket == "A-002"  # the refused one took no number


@pytest.mark.parametrize(
    ("office", "kiosk", "slip"),
    [("99999", "K01", bytes(12)), (OFFICE, "k01", bytes(12)), (OFFICE, "K01", bytes(11)),
     (OFFICE, "K01", "zz" * 12)],
)
def test_malformed_ids_are_refused(store: Store, office: str, kiosk: str, slip: bytes | str
                                   ) -> None:
    with pytest.raises(InvalidValueError):
        store.add_application(submission(), office_code=office, kiosk_id=kiosk, slip_id=slip)


def test_my_number_is_never_stored(store: Store, migrated: Engine) -> None:
    with pytest.raises(MyNumberRefusedError) as caught:
        store.add_application(submission(note=f"個人番号 {MY_NUMBER}"), office_code=OFFICE,
                              kiosk_id="K01", slip_id=os.urandom(12))
    assert MY_NUMBER not in str(caught.value)
    assert "values.note" in str(caught.value)
    assert count(migrated, applications) == 0
    assert count(migrated, ticket_counters) == 0
    with pytest.raises(MyNumberRefusedError):
        store.add_application(submission(name=MY_NUMBER), office_code=OFFICE, kiosk_id="K01",
                              slip_id=os.urandom(12))
    with pytest.raises(MyNumberRefusedError):
        store.audit("clerk01", "exported", detail=f"batch {MY_NUMBER}")


def test_a_ticket_clash_moves_the_counter_on(store: Store, migrated: Engine) -> None:
    add(store), add(store)
    with migrated.begin() as conn:  # as after restoring an old backup of the counters
        conn.execute(update(ticket_counters).values(last_number=0))
    assert add(store).ticket == "A-003"


def paper(store: Store, office: str = OFFICE, *forms: str) -> str:
    return store.draw_paper_ticket(office_code=office, kiosk_id="K02",
                                   form_ids=forms or ("juminhyo",)).ticket


def test_paper_and_kiosk_tickets_share_the_counter(store: Store, clock: Clock) -> None:
    drawn = [add(store).ticket, paper(store), add(store).ticket,
             paper(store, OFFICE, "tenshutsu", "kokuho"), add(store).ticket]
    assert drawn == ["A-001", "A-002", "A-003", "A-004", "A-005"]
    assert paper(store, OTHER_OFFICE) == "A-001"  # each office counts on its own
    day = dt.date(2026, 11, 23)
    assert store.find_by_ticket(OFFICE, "A-002", day) == []  # no application holds it
    given = store.paper_tickets(OFFICE, day)
    assert [(t.ticket, t.kiosk_id, t.form_ids, t.at) for t in given] == [
        ("A-002", "K02", ("juminhyo",), clock.now),
        ("A-004", "K02", ("tenshutsu", "kokuho"), clock.now)]
    assert store.paper_tickets(OFFICE, day + dt.timedelta(days=1)) == []
    clock.advance(hours=15)  # the next day in Japan: numbers start again
    assert paper(store) == "A-001"
    assert [t.ticket_day for t in store.paper_tickets(OFFICE, day + dt.timedelta(days=1))] == [
        day + dt.timedelta(days=1)]


def test_a_lagging_counter_gives_paper_no_number_in_use(store: Store, migrated: Engine) -> None:
    add(store), add(store), add(store)
    with migrated.begin() as conn:  # as after restoring an old backup of the counters
        conn.execute(update(ticket_counters).values(last_number=1))
    assert paper(store) == "A-004"
    assert add(store).ticket == "A-005"


def test_paper_tickets_refuse_malformed_ids(store: Store, migrated: Engine) -> None:
    with pytest.raises(InvalidValueError):
        paper(store, OFFICE, "住民票")
    with pytest.raises(InvalidValueError):
        store.draw_paper_ticket(office_code="13101", kiosk_id="K02", form_ids=["juminhyo"])
    assert count(migrated, ticket_counters) == 0  # nothing drawn


def test_paper_and_kiosk_tickets_drawn_at_once_never_clash(store: Store) -> None:
    """Four kiosks, each alternating applications and paper forms, on one counter."""
    def kiosk(n: int) -> list[str]:
        return [add(store).ticket if i % 2 else paper(store) for i in range(10)]

    with ThreadPoolExecutor(4) as pool:
        drawn = [t for tickets in pool.map(kiosk, range(4)) for t in tickets]
    assert sorted(drawn) == [f"A-{n:03d}" for n in range(1, 41)]
    given = store.paper_tickets(OFFICE, dt.date(2026, 11, 23))
    assert len(given) == 20 and {t.ticket for t in given} <= set(drawn)


def test_a_blob_moved_to_another_row_does_not_open(store: Store, migrated: Engine) -> None:
    first, second = add(store), add(store, name="見本 次郎")
    with migrated.begin() as conn:
        blob = conn.execute(select(applications.c.payload)
                            .where(applications.c.id == first.id)).scalar_one()
        conn.execute(update(applications).where(applications.c.id == second.id)
                     .values(payload=blob))
    with pytest.raises(TamperedError) as caught:
        store.open_for_clerk(second.id, "clerk01")
    assert caught.value.code == "tampered"
    assert store.open_for_clerk(first.id, "clerk01").submission == submission()


# --- status ---------------------------------------------------------------------------------------


def test_status_walks_forward_and_is_audited(store: Store, clock: Clock) -> None:
    app = add(store)
    clock.advance(minutes=5)
    received = store.set_status(app.id, "received", "clerk01", desk="desk-2")
    assert received.status == "received" and received.updated_at == clock.now
    assert store.get(app.id) == received
    done = store.set_status(app.id, "completed", "clerk02")
    assert done.status == "completed"
    trail = [(e.action, e.clerk_id, e.detail) for e in store.audit_trail(app.id)]
    assert trail == [("status_changed", "clerk01", "issued->received"),
                     ("status_changed", "clerk02", "received->completed")]


@pytest.mark.parametrize(
    ("path", "wrong", "error", "code"),
    [
        ((), "completed", NotReceivedError, "not_received"),
        ((), "issued", StatusError, "invalid_transition"),
        (("received",), "received", AlreadyReceivedError, "already_received"),
        (("received",), "issued", StatusError, "invalid_transition"),
        (("received", "completed"), "cancelled", AlreadyCompletedError, "already_completed"),
        (("received", "completed"), "received", AlreadyCompletedError, "already_completed"),
        (("received", "completed"), "issued", AlreadyCompletedError, "already_completed"),
        (("cancelled",), "received", AlreadyCancelledError, "already_cancelled"),
        (("received", "cancelled"), "completed", AlreadyCancelledError, "already_cancelled"),
    ],
)
def test_wrong_status_changes_are_refused_and_change_nothing(
    store: Store, path: tuple[str, ...], wrong: str, error: type[StoreError], code: str
) -> None:
    app = add(store)
    for status in path:
        store.set_status(app.id, status, "clerk01")
    before = store.get(app.id)
    with pytest.raises(error) as caught:
        store.set_status(app.id, wrong, "clerk01")
    assert caught.value.code == code
    assert caught.value.message("ja") and caught.value.message("en")
    assert store.get(app.id) == before
    assert len(store.audit_trail(app.id)) == len(path)


def test_unknown_application(store: Store) -> None:
    with pytest.raises(NotFoundError) as caught:
        store.get(12345)
    assert caught.value.code == "not_found"
    with pytest.raises(NotFoundError):
        store.set_status(12345, "received", "clerk01")
    with pytest.raises(NotFoundError):
        store.open_for_clerk(12345, "clerk01")


# --- audit and prints -------------------------------------------------------------------------------


def test_opening_for_a_clerk_is_audited(store: Store, migrated: Engine, clock: Clock) -> None:
    app = add(store)
    assert store.audit_trail(app.id) == []
    clock.advance(minutes=3)
    store.open_for_clerk(app.id, "clerk07", desk="desk-1")
    (event,) = store.audit_trail(app.id)
    assert (event.action, event.clerk_id, event.desk_id, event.at) == (
        "viewed", "clerk07", "desk-1", clock.now)
    with pytest.raises(InvalidValueError):
        store.open_for_clerk(app.id, "")  # no anonymous reads
    assert count(migrated, audit_events) == 1


def test_prints_are_recorded_and_desk_prints_audited(store: Store) -> None:
    app = add(store)
    store.record_print(app.id, kind="slip", printer="kiosk-slip", ok=False,
                       error=f"paper out\x1b[0m; job {MY_NUMBER}")
    store.record_print(app.id, kind="slip", printer="kiosk-slip", ok=True)
    store.record_print(app.id, kind="form", printer="kiosk-a4", ok=True, clerk="clerk01",
                       desk="desk-1")
    store.record_print(None, kind="assisted", printer="kiosk-a4", ok=True)
    jobs = store.print_jobs_of(app.id)
    assert [(j.kind, j.ok) for j in jobs] == [("slip", False), ("slip", True), ("form", True)]
    assert jobs[0].error is not None and MY_NUMBER not in jobs[0].error
    assert [(e.action, e.detail) for e in store.audit_trail(app.id)] == [("printed", "form")]
    stats = store.stats()
    assert (stats.prints_ok, stats.prints_failed) == (3, 1)
    with pytest.raises(InvalidValueError):
        store.record_print(app.id, kind="poster", printer="x", ok=True)  # type: ignore[arg-type]


def test_stats_count_without_personal_data(store: Store) -> None:
    apps = [add(store) for _ in range(4)]
    store.set_status(apps[0].id, "received", "clerk01")
    store.set_status(apps[1].id, "cancelled", "clerk01")
    stats = store.stats()
    assert stats.by_status == {"issued": 2, "received": 1, "completed": 0, "cancelled": 1}
    assert sum(stats.by_key_id.values()) == 4
    assert stats.oldest_created_at == apps[0].created_at
    assert HANAKO not in repr(stats)


# --- retention --------------------------------------------------------------------------------------


def test_purge_removes_what_is_due_and_nothing_else(
    store: Store, migrated: Engine, clock: Clock
) -> None:
    old = [add(store) for _ in range(3)]
    store.record_print(old[0].id, kind="slip", printer="kiosk-slip", ok=True)
    store.open_for_clerk(old[0].id, "clerk01")
    clock.advance(days=29, hours=23)
    edge = add(store)  # 29 days 23 hours old at the purge below: kept
    clock.advance(hours=2)
    fresh = add(store)
    store.record_print(fresh.id, kind="slip", printer="kiosk-slip", ok=True)

    assert store.purge(dt.timedelta(days=30)) == 3
    for app in old:
        with pytest.raises(NotFoundError):
            store.get(app.id)
        assert store.print_jobs_of(app.id) == []
    assert store.get(edge.id) and store.get(fresh.id)
    assert len(store.print_jobs_of(fresh.id)) == 1
    # The trail stays, with the purge at its end, and holds no personal data.
    assert [e.action for e in store.audit_trail(old[0].id)] == ["viewed", "purged"]
    assert [e.action for e in store.audit_trail(old[1].id)] == ["purged"]
    with migrated.connect() as conn:
        details = conn.execute(select(audit_events.c.detail)).scalars().all()
    assert all(d is None or HANAKO not in d for d in details)
    assert store.purge(dt.timedelta(days=30)) == 0
    assert store.stats().by_status["issued"] == 2
    with pytest.raises(InvalidValueError):
        store.purge(dt.timedelta(0))


def test_purge_on_sqlite_leaves_no_trace_in_the_files(tmp_path: Path, clock: Clock,
                                                       sealer: RecordSealer) -> None:
    path = tmp_path / "kiosk.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        store = open_store(engine, sealer=sealer, clock=clock)
        marker = "ZZMARKERZZ"  # plain text, to find it should encryption ever be skipped
        app = store.add_application(submission(), office_code=OFFICE, kiosk_id="K01",
                                    slip_id=os.urandom(12))
        with engine.connect() as conn:
            sealed = conn.execute(select(applications.c.payload)).scalar_one()
        store.record_print(app.id, kind="slip", printer="kiosk-slip", ok=False, error=marker)
        clock.advance(days=31)
        assert store.purge(dt.timedelta(days=30)) == 1
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    finally:
        engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # made by make_engine's first connect
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    raw = path.read_bytes()
    assert sealed[-32:] not in raw  # secure_delete overwrote the sealed blob
    assert marker.encode() not in raw


# --- keys, records and ids -----------------------------------------------------------------------


def test_a_kiosk_writes_what_it_cannot_read(migrated: Engine, sealer: RecordSealer,
                                            opener: RecordOpener) -> None:
    kiosk = open_store(migrated, sealer=sealer)
    app = add(kiosk)
    with pytest.raises(KeyMissingError):
        kiosk.open_for_clerk(app.id, "clerk01")
    desk = open_store(migrated, opener=opener)
    assert desk.open_for_clerk(app.id, "clerk01").submission == submission()
    with pytest.raises(KeyMissingError):
        add(desk)  # a desk never signs a record of its own
    with migrated.connect() as conn:
        sealed = conn.execute(select(applications.c.payload)).scalar_one()
    assert HANAKO.encode() not in sealed
    assert app.key_id == sealer.counter_key_id


@pytest.mark.parametrize("change", [
    {"kiosk_id": "K02"},  # another kiosk's row now
    {"forms": [{"id": "juminhyo", "version": 9}]},
    {"slip_id": "cd" * 12},  # another slip's row
    {"created_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)},
])
def test_a_rewritten_row_opens_as_tampered(store: Store, migrated: Engine,
                                           change: dict[str, object]) -> None:
    app = add(store)
    with migrated.begin() as conn:
        conn.execute(update(applications).where(applications.c.id == app.id).values(**change))
    with pytest.raises(TamperedError) as caught:
        store.open_for_clerk(app.id, "clerk01")
    assert caught.value.code == "tampered" and caught.value.application_id == app.id
    assert store.audit_trail(app.id) == []  # nothing was shown, so nothing was viewed


def test_ids_are_never_reused_after_a_purge(store: Store, clock: Clock) -> None:
    old = [add(store) for _ in range(3)]
    store.open_for_clerk(old[-1].id, "clerk01")
    clock.advance(days=31)
    assert store.purge(dt.timedelta(days=30)) == 3
    new = add(store)
    assert new.id > max(a.id for a in old)
    assert store.audit_trail(new.id) == []  # inherits no purged row's events


def test_a_purged_slip_stays_spent_while_it_is_valid(store: Store, clock: Clock) -> None:
    app = add(store)
    clock.advance(days=3)
    assert store.purge(dt.timedelta(days=2), slip_valid=dt.timedelta(days=14)) == 1
    assert store.is_spent(app.slip_id)
    clock.advance(days=12)
    store.purge(dt.timedelta(days=2), slip_valid=dt.timedelta(days=14))
    assert not store.is_spent(app.slip_id)  # expired now: the desk refuses it as such


def test_maintenance_store_needs_no_key(store: Store, migrated: Engine) -> None:
    app = add(store)
    maintenance = Store(migrated)
    assert maintenance.stats().by_status["issued"] == 1
    with pytest.raises(KeyMissingError):
        maintenance.open_for_clerk(app.id, "clerk01")
