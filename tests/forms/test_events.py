"""Life events' shared answers in the form language: what validate says, and what fills what.

Each test writes a small life event and a procedure into a local folder (no shipped files)
and checks the problems IT staff would read: the file, the line, the words.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from forms import events
from forms.loader import Library, load_library
from forms.model import date_bound
from tests.forms.helpers import HEADER, describe

PROCEDURE = HEADER + """\
fields:
  - id: applicant
    type: applicant
    label: 窓口に来た人は
    bind: event.applicant
    required: true
  - id: moved_on
    type: date
    label: 住み始めた日
    bind: @MOVED@
    required: true
  - id: people
    type: group
    label: 引っ越した人
    bind: event.household
    fields:
      - {id: name, type: text, label: 氏名, required: true}
      - {id: kana, type: katakana, label: フリガナ, bind: event.household.name_kana}
      - {id: returned, type: yes_no, label: 返しますか}
"""

EVENT = """\
life_events:
  - id: moving
    title: {ja: 引っ越し, ja_kana: ひっこし, en: Moving}
    questions:
      - {id: has_card, label: カードがありますか}
    shared:
      - id: applicant
        type: choice
        label: 窓口に来た人は
        required: true
        choices:
          - {value: self, label: 本人}
          - {value: household, label: 世帯の人}
      - {id: move_date, type: @TYPE@, label: 住み始めた日, required: true}
      - id: household
        type: group
        label: 引っ越した人
        fields:
          - {id: name, type: text, label: 氏名, required: true}
          - {id: name_kana, type: katakana, label: フリガナ}
    steps:
      - form: test_form
        answers: @ANSWERS@
        select: @SELECT@
"""


def load(tmp_path: Path, *, moved_bind: str = "event.move_date", move_type: str = "date",
         answers: str = "{}", select: str = "{}") -> Library:
    (tmp_path / "form.yaml").write_text(PROCEDURE.replace("@MOVED@", moved_bind),
                                        encoding="utf-8")
    event = EVENT.replace("@TYPE@", move_type).replace("@ANSWERS@", answers)
    (tmp_path / "life_events.yaml").write_text(
        textwrap.dedent(event.replace("@SELECT@", select)), encoding="utf-8")
    return load_library([tmp_path], shipped=None)


def rendered(lib: Library) -> list[str]:
    return [p.render("en") for p in lib.problems]


def test_a_well_bound_procedure_loads_with_one_note_for_a_value_it_does_not_offer(
        tmp_path: Path) -> None:
    lib = load(tmp_path)
    assert lib.errors == [], describe(lib.problems)
    assert "moving" in lib.life_events
    # 'household' is a shared answer the form's applicants lack: it asks its own question then.
    [note] = lib.problems
    assert (note.severity, note.file.name, note.line) == ("info", "form.yaml", 13)
    assert "answers household are not choices here" in note.render("en")


def test_a_binding_of_the_wrong_type_names_the_procedure_line_and_the_event(
        tmp_path: Path) -> None:
    lib = load(tmp_path, move_type="text")
    [error] = lib.errors
    assert (error.file.name, error.line, error.path) == ("form.yaml", 18, "fields[1].bind")
    assert "'moving': a date field cannot take 'move_date', a text." in error.render("en")
    assert "「moving」" in error.render("ja")


def test_a_misspelt_shared_answer_is_warned_with_a_suggestion(tmp_path: Path) -> None:
    lib = load(tmp_path, moved_bind="event.move_dat")
    warning = next(p for p in lib.problems if p.severity == "warning")
    assert (warning.file.name, warning.line) == ("form.yaml", 18)
    assert "no life event shares 'move_dat'" in warning.render("en")
    assert warning.hint is not None and "move_date" in (warning.hint.en or "")


def test_implied_answers_and_selections_that_do_not_fit_are_warned_at_the_event(
        tmp_path: Path) -> None:
    # A local procedure replaced the one the event was written for: the event still works.
    lib = load(tmp_path, answers="{applicant: agent, purpse: x}", select="{nobody: name}")
    assert lib.errors == [], describe(lib.problems)
    warnings = [p.render("en") for p in lib.problems if p.severity == "warning"]
    assert [w.split(": warning ")[0].rsplit("/", 1)[1] for w in warnings] == [
        "life_events.yaml:23", "life_events.yaml:24"]
    assert "'test_form' has no question 'purpse'." in warnings[0]
    assert "'nobody' bound to a shared group" in warnings[1]
    assert "moving" in lib.life_events


def test_a_select_naming_a_field_its_group_lacks_is_an_error_with_a_suggestion(
        tmp_path: Path) -> None:
    lib = load(tmp_path, select="{people: name_kan == 'x'}")
    [error] = lib.errors
    assert error.file.name == "life_events.yaml" and error.line is not None
    assert error.hint is not None and "name_kana" in (error.hint.en or "")
    assert "moving" not in lib.life_events


def test_the_shared_form_holds_only_what_the_chosen_procedures_bind(tmp_path: Path) -> None:
    lib = load(tmp_path)
    event, form = lib.life_events["moving"], lib.get("test_form")
    shared = events.shared_form(event, [form])
    assert shared is not None
    assert [f.id for f in shared.fields] == ["has_card", "applicant", "move_date", "household"]
    assert events.shared_form(event, []) is None


def test_several_event_sources_take_the_first_the_event_shares(tmp_path: Path) -> None:
    lib = load(tmp_path, moved_bind="event.death_date or event.move_date or card.birth_date")
    form = lib.get("test_form")
    field = form.field("moved_on")
    assert field.bind == "card.birth_date"  # what the procedure alone is filled from
    assert events.resolve(field, ["move_date", "death_date"]) == ("death_date", None)
    assert events.resolve(field, ["move_date"]) == ("move_date", None)
    assert events.resolve(field, []) is None


def test_relative_date_bounds_count_from_the_day_of_answering() -> None:
    today = dt.date(2024, 2, 29)
    assert date_bound("today - 1 year", today) == dt.date(2023, 2, 28)
    assert date_bound("today + 14 days", today) == dt.date(2024, 3, 14)
    assert date_bound("today - 3 months", today) == dt.date(2023, 11, 29)
