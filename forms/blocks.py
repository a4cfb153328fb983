"""Shared blocks: the 申請者 and 代理人 questions, written once and included by every procedure.

A file whose top key is `blocks:` holds named lists of fields; a form's `fields:` (at any
depth, inside a section too) says `- include: applicant` and gets that block's fields there,
as if written out. The expansion happens on the raw data before anything else reads the form,
so an included field is validated, conditioned, bound, printed and digested (the slip's form
digest, printouts/payload/schema.py) exactly like one written inline: a change to a block is
a change to every form that includes it.

Policy, as for the shared choice lists (forms/choice_lists.py): folders are read shipped
first, then each `forms.dirs` folder; a block with the name of an earlier one replaces it,
in every form, reported as `info`. A block with an error is not used; a form that includes
it is told so at its `include:` line, beside the block's own error.

Kept simple on purpose: a block cannot include another block (no cycles to explain), and
`include:` takes only the name (no renaming): a form needing the same questions twice
writes the second copy out. An included id that the form, or another included block,
already has is an error naming both lines.

A problem found in an included field (a condition naming a field this form lacks) is
reported at the block file's line, its path saying which form included it.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from forms.choice_lists import ChoiceList, resolve_choice_lists
from forms.errors import Code, Problem
from forms.model import ID, Applicant, Choice, FormField, Rule
from forms.schema_errors import known_keys, report_validation_error
from forms.text import T
from forms.yamlsource import PathKey, Source, render_path

BLOCKS_KEY = "blocks"
INCLUDE = "include"

BlockName = Annotated[str, StringConstraints(pattern=ID)]


class _BlocksFile(BaseModel):
    """The shape only: each block's fields are checked as a form's fields, one block at a time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    blocks: dict[BlockName, Annotated[list[dict[str, Any]], Field(min_length=1)]] = Field(
        min_length=1)


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: list[FormField]


_KEYS = known_keys(_BlocksFile, FormField, Choice, Rule, Applicant)


@dataclass(frozen=True)
class Block:
    """One named block: its fields as written, and the file they were written in."""

    name: str
    fields: list[dict[str, Any]]
    source: Source

    @property
    def path(self) -> PathKey:
        return (BLOCKS_KEY, self.name)


@dataclass
class Blocks:
    """The blocks in effect, and the names whose latest definition had errors."""

    usable: dict[str, Block] = field(default_factory=dict)
    broken: dict[str, Path] = field(default_factory=dict)


def is_blocks_file(src: Source) -> bool:
    """Told apart by its top key, as the choice lists are: file names are the city's."""
    return isinstance(src.data, dict) and BLOCKS_KEY in src.data


def load_blocks(src: Source, lists: dict[str, ChoiceList]) -> tuple[dict[str, Block], set[str]]:
    """The file's good blocks, and the names of those with an error (each reported on `src`)."""
    if src.problems:
        return {}, set()
    try:
        _BlocksFile.model_validate(src.data)
    except ValidationError as exc:
        report_validation_error(exc, src, _KEYS)
        raw = src.data.get(BLOCKS_KEY) if isinstance(src.data, dict) else None
        return {}, {n for n in raw if isinstance(n, str)} if isinstance(raw, dict) else set()
    good: dict[str, Block] = {}
    broken: set[str] = set()
    for name, fields in src.data[BLOCKS_KEY].items():
        if _check_block(src, name, fields, lists):
            good[name] = Block(name, copy.deepcopy(fields), src)
        else:
            broken.add(name)
    return good, broken


def _check_block(src: Source, name: str, fields: list[Any], lists: dict[str, ChoiceList]) -> bool:
    """Each field as a form's field would be checked on its own, on a copy (choice lists named,
    as in a form); the problems told at the block file's lines."""
    at: PathKey = (BLOCKS_KEY, name)
    view = Source(src.file, {"fields": copy.deepcopy(fields)},
                  {("fields", *p[2:]): line for p, line in src.lines.items() if p[:2] == at})
    for i, f in enumerate(fields):
        if isinstance(f, dict) and INCLUDE in f:
            view.error(Code.SCHEMA, ("fields", i, INCLUDE), T(
                "ブロックの中で別のブロックを include することはできません。",
                "a block cannot include another block."),
                T("そのブロックの項目をここに書き写すか、手続きのファイルで両方を include してください。",
                  "Write those fields out here, or include both blocks in the procedure file."))
    if not view.problems:
        resolve_choice_lists(view, lists)
    if not view.problems:
        try:
            _Fields.model_validate(view.data)
        except ValidationError as exc:
            report_validation_error(exc, view, _KEYS)
    if not view.problems:
        _duplicate_ids(view)
    label = render_path(at)
    src.problems.extend(replace(p, path=label + p.path[len("fields"):]) for p in view.problems)
    return not view.problems


def _duplicate_ids(view: Source) -> None:
    seen: dict[str, PathKey] = {}
    for path, f in _walk(view.data["fields"], ("fields",)):
        fid = f.get("id")
        if isinstance(fid, str) and fid in seen:
            view.error(Code.DUPLICATE_FIELD, (*path, "id"), T(
                f"項目 id「{fid}」がこのブロックに2つあります（{view.line_of(seen[fid])}行目）。",
                f"field id '{fid}' appears twice in this block (also line {view.line_of(seen[fid])})."))
        seen.setdefault(str(fid), path)


def _walk(fields: Any, at: PathKey) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    for i, f in enumerate(fields if isinstance(fields, list) else ()):
        if isinstance(f, dict):
            yield (*at, i), f
            yield from _walk(f.get("fields"), (*at, i, "fields"))


def merge_blocks(sources: Iterable[Source], lists: dict[str, ChoiceList]) -> Blocks:
    """Every file's blocks in reading order; a later block replaces an earlier one of its name.
    A broken one replaces nothing: the earlier stays, as with a broken choice-list file."""
    out = Blocks()
    for src in sources:
        good, broken = load_blocks(src, lists)
        for name in broken:
            if name not in out.usable:
                out.broken[name] = src.file
        for name, block in good.items():
            if name in out.usable:
                src.report("info", Code.OVERRIDDEN, block.path, T(
                    f"ブロック「{name}」はこのファイルのものを使います。",
                    f"this file's block '{name}' replaces the earlier one."))
            out.usable[name] = block
            out.broken.pop(name, None)
    return out


@dataclass(frozen=True)
class _Origin:
    """Where an included field was written, and the `include:` that brought it."""

    block: Block
    index: int
    include_path: PathKey
    include_line: int


@dataclass
class Expansion:
    """A form with its blocks included: the Source the checks read (the form's file, the block
    fields' lines being the block file's), and where each included field came from."""

    source: Source
    origins: dict[PathKey, _Origin] = field(default_factory=dict)
    # The form's own fields that the included ones pushed along: expanded path -> the path in
    # the file (`fields[5]` after a five-field block is the file's `fields[1]`).
    moved: dict[PathKey, PathKey] = field(default_factory=dict)

    def relabel(self, problem: Problem) -> Problem:
        """A problem in an included field: named at the block's file and line, its path saying
        which form's `include:` it was found through. One in the form's own field: its path
        as the file counts it, so the path and the line agree."""
        for path, origin in self.origins.items():
            rest = _under(problem.path, path)
            if rest is not None:
                at = render_path((*origin.block.path, origin.index))
                return replace(problem, file=origin.block.source.file,
                               path=f"{at}{rest} ← {self.source.file.name}:{origin.include_line}")
        deepest = max((p for p in self.moved if _under(problem.path, p) is not None),
                      key=len, default=None)
        if deepest is None:
            return problem
        rest = _under(problem.path, deepest) or ""
        return replace(problem, path=render_path(self.moved[deepest]) + rest)

    def fresh(self) -> Expansion:
        """The same expanded form with no problems yet: read again for the life events' checks."""
        return Expansion(Source(self.source.file, self.source.data, dict(self.source.lines)),
                         self.origins, self.moved)


def _under(rendered: str, path: PathKey) -> str | None:
    """What follows `path` in a rendered problem path (`.length`, `[2]`, ''), or None when the
    problem is not at or under it."""
    key = render_path(path)
    rest = rendered[len(key):]
    return rest if rendered.startswith(key) and rest[:1] in ("", ".", "[") else None


def expand_includes(src: Source, blocks: Blocks) -> Expansion | None:
    """Put each `include:`d block's fields in place in `src` (data and lines); None when the
    form includes nothing (it is left as it is) or an include is wrong (errors on `src`)."""
    fields = src.data.get("fields") if isinstance(src.data, dict) else None
    if not isinstance(fields, list) or not any(INCLUDE in f for _, f in _walk(fields, ("fields",))):
        return None
    before = len(src.problems)
    out = Expansion(Source(src.file, text=src.text))
    out.source.lines = {p: n for p, n in src.lines.items() if p[:1] != ("fields",)}
    out.source.lines[("fields",)] = src.lines.get(("fields",), 1)
    expanded = _expand(src, blocks, out, fields, old=("fields",), new=("fields",))
    _clashes(src, out, expanded)
    if len(src.problems) > before:
        return None
    src.data = {**src.data, "fields": expanded}
    src.lines = out.source.lines
    out.source = src
    return out


def _expand(src: Source, blocks: Blocks, out: Expansion, fields: list[Any], *, old: PathKey,
            new: PathKey) -> list[Any]:
    result: list[Any] = []
    for i, entry in enumerate(fields):
        if isinstance(entry, dict) and INCLUDE in entry:
            block = _block_for(src, blocks, entry, (*old, i))
            if block is not None:
                result += _included(src, block, out, (*old, i), (*new, len(result)))
            continue
        at = (*new, len(result))
        if at != (*old, i):
            out.moved[at] = (*old, i)
        _copy_lines(out.source.lines, src.lines, (*old, i), at)
        kids = entry.get("fields") if isinstance(entry, dict) else None
        if isinstance(kids, list):
            kids = _expand(src, blocks, out, kids, old=(*old, i, "fields"), new=(*at, "fields"))
            result.append({**entry, "fields": kids})
        else:
            result.append(entry)
    return result


def _included(src: Source, block: Block, out: Expansion, include: PathKey,
              first: PathKey) -> list[Any]:
    """A copy of the block's fields, from `first` on, each line and origin recorded."""
    line = src.line_of(include) or 1
    *at, start = first
    for j in range(len(block.fields)):
        path = (*at, int(start) + j)
        _copy_lines(out.source.lines, block.source.lines, (*block.path, j), path, deep=True)
        out.origins[path] = _Origin(block, j, include, line)
    return copy.deepcopy(block.fields)


def _copy_lines(dst: dict[PathKey, int], src: dict[PathKey, int], old: PathKey,
                new: PathKey, *, deep: bool = False) -> None:
    """The lines under `old` moved to `new`; a form's child list is left to its own expansion,
    a block's (which includes nothing) comes whole with `deep`."""
    n = len(old)
    for path, line in src.items():
        if path[:n] == old and (deep or not (len(path) > n + 1 and path[n] == "fields")):
            dst[(*new, *path[n:])] = line


def _block_for(src: Source, blocks: Blocks, entry: dict[str, Any], path: PathKey) -> Block | None:
    name = entry[INCLUDE]
    others = sorted(k for k in entry if k != INCLUDE)
    if others or not isinstance(name, str):
        src.error(Code.SCHEMA, (*path, others[0]) if others else (*path, INCLUDE), T(
            "include にはブロックの名前だけを書きます（例: - include: applicant）。",
            "include takes only a block's name, e.g. - include: applicant."),
            T("ブロックの項目を変えるときは、include をやめて項目を書き出してください。",
              "To change a block's fields, write them out instead of including the block."))
        return None
    if name in blocks.usable:
        return blocks.usable[name]
    if name in blocks.broken:
        where = blocks.broken[name]
        src.error(Code.UNKNOWN_REFERENCE, (*path, INCLUDE), T(
            f"ブロック「{name}」にエラーがあるので使えません（{where}）。",
            f"block '{name}' has errors and cannot be used ({where})."),
            T(f"{where} のエラーを先に直してください。", f"Fix the errors in {where} first."))
        return None
    _unknown(src, (*path, INCLUDE), name, blocks)
    return None


def _unknown(src: Source, path: PathKey, name: str, blocks: Blocks) -> None:
    known = sorted(blocks.usable)
    close = difflib.get_close_matches(name, known, n=1) or difflib.get_close_matches(
        name.lower(), known, n=1)
    guess = (f"「{close[0]}」の書き間違いではありませんか。", f"Did you mean '{close[0]}'? ") \
        if close else ("", "")
    listed = ", ".join(known) or "-"
    src.error(Code.UNKNOWN_REFERENCE, path, T(
        f"ブロック「{name}」はありません。", f"there is no block '{name}'."), T(
        f"{guess[0]}使えるブロック: {listed}（「blocks:」で始まるファイルに書きます。"
        "forms/library/blocks.yaml）",
        f"{guess[1]}Known blocks: {listed} (written in a file starting with 'blocks:', "
        "e.g. forms/library/blocks.yaml)."))


def _clashes(src: Source, out: Expansion, fields: list[Any]) -> None:
    """An included id the form (or an earlier include) already has: both places named.
    Two of the form's own fields with one id are left to the form's own duplicate check."""
    seen: dict[str, tuple[PathKey, _Origin | None]] = {}
    for path, f in _walk(fields, ("fields",)):
        fid = f.get("id")
        if not isinstance(fid, str):
            continue
        origin = _origin_of(out, path)
        first = seen.setdefault(fid, (path, origin))
        if first[0] == path or (origin is None and first[1] is None):
            continue
        blamed = origin or first[1]
        if blamed is None:
            continue
        src.problems.append(Problem(
            "error", Code.DUPLICATE_FIELD, src.file, blamed.include_line,
            render_path((*blamed.include_path, INCLUDE)), T(
                f"項目 id「{fid}」が2か所にあります: {_where(out, first)}と{_where(out, (path, origin))}。",
                f"field id '{fid}' appears twice: {_where(out, first, 'en')} and "
                f"{_where(out, (path, origin), 'en')}."),
            T("手続きのファイルの方の id を変えるか、その項目を消してください（ブロックの項目が使われます）。",
              "Rename or delete the procedure's own field (the block's is then used).")))


def _origin_of(out: Expansion, path: PathKey) -> _Origin | None:
    for n in range(len(path), 0, -1):
        if path[:n] in out.origins:
            return out.origins[path[:n]]
    return None


def _where(out: Expansion, at: tuple[PathKey, _Origin | None], lang: str = "ja") -> str:
    path, origin = at
    if origin is None:
        line = out.source.lines.get(path)
        return f"このファイルの {line} 行目" if lang == "ja" else f"line {line} of this file"
    line = out.source.lines.get(path)
    name, file = origin.block.name, origin.block.source.file.name
    return (f"ブロック「{name}」（{file} {line} 行目）" if lang == "ja"
            else f"block '{name}' ({file} line {line})")
