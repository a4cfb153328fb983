"""Shared choice lists: one 続柄 list, one 性別 list, named once and used by every procedure.

A file whose top key is `choice_lists:` holds named lists; a field then says `choices: sex`
instead of writing the list out. The same concept offers the same values and words in every
procedure, which is what lets a life event ask it once and fill each procedure from it.

Policy, in the order the loader reads the folders (shipped first, then each `forms.dirs`
folder): a list with the same name as an earlier one replaces it, in every procedure, the
shipped ones included, and the replacement is reported as `info`, as a replaced form is.
A city can so add 「妻の子」 to 続柄 once instead of copying every moving form.

A list file with an error is not used at all (as a form file with an error is not loaded);
the forms that name none of its lists load as before, and those that do are told the list
is unknown beside the list file's own error.

The lists are handed out as the raw mappings of the file and copied into the form's raw data
before the form model validates it, so a resolved form is checked exactly like one that wrote
its choices out (duplicate values, `bind: card.sex`, conditions naming a value).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from forms.errors import Code
from forms.model import ID, Choice
from forms.schema_errors import known_keys, report_validation_error
from forms.text import T
from forms.yamlsource import PathKey, Source

CHOICE_LISTS_KEY = "choice_lists"
LIFE_EVENTS_KEY = "life_events"  # the life-events file's top key, whose shared questions may name lists

ChoiceList = list[dict[str, Any]]
ListName = Annotated[str, StringConstraints(pattern=ID)]


class ChoiceListsFile(BaseModel):
    """A file of named lists: `choice_lists: {sex: [...], relationship: [...]}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    choice_lists: dict[ListName, Annotated[list[Choice], Field(min_length=1)]] = Field(
        min_length=1)


_KEYS = known_keys(ChoiceListsFile, Choice)


def is_choice_lists_file(src: Source) -> bool:
    """Told apart by its top key, as the life-events file is: file names are the city's."""
    return isinstance(src.data, dict) and CHOICE_LISTS_KEY in src.data


def load_choice_lists(src: Source) -> dict[str, ChoiceList]:
    """The file's lists as raw mappings; none at all when anything in the file is wrong."""
    if src.problems:
        return {}
    try:
        parsed = ChoiceListsFile.model_validate(src.data)
    except ValidationError as exc:
        report_validation_error(exc, src, _KEYS)
        return {}
    for name, choices in parsed.choice_lists.items():
        seen: set[str] = set()
        for i, choice in enumerate(choices):
            if choice.value in seen:
                src.error(Code.DUPLICATE_CHOICE, (CHOICE_LISTS_KEY, name, i, "value"), T(
                    f"一覧「{name}」に値「{choice.value}」が2つあります。",
                    f"list '{name}' offers the value '{choice.value}' twice."),
                    T("どちらか一方を消すか、値を変えてください。",
                      "Delete one of them or give it another value."))
            seen.add(choice.value)
    if src.problems:
        return {}
    return copy.deepcopy(src.data[CHOICE_LISTS_KEY])


def merge_choice_lists(sources: Iterable[Source]) -> dict[str, ChoiceList]:
    """Every file's lists in reading order; a later list replaces an earlier one of its name."""
    lists: dict[str, ChoiceList] = {}
    for src in sources:
        for name, choices in load_choice_lists(src).items():
            if name in lists:
                src.report("info", Code.OVERRIDDEN, (CHOICE_LISTS_KEY, name), T(
                    f"選択肢の一覧「{name}」はこのファイルのものを使います。",
                    f"this file's choice list '{name}' replaces the earlier one."))
            lists[name] = choices
    return lists


def resolve_choice_lists(src: Source, lists: dict[str, ChoiceList]) -> None:
    """Put a copy of the named list wherever a field of `src.data` says `choices: <name>`.

    `src` is a procedure file (its `fields`) or the life-events file (each event's `shared`
    questions, which the procedures' 続柄 and 性別 bind to). Copies, so that nothing one form
    does to its choices reaches another.
    """
    if not isinstance(src.data, dict):
        return
    _resolve_fields(src, lists, src.data.get("fields"), ("fields",))
    events = src.data.get(LIFE_EVENTS_KEY)
    for i, event in enumerate(events if isinstance(events, list) else ()):
        if isinstance(event, dict):
            _resolve_fields(src, lists, event.get("shared"), (LIFE_EVENTS_KEY, i, "shared"))


def _resolve_fields(src: Source, lists: dict[str, ChoiceList], fields: Any,
                    path: PathKey) -> None:
    if not isinstance(fields, list):
        return  # not a list of fields: the form model says so, with the line
    for i, field in enumerate(fields):
        if not isinstance(field, dict):
            continue
        name = field.get("choices")
        if isinstance(name, str):
            if name in lists:
                field["choices"] = copy.deepcopy(lists[name])
            else:
                _unknown(src, (*path, i, "choices"), name, lists)
        _resolve_fields(src, lists, field.get("fields"), (*path, i, "fields"))


def _unknown(src: Source, path: PathKey, name: str, lists: dict[str, ChoiceList]) -> None:
    known = sorted(lists)
    if not known:
        src.error(Code.UNKNOWN_CHOICE_LIST, path, T(
            f"選択肢の一覧「{name}」はありません。読み込まれた一覧が1つもありません。",
            f"there is no choice list '{name}': no choice lists are loaded."), T(
            "一覧は「choice_lists:」で始まるファイルに書きます（forms/library/choices.yaml）。"
            "選択肢をこの項目に直接書くこともできます。",
            "Lists are written in a file starting with 'choice_lists:' "
            "(forms/library/choices.yaml), or write the choices out in this field."))
        return
    names = ", ".join(known)
    close = difflib.get_close_matches(name, known, n=1) or difflib.get_close_matches(
        name.lower(), known, n=1)
    guess_ja = f"「{close[0]}」の書き間違いではありませんか。" if close else ""
    guess_en = f"Did you mean '{close[0]}'? " if close else ""
    src.error(Code.UNKNOWN_CHOICE_LIST, path, T(
        f"選択肢の一覧「{name}」はありません。", f"there is no choice list '{name}'."), T(
        f"{guess_ja}使える一覧: {names}", f"{guess_en}Known lists: {names}"))
