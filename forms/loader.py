"""Load the procedure library: the shipped forms plus the municipality's own directories.

A pipeline of small passes (pyxform): read the file, build the typed model, run the
whole-form checks, then the checks across files. A broken file is reported and skipped;
the others load. A municipality's form replaces the shipped form with the same id. Files in a
`retired/` folder are older versions of current forms, read only at the desk (forms/retired.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from forms.blocks import Blocks, Expansion, expand_includes, is_blocks_file, merge_blocks
from forms.checks import check_form
from forms.choice_lists import (
    ChoiceList,
    is_choice_lists_file,
    merge_choice_lists,
    resolve_choice_lists,
)
from forms.errors import Code, Problem, Severity
from forms.event_checks import LIFE_EVENTS_KEY, ProcedureSources, check_event, unbound_events
from forms.events import shared_fields
from forms.loaded import Library, LoadedForm, Origin
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
from forms.overrides import EXTENDS, Merged, check_versions, is_override, merge, read_extends
from forms.retired import in_retired, keep_retired, retired_form
from forms.schema_errors import known_keys, report_validation_error
from forms.text import T
from forms.yamlsource import Source, read_source

SHIPPED_DIR = Path(__file__).parent / "library"
# Where `[forms] hide` is written: problems about it name the setting, not a form file.
CONFIG_FILE = Path("kiosk.toml")

__all__ = ["CONFIG_FILE", "SHIPPED_DIR", "Library", "LoadedForm", "Origin", "load_library"]

_KEYS = known_keys(Form, FormField, Choice, Rule, Applicant, Document, Fee, LifeEvent, EventStep,
                   ScreeningQuestion, LifeEventsFile)


@dataclass(frozen=True)
class _Build:
    """What every form of one folder is built with."""

    counters: set[str] | None
    lists: dict[str, ChoiceList]
    origin: Origin
    blocks: Blocks = field(default_factory=Blocks)

    @property
    def strict(self) -> bool:
        return self.origin == "shipped"


def load_library(local_dirs: list[Path] = (), *, shipped: Path | None = SHIPPED_DIR,  # type: ignore[assignment]
                 counters: set[str] | None = None, hide: Collection[str] = ()) -> Library:
    """The shipped library (held to the stricter shipped rules), then each local directory;
    the procedures `hide` names are loaded and checked but not offered."""
    lib = Library()
    shared = _Shared()
    dirs: list[tuple[Path, Origin]] = [(shipped, "shipped")] if shipped else []
    dirs += [(d, "local") for d in local_dirs]
    # Every folder is read before any form is built: a local choice list or block replaces
    # the shipped one in the shipped forms too.
    read = [(_read_dir(lib, d, origin, shared), origin) for d, origin in dirs]
    lists = merge_choice_lists(shared.lists)
    blocks = merge_blocks(shared.blocks, lists)
    for src in [*shared.lists, *shared.blocks]:
        lib.problems.extend(src.problems)
    rebuilt: dict[str, _Rebuilt] = {}
    for sources, origin in read:
        _load_forms(lib, sources, _Build(counters, lists, origin, blocks), rebuilt)
    _hide(lib, hide)
    for src, origin in shared.retired:
        _load_retired(lib, src, _Build(counters, lists, origin, blocks))
    source_of = _FormSources(lib, rebuilt)
    for src in shared.events:
        resolve_choice_lists(src, lists)
        _load_life_events(lib, src, source_of)
    shared_ids = {s for e in lib.life_events.values() for s in shared_fields(e)}
    for form_id, loaded in lib.forms.items():
        # No event loaded (its file broken): that file's errors say it all, not every binding.
        if lib.life_events and any(f.event_bind for f in loaded.form.all_fields()):
            unbound_events(loaded.form, source_of(form_id), shared_ids)
    lib.problems.extend(source_of.problems())
    return lib


@dataclass
class _Shared:
    """The files of a folder that are not procedures, kept until every folder is read."""

    events: list[Source] = field(default_factory=list)
    lists: list[Source] = field(default_factory=list)
    blocks: list[Source] = field(default_factory=list)
    retired: list[tuple[Source, Origin]] = field(default_factory=list)


@dataclass(frozen=True)
class _Rebuilt:
    """A form whose checked data is not its file as written: an override merged, blocks
    included, or both; its problems are named back through each step."""

    merged: Merged | None = None
    expansion: Expansion | None = None

    def fresh(self) -> _Rebuilt:
        return _Rebuilt(self.merged.fresh() if self.merged else None,
                        self.expansion.fresh() if self.expansion else None)

    @property
    def source(self) -> Source:
        found = self.merged or self.expansion
        if found is None:
            raise ValueError("a rebuilt form has a merged or an expanded source")
        return found.source

    def relabel(self, problem: Problem) -> Problem:
        if self.merged is not None:
            problem = self.merged.relabel(problem)
        return self.expansion.relabel(problem) if self.expansion is not None else problem


class _FormSources:
    """Each procedure's Source for the life events' binding problems: a rebuilt form (its
    lines mapped back to the files written), else the file read again."""

    def __init__(self, lib: Library, rebuilt: dict[str, _Rebuilt]) -> None:
        self._rebuilt = {k: m.fresh() for k, m in rebuilt.items() if k in lib.forms}
        self._files = ProcedureSources({k: v.file for k, v in lib.forms.items() if k not in rebuilt})

    def __call__(self, form_id: str) -> Source:
        found = self._rebuilt.get(form_id)
        return found.source if found is not None else self._files(form_id)

    def problems(self) -> list[Problem]:
        return self._files.problems() + [
            m.relabel(p) for m in self._rebuilt.values() for p in m.source.problems]


def _read_dir(lib: Library, directory: Path, origin: Origin, shared: _Shared) -> list[Source]:
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
        if in_retired(file, directory):
            if retired_form(lib.problems, src):
                shared.retired.append((src, origin))
        elif isinstance(src.data, dict) and LIFE_EVENTS_KEY in src.data:
            shared.events.append(src)
        elif is_choice_lists_file(src):
            shared.lists.append(src)
        elif is_blocks_file(src):
            shared.blocks.append(src)
        else:
            form_files.append(src)
    return form_files


def _load_retired(lib: Library, src: Source, build: _Build) -> None:
    """An older version from retired/, built and checked like any form file (an override
    against what the current form extends or replaced), then kept if older than the current."""
    if is_override(src):
        bases = {k: v.base or v for k, v in {**lib.hidden, **lib.forms}.items()}
        built = _build_override(lib, src, build, bases)
        lib.problems.extend(src.problems)
        form = built[0].form if built is not None else None
    else:
        form, expansion = _build_form(src, build)
        lib.problems.extend(expansion.relabel(p) if expansion else p for p in src.problems)
    if form is not None and keep_retired(lib, src, form):
        lib.retired[form.id, form.version] = LoadedForm(form, src.file, build.origin, src.data)


def _load_forms(lib: Library, sources: list[Source], build: _Build,
                rebuilt: dict[str, _Rebuilt]) -> None:
    """The folder's whole forms first, then the files that extend a form loaded before."""
    this_dir: dict[str, Path] = {}
    for src in sources:
        if is_override(src):
            continue
        form, expansion = _build_form(src, build)
        lib.problems.extend(expansion.relabel(p) if expansion else p for p in src.problems)
        if form is not None and _add(lib, src, this_dir, LoadedForm(
                form, src.file, build.origin, src.data, lib.forms.get(form.id))):
            rebuilt.pop(form.id, None)
            if expansion is not None:
                rebuilt[form.id] = _Rebuilt(expansion=expansion)
    for src in sources:
        if not is_override(src):
            continue
        built = _build_override(lib, src, build)
        lib.problems.extend(src.problems)
        if built is not None and _add(lib, src, this_dir, built[0]):
            rebuilt[built[0].form.id] = built[1]


def _add(lib: Library, src: Source, this_dir: dict[str, Path], loaded: LoadedForm) -> bool:
    form, file = loaded.form, loaded.file
    if form.id in this_dir:
        other = this_dir[form.id].name
        lib.problems.append(Problem(
            "error", Code.DUPLICATE_FORM, file, src.line_of(("id",)), "id", T(
            f"手続き id「{form.id}」は {other} でも使われています。"
            "このファイルは読み込みません。",
            f"procedure id '{form.id}' is also used by {other}; this file is skipped."),
            T("新しい手続きには新しい id を付けてください。",
              "Give a new procedure a new id.")))
        return False
    this_dir[form.id] = file
    if form.id in lib.forms:
        earlier = lib.forms[form.id]
        how = ("changes", "を変えて") if is_override(src) else ("replaces", "の代わりに")
        replaced = (T(f"同梱の「{form.id}」{how[1]}このファイルを使います。",
                      f"this file {how[0]} the shipped '{form.id}'.")
                    if earlier.origin == "shipped" else
                    T(f"{earlier.file} の「{form.id}」{how[1]}このファイルを使います（後のフォルダーが優先）。",
                      f"this file {how[0]} '{form.id}' of {earlier.file} (the later folder wins)."))
        severity: Severity = "info" if earlier.origin == "shipped" else "warning"
        key = ("id",) if "id" in src.data else (EXTENDS,)
        lib.problems.append(Problem(severity, Code.OVERRIDDEN, file, src.line_of(key), key[0], replaced))
    lib.forms[form.id] = loaded
    return True


def _build_override(lib: Library, src: Source, build: _Build,
                    bases: Mapping[str, LoadedForm] | None = None) -> tuple[LoadedForm, _Rebuilt] | None:
    """An `extends:` file merged into the form it names (loaded from an earlier folder, or
    this one; `bases` when that is not what is loaded now), then checked like any form; its
    problems named at the override's lines."""
    extends = read_extends(src) if not src.problems else None
    if extends is None:
        return None
    bases = lib.forms if bases is None else bases
    base = bases.get(extends.form_id)
    if base is None:
        close = difflib.get_close_matches(extends.form_id, sorted(bases), n=1)
        src.error(Code.UNKNOWN_FORM, (EXTENDS,), T(
            f"拡張する手続き「{extends.form_id}」は読み込まれていません。",
            f"procedure '{extends.form_id}' that this file extends is not loaded."),
            T(f"「{close[0]}」ではありませんか。", f"Did you mean '{close[0]}'?") if close else T(
              "`kiosk forms list` で id を確かめてください。", "Check the id with `kiosk forms list`."))
        return None
    expansion = expand_includes(src, build.blocks)
    if src.problems:
        return None
    resolve_choice_lists(src, build.lists)
    merged = merge(src, base.data, base.form.id) if not src.problems else None
    if merged is None:
        return None
    rebuilt = _Rebuilt(merged, expansion)
    form = _validate(merged.source, build)
    lib.problems.extend(rebuilt.relabel(p) for p in merged.source.problems)
    if form is None:
        return None
    if form.id == base.form.id:
        check_versions(src, extends, base.form.version, form.version)
    return LoadedForm(form, src.file, build.origin, merged.source.data, base), rebuilt


def _build_form(src: Source, build: _Build) -> tuple[Form | None, Expansion | None]:
    """The form, and how its included blocks were put in (their problems named at the block)."""
    if src.problems:
        return None, None
    if not isinstance(src.data, dict):
        src.error(Code.NOT_A_MAPPING, (), T(
            "ファイルの一番上は「id: ...」のような項目の並びでなければなりません。",
            "the top of the file must be keys such as 'id: ...'."))
        return None, None
    expansion = expand_includes(src, build.blocks)
    if src.problems:
        return None, expansion
    resolve_choice_lists(src, build.lists)
    if src.problems:
        return None, expansion
    return _validate(src, build), expansion


def _validate(src: Source, build: _Build) -> Form | None:
    try:
        form = Form.model_validate(src.data)
    except ValidationError as exc:
        report_validation_error(exc, src, _KEYS)
        return None
    check_form(form, src, counters=build.counters, strict=build.strict)
    return None if any(p.severity == "error" for p in src.problems) else form


def _hide(lib: Library, hide: Collection[str]) -> None:
    """`[forms] hide`: taken out of what the kiosk offers, each said once by validate."""
    for i, form_id in enumerate(hide):
        path = f"forms.hide[{i}]"
        loaded = lib.forms.pop(form_id, None)
        if loaded is not None:
            lib.hidden[form_id] = loaded
            lib.problems.append(Problem("info", Code.OVERRIDDEN, CONFIG_FILE, None, path, T(
                f"手続き「{form_id}」は隠されています（キオスクに出しません）。",
                f"procedure '{form_id}' is hidden: the kiosk does not offer it.")))
        elif form_id not in lib.hidden:
            close = difflib.get_close_matches(form_id, sorted(lib.forms), n=1)
            lib.problems.append(Problem("warning", Code.UNKNOWN_FORM, CONFIG_FILE, None, path, T(
                f"隠す手続き「{form_id}」は読み込まれていません。",
                f"procedure '{form_id}' to hide is not loaded."),
                T(f"「{close[0]}」ではありませんか。", f"Did you mean '{close[0]}'?") if close else None))


def _load_life_events(lib: Library, src: Source, source_of: _FormSources) -> None:
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
                if check_event(forms, source_of, src, event, i, hidden=lib.hidden):
                    offered = _offered(src, event, forms.keys(), i)
                    if offered is None:
                        continue
                    if event.id in lib.life_events:
                        src.report("info", Code.OVERRIDDEN, (LIFE_EVENTS_KEY, i, "id"), T(
                            f"ライフイベント「{event.id}」はこのファイルのものを使います。",
                            f"this file's life event '{event.id}' replaces the earlier one."))
                    lib.life_events[event.id] = offered
    lib.problems.extend(src.problems)


def _offered(src: Source, event: LifeEvent, forms: Collection[str], i: int) -> LifeEvent | None:
    """The event without the steps whose procedure is not loaded (each already warned);
    None, warned, when none of its procedures is left."""
    steps = [s for s in event.steps if not s.form or s.form in forms]
    if len(steps) == len(event.steps):
        return event
    if not any(s.form for s in steps):
        src.report("warning", Code.UNKNOWN_FORM, (LIFE_EVENTS_KEY, i, "id"), T(
            f"ライフイベント「{event.id}」の手続きが1つも読み込まれていないので、出しません。",
            f"none of the procedures of life event '{event.id}' is loaded: it is not offered."))
        return None
    return event.model_copy(update={"steps": steps})
