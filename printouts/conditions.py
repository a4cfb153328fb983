"""A field's `show_if` condition said in plain Japanese, for the paper form's instructions.

On paper nothing is hidden: the resident reads 「代理人の方のみ」 and skips the rest. The
common shapes are `X == 'v'`, `X != 'v'`, `X in [...]`, a yes/no field alone or with `not`;
they name the choice's label. Anything else becomes 「該当する方のみ」, which is never
wrong, only vaguer (a staff member is at hand when this form is used).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from forms.model import Form, FormField
from printouts.values import options

GENERIC = "該当する方のみ"


def plain_condition(form: Form, source: str | None) -> str:
    """「代理人（頼まれた人）の方のみ」 for `applicant == 'agent'`; "" when always shown."""
    if not source:
        return ""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return GENERIC
    return _phrase(form, tree) or GENERIC


def _field(form: Form, node: ast.expr) -> FormField | None:
    if not isinstance(node, ast.Name):
        return None
    try:
        return form.field(node.id)
    except KeyError:
        return None


_BOOLS = {"true": True, "True": True, "false": False, "False": False}


def _labels(form: Form, field: FormField, node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Name) and node.id in _BOOLS:
        values: list[object] = [_BOOLS[node.id]]
    elif isinstance(node, ast.Constant):
        values = [node.value]
    elif isinstance(node, (ast.List, ast.Tuple)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
    else:
        return None
    if field.kind.is_yes_no:
        return ["はい" if v else "いいえ" for v in values if isinstance(v, bool)] or None
    names = dict(options(form, field))
    found = [names[v] for v in values if isinstance(v, str) and v in names]
    return found if len(found) == len(values) else None


@dataclass(frozen=True)
class _Clause:
    """One comparison: a field's label, the choice labels, and whether it is negated."""

    field: FormField
    labels: tuple[str, ...]
    negate: bool

    @property
    def who(self) -> bool:
        return self.field.kind.names_applicant

    def text(self, *, last: bool = True) -> str:
        """「「X」で「v」を選んだ」; not last in an `and`: 「…を選び」. The applicant: who."""
        if self.who:
            who = "・".join(self.labels)
            return f"{who}以外" if self.negate else who
        chosen = "か".join(f"「{label}」" for label in self.labels)
        verb = ("以外を" if self.negate else "を") + ("選んだ" if last else "選び")
        return f"「{self.field.label.ja}」で{chosen}{verb}"


def _phrase(form: Form, node: ast.expr) -> str | None:
    if not isinstance(node, ast.BoolOp):
        clause = _clause(form, node)
        if clause is None:
            return None
        return f"{clause.text()}の方のみ" if clause.who else f"{clause.text()}方のみ"
    found = [_clause(form, v) for v in node.values]
    clauses = [c for c in found if c is not None]
    if len(clauses) != len(found):
        return None
    return _either(clauses) if isinstance(node.op, ast.Or) else _both(clauses)


def _both(clauses: list[_Clause]) -> str | None:
    """`a and b`: 「…を選び、…を選んだ方のみ」, the applicant first when one is named."""
    who = [c for c in clauses if c.who]
    rest = [c for c in clauses if not c.who]
    if len(who) > 1:
        return None
    said = "、".join(c.text(last=i == len(rest) - 1) for i, c in enumerate(rest))
    if who:
        return f"{who[0].text()}で、{said}方のみ" if rest else f"{who[0].text()}の方のみ"
    return f"{said}方のみ"


def _either(clauses: list[_Clause]) -> str | None:
    """`a or b`: one field with either value says so once (「住所」か「氏名」)."""
    if any(c.who for c in clauses):
        return None
    if len({c.field.id for c in clauses}) == 1 and not any(c.negate for c in clauses):
        labels = tuple(label for c in clauses for label in c.labels)
        return f"{_Clause(clauses[0].field, labels, False).text()}方のみ"
    return "か、".join(c.text() for c in clauses) + "方のみ"


def _clause(form: Form, node: ast.expr) -> _Clause | None:
    if isinstance(node, ast.Name):
        field = _field(form, node)
        return _said(field, ["はい"], negate=False) if field and field.kind.is_yes_no else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        field = _field(form, node.operand)
        return _said(field, ["いいえ"], negate=False) if field and field.kind.is_yes_no else None
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return None
    op, left, right = node.ops[0], node.left, node.comparators[0]
    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(left, ast.Constant):
        left, right = right, left  # 'zenbu' in kinds: a multi-choice holding the value
    field = _field(form, left)
    if field is None or not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
        return None
    labels = _labels(form, field, right)
    if labels is None:
        return None
    return _said(field, labels, negate=isinstance(op, (ast.NotEq, ast.NotIn)))


def _said(field: FormField | None, labels: list[str], *, negate: bool) -> _Clause | None:
    return None if field is None else _Clause(field, tuple(labels), negate)
