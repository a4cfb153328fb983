"""The fenced code blocks of the documentation, each with where it stands and its marker.

A marker is an HTML comment on the line just above the fence (a blank line between is
allowed): `<!-- example: KIND -->` says what the block is where its content cannot say it
(tests/docs/test_examples.py lists the kinds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]

_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*example:\s*(?P<kind>.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    doc: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str  # dedented by the fence's own indentation (a block inside a list item)
    marker: str | None

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks_in(doc: Path) -> list[Block]:
    lines = doc.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent = len(opening["indent"])
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
        body = "".join(line[indent:] + "\n" for line in lines[i + 1:end])
        found.append(Block(doc, i + 1, opening["lang"], body, _marker(lines, i)))
        i = end + 1
    return found


def _marker(lines: list[str], fence: int) -> str | None:
    above = [line for line in lines[max(0, fence - 2):fence] if line.strip()]
    marked = _MARKER.match(above[-1]) if above else None
    return marked["kind"] if marked else None


def all_blocks() -> list[Block]:
    return [block for doc in DOCS for block in blocks_in(doc)]
