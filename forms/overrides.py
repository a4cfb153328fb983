"""An override: a local file that says only what it changes in a form loaded before it.

    extends: juminhyo@1        # the form it changes, and the version it was written against
    version: 2                 # raised, so applications and paper tell the two apart
    fee: {amount: 200, per: copy, copies_field: copies}      # a top-level key: replaced
    remove: [purpose_other]    # fields dropped
    fields:
      - {id: purpose, ...}     # an id the form has: that field replaced where it stands
      - {id: email, after: phone, ...}   # a new one: after `phone`, else at the end

The result is one ordinary form, checked like any other. Its problems must still point at
the line IT staff wrote: the merged data carries the override file's lines for what the
override gave, and the `extends:` line for what it kept, labelled with the extended form's
own path (`(juminhyo) fields[3].show_if`), since that is where the broken reference lives.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from forms.errors import Code, Problem
from forms.text import T, Text
from forms.yamlsource import PathKey, Source, render_path

EXTENDS = "extends"
REMOVE = "remove"
AFTER = "after"
_EXTENDS_RE = re.compile(r"([a-z][a-z0-9_]{0,39})(?:@([1-9][0-9]{0,5}))?")


@dataclass(frozen=True)
class Extends:
    """`extends: juminhyo@3`: the form id, and the version the override was written against."""

    form_id: str
    version: int | None


def is_override(src: Source) -> bool:
    return isinstance(src.data, dict) and EXTENDS in src.data


def read_extends(src: Source) -> Extends | None:
    """The `extends:` value, or None with an error on `src` when it is not `ID` or `ID@N`."""
    raw = src.data.get(EXTENDS) if isinstance(src.data, dict) else None
    found = _EXTENDS_RE.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if found is None:
        src.error(Code.SCHEMA, (EXTENDS,), T(
            f"extends「{raw}」は「手続きid@版」の形ではありません。",
            f"extends '{raw}' is not of the form 'procedure_id@version'."),
            T("例: extends: juminhyo@1（同梱の版は kiosk forms list で確かめられます）",
              "For example extends: juminhyo@1 (`kiosk forms list` shows the versions)."))
        return None
    return Extends(found[1], int(found[2]) if found[2] else None)


@dataclass
class _Node:
    """A field of the merged form: its data, and where it was written."""

    data: dict[str, Any]
    path: PathKey  # in the file it came from
    from_base: bool
    children: list[_Node] | None = None


@dataclass
class Merged:
    """The merged form as a Source (the override's file and lines), and how to name its paths."""

    source: Source
    labels: dict[PathKey, str] = field(default_factory=dict)

    def relabel(self, problem: Problem) -> Problem:
        """A problem found in the merged form, named by the path its writer knows."""
        best, found = "", problem.path
        for path, label in self.labels.items():
            key = render_path(path)
            rest = problem.path[len(key):]
            if problem.path.startswith(key) and rest[:1] in ("", ".", "[") and len(key) > len(best):
                best, found = key, label + rest
        return replace(problem, path=found) if best else problem

    def fresh(self) -> Merged:
        """The same merged form with no problems yet: read again for the life events' checks."""
        src = Source(self.source.file, self.source.data, dict(self.source.lines))
        return Merged(src, self.labels)


def merge(src: Source, base: dict[str, Any], base_id: str) -> Merged | None:
    """The extended form's data changed as the override says; None (errors on `src`) when
    the override names a field the form does not have or is not written as expected."""
    data: dict[str, Any] = src.data
    before = len(src.problems)
    tree = _nodes(base.get("fields") or [], ("fields",), from_base=True)
    _remove(src, tree, data.get(REMOVE))
    _apply_fields(src, tree, data.get("fields"))
    if len(src.problems) > before:
        return None
    out = Merged(Source(src.file))
    out.source.lines[()] = 1
    at_extends = src.line_of((EXTENDS,)) or 1
    merged: dict[str, Any] = {}
    mine = {k: v for k, v in data.items() if k not in (EXTENDS, REMOVE, "fields")}
    for key in [*base, *(k for k in mine if k not in base)]:
        if key == "fields":
            merged[key] = _emit(out, src, tree, ("fields",), base_id=base_id, at_extends=at_extends)
            out.source.lines[("fields",)] = src.lines.get(("fields",), at_extends)
        elif key in mine:
            merged[key] = copy.deepcopy(mine[key])
            _copy_lines(out.source, src, (key,), (key,))
        else:
            merged[key] = copy.deepcopy(base[key])
            out.source.lines[(key,)] = at_extends
            out.labels[(key,)] = f"({base_id}) {key}"
    out.source.data = merged
    return out


def _nodes(fields: Iterable[Any], base: PathKey, *, from_base: bool) -> list[_Node]:
    out = []
    for i, f in enumerate(fields):
        path = (*base, i)
        data = dict(f) if isinstance(f, dict) else {}
        kids = data.get("fields")
        children = _nodes(kids, (*path, "fields"), from_base=from_base) if isinstance(kids, list) else None
        out.append(_Node(data, path, from_base, children))
    return out


def _find(tree: list[_Node], field_id: str) -> tuple[list[_Node], int] | None:
    for i, node in enumerate(tree):
        if node.data.get("id") == field_id:
            return tree, i
        found = _find(node.children or [], field_id)
        if found is not None:
            return found
    return None


def _ids(tree: list[_Node]) -> list[str]:
    return [str(n.data.get("id")) for n in tree] + [i for n in tree for i in _ids(n.children or [])]


def _no_such_field(src: Source, path: PathKey, field_id: str, tree: list[_Node]) -> None:
    close = difflib.get_close_matches(field_id, _ids(tree), n=1)
    hint: Text | None = T(f"「{close[0]}」ではありませんか。", f"Did you mean '{close[0]}'?") if close else None
    src.error(Code.UNKNOWN_REFERENCE, path, T(
        f"拡張する手続きに項目「{field_id}」はありません。",
        f"the procedure this file extends has no field '{field_id}'."), hint)


def _remove(src: Source, tree: list[_Node], ids: Any) -> None:
    if ids is None:
        return
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        src.error(Code.SCHEMA, (REMOVE,), T(
            "remove には項目 id の並びを書きます（例: remove: [purpose_other]）。",
            "remove takes a list of field ids, e.g. remove: [purpose_other]."))
        return
    for i, field_id in enumerate(ids):
        found = _find(tree, field_id)
        if found is None:
            _no_such_field(src, (REMOVE, i), field_id, tree)
        else:
            del found[0][found[1]]


def _apply_fields(src: Source, tree: list[_Node], entries: Any) -> None:
    """Each entry replaces the field of its id where it stands, or goes in after `after:`."""
    if entries is None:
        return
    if not isinstance(entries, list):
        src.error(Code.SCHEMA, ("fields",), T(
            "fields には項目の並びを書きます。", "fields takes a list of fields."))
        return
    for j, entry in enumerate(entries):
        path: PathKey = ("fields", j)
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            src.error(Code.SCHEMA, path, T(
                "拡張ファイルの項目には、置き換える（または足す）項目の id が必要です。",
                "each field of an extending file needs the id it replaces or adds."))
            continue
        node = _Node({k: v for k, v in entry.items() if k != AFTER}, path, False)
        kids = node.data.get("fields")
        if isinstance(kids, list):
            node.children = _nodes(kids, (*path, "fields"), from_base=False)
        _place(src, tree, node, entry.get(AFTER))


def _place(src: Source, tree: list[_Node], node: _Node, after: Any) -> None:
    found = _find(tree, node.data["id"])
    if found is not None:
        found[0][found[1]] = node
        if after is None:
            return
        del found[0][found[1]]
    if after is None:
        tree.append(node)
        return
    anchor = _find(tree, after) if isinstance(after, str) else None
    if anchor is None:
        _no_such_field(src, (*node.path, AFTER), str(after), tree)
        return
    anchor[0].insert(anchor[1] + 1, node)


def _emit(out: Merged, src: Source, tree: list[_Node], at: PathKey, *, base_id: str,
          at_extends: int) -> list[dict[str, Any]]:
    """The merged fields as data, recording each one's line and, if moved, its label."""
    fields = []
    for i, node in enumerate(tree):
        path = (*at, i)
        data = copy.deepcopy({k: v for k, v in node.data.items() if k != "fields"})
        if node.from_base:
            out.source.lines[path] = at_extends
            out.labels[path] = f"({base_id}) {render_path(node.path)}"
        else:
            _copy_lines(out.source, src, node.path, path, skip=(*node.path, "fields"))
            if path != node.path:
                out.labels[path] = render_path(node.path)
        if node.children is not None:
            data["fields"] = _emit(out, src, node.children, (*path, "fields"), base_id=base_id,
                                   at_extends=at_extends)
            if not node.from_base:
                out.source.lines[(*path, "fields")] = src.lines.get((*node.path, "fields"), 1)
        fields.append(data)
    return fields


def _copy_lines(dst: Source, src: Source, old: PathKey, new: PathKey, skip: PathKey | None = None) -> None:
    n = len(old)
    for path, line in src.lines.items():
        if path[:n] == old and (skip is None or path[:len(skip)] != skip):
            dst.lines[(*new, *path[n:])] = line


def check_versions(src: Source, extends: Extends, base_version: int, version: int) -> None:
    """Warn when the override keeps the extended version, or was written for another one."""
    if version <= base_version:
        src.report("warning", Code.OVERRIDDEN, ("version",) if "version" in src.data else (EXTENDS,), T(
            f"版が {version} のままです（拡張する「{extends.form_id}」は {base_version}）。"
            f"{base_version + 1} 以上にしてください。",
            f"the version stays {version} ('{extends.form_id}' it extends is {base_version}); "
            f"raise it to {base_version + 1} or more."),
            T("版が同じだと、窓口や印刷された申請書で同梱の版と区別できません。",
              "With the same version the desk and the printed forms cannot tell the two apart."))
    if extends.version is None:
        src.report("warning", Code.OVERRIDDEN, (EXTENDS,), T(
            f"どの版に対して書いたかがありません。extends: {extends.form_id}@{base_version} と書いてください。",
            f"extends does not say which version it was written for; write "
            f"extends: {extends.form_id}@{base_version}."),
            T("同梱の手続きが変わったときに、ここで気付けます。",
              "Then a change to that procedure is noticed here."))
    elif extends.version != base_version:
        src.report("warning", Code.OVERRIDDEN, (EXTENDS,), T(
            f"このファイルは「{extends.form_id}」の版 {extends.version} に対して書かれましたが、"
            f"今は版 {base_version} です。",
            f"this file was written for version {extends.version} of '{extends.form_id}', "
            f"which is now version {base_version}."),
            T(f"kiosk forms diff {extends.form_id} で違いを確かめ、extends を "
              f"{extends.form_id}@{base_version} にしてください。",
              f"Check the changes with `kiosk forms diff {extends.form_id}`, then write "
              f"extends: {extends.form_id}@{base_version}."))
