"""`python -m bench` (make bench): every benchmark in turn, each printing its own figures.

Figures, not assertions: the targets are written beside them in bench/README.md.
"""

from __future__ import annotations

import importlib
import sys

MODULES = ("payload", "documents", "card_read", "store", "ui")


def main() -> int:
    failed = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError:
            continue
        print(f"\n===== bench.{name}", flush=True)
        if module.main([]) != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
