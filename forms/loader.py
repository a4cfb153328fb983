"""Load the procedure library: the shipped forms plus the municipality's own directories.

A pipeline of small passes (pyxform): read the file, build the typed model, run the
whole-form checks, then the checks across files. A broken file is reported and skipped;
the others load. A municipality's form replaces the shipped form with the same id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from forms.checks import check_form
from forms.choice_lists import (
    ChoiceList,
    is_choice_lists_file,
    merge_choice_lists,
    resolve_choice_lists,
)
from forms.errors import Code, Problem, Severity, UnknownFormError
from forms.event_checks import LIFE_EVENTS_KEY, ProcedureSources, SourceOf, check_event, unbound_events
from forms.events import shared_fields
from forms.model import (
    Applicant,
    Choice,
    Document,
    EventStep,
    Fee,
    Form,
    FormField,
    LifeEvent,
    LifeEventsFile,
    Rule,
    ScreeningQuestion,
)
from forms.schema_errors import known_keys, report_validation_error
from forms.text import T
from forms.yamlsource import Source, read_source

SHIPPED_DIR = Path(__file__).parent / "library"
Origin = Literal["shipped", "local"]

_KEYS = known_keys(Form, FormField, Choice, Rule, Applicant, Document, Fee, LifeEvent, EventStep,
                   ScreeningQuestion, LifeEventsFile)


@dataclass(frozen=True)
class LoadedForm:
    form: Form
    file: Path
    origin: Origin


@dataclass
class Library:
    forms: dict[str, LoadedForm] = field(default_factory=dict)
    life_events: dict[str, LifeEvent] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def get(self, form_id: str) -> Form:
        try:
            return self.forms[form_id].form
        except KeyError:
            raise UnknownFormError(form_id) from None


def load_library(local_dirs: list[Path] = (), *, shipped: Path | None = SHIPPED_DIR,  # type: ignore[assignment]
                 counters: set[str] | None = None) -> Library:
    """The shipped library (held to the stricter shipped rules), then each local directory."""
    lib = Library()
    event_files: list[Source] = []
    list_files: list[Source] = []
    dirs: list[tuple[Path, Origin]] = [(shipped, "shipped")] if shipped else []
    dirs += [(d, "local") for d in local_dirs]
    # Every folder is read before any form is built: a local choice list replaces the shipped
    # one in the shipped forms too.
    read = [(_read_dir(lib, d, origin, event_files, list_files), origin) for d, origin in dirs]
    lists = merge_choice_lists(list_files)
    for src in list_files:
        lib.problems.extend(src.problems)
    for sources, origin in read:
        _load_forms(lib, sources, origin, counters, lists)
    source_of = ProcedureSources({k: v.file for k, v in lib.forms.items()})
    for src in event_files:
        resolve_choice_lists(src, lists)
        _load_life_events(lib, src, source_of)
    shared_ids = {s for e in lib.life_events.values() for s in shared_fields(e)}
    for form_id, loaded in lib.forms.items():
        # No event loaded (its file broken): that file's errors say it all, not every binding.
        if lib.life_events and any(f.event_bind for f in loaded.form.all_fields()):
            unbound_events(loaded.form, source_of(form_id), shared_ids)
    lib.problems.extend(source_of.problems())
    return lib


def _read_dir(lib: Library, directory: Path, origin: Origin, event_files: list[Source],
              list_files: list[Source]) -> list[Source]:
    if not directory.is_dir():
        lib.problems.append(Problem("error", Code.EMPTY_DIRECTORY, directory, None, "", T(
            "フォルダーがありません。", "the directory does not exist."), T(
            "kiosk.toml の forms.dirs を確かめてください。", "Check forms.dirs in kiosk.toml.")))
        return []
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files and origin == "local":
        lib.problems.append(Problem("warning", Code.EMPTY_DIRECTORY, directory, None, "", T(
            "フォルダーに .yaml ファイルがありません。", "the directory holds no .yaml files.")))
    form_files: list[Source] = []
    for file in files:
        lib.files_read += 1
        src = read_source(file)
        if isinstance(src.data, dict) and LIFE_EVENTS_KEY in src.data:
            event_files.append(src)
        elif is_choice_lists_file(src):
            list_files.append(src)
        else:
            form_files.append(src)
    return form_files


def _load_forms(lib: Library, sources: list[Source], origin: Origin, counters: set[str] | None,
                lists: dict[str, ChoiceList]) -> None:
    this_dir: dict[str, Path] = {}
    for src in sources:
        file = src.file
        form = _build_form(src, counters, lists, strict=origin == "shipped")
        lib.problems.extend(src.problems)
        if form is None:
            continue
        if form.id in this_dir:
            other = this_dir[form.id].name
            lib.problems.append(Problem(
                "error", Code.DUPLICATE_FORM, file, src.line_of(("id",)), "id", T(
                f"手続き id「{form.id}」は {other} でも使われています。"
                "このファイルは読み込みません。",
                f"procedure id '{form.id}' is also used by {other}; this file is skipped."),
                T("新しい手続きには新しい id を付けてください。",
                  "Give a new procedure a new id.")))
            continue
        this_dir[form.id] = file
        if form.id in lib.forms:
            earlier = lib.forms[form.id]
            replaced = (T(f"同梱の「{form.id}」の代わりにこのファイルを使います。",
                          f"this file replaces the shipped '{form.id}'.")
                        if earlier.origin == "shipped" else
                        T(f"{earlier.file} の「{form.id}」の代わりにこのファイルを使います（後のフォルダーが優先）。",
                          f"this file replaces '{form.id}' of {earlier.file} (the later folder wins)."))
            severity: Severity = "info" if earlier.origin == "shipped" else "warning"
            lib.problems.append(Problem(severity, Code.OVERRIDDEN, file, src.line_of(("id",)), "id", replaced))
        lib.forms[form.id] = LoadedForm(form, file, origin)


def _build_form(src: Source, counters: set[str] | None, lists: dict[str, ChoiceList], *,
                strict: bool) -> Form | None:
    if src.problems:
        return None
    if not isinstance(src.data, dict):
        src.error(Code.NOT_A_MAPPING, (), T(
            "ファイルの一番上は「id: ...」のような項目の並びでなければなりません。",
            "the top of the file must be keys such as 'id: ...'."))
        return None
    resolve_choice_lists(src, lists)
    if src.problems:
        return None
    try:
        form = Form.model_validate(src.data)
    except ValidationError as exc:
        report_validation_error(exc, src, _KEYS)
        return None
    check_form(form, src, counters=counters, strict=strict)
    return None if any(p.severity == "error" for p in src.problems) else form


def _load_life_events(lib: Library, src: Source, source_of: SourceOf) -> None:
    if not src.problems:
        try:
            parsed = LifeEventsFile.model_validate(src.data)
        except ValidationError as exc:
            report_validation_error(exc, src, _KEYS)
        else:
            seen: set[str] = set()
            for i, event in enumerate(parsed.life_events):
                if event.id in seen:
                    src.error(Code.DUPLICATE_FORM, (LIFE_EVENTS_KEY, i, "id"), T(
                        f"ライフイベント id「{event.id}」がこのファイルに2つあります。",
                        f"life event id '{event.id}' appears twice in this file."))
                    continue
                seen.add(event.id)
                forms = {k: v.form for k, v in lib.forms.items()}
                if check_event(forms, source_of, src, event, i):
                    if event.id in lib.life_events:
                        src.report("info", Code.OVERRIDDEN, (LIFE_EVENTS_KEY, i, "id"), T(
                            f"ライフイベント「{event.id}」はこのファイルのものを使います。",
                            f"this file's life event '{event.id}' replaces the earlier one."))
                    lib.life_events[event.id] = event
    lib.problems.extend(src.problems)
