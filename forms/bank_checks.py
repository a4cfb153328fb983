"""A branch field's `bank:` names a bank field the resident answers beside it.

The branch's name is looked up with its bank's code (forms/banks.py), so the bank field must
be of the same form and answered in the same place: both outside repeated groups, or both in
the same group (one account per item). A misspelt id gets a did-you-mean, as a condition's does.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from forms.errors import Code
from forms.text import T, Text
from forms.yamlsource import Source

if TYPE_CHECKING:  # forms.checks calls this module
    from forms.checks import Located


def check_bank_links(located: Sequence[Located], src: Source) -> None:
    by_id = {loc.field.id: loc for loc in located}
    for loc in located:
        wanted = loc.field.bank
        if wanted is None:
            continue
        banks = {i for i, other in by_id.items()
                 if other.field.kind.is_bank and other.group == loc.group}
        path = (*loc.path, "bank")
        if wanted in banks:
            continue
        target = by_id.get(wanted)
        if target is not None and target.field.kind.is_bank:
            src.error(Code.UNKNOWN_REFERENCE, path, T(
                f"bank「{wanted}」は支店の項目と別の繰り返し項目にあります。",
                f"bank '{wanted}' is not answered beside this branch (another repeated group)."),
                T("金融機関と支店は、同じ繰り返し項目の中か、どちらも外に置いてください。",
                  "Put the bank and its branch in the same repeated group, or both outside."))
        elif target is not None:
            src.error(Code.TYPE_MISMATCH, path, T(
                f"bank「{wanted}」は {target.field.type} 型の項目です。type: bank の項目を書いてください。",
                f"bank '{wanted}' is a {target.field.type} field; name a field of type bank."),
                _closest(wanted, banks))
        else:
            src.error(Code.UNKNOWN_REFERENCE, path, T(
                f"bank「{wanted}」という項目はありません。",
                f"bank '{wanted}' is not a field of this form."), _closest(wanted, banks))


def _closest(name: str, banks: set[str]) -> Text:
    close = difflib.get_close_matches(name, sorted(banks), n=1)
    if close:
        return T(f"「{close[0]}」の書き間違いではありませんか。", f"Did you mean '{close[0]}'?")
    if banks:
        return T(f"金融機関の項目: {', '.join(sorted(banks))}", f"Bank fields: {', '.join(sorted(banks))}")
    return T("type: bank の項目を置き、その id を書いてください。",
             "Add a field of type bank and write its id here.")
