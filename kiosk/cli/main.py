"""The `kiosk` command. Each group of sub-commands lives in its own module with a `register`."""

from __future__ import annotations

import argparse
import logging
import sys
from importlib.metadata import version
from pathlib import Path

from kiosk.cli import (
    audit_cmd,
    card_cmd,
    db_cmd,
    desk_cmd,
    forms_cmd,
    keys_cmd,
    monkey_cmd,
    run_cmd,
    staff_cmd,
    try_cmd,
)
from kiosk.config import KioskConfig, load_config
from kiosk.errors import KioskError
from kiosk.logs import configure_logging

GROUPS = (forms_cmd, card_cmd, keys_cmd, db_cmd, run_cmd, try_cmd, desk_cmd, staff_cmd, audit_cmd, monkey_cmd)
log = logging.getLogger("kiosk.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="No-write counter kiosk (書かない窓口)")
    parser.add_argument("--version", action="version", version=f"kiosk {version('no-write-counter-kiosk')}")
    parser.add_argument("--config", type=Path, default=None, help="kiosk.toml (default: demo settings)")
    parser.add_argument("--lang", choices=("ja", "en"), default=None, help="language of messages")
    sub = parser.add_subparsers(dest="group", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        with configure_logging(config.logging):
            code = _run(args, config)
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


def _run(args: argparse.Namespace, config: KioskConfig) -> int:
    """The sub-command, with a log line when it is refused: the error's code, not its text."""
    command = " ".join(str(v) for v in (args.group, getattr(args, "action", None)) if v)
    try:
        code: int = args.handler(args, config)
    except KioskError as exc:
        log.warning("kiosk %s refused: %s", command, getattr(exc, "code", type(exc).__name__))
        raise
    return code


if __name__ == "__main__":
    sys.exit(main())
