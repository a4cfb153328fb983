"""What the desk trusts: only what a kiosk signed, and only while the slip is valid.

A scanned code is verified by printouts.payload; the stored record by kiosk/store/sealing.py.
Here the two are held against each other and against the clock:

- a slip issued more than `FUTURE_SLACK` ahead of the desk's clock is `slip_from_future` (a
  kiosk's clock is wrong, or the time was made up), one older than `[desk] slip_valid_days` is
  `slip_expired`, and one whose application the retention purge removed is `slip_spent`;
- the stored application must say what the scanned code says (ticket, kiosk, office, and every
  answer and mark of the code's procedures), else the store's `tampered`: a row rewritten by
  someone who holds no kiosk key, or a row a kiosk key forged under a real slip's id.

Records a desk on another network took from the slip (version 3) are opened here as well
(`codes_opener`): the same checks as a scan, and they must name the row they sit in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kiosk.application import FlagCode, ProcedureAnswers, Submission
from kiosk.desk.errors import ScanRefused
from kiosk.store.errors import TamperedError
from kiosk.store.repository import OpenedApplication
from kiosk.store.sealing import CodesOpener, RecordMeta
from printouts.payload import Application, DeskKeys, PayloadError, decode
from printouts.payload.schema import FormSource

FUTURE_SLACK = dt.timedelta(minutes=10)


class SlipFromFuture(ScanRefused):
    code = "slip_from_future"
    message_ja = (
        "この控えの発行時刻が、この窓口の時計より先になっています。受け付けずに、発行した端末の"
        "時計を情報システム担当に確認してもらってください。"
    )
    message_en = (
        "This slip was issued later than this desk's clock says it is now. Do not accept it; ask "
        "IT staff to check the clock of the kiosk that printed it."
    )


class SlipExpired(ScanRefused):
    code = "slip_expired"
    message_ja = (
        "この控えは有効期間を過ぎています。お手数ですが、端末でもう一度申請していただくか、"
        "申請書に記入していただいてください。"
    )
    message_en = (
        "This slip is past its validity period. Ask the resident to apply again at the kiosk, "
        "or to fill in the paper form."
    )


class SlipSpent(ScanRefused):
    code = "slip_spent"
    message_ja = (
        "この控えの申請は保存期間を過ぎて削除済みのため、受け付けられません。端末でもう一度"
        "申請していただいてください。"
    )
    message_en = (
        "This slip's application was removed when its retention period ended, so it cannot be "
        "taken again. Ask the resident to apply again at the kiosk."
    )


CODES = (SlipFromFuture.code, SlipExpired.code, SlipSpent.code, TamperedError.code)


def check_fresh(issued_at: dt.datetime, now: dt.datetime, valid: dt.timedelta) -> None:
    """Refuse a slip from the future or past its validity."""
    if issued_at > now + FUTURE_SLACK:
        raise SlipFromFuture(f"{(issued_at - now).total_seconds() / 60:.0f} min ahead")
    if issued_at < now - valid:
        raise SlipExpired(f"issued {(now - issued_at).days} days ago")


def submission_from_slip(app: Application) -> Submission:
    """The Submission of an application as a slip's code carries it.

    The slip does not say whether staff helped or which language the resident used; the
    identity came from the card if any answer is marked `from_card`.
    """
    marks = {m for p in app.procedures for ms in p.flags.values() for m in ms}
    return Submission(
        procedures=tuple(
            ProcedureAnswers(p.form_id, p.form_version, dict(p.answers),
                             {path: list(ms) for path, ms in p.flags.items()})
            for p in app.procedures),
        identity_source="card" if FlagCode.FROM_CARD in marks else "manual",
        staff_assisted=False,
        lang="ja",
        created_at=app.issued_at,
    )


def check_agrees(app: Application, opened: OpenedApplication) -> None:
    """The stored application says what the scanned code says, or TamperedError."""
    stored = opened.application
    if stored.ticket != app.ticket and not stored.ticket.startswith(f"{app.ticket}/"):
        _tampered(stored.id, "the ticket differs from the slip's")
    if (stored.kiosk_id, stored.office_code) != (app.kiosk_id, app.office_code):
        _tampered(stored.id, "the kiosk or office differs from the slip's")
    held = {p.form_id: p for p in opened.submission.procedures}
    for procedure in submission_from_slip(app).procedures:
        kept = held.get(procedure.form_id)
        if kept is None:
            _tampered(stored.id, f"{procedure.form_id} is missing")
        elif (kept.form_version, dict(kept.values), dict(kept.flags)) != (
                procedure.form_version, dict(procedure.values), dict(procedure.flags)):
            _tampered(stored.id, f"{procedure.form_id} differs from the slip")


def _tampered(application_id: int, detail: str) -> None:
    error = TamperedError(detail)
    error.application_id = application_id
    raise error


def codes_opener(keys: DeskKeys, *, office_code: str, forms: FormSource) -> CodesOpener:
    """Open a record taken from a slip: each code verified as at a scan, all of them naming
    the row's slip, kiosk and office; their procedures in the order the codes came."""

    def open_codes(codes: Sequence[str], meta: RecordMeta) -> Submission:
        try:
            apps = [decode(text, keys, office_code=office_code, forms=forms).application
                    for text in codes]
        except PayloadError as exc:
            raise TamperedError(f"a stored code does not open: {exc.code}") from None
        for app in apps:
            if (app.slip_id.hex(), app.kiosk_id, app.office_code) != (
                    meta.slip_id, meta.kiosk_id, meta.office_code):
                raise TamperedError("a stored code belongs to another slip")
        if not apps:
            raise TamperedError("no code stored")
        first = submission_from_slip(apps[0])
        procedures = [p for app in apps for p in submission_from_slip(app).procedures]
        return Submission(procedures=tuple(procedures), identity_source=first.identity_source,
                          staff_assisted=False, lang="ja", created_at=first.created_at)

    return open_codes
