"""`kiosk forms diff ID`: a local form against the one it replaces or extends, for IT staff.

First what changed in words (top-level keys, then fields by id: added and where, removed,
changed and which of their keys, moved), then a unified diff of both as normalised YAML,
so a department can review an override without reading two 175-line files side by side.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from forms.loader import LoadedForm

# + added, - removed, ~ changed: one mark per line, the same in both languages.
_WORDS = {
    "ja": {"head": "{id}: {file} と、{base} の違い（版 {old} → {new}）", "keys": "最上位の項目:",
           "fields": "項目:", "after": "（{prev} の後）", "first": "（先頭）", "moved": "位置",
           "same": "違いはありません。"},
    "en": {"head": "{id}: {file} against {base} (version {old} → {new})", "keys": "Top-level keys:",
           "fields": "Fields:", "after": " (after {prev})", "first": " (first)", "moved": "moved",
           "same": "No differences."},
}


@dataclass(frozen=True)
class _Flat:
    data: dict[str, Any]  # the field without its children
    previous: str | None  # the field before it, in reading order


def _flatten(fields: list[Any]) -> dict[str, _Flat]:
    out: dict[str, _Flat] = {}
    previous: str | None = None

    def visit(items: list[Any]) -> None:
        nonlocal previous
        for f in items:
            if not isinstance(f, dict):
                continue
            out[str(f.get("id"))] = _Flat({k: v for k, v in f.items() if k != "fields"}, previous)
            previous = str(f.get("id"))
            if isinstance(f.get("fields"), list):
                visit(f["fields"])

    visit(fields)
    return out


def key_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """("+", key) added, ("-", key) removed, ("~", key) changed: top-level keys but fields."""
    out = [("-", k) for k in old if k not in new and k != "fields"]
    for k, value in new.items():
        if k == "fields":
            continue
        if k not in old:
            out.append(("+", k))
        elif old[k] != value:
            out.append(("~", k))
    return out


def field_changes(old: list[Any], new: list[Any], lang: str) -> list[tuple[str, str]]:
    """Fields by id: ("+", "email (after phone)"), ("-", "purpose_other"),
    ("~", "purpose: choices, label")."""
    words = _WORDS[lang]
    before, after = _flatten(old), _flatten(new)
    out: list[tuple[str, str]] = []
    for fid, f in after.items():
        if fid not in before:
            where = words["after"].format(prev=f.previous) if f.previous else words["first"]
            out.append(("+", fid + where))
    out.extend(("-", fid) for fid in before if fid not in after)
    moved = _moved(before, after)
    for fid, f in after.items():
        if fid not in before:
            continue
        was = before[fid]
        keys = sorted({k for k in {*was.data, *f.data} if was.data.get(k) != f.data.get(k)})
        if fid in moved:
            keys.append(words["moved"])
        if keys:
            out.append(("~", f"{fid}: {', '.join(keys)}"))
    return out


def _moved(before: dict[str, _Flat], after: dict[str, _Flat]) -> set[str]:
    """The fields both versions have that are out of their old order: those outside the
    longest run kept in order, so moving one field does not mark its neighbours."""
    old = [f for f in before if f in after]
    new = [f for f in after if f in before]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    kept = {old[block.a + k] for block in matcher.get_matching_blocks() for k in range(block.size)}
    return set(old) - kept


def normalised(data: dict[str, Any]) -> list[str]:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).splitlines()


def render(loaded: LoadedForm, lang: str) -> list[str]:
    """The lines `kiosk forms diff` prints for a form that replaced or extended another."""
    base = loaded.base
    if base is None:
        raise ValueError("a form with nothing under it has no diff")
    words = _WORDS[lang]
    out = [words["head"].format(id=loaded.form.id, file=loaded.file, base=base.file,
                                old=base.form.version, new=loaded.form.version)]
    keys = key_changes(base.data, loaded.data)
    if keys:
        out.append(words["keys"])
        out.extend(f"  {mark} {key}" for mark, key in keys)
    fields = field_changes(base.data.get("fields") or [], loaded.data.get("fields") or [], lang)
    if fields:
        out.append(words["fields"])
        out.extend(f"  {mark} {text}" for mark, text in fields)
    if not keys and not fields:
        out.append(words["same"])
        return out
    out.append("")
    out.extend(line.rstrip("\n") for line in difflib.unified_diff(
        normalised(base.data), normalised(loaded.data), fromfile=str(base.file),
        tofile=str(loaded.file), lineterm=""))
    return out
