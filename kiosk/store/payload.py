"""What of a submission is sealed, and how it comes back.

The sealed payload is everything personal: the answers, the clerk's flags, where the identity
came from, whether staff helped, the language and the kiosk's time. The plain columns hold only
what routes and counts an application (store/models.py). A version number leads, so a later
release can still open what an earlier one sealed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast

from kiosk.application import ProcedureAnswers, Submission
from kiosk.store.errors import DecryptError

PAYLOAD_VERSION = 1
_SOURCES = ("card", "manual", "staff")


def to_payload(submission: Submission) -> dict[str, Any]:
    return {
        "v": PAYLOAD_VERSION,
        "identity_source": submission.identity_source,
        "staff_assisted": submission.staff_assisted,
        "lang": submission.lang,
        "submitted_at": submission.created_at,
        "procedures": [
            {
                "form_id": p.form_id,
                "form_version": p.form_version,
                "values": dict(p.values),
                "flags": {path: list(marks) for path, marks in p.flags.items()},
            }
            for p in submission.procedures
        ],
    }


def from_payload(payload: object) -> Submission:
    """The Submission back, equal to the one stored. A wrong shape is DecryptError (not ours)."""
    if not isinstance(payload, dict) or payload.get("v") != PAYLOAD_VERSION:
        raise DecryptError("unknown payload version")
    try:
        source = payload["identity_source"]
        submitted_at = payload["submitted_at"]
        procedures = tuple(_procedure(p) for p in payload["procedures"])
        if source not in _SOURCES or not isinstance(submitted_at, dt.datetime):
            raise TypeError
        return Submission(
            procedures=procedures,
            identity_source=cast(Literal["card", "manual", "staff"], source),
            staff_assisted=bool(payload["staff_assisted"]),
            lang=str(payload["lang"]),
            created_at=submitted_at,
        )
    except (KeyError, TypeError, ValueError):
        raise DecryptError("the payload does not have the expected shape") from None


def _procedure(raw: object) -> ProcedureAnswers:
    if not isinstance(raw, dict):
        raise TypeError
    values, flags = raw["values"], raw["flags"]
    if not isinstance(values, dict) or not isinstance(flags, dict):
        raise TypeError
    return ProcedureAnswers(
        form_id=str(raw["form_id"]),
        form_version=int(raw["form_version"]),
        values=values,
        flags={str(path): [str(m) for m in marks] for path, marks in flags.items()},
    )
