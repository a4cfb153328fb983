"""Reading the audit trail as a supervisor does (`kiosk audit verify`, `kiosk audit show`):
whether the chain is whole, and who did what to which application, and when.

Nothing here reads personal data: events hold ids and codes only, so a store without keys
answers both, under the owner's login or a desk's (which may read audit_events, roles.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement

from common.clock import JST
from kiosk.store import audit_chain
from kiosk.store.audit_chain import ChainCheck
from kiosk.store.models import audit_events
from kiosk.store.records import STAFF_ID, AuditEvent, check, event_of
from kiosk.store.transactions import StoreBase


class AuditQueries(StoreBase):
    def verify_audit(self) -> ChainCheck:
        """Walk the whole chain (audit_chain.verify): the first changed or missing event."""
        return self._read(audit_chain.verify)

    def find_audit_events(
        self,
        *,
        clerk: str | None = None,
        application_id: int | None = None,
        since: dt.date | None = None,
    ) -> list[AuditEvent]:
        """The events that match every filter given, in the chain's order: one person's
        (`clerk`), one application's, from a day on (`since`, in Japan)."""
        events = audit_events.c
        wanted: list[ColumnElement[bool]] = []
        if clerk is not None:
            check(STAFF_ID, clerk, "clerk")
            wanted.append(events.clerk_id == clerk)
        if application_id is not None:
            wanted.append(events.application_id == application_id)
        if since is not None:
            wanted.append(events.at >= dt.datetime.combine(since, dt.time(), JST))
        query = audit_events.select().where(*wanted).order_by(events.seq)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [event_of(r) for r in rows]
