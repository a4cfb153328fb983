"""`python -m bench` (make bench): every benchmark in turn, each printing its own figures.

Figures, not assertions: the targets are written beside them in bench/README.md.
"""

from __future__ import annotations

import importlib
import sys

# Each benchmark module with the arguments the full run gives it.
MODULES: dict[str, list[str]] = {
    "payload": [], "documents": [], "banks": [], "card_read": [], "card_wait": [], "store": [], "ui": [],
    "desk": ["--screen"],
}


def main() -> int:
    failed = []
    for name, args in MODULES.items():
        module = importlib.import_module(f"bench.{name}")
        print(f"\n===== bench.{name}", flush=True)
        if module.main(args) != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
