"""How every command that signs a person in takes their password, one way for all of them.

`--password-stdin` reads the first line of standard input (as `docker login` does: never on
the command line, where `ps` and the shell history would keep it); without it, a person at a
terminal is asked without echo; a script that gave neither gets "" and its command refuses
before the store is asked, so a forgotten pipe never counts as a wrong try.
"""

from __future__ import annotations

import argparse
import getpass
import sys


def password_of(args: argparse.Namespace, *, prompt: str) -> str:
    """The password given, or "" when none was."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return ""
