"""Writing applications: the kiosk's, under the next ticket number, and the desk's copy of one
that reached it on its slip, under the kiosk's ticket.

Tickets: ``ticket_counters`` holds the last number per office and day in Japan. The upsert
``INSERT ... ON CONFLICT (office_code, day) DO UPDATE SET last_number = last_number + 1
RETURNING last_number`` locks that one row until the application row is in and the transaction
has committed, so concurrent kiosks queue on it and each gets the next number; a rollback gives
the number back. UNIQUE(office_code, ticket_day, ticket) is the last line of defence: should the
counter ever lag (a restored backup), the clash moves the counter past the highest number in use
and the write is retried. Sealing and signing happen before the transaction opens, so the lock
is held for a few statements only.

The kiosk writes what it cannot read (sealing.py): every write here is an INSERT, but for the
ticket counter's row, so on PostgreSQL the kiosk's role needs no SELECT on personal data
(`kiosk db roles`). The slip's codes are stored beside the application once made
(`add_slip_codes`), so a desk can reprint them without a signing key.

A resident who writes a paper form instead gets the next number of the same counter
(`draw_paper_ticket`), so paper and kiosk tickets never share one. No application holds it; a
`printed` audit event written in the same transaction keeps it for the clerks
(`AuditLog.paper_tickets`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Text, case, func, insert, literal, select, update
from sqlalchemy import cast as sa_cast
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from common.clock import JST
from kiosk.application import ProcedureAnswers, Status, Submission
from kiosk.store.audit import PAPER_CLERK, insert_audit, paper_detail
from kiosk.store.errors import InvalidValueError
from kiosk.store.models import applications, slip_codes, ticket_counters
from kiosk.store.records import (
    FORM_ID,
    KIOSK,
    OFFICE,
    TICKET,
    FormRef,
    PaperTicket,
    StoredApplication,
    check,
    form_refs,
    slip_hex,
    ticket_text,
)
from kiosk.store.sealing import RecordMeta, refuse_my_number, slip_record, slip_record_codes
from kiosk.store.transactions import StoreBase

_TRAILING_NUMBER = re.compile(r"([0-9]+)$")
SLIP_KEY_ID = "slip"  # the key_id of a record a desk took from the slip (sealing.py, version 3)


class ApplicationWrites(StoreBase):
    def add_application(
        self, submission: Submission, *, office_code: str, kiosk_id: str, slip_id: bytes | str
    ) -> StoredApplication:
        """Store a submission with the next ticket number of its office and day, in one transaction.

        Raises MyNumberRefusedError (nothing stored) when an answer holds a My Number, and
        DuplicateSlipError when the slip id is already stored.
        """
        check(OFFICE, office_code, "office_code")
        check(KIOSK, kiosk_id, "kiosk_id")
        slip = slip_hex(slip_id)
        forms = form_refs(submission)
        sealer = self._need_sealer()
        now = self._now()
        meta = RecordMeta(slip, office_code, kiosk_id, now,
                          tuple((f["id"], f["version"]) for f in forms))
        blob, key_id = sealer.seal(submission, meta), sealer.counter_key_id
        day = now.astimezone(JST).date()
        row = {
            "ticket_day": day, "office_code": office_code, "kiosk_id": kiosk_id, "slip_id": slip,
            "status": Status.ISSUED.value, "created_at": now, "updated_at": now, "forms": forms,
            "key_id": key_id, "payload": blob,
        }

        def write(conn: Connection) -> tuple[int, str]:
            if conn.dialect.name == "postgresql":
                return self._insert_pg(conn, row)
            number = int(conn.execute(self._counter_upsert(sqlite_insert, office_code, day))
                         .scalar_one())
            ticket = ticket_text(self._prefix, number)
            new_id = conn.execute(
                insert(applications).values(ticket=ticket, ticket_no=number, **row)
                .returning(applications.c.id)
            ).scalar_one()
            return int(new_id), ticket

        new_id, ticket = self._write(write, on_ticket_clash=(office_code, day), one_statement=True)
        return StoredApplication(
            id=new_id, ticket=ticket, ticket_day=day, office_code=office_code, kiosk_id=kiosk_id,
            slip_id=slip, status=Status.ISSUED, created_at=now, updated_at=now,
            forms=tuple(FormRef(f["id"], f["version"]) for f in forms), key_id=key_id,
        )

    def draw_paper_ticket(
        self, *, office_code: str, kiosk_id: str, form_ids: Sequence[str]
    ) -> PaperTicket:
        """The next ticket number of the office and day for a resident who takes paper forms.

        Drawn like an application's, from the same counter under the same lock, and recorded as
        a `printed` audit event (no application, codes only) in the same transaction: the
        number is the resident's once this returns, whether the forms then print or not.
        """
        check(OFFICE, office_code, "office_code")
        check(KIOSK, kiosk_id, "kiosk_id")
        forms = tuple(form_ids)
        for form_id in forms:
            check(FORM_ID, form_id, "form_id")
        now = self._now()
        day = now.astimezone(JST).date()

        def write(conn: Connection) -> str:
            upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            number = int(conn.execute(self._counter_upsert(upsert, office_code, day))
                         .scalar_one())
            ticket = ticket_text(self._prefix, _past_applications(conn, office_code, day, number))
            insert_audit(conn, clerk=PAPER_CLERK, action="printed", application_id=None,
                         desk=kiosk_id, detail=paper_detail(office_code, ticket, forms), at=now)
            return ticket

        return PaperTicket(ticket=self._write(write), ticket_day=day, office_code=office_code,
                           kiosk_id=kiosk_id, form_ids=forms, at=now)

    def add_slip_codes(self, slip_id: bytes | str, codes: Sequence[dict[str, Any]]) -> None:
        """The codes printed on the slip ({"counter", "titles", "text"}, each text sealed and
        signed), for a desk's reprint. Written once, after the application, by the kiosk."""
        slip = slip_hex(slip_id)
        at = self._now()
        self._write(lambda conn: conn.execute(
            insert(slip_codes).values(slip_id=slip, codes=list(codes), at=at)))

    def add_scanned_procedures(self, slip_id: bytes | str, code: str,
                               procedures: Sequence[ProcedureAnswers]) -> bool:
        """A later code of a slip this desk recorded from an earlier one (separate networks:
        each counter's code carries only its own procedures): the code joins the row's record
        when it brings procedures the row lacks. True when anything was added."""
        slip = slip_hex(slip_id)

        def write(conn: Connection) -> bool:
            row = conn.execute(select(applications).where(applications.c.slip_id == slip)
                               .with_for_update()).first()
            if row is None or row.key_id != SLIP_KEY_ID:
                return False  # a kiosk's own record holds every procedure already
            have = {str(f["id"]) for f in row.forms}
            missing = [p for p in procedures if p.form_id not in have]
            if not missing:
                return False
            codes = [*slip_record_codes(row.payload), code]
            forms = [*row.forms, *({"id": p.form_id, "version": p.form_version} for p in missing)]
            conn.execute(update(applications).where(applications.c.id == row.id).values(
                payload=slip_record(codes), forms=forms))
            return True

        return self._write(write)

    @staticmethod
    def _counter_upsert(upsert: Any, office_code: str, day: dt.date) -> Any:
        """INSERT ... ON CONFLICT DO UPDATE ... RETURNING: the next number, row locked till commit."""
        return (
            upsert(ticket_counters)
            .values(office_code=office_code, day=day, last_number=1)
            .on_conflict_do_update(
                index_elements=[ticket_counters.c.office_code, ticket_counters.c.day],
                set_={"last_number": ticket_counters.c.last_number + 1},
            )
            .returning(ticket_counters.c.last_number)
        )

    def _insert_pg(self, conn: Connection, row: dict[str, Any]) -> tuple[int, str]:
        """Counter and application in one statement, run as its own transaction.

        The counter row is then locked only while the server executes and commits it, never
        while a kiosk process waits for the CPU between statements: with BEGIN, upsert, insert,
        COMMIT as separate round trips, 32 kiosks on a 2-core host queued on that row.
        """
        counter = self._counter_upsert(pg_insert, row["office_code"], row["ticket_day"]).cte("n")
        number = select(counter.c.last_number).scalar_subquery()
        digits = sa_cast(number, Text)
        ticket = literal(f"{self._prefix}-") + case(
            (number < 1000, func.lpad(digits, 3, "0")), else_=digits)  # f"{n:03d}"
        stmt = (
            insert(applications).add_cte(counter)
            .values(ticket=ticket, ticket_no=number, **row)
            .returning(applications.c.id, applications.c.ticket)
        )
        new_id, made = conn.execute(stmt).one()
        return int(new_id), str(made)

    def record_scanned(
        self,
        submission: Submission,
        *,
        codes: Sequence[str],
        office_code: str,
        kiosk_id: str,
        slip_id: bytes | str,
        ticket: str,
        issued_at: dt.datetime,
    ) -> StoredApplication:
        """Store an application that reached a desk on its slip (kiosk and desk on separate
        networks): under the kiosk's own ticket and issue day, status `issued`.

        What is kept is the slip's `codes` as scanned, signed by the kiosk (sealing.py, version
        3): the desk cannot sign, and opens them again as it opened the slip. `submission` is
        what the codes hold, for the forms column and the My Number refusal.

        No ticket number is drawn: the resident holds the kiosk's. `created_at` is the issue
        time, so the retention purge counts from the same moment as on the kiosk. Should two
        kiosks with separate databases have issued the same ticket today, the second is kept
        as "A-007/K02" (UNIQUE per office, day and ticket). Raises DuplicateSlipError when the
        slip is stored already (another desk recorded it a moment ago) and MyNumberRefusedError
        like `add_application`.
        """
        check(OFFICE, office_code, "office_code")
        check(KIOSK, kiosk_id, "kiosk_id")
        check(TICKET, ticket, "ticket")
        if issued_at.tzinfo is None or issued_at.utcoffset() is None:
            raise InvalidValueError("issued_at must be an aware datetime")
        slip = slip_hex(slip_id)
        refuse_my_number([dict(p.values) for p in submission.procedures])
        key_id, blob = SLIP_KEY_ID, slip_record(codes)
        digits = _TRAILING_NUMBER.search(ticket)
        row: dict[str, Any] = {
            "ticket_no": max(1, int(digits.group(1))) if digits else 1,
            "ticket_day": issued_at.astimezone(JST).date(), "office_code": office_code,
            "kiosk_id": kiosk_id, "slip_id": slip, "status": Status.ISSUED.value,
            "created_at": issued_at.astimezone(dt.UTC), "updated_at": self._now(),
            "forms": form_refs(submission), "key_id": key_id, "payload": blob,
        }
        return self._write(lambda conn: _insert_scanned(conn, row, ticket))


def _past_applications(conn: Connection, office_code: str, day: dt.date, number: int) -> int:
    """`number`, or the number after the highest an application holds should the counter lag
    (a restored backup): a paper ticket has no row whose UNIQUE constraint would catch that."""
    highest = conn.execute(select(func.max(applications.c.ticket_no)).where(
        applications.c.office_code == office_code, applications.c.ticket_day == day)).scalar()
    if highest is None or int(highest) < number:
        return number
    conn.execute(update(ticket_counters).where(
        ticket_counters.c.office_code == office_code, ticket_counters.c.day == day)
        .values(last_number=int(highest) + 1))
    return int(highest) + 1


def _insert_scanned(conn: Connection, row: dict[str, Any], ticket: str) -> StoredApplication:
    """The row under the kiosk's ticket, or "A-007/K02" when this database has that ticket."""
    taken = conn.execute(select(applications.c.id).where(
        applications.c.office_code == row["office_code"],
        applications.c.ticket_day == row["ticket_day"], applications.c.ticket == ticket)).first()
    kiosk_id = row["kiosk_id"]
    kept = ticket if taken is None else f"{ticket[:15 - len(kiosk_id)]}/{kiosk_id}"
    new_id = conn.execute(
        insert(applications).values(ticket=kept, **row).returning(applications.c.id)
    ).scalar_one()
    return StoredApplication(
        id=int(new_id), ticket=kept, ticket_day=row["ticket_day"],
        office_code=row["office_code"], kiosk_id=kiosk_id, slip_id=row["slip_id"],
        status=Status.ISSUED, created_at=row["created_at"], updated_at=row["updated_at"],
        forms=tuple(FormRef(f["id"], f["version"]) for f in row["forms"]), key_id=row["key_id"],
    )
