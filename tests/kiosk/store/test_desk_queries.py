"""The Store's calls for the counter desk, on both databases: a scan as one locked, audited
transaction; an application taken from its slip; tickets; exports."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from sqlalchemy import Engine, select

from common.clock import JST
from kiosk.store.errors import DuplicateSlipError, InvalidValueError, MyNumberRefusedError
from kiosk.store.models import applications
from kiosk.store.repository import SCAN_DETAIL, SlipScan, Store, open_store
from kiosk.store.sealing import RecordOpener, RecordSealer, slip_record_codes
from tests.kiosk.store.conftest import Clock
from tests.kiosk.store.samples import MY_NUMBER, submission

OFFICE = "999997"
ISSUED = dt.datetime(2026, 11, 23, 9, 58, 30, tzinfo=JST)
CODE = "KS2-NOT-OPENED-HERE"  # what the desk scanned; the desk's tests open real codes


def record(store: Store, *, ticket: str = "A-007", kiosk: str = "K02", slip: bytes | None = None,
           issued_at: dt.datetime = ISSUED, office: str = OFFICE) -> tuple[bytes, int]:
    slip = slip or os.urandom(12)
    row = store.record_scanned(submission(), codes=[CODE], office_code=office, kiosk_id=kiosk,
                               slip_id=slip, ticket=ticket, issued_at=issued_at)
    return slip, row.id


def test_a_scan_opens_and_notes_itself(store: Store, clock: Clock) -> None:
    assert store.open_by_slip(os.urandom(12), "c1") is None
    slip = os.urandom(12)
    added = store.add_application(submission(), office_code=OFFICE, kiosk_id="K01", slip_id=slip)

    first = store.open_by_slip(slip, "c1", desk="d1")
    clock.advance(minutes=3)
    second = store.open_by_slip(slip.hex(), "c2", desk="d2")

    assert isinstance(first, SlipScan) and isinstance(second, SlipScan)
    assert first.earlier is None
    assert first.opened.application.id == added.id
    assert first.opened.submission == submission()
    assert second.earlier is not None
    assert (second.earlier.clerk_id, second.earlier.desk_id) == ("c1", "d1")
    assert second.earlier.at == dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
    trail = store.audit_trail(added.id)
    assert [(e.action, e.clerk_id, e.detail) for e in trail] == [
        ("viewed", "c1", SCAN_DETAIL), ("viewed", "c2", SCAN_DETAIL)]


def test_an_open_by_id_is_not_a_scan(store: Store) -> None:
    slip = os.urandom(12)
    added = store.add_application(submission(), office_code=OFFICE, kiosk_id="K01", slip_id=slip)
    store.open_for_clerk(added.id, "c1")
    found = store.open_by_slip(slip, "c1")
    assert found is not None and found.earlier is None


def test_concurrent_scans_of_one_slip_take_turns(migrated: Engine, sealer: RecordSealer,
                                                opener: RecordOpener, clock: Clock) -> None:
    """The row is locked while it is checked: of eight desks scanning at once, one is first."""
    seed = open_store(migrated, sealer=sealer, clock=clock)
    slip = os.urandom(12)
    seed.add_application(submission(), office_code=OFFICE, kiosk_id="K01", slip_id=slip)
    barrier = threading.Barrier(8)
    results: list[SlipScan | None] = []
    errors: list[BaseException] = []

    def desk(n: int) -> None:
        store = open_store(migrated, opener=opener, clock=clock)
        barrier.wait()
        try:
            results.append(store.open_by_slip(slip, f"clerk{n}", desk=f"desk{n}"))
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert len(results) == 8
    assert sum(1 for r in results if r is not None and r.earlier is None) == 1


def test_an_application_from_its_slip(store: Store, migrated: Engine, clock: Clock) -> None:
    slip, app_id = record(store)
    row = store.get(app_id)
    assert (row.ticket, row.kiosk_id, row.status) == ("A-007", "K02", "issued")
    assert row.ticket_day == dt.date(2026, 11, 23)
    assert row.created_at == ISSUED.astimezone(dt.UTC)  # the issue time, for the purge
    assert row.updated_at == clock.now
    assert store.find_by_slip(slip) == row
    with migrated.connect() as conn:
        kept = conn.execute(select(applications.c.payload, applications.c.key_id)).one()
    assert (slip_record_codes(kept.payload), kept.key_id) == ([CODE], "slip")  # as scanned
    with pytest.raises(DuplicateSlipError):
        record(store, slip=slip)
    # No ticket was drawn: the kiosks of a shared database still start at A-001.
    own = store.add_application(submission(), office_code=OFFICE, kiosk_id="K01",
                                slip_id=os.urandom(12))
    assert own.ticket == "A-001"


def test_the_issue_day_is_the_day_in_japan(store: Store) -> None:
    late = dt.datetime(2026, 11, 23, 23, 59, tzinfo=JST)
    _, app_id = record(store, issued_at=late.astimezone(dt.UTC))
    assert store.get(app_id).ticket_day == dt.date(2026, 11, 23)


def test_the_same_ticket_from_two_kiosks_is_kept_apart(store: Store) -> None:
    _, a = record(store, ticket="A-001", kiosk="K01")
    _, b = record(store, ticket="A-001", kiosk="K02")
    _, c = record(store, ticket="LONGTICKET-00001", kiosk="KIOSK123")
    _, d = record(store, ticket="LONGTICKET-00001", kiosk="KIOSK124")
    assert store.get(a).ticket == "A-001"
    assert store.get(b).ticket == "A-001/K02"
    assert store.get(c).ticket == "LONGTICKET-00001"
    assert store.get(d).ticket == "LONGTIC/KIOSK124"  # 16 characters at most
    assert [s.id for s in store.find_by_ticket(OFFICE, "A-001", dt.date(2026, 11, 23))] == [a, b]
    assert store.find_by_ticket(OFFICE, "A-001", dt.date(2026, 11, 24)) == []


def test_what_a_slip_may_not_bring(store: Store) -> None:
    with pytest.raises(MyNumberRefusedError):
        store.record_scanned(submission(note=MY_NUMBER), codes=[CODE], office_code=OFFICE,
                             kiosk_id="K01",
                             slip_id=os.urandom(12), ticket="A-001", issued_at=ISSUED)
    for bad in ({"ticket": "a-1"}, {"kiosk": "k1"}, {"office": "12345"},
                {"issued_at": ISSUED.replace(tzinfo=None)}):
        with pytest.raises(InvalidValueError):
            record(store, **bad)
    assert store.stats().by_status["issued"] == 0


def test_export_opens_each_application_audited(store: Store, clock: Clock) -> None:
    _, old = record(store, issued_at=ISSUED - dt.timedelta(days=3))
    _, new = record(store, ticket="A-008")
    _, elsewhere = record(store, ticket="A-009", office="131016")
    since = dt.datetime(2026, 11, 22, tzinfo=JST)
    opened = store.open_for_export("c1", since=since, office_code=OFFICE, desk="d1", detail="csv")
    assert [o.application.id for o in opened] == [new]
    assert [o.application.id for o in store.open_for_export("c1")] == [old, new, elsewhere]
    assert [(e.action, e.detail, e.desk_id) for e in store.audit_trail(new)] == [
        ("exported", "csv", "d1"), ("exported", None, None)]
    with pytest.raises(InvalidValueError):
        store.open_for_export("c1", since=dt.datetime(2026, 11, 22))
