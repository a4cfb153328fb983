"""Submissions for the store tests and the benchmark: made-up residents, real shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from common.clock import JST
from kiosk.application import ProcedureAnswers, Submission

HANAKO = "見本 花子"
# d1..d11 weighted 6 5 4 3 2 7 6 5 4 3 2 sum to 212, r = 212 mod 11 = 3, check = 11 - 3 = 8.
MY_NUMBER = "123456789018"


def submission(name: str = HANAKO, *, note: Any = "", when: dt.datetime | None = None
               ) -> Submission:
    """A 住民票 request plus a 印鑑登録 change: dates, lists, nested groups, flags."""
    return Submission(
        procedures=(
            ProcedureAnswers(
                form_id="juminhyo",
                form_version=3,
                values={
                    "name": name,
                    "kana": "ミホン ハナコ",
                    "address": "みほん市中央一丁目2番3号",
                    "birth_date": dt.date(1985, 4, 1),
                    "copies": 2,
                    "include": ["household", "honseki"],
                    "note": note,
                    "members": [{"name": "見本 太郎", "relation": "夫"}],
                    "paid": False,
                    "extra": None,
                },
                flags={"address": ["from_card", "corrected"], "name": ["from_card"]},
            ),
            ProcedureAnswers(form_id="inkan", form_version=1, values={"reason": "lost"}),
        ),
        identity_source="card",
        staff_assisted=False,
        lang="ja",
        created_at=when or dt.datetime(2026, 11, 23, 10, 0, tzinfo=JST),
    )
