"""What the store hands out (no personal data except the decrypted `Submission` of an
`OpenedApplication`), and the format checks every id passes before it reaches SQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import Row

from kiosk.application import Status, Submission
from kiosk.store.errors import InvalidValueError, StoreError
from kiosk.store.sealing import refuse_my_number

AuditAction = Literal["viewed", "printed", "status_changed", "exported", "purged", "refused",
                      "number_read"]
PrintKind = Literal["slip", "form", "assisted"]

SLIP_ID_BYTES = 12
MAX_ERROR_TEXT = 500
OFFICE = re.compile(r"[0-9]{6}")
KIOSK = re.compile(r"[A-Z0-9]{1,8}")  # kiosk.toml's kiosk_id rule
STAFF_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,63}")  # clerk, desk, printer
PREFIX = re.compile(r"[A-Z0-9]{1,4}")
TICKET = re.compile(r"[A-Z0-9](?:[A-Z0-9-]{0,14}[A-Z0-9])?")  # the slip's rule: "A-023"
FORM_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")  # forms/model.py's ID
_HEX24 = re.compile(r"[0-9a-f]{24}")


@dataclass(frozen=True)
class FormRef:
    form_id: str
    version: int


@dataclass(frozen=True)
class StoredApplication:
    """An application as the counter finds and routes it: no personal data."""

    id: int
    ticket: str
    ticket_day: dt.date
    office_code: str
    kiosk_id: str
    slip_id: str  # 24 hex digits
    status: Status
    created_at: dt.datetime
    updated_at: dt.datetime
    forms: tuple[FormRef, ...]
    key_id: str


@dataclass(frozen=True)
class PaperTicket:
    """A ticket number a kiosk handed out with the paper forms of a resident who writes by hand.

    No application holds it: the clerk types the form in later. It comes from the same counter
    as the kiosk's applications, so the two never share a number; no personal data.
    """

    ticket: str
    ticket_day: dt.date
    office_code: str
    kiosk_id: str
    form_ids: tuple[str, ...]
    at: dt.datetime


@dataclass(frozen=True)
class OpenedApplication:
    """What `open_for_clerk` hands the desk: the row and the decrypted submission."""

    application: StoredApplication
    submission: Submission


@dataclass(frozen=True)
class AuditEvent:
    id: int
    clerk_id: str
    action: AuditAction
    application_id: int | None
    desk_id: str | None
    detail: str | None
    at: dt.datetime


@dataclass(frozen=True)
class SlipScan:
    """What `open_by_slip` hands the desk: the opened application and the first earlier scan
    of the same slip (None on the first), so a replay is told and still shown."""

    opened: OpenedApplication
    earlier: AuditEvent | None


@dataclass(frozen=True)
class PrintJob:
    id: int
    application_id: int | None
    kind: PrintKind
    printer: str
    ok: bool
    error: str | None
    at: dt.datetime


@dataclass(frozen=True)
class StoreStats:
    """Counts only: what `kiosk db stats` prints."""

    by_status: dict[str, int]
    prints_ok: int
    prints_failed: int
    audit_events: int
    oldest_created_at: dt.datetime | None
    by_key_id: dict[str, int]


# --- checks ----------------------------------------------------------------------------------


def check(pattern: re.Pattern[str], value: str, name: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidValueError(f"{name} has the wrong format (expected {pattern.pattern})")


def ticket_text(prefix: str, number: int) -> str:
    """"A-012": the prefix and at least three digits (A-999 is followed by A-1000)."""
    return f"{prefix}-{number:03d}"


def slip_hex(slip_id: bytes | str) -> str:
    """The slip id as 24 lower-case hex digits (12 bytes, printouts.payload.new_slip_id)."""
    if isinstance(slip_id, bytes) and len(slip_id) == SLIP_ID_BYTES:
        return slip_id.hex()
    if isinstance(slip_id, str) and _HEX24.fullmatch(slip_id.lower()):
        return slip_id.lower()
    raise InvalidValueError("slip_id must be 12 bytes (or 24 hex digits)")


def clean_error(error: str | None) -> str | None:
    """A printer's message as stored: printable, at most 500 characters, never a My Number."""
    if error is None:
        return None
    text = "".join(ch if ch.isprintable() else " " for ch in error)[:MAX_ERROR_TEXT]
    try:
        refuse_my_number(text)
    except StoreError:
        return "(error text dropped: it held a 12-digit number)"
    return text


def form_refs(submission: Submission) -> list[dict[str, Any]]:
    """The `forms` column: which form versions an application used, readable without the key."""
    return [{"id": p.form_id, "version": p.form_version} for p in submission.procedures]


# --- rows ------------------------------------------------------------------------------------


def as_utc(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's MIN() returns the stored text
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(type(value).__name__)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def event_of(row: Row[Any]) -> AuditEvent:
    return AuditEvent(row.id, row.clerk_id, cast(AuditAction, row.action), row.application_id,
                      row.desk_id, row.detail, row.at)


def stored_of(row: Row[Any]) -> StoredApplication:
    forms: Sequence[dict[str, Any]] = row.forms
    return StoredApplication(
        id=row.id, ticket=row.ticket, ticket_day=row.ticket_day, office_code=row.office_code,
        kiosk_id=row.kiosk_id, slip_id=row.slip_id, status=Status(row.status),
        created_at=row.created_at, updated_at=row.updated_at,
        forms=tuple(FormRef(str(f["id"]), int(f["version"])) for f in forms), key_id=row.key_id,
    )
