"""Every fenced code block of docs/*.md and README.md, loaded with the real code: a doc
example that stops being true fails here (issue 17, item 8).

How a block is taken, by its fence and its content:

- yaml: a form, an override (`extends:`), life events, blocks or choice lists, validated as a
  city's folder beside the shipped library (as `kiosk forms validate` does); a part of a form
  (some of its keys, a list of fields or of rules) put in the smallest form it fits; answers
  for `kiosk forms preview --answers`, checked against the shipped form they answer
  (yaml_examples.py). With `...` in it: an excerpt, compared with the shipped file (excerpts.py).
- toml: kiosk.toml, read by kiosk/config.py, then the shipped forms loaded with its counters
  and `[forms] hide`; a card identity file (it has a `pin`), by the emulator's reader.
- json: trust.json, by its reader. python: parsed; what it imports from the project must be there.
- sh, bash, console: each `kiosk ...` parsed by the real argument parser, nothing run; each
  `scripts/...` must exist (commands.py).
- untagged, ini, sql (diagrams, layouts, output; systemd's, logind's and PostgreSQL's files):
  not loaded, but a `kiosk` synopsis line or a `.../bin/kiosk` command in them is parsed as above.

A marker on the line above the fence says what content cannot:
`<!-- example: not-loaded, WHY -->` (shown, never loaded; the reason is required) or
`<!-- example: error: TEXT -->` (a mistake shown on purpose: loading it must fail with TEXT in
the English or Japanese message). A block that fits none of these fails, naming its line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forms.loader import Library, load_library
from kiosk.config import DEFAULT_COUNTERS
from tests.docs.commands import SHELL, commands_in, parse_error, scripts_in
from tests.docs.excerpts import excerpt_problems, is_excerpt
from tests.docs.markdown import ROOT, Block, all_blocks
from tests.docs.other_examples import json_problems, python_problems, toml_problems
from tests.docs.yaml_examples import load_example

BLOCKS = all_blocks()
TEXT = ("", "ini", "sql")
NOT_LOADED = re.compile(r"not-loaded,\s*\S.*")
ERROR = re.compile(r"error:\s*(?P<text>\S.*)")


def problems_of(block: Block, shipped: Library, folder: Path) -> list[str]:
    """What the real code refuses in the block; empty when the example is true."""
    if block.lang == "yaml" and is_excerpt(block.text):
        return excerpt_problems(block.text)
    if block.lang == "yaml":
        outcome = load_example(block, folder / "forms", shipped)
        return [f"(taken as {outcome.taken_as}) {p}" for p in outcome.problems]
    loaders = {"toml": lambda text: toml_problems(text, folder), "json": json_problems, "python": python_problems}
    if block.lang in loaders:
        return loaders[block.lang](block.text)
    if block.lang not in (*SHELL, *TEXT):
        return [f"no loader for ```{block.lang}: write `<!-- example: not-loaded, WHY -->` above it"]
    told = [f"kiosk {' '.join(args)}: {error}" for args in commands_in(block.lang, block.text)
            if (error := parse_error(args)) is not None]
    return told + [f"{script}: no such script" for script in scripts_in(block.lang, block.text)
                   if not (ROOT / script).is_file()]


def expect(block: Block, problems: list[str]) -> None:
    """No problem; or, for a block marked as a mistake, one that says what the doc says."""
    wanted = ERROR.fullmatch(block.marker or "")
    if wanted is None:
        assert problems == [], f"{block.where} is not true:\n" + "\n".join(problems) + (
            "\n(a block shown on purpose and never loaded: `<!-- example: not-loaded, WHY -->` above it)")
    else:
        assert any(wanted["text"] in p for p in problems), (
            f"{block.where} should be refused with {wanted['text']!r}; got:\n" + "\n".join(problems))


@pytest.fixture(scope="module")
def shipped() -> Library:
    return load_library(counters=set(DEFAULT_COUNTERS))


@pytest.mark.parametrize("block", [pytest.param(b, id=b.where) for b in BLOCKS
                                   if not NOT_LOADED.fullmatch(b.marker or "")])
def test_the_example_is_true(block: Block, shipped: Library, tmp_path: Path) -> None:
    expect(block, problems_of(block, shipped, tmp_path))


def test_every_marker_is_known_and_says_why() -> None:
    marked = [b for b in BLOCKS if b.marker is not None]
    wrong = [f"{b.where}: <!-- example: {b.marker} -->" for b in marked
             if not (NOT_LOADED.fullmatch(b.marker or "") or ERROR.fullmatch(b.marker or ""))]
    assert wrong == [], "a marker is `not-loaded, WHY` or `error: TEXT`:\n" + "\n".join(wrong)


def test_the_docs_have_examples_of_each_kind() -> None:
    """A guard on the finder itself: if it stopped finding blocks, every test above would pass."""
    found = {b.lang for b in BLOCKS}
    assert {"yaml", "toml", "sh", "json", "python"} <= found
    assert sum(b.lang == "yaml" for b in BLOCKS if b.doc.name == "forms.md") >= 14


# -- the check can fail: an untrue example of each kind is refused, saying why ---------------

UNTRUE = [
    ("yaml", "fields:\n  - {id: a, type: txt, label: A}\n", "txt"),
    ("yaml", "  - id: a\n    type: text\n    label: A\n    show_if: purpse == 'x'\n", "purpse"),
    ("yaml", "- id: a\n  type: integer\n  label: A\n  min: 10\n  max: 1\n", "forms.md:"),
    ("yaml", "rules:\n  - check: coppies < 100\n    field: copies\n    message: 多すぎます\n", "coppies"),
    ("yaml", "extends: juminhyo@1\nversion: 2\nremove: [no_such_field]\n", "no_such_field"),
    ("yaml", "life_events:\n  - id: x\n    title: X\n    steps: [{form: no_such_form}]\n", "no_such_form"),
    ("yaml", "action: join\njoin_reason: no_such_reason\n", "join_reason"),
    ("yaml", "colour: blue\n", "not a form"),
    ("yaml", "  - id: moving_in\n    ...\n    title: {ja: 違う}\n", "moving_in.title.ja"),
    ("toml", "idle_timeout_s = 5\n", "idle_timeout_s"),
    ("toml", '[forms]\nhide = ["juminhyou"]\n', "juminhyou"),
    ("toml", 'name = "見本"\npin = "12"\n', "example.toml"),
    ("json", json.dumps({"format": "kiosk-slip-trust/1", "kiosks": [{"key_id": "00"}]}), "kiosks"),
    ("python", "from forms.loader import no_such_name\n", "no_such_name"),
    ("sh", ".venv/bin/kiosk forms shwo juminhyo  # a misspelt command\n", "shwo"),
    ("sh", "echo x | kiosk forms show juminhyo --ful\n", "--ful"),
    ("sh", "scripts/no_such_script\n", "scripts/no_such_script"),
    ("", "kiosk desk status ID reopened\n", "reopened"),
    ("", "15 2 * * *  kioskadm  /opt/kiosk/.venv/bin/kiosk db purj\n", "purj"),
    ("xml", "<a/>\n", "no loader"),
]


@pytest.mark.parametrize(("lang", "text", "said"), UNTRUE, ids=[f"{t[0] or 'text'}-{t[2]}" for t in UNTRUE])
def test_an_untrue_example_is_refused(lang: str, text: str, said: str, shipped: Library,
                                      tmp_path: Path) -> None:
    block = Block(ROOT / "docs" / "forms.md", 1, lang, text, None)
    problems = problems_of(block, shipped, tmp_path)
    assert any(said in p for p in problems), problems
    with pytest.raises(AssertionError, match="is not true"):
        expect(block, problems)


def test_a_mistake_shown_on_purpose_must_be_refused_as_the_doc_says(shipped: Library, tmp_path: Path) -> None:
    wrong = "fields:\n  - {id: a, type: integer, label: A, min: 10, max: 1}\n"
    said = Block(ROOT / "docs" / "forms.md", 1, "yaml", wrong, "error: min (10) is greater than max (1)")
    expect(said, problems_of(said, shipped, tmp_path / "1"))
    not_said = Block(ROOT / "docs" / "forms.md", 1, "yaml", wrong, "error: is not a known key")
    with pytest.raises(AssertionError, match="should be refused"):
        expect(not_said, problems_of(not_said, shipped, tmp_path / "2"))
