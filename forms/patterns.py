"""A rule's `pattern:`: a regular expression checked when the form loads, so it cannot hang the kiosk.

Python's `re` backtracks: `(a+)+$` against thirty a's and a b takes minutes, and a kiosk
frozen on one resident's answer is a kiosk out of service. The `regex` package's timeout is
not a dependency, so a pattern is refused at load when a repetition holds something that can
match the same text in more than one way, the shape every exponential case has:

- a repetition of variable length inside another repetition: `(a+)+`, `(a*)*`, `(\\d{1,3})*`
  (a fixed count inside is fine: `(,\\d{3})*`);
- inside a repetition, alternatives that can begin with the same character or match
  nothing: `(a|a)*`, `(a|ab)*`, `(x|)*` (`(ab|cd)*` is fine).

The pattern is at most 200 characters, and the answer it is tried on at most the field's
length (`max_length`, a digits field's length, else 200 characters), which keeps the
polynomial cases (`\\d*\\d*`) short too.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

# The parser `re` itself uses (the deprecated `sre_parse` names it since Python 3.11); it has
# no type stubs, hence Any.
sre_parse: Any = importlib.import_module("re._parser")
sre_c: Any = importlib.import_module("re._constants")

MAX_PATTERN = 200  # characters of a pattern
MAX_VALUE = 200  # characters of an answer tried, when its field gives no length
_UNIVERSAL: frozenset[int] | None = None  # "any character": None
_RANGE_CAP = 4096  # a wider class is treated as any character
_REPEATS = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT)


class UnsafePattern(ValueError):
    """A pattern refused at load: not a regular expression, too long, or slow on some answers."""


@functools.lru_cache(maxsize=256)
def compile_pattern(source: str) -> re.Pattern[str]:
    """The compiled pattern, once per process (the loader and the engine share the cache)."""
    if len(source) > MAX_PATTERN:
        raise UnsafePattern(f"a pattern is at most {MAX_PATTERN} characters, not {len(source)}")
    try:
        parsed = sre_parse.parse(source)
        compiled = re.compile(source)
    except re.error as exc:
        raise UnsafePattern(f"not a regular expression: {exc}") from None
    _walk(list(parsed), inside_repeat=False)
    return compiled


def matches(source: str, value: str, limit: int | None) -> bool:
    """The whole answer matches; an answer longer than its cap does not."""
    if len(value) > (limit or MAX_VALUE):
        return False
    return compile_pattern(source).fullmatch(value) is not None


def _walk(items: list[tuple[Any, Any]], *, inside_repeat: bool) -> None:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            if inside_repeat and low != high:
                raise UnsafePattern("a repetition of variable length inside another repetition, "
                                    "like (a+)+, can take minutes on some answers")
            _walk(list(body), inside_repeat=inside_repeat or high > 1)
        elif op is sre_c.BRANCH:
            if inside_repeat:
                _distinct_starts(arg[1])
            for branch in arg[1]:
                _walk(list(branch), inside_repeat=inside_repeat)
        elif op is sre_c.SUBPATTERN:
            _walk(list(arg[-1]), inside_repeat=inside_repeat)
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            _walk(list(arg[1]), inside_repeat=inside_repeat)


def _distinct_starts(branches: list[Any]) -> None:
    seen: set[int] = set()
    for branch in branches:
        first = _first_chars(list(branch))
        if first is _UNIVERSAL or not first or first & seen:
            raise UnsafePattern("alternatives inside a repetition that can start alike or match "
                                "nothing, like (a|ab)*, can take minutes on some answers")
        seen |= first


def _first_chars(items: list[tuple[Any, Any]]) -> frozenset[int] | None:
    """The characters a sequence can begin with; empty when it can match nothing at all, None
    for any character (a class, `.`, an optional start: treated as overlapping everything)."""
    if not items:
        return frozenset()
    op, arg = items[0]
    if op is sre_c.LITERAL:
        return frozenset({arg})
    if op is sre_c.IN:
        return _class_chars(arg)
    if op is sre_c.SUBPATTERN:
        return _first_chars(list(arg[-1]) + items[1:])
    if op in _REPEATS and arg[0] >= 1:
        return _first_chars(list(arg[2]))
    return _UNIVERSAL


def _class_chars(members: list[tuple[Any, Any]]) -> frozenset[int] | None:
    """A `[...]` class's characters; None for a negated, category (\\d) or very wide one."""
    chars: set[int] = set()
    for op, arg in members:
        if op not in (sre_c.LITERAL, sre_c.RANGE):
            return _UNIVERSAL
        low, high = (arg, arg) if op is sre_c.LITERAL else arg
        if high - low > _RANGE_CAP:
            return _UNIVERSAL
        chars.update(range(low, high + 1))
    return frozenset(chars)
