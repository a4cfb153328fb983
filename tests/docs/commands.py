"""The `kiosk ...` command lines a document shows, and whether the real parser takes each.

Two ways a document writes commands:

- a shell block (```sh): real shell. `|`, `;`, `&&` and `$( )` separate commands, `#` starts a
  comment, a heredoc's body is skipped; `kiosk` or a path ending `bin/kiosk` counts as the
  program (after `exec`, `sudo`, `VAR=value`). In any other block, a line naming
  `.../bin/kiosk` (a cron line, a unit's `ExecStart=`) is read the same way.
- a synopsis: a line of an untagged block starting `kiosk WORD`. `A|B` are alternatives
  (each is tried), and a line's closing `(note)` is prose.

In both, `[...]` marks an optional part (tried with it given) and an ALL-CAPS word (`ID`,
`FILE`, `YYYY-MM-DD`, `SLIP.pdf`) is a placeholder: it stands for any value of the option,
so the option's type is not applied to it, but its choices are (write `--role kiosk|desk`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from collections.abc import Callable, Iterator
from typing import Any

from kiosk.cli.main import build_parser

PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)*(?:\.\w+)?")
_REDIRECT = re.compile(r"(?<!\S)\d*(?:>>?|<)(?:&\d+|\s*[^\s;|&)]+)")
_HEREDOC = re.compile(r"<<-?\s*'?\"?(\w+)")
_PREFIXES = {"exec", "sudo", "nohup", "time"}
_SEPARATORS = {"|", "||", "&&", ";", "&", "(", ")"}


SHELL = ("sh", "bash", "console", "shell")


def commands_in(lang: str, text: str) -> list[list[str]]:
    """The arguments after `kiosk` of each command a block shows: every one of a shell block;
    in another, a line of a synopsis (`kiosk WORD ...`, untagged blocks) or one naming the
    program by its path (`.../bin/kiosk`: a cron line, a unit's ExecStart)."""
    if lang in SHELL:
        return [words[1:] for words in _programs(text) if _is_kiosk(words[0], first=True)]
    found: list[list[str]] = []
    for line in text.splitlines():
        if lang == "" and re.match(r"kiosk [a-z-]", line):
            found += _alternatives(line)
        elif "bin/kiosk" in line:
            found += [words[at + 1:] for words in _commands(line)
                      if (at := next((i for i, w in enumerate(words) if w.endswith("bin/kiosk")), -1)) >= 0]
    return found


def scripts_in(lang: str, text: str) -> list[str]:
    """The project's own scripts a shell block runs (`scripts/run`)."""
    return [words[0] for words in _programs(text) if words[0].startswith("scripts/")] if lang in SHELL else []


def _is_kiosk(word: str, *, first: bool) -> bool:
    return word.endswith("bin/kiosk") or (first and word == "kiosk")


def _programs(text: str) -> Iterator[list[str]]:
    """Each simple command of a script, from its program on (after `exec`, `VAR=value`, ...)."""
    for line in _logical_lines(text):
        for command in _commands(line):
            words = command
            while words and not _is_kiosk(words[0], first=False) and (
                    words[0] in _PREFIXES or re.fullmatch(r"\w+=.*", words[0])):
                words = words[1:]
            if words:
                yield words


def _alternatives(line: str) -> list[list[str]]:
    """A synopsis line's arguments after `kiosk`, once for each alternative of `A|B`."""
    line = re.sub(r"\s+\([^()]*\)\s*$", "", line.split(" #", 1)[0]).strip()
    words = line.replace("[", " ").replace("]", " ").split()[1:]
    choices = [word.split("|") for word in words]
    return [[c[min(k, len(c) - 1)] for c in choices] for k in range(max(len(c) for c in choices))]


def _logical_lines(text: str) -> Iterator[str]:
    heredoc: str | None = None
    for line in text.replace("\\\n", " ").splitlines():
        if heredoc is not None:
            heredoc = None if line.strip() == heredoc else heredoc
            continue
        found = _HEREDOC.search(line)
        heredoc = found[1] if found else None
        yield line


def _commands(line: str) -> Iterator[list[str]]:
    lexer = shlex.shlex(_REDIRECT.sub(" ", line.replace("$(", " ( ")), posix=True,
                        punctuation_chars="|&;()")
    lexer.whitespace_split = True
    words: list[str] = []
    for token in lexer:
        if token in _SEPARATORS:
            yield words
            words = []
        else:
            words.append(token.replace("[", "").replace("]", ""))
    yield [w for w in words if w]


def parse_error(args: list[str]) -> str | None:
    """None when the real `kiosk` parser takes `args` (nothing is run), else what it says."""
    parser = build_parser()
    for owner, action in _all_actions(parser):
        owner.allow_abbrev = False  # `--ful` for `--full` works by luck: the doc must say `--full`
        if action.type is not None and callable(action.type):
            action.type = _lenient(action.type)
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
            parser.parse_args(args)
    except SystemExit as stop:
        return None if stop.code == 0 else said.getvalue().strip().splitlines()[-1]
    return None


def _lenient(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    def converted(text: str) -> Any:
        return text if PLACEHOLDER.fullmatch(text) else convert(text)
    return converted


def _all_actions(parser: argparse.ArgumentParser) -> Iterator[tuple[argparse.ArgumentParser, argparse.Action]]:
    for action in parser._actions:
        yield parser, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict(action.choices).values():
                yield from _all_actions(sub)
