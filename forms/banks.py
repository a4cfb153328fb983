"""Bank and branch names from their 全銀 codes, read from the `zengin-code` package's data files.

The resident picks a bank and a branch at the kiosk; the form keeps only the codes (a 4-digit
bank code, a 3-digit branch code), and the names printed on the forms and shown to the clerk
come from here. The data is the package's (zengin-code on PyPI, rebuilt from the 全銀協 list):
its date is `data_date`, and it is brought up to date with `make lock` and a reinstall.

The package's own `import zengin_code` reads every one of its ~31,000 branches at import (and
needs `six`), so this module only locates the package folder and reads its JSON files itself:
banks.json once, and a bank's branches file the first time that bank is asked about.

Searching folds the query the way the readings are written (全銀 readings use large kana only:
「ホツカイドウ」 for 北海道), so a resident typing 「ほっかいどう」 finds it.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

DATA_PACKAGE = "zengin_code"

# Small kana as the 全銀 readings write them: large.
_LARGE_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
# Long-vowel marks, dashes, dots and spaces: the readings use them unevenly (「ソニ－」 but 「ソニ」 is
# how most type it), so both sides drop them.
_DROPPED = re.compile(r"[\sー－‐\-・.．]")
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}


@dataclass(frozen=True)
class Bank:
    code: str  # 4 digits, "0005"
    name: str  # shown and printed: "三菱ＵＦＪ銀行"
    kana: str  # zengin's katakana reading, "ミツビシユ－エフジエイ"


@dataclass(frozen=True)
class Branch:
    bank_code: str
    code: str  # 3 digits, "001"
    name: str  # "本店"
    kana: str


def fold(text: str) -> str:
    """The form a reading and a query are compared in: NFKC, katakana, large kana, no marks."""
    text = unicodedata.normalize("NFKC", text).upper().translate(_HIRAGANA_TO_KATAKANA)
    return _DROPPED.sub("", text.translate(_LARGE_KANA))


def bank_display_name(code: str, short_name: str) -> str:
    """The name a resident knows: zengin keeps 「三菱ＵＦＪ」 for 三菱ＵＦＪ銀行.

    Codes below 1000 are banks (信金, 信組, 労金 and 農協 are 1000 and up and carry their kind in
    their short name); 9900 is ゆうちょ銀行.
    """
    if int(code) < 1000 or code == "9900":
        return short_name + "銀行"
    return short_name


class _Entry(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kana(self) -> str: ...


E = TypeVar("E", bound=_Entry)


def _search(entries: Sequence[E], query: str, limit: int) -> list[E]:
    """Readings starting with the query, then containing it, then names containing it."""
    if limit <= 0:
        return []
    folded = fold(query)
    if not folded:
        return list(entries[:limit])
    if folded.isdigit():
        return [entry for entry in entries if entry.code.startswith(folded)][:limit]
    raw = unicodedata.normalize("NFKC", query).strip().upper()
    tiers: list[Callable[[E], bool]] = [
        lambda entry: fold(entry.kana).startswith(folded),
        lambda entry: folded in fold(entry.kana),
        lambda entry: bool(raw) and raw in unicodedata.normalize("NFKC", entry.name).upper(),
    ]
    found: dict[str, E] = {}
    for matches in tiers:
        for entry in entries:
            if len(found) >= limit:
                return list(found.values())
            if entry.code not in found and matches(entry):
                found[entry.code] = entry
    return list(found.values())


class BankDirectory:
    """Banks and their branches by code, with a kana search for the kiosk's picker."""

    def __init__(self, data_dir: Path) -> None:
        self._dir = data_dir
        self._lock = threading.Lock()  # the kiosk searches from its UI thread, the printout from a worker
        self._banks: dict[str, Bank] | None = None
        self._branches: dict[str, dict[str, Branch]] = {}

    def bank(self, code: str) -> Bank | None:
        return self._bank_table().get(code)

    def branch(self, bank_code: str, code: str) -> Branch | None:
        return self._branch_table(bank_code).get(code)

    def search_banks(self, query: str, limit: int = 30) -> list[Bank]:
        return _search(list(self._bank_table().values()), query, limit)

    def search_branches(self, bank_code: str, query: str, limit: int = 30) -> list[Branch]:
        return _search(list(self._branch_table(bank_code).values()), query, limit)

    @property
    def data_date(self) -> str:
        stamp = (self._dir / "updated_at").read_text(encoding="utf-8").strip()
        return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"

    def _bank_table(self) -> dict[str, Bank]:
        with self._lock:
            if self._banks is None:
                rows = _read_rows(self._dir / "banks.json")
                self._banks = {
                    code: Bank(code=code, name=bank_display_name(code, row["name"]), kana=row["kana"])
                    for code, row in rows
                }
            return self._banks

    def _branch_table(self, bank_code: str) -> dict[str, Branch]:
        if bank_code not in self._bank_table():
            return {}  # also keeps a code such as "../x" from naming a file
        with self._lock:
            table = self._branches.get(bank_code)
            if table is None:
                rows = _read_rows(self._dir / "branches" / f"{bank_code}.json")
                table = {
                    code: Branch(bank_code=bank_code, code=code, name=row["name"], kana=row["kana"])
                    for code, row in rows
                }
                self._branches[bank_code] = table
            return table


def _read_rows(path: Path) -> Iterable[tuple[str, dict[str, str]]]:
    """The file's {code: row} pairs by code; a bank with no branches file has no branches."""
    try:
        data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return sorted(data.items())


def data_dir() -> Path:
    """The package's data folder, found without importing the package (see the module docstring)."""
    spec = importlib.util.find_spec(DATA_PACKAGE)
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise ModuleNotFoundError(f"the {DATA_PACKAGE} package (zengin-code) is not installed", name=DATA_PACKAGE)
    return Path(next(iter(locations))) / "source-data" / "data"


def name_of(code: str, *, bank_code: str | None = None) -> str | None:
    """The name of bank `code`, or of the branch `code` of `bank_code` when given; None when
    the data lacks it. The one lookup the readers (forms/reading.py) and the paper
    (printouts/bank_entries.py) share."""
    directory = shipped_directory()
    found = directory.bank(code) if bank_code is None else directory.branch(bank_code, code)
    return found.name if found is not None else None


@functools.cache
def shipped_directory() -> BankDirectory:
    return BankDirectory(data_dir())
