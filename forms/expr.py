"""The small, safe expression language of `show_if`, `required`, rules and life-event screening.

It looks like Python and is parsed by Python's own parser, but it is never evaluated by
Python: only the node types below are interpreted, so a form file cannot run code.

    applicant == 'agent'
    purpose in ['insurance', 'pension'] and copies > 1
    not moved_with_family
    count(members) >= 1 and age(child_birth_date) < 18
"""

from __future__ import annotations

import ast
import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from forms.errors import ExpressionError

Lookup = Callable[[str], Any]

_CONSTANT_NAMES = {
    "true": True, "false": False, "null": None, "True": True, "False": False, "None": None,
}


def _count(value: Any) -> int:
    return len(value) if isinstance(value, (list, tuple, str)) else 0


def _answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def _age(value: Any, today: dt.date) -> int | None:
    day = _date(value)
    if day is None:
        return None
    years = today.year - day.year
    return years - ((today.month, today.day) < (day.month, day.day))


def _days_since(value: Any, today: dt.date) -> int | None:
    """Whole days from the date to today (a notice period: 14 days after moving in)."""
    day = _date(value)
    return None if day is None else (today - day).days


# name -> number of arguments. The functions themselves are in Expression._call.
FUNCTIONS = {"count": 1, "answered": 1, "age": 1, "days_since": 1, "len": 1}

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


@dataclass(frozen=True)
class Comparison:
    """A field compared with literal values, kept so the loader can check choice values."""

    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Expression:
    source: str
    tree: ast.Expression
    refs: frozenset[str]
    comparisons: tuple[Comparison, ...]

    def evaluate(self, lookup: Lookup, *, today: dt.date) -> Any:
        """Value of the expression; a missing answer is null, and null compares as false."""
        return _Evaluator(lookup, today).visit(self.tree.body)

    def truth(self, lookup: Lookup, *, today: dt.date) -> bool:
        return bool(self.evaluate(lookup, today=today))


def parse(source: str) -> Expression:
    """Parse and check an expression. Raises ExpressionError naming the column of the fault."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("empty expression", column=None)
    if len(source) > 500:
        raise ExpressionError("expression longer than 500 characters; split it", column=None)
    text = source.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        # Python reports 0 for a fault at the very end ("a =="): point past the last character.
        column = exc.offset if exc.offset and exc.offset > 0 else len(text) + 1
        raise ExpressionError(f"syntax error: {exc.msg}", column=column) from None
    refs: set[str] = set()
    comparisons: list[Comparison] = []
    for node in ast.walk(tree):
        _check_node(node, refs, text)
        if isinstance(node, ast.Compare):
            comparisons.extend(_comparisons(node))
    return Expression(source, tree, frozenset(refs), tuple(comparisons))


_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.Compare,
    ast.Name, ast.Load, ast.Constant, ast.List, ast.Tuple, ast.Call, ast.BinOp, ast.Add, ast.Sub,
    *_COMPARE.keys(),
)


def _column(node: ast.AST, text: str) -> int | None:
    """1-based column in characters: ast counts UTF-8 bytes ('その他' is 3 characters, 9 bytes)."""
    col, line = getattr(node, "col_offset", None), getattr(node, "lineno", None)
    if not isinstance(col, int) or not isinstance(line, int):
        return None
    source_line = text.splitlines()[line - 1] if text else ""
    return len(source_line.encode("utf-8")[:col].decode("utf-8", errors="ignore")) + 1


def _check_node(node: ast.AST, refs: set[str], text: str) -> None:
    column = _column(node, text)
    if not isinstance(node, _ALLOWED):
        what = type(node).__name__
        raise ExpressionError(f"'{what}' is not allowed here: use field names, literals, "
                              "and/or/not, comparisons, in, count(), answered(), age()",
                              column=column)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ExpressionError("only count(), answered(), age() and len() may be called",
                                  column=column)
        if node.keywords or len(node.args) != FUNCTIONS[node.func.id]:
            raise ExpressionError(f"{node.func.id}() takes exactly one field", column=column)
    elif isinstance(node, ast.Name):
        if node.id not in _CONSTANT_NAMES and node.id not in FUNCTIONS and node.id != "today":
            refs.add(node.id)
    elif isinstance(node, ast.Constant) and not isinstance(
            node.value, (str, int, float, bool, type(None))):
        raise ExpressionError("only text, numbers, true/false and null are allowed", column=column)


def _comparisons(node: ast.Compare) -> list[Comparison]:
    found: list[Comparison] = []
    operands = [node.left, *node.comparators]
    for left, right in itertools.pairwise(operands):
        for a, b in ((left, right), (right, left)):
            if isinstance(a, ast.Name) and a.id not in _CONSTANT_NAMES:
                values = _literals(b)
                if values:
                    found.append(Comparison(a.id, values))
    return found


def _literals(node: ast.AST) -> tuple[Any, ...]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(e.value for e in node.elts
                     if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


class _Evaluator:
    def __init__(self, lookup: Lookup, today: dt.date) -> None:
        self._lookup = lookup
        self._today = today

    def visit(self, node: ast.expr) -> Any:  # noqa: C901, PLR0911 - one branch per allowed node type
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(self.visit(v) for v in node.values)
            return any(self.visit(v) for v in node.values)
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            return -operand if isinstance(operand, (int, float)) else None
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            if not isinstance(left, (int, float)) or not isinstance(right, (int, float)):
                return None
            return left + right if isinstance(node.op, ast.Add) else left - right
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.visit(e) for e in node.elts]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._call(node.func.id, self.visit(node.args[0]))
        raise ExpressionError(f"cannot evaluate {type(node).__name__}", column=None)

    def _name(self, name: str) -> Any:
        if name in _CONSTANT_NAMES:
            return _CONSTANT_NAMES[name]
        if name == "today":
            return self._today.isoformat()
        return self._lookup(name)

    def _call(self, name: str, arg: Any) -> Any:
        if name in ("count", "len"):
            return _count(arg)
        if name == "answered":
            return _answered(arg)
        if name == "days_since":
            return _days_since(arg, self._today)
        return _age(arg, self._today)

    def _compare(self, node: ast.Compare) -> bool:
        left = self.visit(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            if left is None or right is None:
                return False  # an unanswered field satisfies no comparison, != and not in included
            try:
                ok = _COMPARE[type(op)](left, right)
            except TypeError:
                ok = False  # mismatched types
            if not ok:
                return False
            left = right
        return True


def mapping_lookup(*scopes: Mapping[str, Any]) -> Lookup:
    """Look a name up in the first scope that has it (a group item before the whole form)."""

    def lookup(name: str) -> Any:
        for scope in scopes:
            if name in scope:
                return scope[name]
        return None

    return lookup
