"""What format 2 knows of a form: which definition it is (a digest) and where each answer sits.

Both the kiosk and the desk hold the form definitions, so a format 2 slip names a field by its
position in the form's walk order (`Form.all_fields()`: every field, sections, notes and a
group's questions included, depth first) instead of by its id. A position means something only
under one definition, so each procedure also carries the first bytes of a digest of the whole
definition: a desk whose definition differs in any way refuses the code instead of reading the
answers into the wrong questions (docs/slip-format.md, "Format 2").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from forms.errors import FormsError
from forms.model import Form, FormField

# A form source: where a procedure's definition is found by its form id and version. A Mapping
# form id -> definition (the kiosk's current forms; a form of another version than asked is
# not used), or a function (form_id, version) -> that exact definition or None, such as the
# desk's `Library.form_version`, which also finds an older version kept in retired/.
FormSource: TypeAlias = Mapping[str, Form] | Callable[[str, int], Form | None]

DIGEST_BYTES = 4  # 1 in 4 billion that two different definitions share a digest


def canonical_definition(form: Form) -> bytes:
    """The bytes the digest is taken over: the loaded definition as JSON, keys sorted.

    `model_dump(mode="json")` is the definition after loading (choice lists merged, `bind` split
    into `bind` and `event_bind`), so both ends hash what they will actually use, not how the
    YAML file happened to be written.
    """
    text = json.dumps(
        _without_unset(form.model_dump(mode="json")), sort_keys=True, ensure_ascii=False,
        separators=(",", ":"),
    )
    return text.encode("utf-8")


# Keys the definition gained after format 2's digests were fixed (a digits field's `length`,
# a rule's `pattern`, a branch field's `bank`): left out while unset, so a form that does not
# use them keeps its digest and slips printed before an update still decode after it.
_ADDED_LATER = frozenset({"length", "min_length", "pattern", "bank"})


def _without_unset(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_unset(v) for k, v in value.items()
                if not (k in _ADDED_LATER and v is None)}
    if isinstance(value, list):
        return [_without_unset(v) for v in value]
    return value


def form_digest(form: Form) -> bytes:
    """The first DIGEST_BYTES of SHA-256 over `canonical_definition(form)`."""
    return hashlib.sha256(canonical_definition(form)).digest()[:DIGEST_BYTES]


def find_form(forms: FormSource | None, form_id: str, version: int) -> Form | None:
    """The definition `forms` holds for `form_id` at exactly `version`, or None: an unknown id
    or version is not an error here, the caller says what it means (the kiosk cannot encode,
    the desk refuses the code). Positions mean something only under the very version that
    made them, so a form of another version is never returned."""
    if forms is None:
        return None
    if isinstance(forms, Mapping):
        found = forms.get(form_id)
    else:
        try:
            found = forms(form_id, version)
        except (LookupError, FormsError):
            return None
    return found if isinstance(found, Form) and found.version == version else None


@dataclass(frozen=True)
class Scope:
    """The answers of one map: the form's top level (sections included), or one group's item."""

    by_id: Mapping[str, int]  # answer key -> position
    positions: frozenset[int]


@dataclass(frozen=True)
class FormIndex:
    """A loaded form as format 2 reads it: positions, scopes and the digest."""

    form: Form
    fields: tuple[FormField, ...]  # by position: the walk order of Form.all_fields()
    digest: bytes
    top: Scope
    groups: Mapping[int, Scope]  # a repeating group's position -> the scope of its items

    def field_at(self, position: int) -> FormField:
        return self.fields[position]

    def group_scope(self, position: int) -> Scope | None:
        """The scope of a group's items, or None if `position` is not a repeating group."""
        return self.groups.get(position)


def _walk(fields: list[FormField], out: list[FormField]) -> None:
    """Depth first, parent before children: the order of Form.all_fields()."""
    for f in fields:
        out.append(f)
        _walk(f.fields or [], out)


def _scope(fields: list[FormField], first: int, groups: dict[int, Scope]) -> tuple[Scope, int]:
    """The scope of `fields` whose first position is `first`, and the position after them.

    A section's questions answer beside the form's others; a group's answer in its items, so a
    group is one answer here and gets a scope of its own in `groups`.
    """
    by_id: dict[str, int] = {}
    position = first
    for f in fields:
        here = position
        position += 1
        if f.kind.is_section:
            inner, position = _scope(f.fields or [], position, groups)
            for key, value in inner.by_id.items():
                by_id.setdefault(key, value)
            continue
        if f.kind.holds_value:
            by_id.setdefault(f.id, here)
        if f.kind.repeats:
            groups[here], position = _scope(f.fields or [], position, groups)
        elif f.fields:  # no such type today; keep the positions counting if one appears
            position = _scope(f.fields, position, {})[1]
    return Scope(by_id, frozenset(by_id.values())), position


_INDEXES: dict[int, FormIndex] = {}


def index_form(form: Form) -> FormIndex:
    """The index of a loaded form, computed once per form object (the digest hashes ~10 KB)."""
    cached = _INDEXES.get(id(form))
    if cached is not None and cached.form is form:
        return cached
    fields: list[FormField] = []
    _walk(form.fields, fields)
    groups: dict[int, Scope] = {}
    top, _ = _scope(form.fields, 0, groups)
    index = FormIndex(form, tuple(fields), form_digest(form), top, groups)
    if len(_INDEXES) > 256:  # a long-running desk reloading its library: start afresh
        _INDEXES.clear()
    _INDEXES[id(form)] = index
    return index
