"""The clerk's view of one procedure, built from the form and the stored answers."""

from __future__ import annotations

import datetime as dt

from forms.loader import load_library
from kiosk.application import ProcedureAnswers
from kiosk.desk.view import procedure_view
from printouts.samples import sample_answers

LIBRARY = load_library()
ISSUED = dt.date(2026, 11, 23)


def test_a_notice_period_passed_on_the_issue_day_is_marked_at_its_answer() -> None:
    form = LIBRARY.get("tennyu")
    late = {**sample_answers(form, ISSUED), "moved_on": "2026-10-01"}
    view = procedure_view(0, ProcedureAnswers(form.id, form.version, late), LIBRARY, today=ISSUED)
    (row,) = [f for f in view.fields if f.path == "moved_on"]
    (flag,) = row.flags
    assert flag.code == "warning" and flag.attention and flag.ja.startswith("住み始めた日から14日を過ぎています")
    assert view.attention_count == 1
    assert row.to_json()["warnings"] == [{"ja": flag.ja, "en": flag.en}]


def test_in_time_nothing_is_marked() -> None:
    form = LIBRARY.get("tennyu")
    answers = {**sample_answers(form, ISSUED), "moved_on": "2026-11-20"}
    view = procedure_view(0, ProcedureAnswers(form.id, form.version, answers), LIBRARY, today=ISSUED)
    assert view.attention_count == 0 and view.notices == ()
