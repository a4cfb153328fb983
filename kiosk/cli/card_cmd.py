"""`kiosk card ...` (placeholder until its driver lands)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("card", help="(not yet available)")
