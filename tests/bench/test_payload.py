"""bench.payload's life-event lines: bench/README.md quotes them, and issue 14 asked for this
exact shape, so a change of wording is caught here rather than in a stale README."""

from __future__ import annotations

import re

from bench.payload import _keys, event_figures
from forms.loader import load_library

HEADLINE = re.compile(
    r"life event moving_in, household of 2: (\d+) codes, largest version (\d+), (\d+) characters in all")
CODE = re.compile(r"  ([a-z_]+) \(([a-z_]+(?:, [a-z_]+)*)\): (\d+) chars, version (\d+), (\d+\.\d\d) s to type")


def test_life_event_line_and_its_codes() -> None:
    library = load_library()
    lines = event_figures(library.life_events["moving_in"], library, 2, _keys()[0]).lines()

    head = HEADLINE.fullmatch(lines[0])
    assert head, lines[0]
    codes = [CODE.fullmatch(line) for line in lines[1:]]
    assert all(codes), lines[1:]
    count, largest, total = (int(g) for g in head.groups())
    assert count == len(codes) > 1  # one code a counter: 転入 and マイナンバー are at different ones
    assert largest == max(int(c[4]) for c in codes if c)
    assert total == sum(int(c[3]) for c in codes if c)
    for c in codes:
        assert c and c[5] == f"{int(c[3]) * 0.002:.2f}"  # 2 ms a character
    held = [p for c in codes if c for p in c[2].split(", ")]
    assert sorted(held) == sorted(["tennyu", "mynumber_card_address", "kokuho", "jidou_teate", "inkan_toroku"])
