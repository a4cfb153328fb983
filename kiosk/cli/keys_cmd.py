"""`kiosk keys ...` (placeholder until its driver lands)."""

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("keys", help="(not yet available)")
