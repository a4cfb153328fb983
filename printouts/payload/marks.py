"""The clerk's marks (flags) in format 2: paths as positions, known codes as small integers.

`flags` maps an answer's path (`applicant_name`, `members[1].birth_date`) to its marks
(common/flags.py). A format 2 procedure carries them as one array of pairs, path then marks:

    path   a position (a top-level answer), or an array alternating position and item index
           (members[1].birth_date: [position of members, 1, position of birth_date]), or the
           path as text when it names no question of the form
    marks  one known code as its integer (KNOWN_MARKS), or an array of: integers (known codes),
           text (any other mark), and [value] for a `card_value:` mark whose value fits the
           question's compact form (values.py); a mark that does not is text as it is

KNOWN_MARKS is part of format 2 and never reordered; a code added later travels as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from common.flags import CARD_VALUE_MARK, card_value_mark
from printouts.payload.errors import DamagedError
from printouts.payload.schema import FormIndex, Scope
from printouts.payload.values import UNFIT, pack_value, unpack_value

KNOWN_MARKS: Final = (
    "from_card", "corrected", "undecodable", "manual", "warning", "invalid", "not_in_form",
    "sex_not_known",
)
_SEGMENT = re.compile(r"([a-z][a-z0-9_]{0,39})(?:\[(0|[1-9][0-9]{0,5})\])?")


# --- paths ------------------------------------------------------------------------------------


def _path_steps(index: FormIndex, path: str) -> list[int] | None:
    """[position, item, position, ...] for a path of the form's questions, else None."""
    steps: list[int] = []
    scope: Scope | None = index.top
    segments = path.split(".")
    for n, segment in enumerate(segments):
        match = _SEGMENT.fullmatch(segment)
        if match is None or scope is None:
            return None
        position = scope.by_id.get(match[1])
        if position is None:
            return None
        steps.append(position)
        if match[2] is not None:
            steps.append(int(match[2]))
            scope = index.group_scope(position)
        elif n < len(segments) - 1:
            return None  # only a group's item has questions inside it
    return steps


def _render(index: FormIndex, steps: Sequence[object]) -> str:
    """The text path of a step list; DamagedError if it is not one the encoder can write."""
    scope: Scope | None = index.top
    group: Scope | None = None
    parts: list[str] = []
    for n, step in enumerate(steps):
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise DamagedError("a flag path step is not a small integer")
        if n % 2 == 0:
            if scope is None or step not in scope.positions:
                raise DamagedError(f"a flag names no question at position {step}")
            parts.append(("." if parts else "") + index.field_at(step).id)
            group = index.group_scope(step)
        else:
            if step > 999_999:
                raise DamagedError("a flag's item index is out of range")
            parts.append(f"[{step}]")
            scope, group = group, None
    if not parts:
        raise DamagedError("a flag path is empty")
    return "".join(parts)


def _field_position(steps: list[int]) -> int | None:
    """The question a path ends at (a card's value fits it), or None for a group's item."""
    return steps[-1] if len(steps) % 2 == 1 else None


# --- marks ------------------------------------------------------------------------------------


def _pack_card_value(index: FormIndex, position: int | None, mark: str) -> Any:
    """[compact value] for a `card_value:` mark the decoder rebuilds exactly, else the text."""
    if position is None:
        return mark
    try:
        value = json.loads(mark.removeprefix(CARD_VALUE_MARK))
    except (ValueError, RecursionError):
        return mark
    packed = pack_value(index, position, value)
    if packed is UNFIT or card_value_mark(value) != mark:
        return mark
    return [packed]


def _pack_marks(index: FormIndex, position: int | None, marks: Sequence[str]) -> Any:
    items: list[Any] = []
    for mark in marks:
        if mark in KNOWN_MARKS:
            items.append(KNOWN_MARKS.index(mark))
        elif mark.startswith(CARD_VALUE_MARK):
            items.append(_pack_card_value(index, position, mark))
        else:
            items.append(mark)
    return items[0] if len(items) == 1 and isinstance(items[0], int) else items


def pack_flags(index: FormIndex, flags: Mapping[str, Sequence[str]]) -> list[Any]:
    out: list[Any] = []
    for path, marks in flags.items():
        steps = _path_steps(index, path)
        if steps is None or _render(index, steps) != path:
            out += [path, _pack_marks(index, None, marks)]
            continue
        compact = steps[0] if len(steps) == 1 else steps
        out += [compact, _pack_marks(index, _field_position(steps), marks)]
    return out


def _unpack_mark(index: FormIndex, position: int | None, item: object) -> str:
    if isinstance(item, int) and not isinstance(item, bool) and 0 <= item < len(KNOWN_MARKS):
        return KNOWN_MARKS[item]
    if isinstance(item, str) and item:
        return item
    if isinstance(item, list) and len(item) == 1 and position is not None:
        value = unpack_value(index, position, item[0])
        return card_value_mark(value)
    raise DamagedError("a flag's mark is not one format 2 writes")


def unpack_flags(index: FormIndex, data: object) -> dict[str, list[str]]:
    if not isinstance(data, list) or len(data) % 2:
        raise DamagedError("flags are not an array of path and marks pairs")
    out: dict[str, list[str]] = {}
    for raw_path, raw_marks in zip(data[::2], data[1::2], strict=True):
        position: int | None = None
        if isinstance(raw_path, str) and raw_path:
            path = raw_path
        else:
            steps = raw_path if isinstance(raw_path, list) and len(raw_path) > 1 else [raw_path]
            path = _render(index, steps)
            position = steps[-1] if len(steps) % 2 == 1 else None
        items = raw_marks if isinstance(raw_marks, list) else [raw_marks]
        if path in out:
            raise DamagedError("a flag path is given twice")
        out[path] = [_unpack_mark(index, position, item) for item in items]
    return out
