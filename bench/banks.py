"""Banks: how long the kiosk's bank and branch search takes per key, and what the data costs.

Run as ``python -m bench.banks [--runs N]``. The resident touches a kana and the list of
matches is redrawn: the search must feel instant (target < 30 ms a key on the kiosk, leaving
the rest of a 100 ms response to drawing). The data is read lazily (forms/banks.py): the bank
list at the first search, a bank's branches the first time that bank is chosen; both one-off
costs are shown apart, with the memory they hold.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from functools import partial

from bench.timing import median_ms
from forms.banks import BankDirectory, data_dir, shipped_directory

# What residents type, a key at a time: a large bank, a 信金 found by its reading's start,
# a reading with small kana and a long vowel, one kana (the longest list), and nothing found.
BANK_QUERIES = ("み", "みつ", "みつび", "ほっかいどう", "そにー", "ゆうちょ", "あ", "をを")
# Branches of the largest branch lists: 三菱ＵＦＪ, みずほ, ゆうちょ.
BRANCH_QUERIES = (("0005", "まるの"), ("0001", "しぶや"), ("9900", "ぜろいちはち"), ("0005", "し"))



def _first_use() -> tuple[float, float, float, float]:
    """(ms, KiB) of the bank list's first read, then of the largest bank's branches."""
    directory = BankDirectory(data_dir())  # a fresh one: the shipped one may have read already
    tracemalloc.start()
    start = time.perf_counter()
    directory.search_banks("")
    banks_ms = (time.perf_counter() - start) * 1000
    banks_kib = tracemalloc.get_traced_memory()[0] / 1024
    start = time.perf_counter()
    directory.search_branches("0005", "")
    branches_ms = (time.perf_counter() - start) * 1000
    branches_kib = tracemalloc.get_traced_memory()[0] / 1024 - banks_kib
    tracemalloc.stop()
    return banks_ms, banks_kib, branches_ms, branches_kib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.banks")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    directory = shipped_directory()
    print(f"zengin-code data of {directory.data_date}")
    banks_ms, banks_kib, branches_ms, branches_kib = _first_use()
    print(f"first use: bank list {banks_ms:.1f} ms, {banks_kib:.0f} KiB; "
          f"三菱ＵＦＪ's branches {branches_ms:.1f} ms, {branches_kib:.0f} KiB")
    print("| search | matches | median ms |")
    print("| --- | ---: | ---: |")
    for query in BANK_QUERIES:
        found = directory.search_banks(query, limit=20)
        ms = median_ms(partial(directory.search_banks, query, limit=20), args.runs)
        print(f"| bank 「{query}」 | {len(found)} | {ms:.2f} |")
    for bank, query in BRANCH_QUERIES:
        branches = directory.search_branches(bank, query, limit=20)
        ms = median_ms(partial(directory.search_branches, bank, query, limit=20), args.runs)
        print(f"| branch of {bank} 「{query}」 | {len(branches)} | {ms:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
