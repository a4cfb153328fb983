"""What a monkey run found: each distinct fault once, with the step it was first met at and
a screenshot of that moment; the text printed on failure and the JSON the tests read."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.ui.monkey.checks import Fault


class Stop(Exception):
    """The first fault was found and the run is not asked to go on."""


@dataclass
class Report:
    side: str  # "kiosk" or "desk"
    seed: int
    touches: int
    shots: Path
    keep_going: bool = False
    steps: int = 0
    done: int = 0  # touches and typed scans so far
    faults: list[dict[str, Any]] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)
    screens: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, fault: Fault, shoot: Callable[[], Path] | None = None) -> bool:
        """Record the fault if it is new (with a screenshot of the moment); raise Stop
        unless the run goes on."""
        if fault.key() in self._seen:
            return False
        self._seen.add(fault.key())
        shot = shoot() if shoot is not None else None
        self.faults.append({"step": self.steps, "check": fault.check, "screen": fault.screen,
                            "widget": fault.widget, "what": fault.what,
                            "screenshot": str(shot) if shot else None})
        if not self.keep_going:
            raise Stop(fault.line())
        return True

    @property
    def ok(self) -> bool:
        return not self.faults

    def text(self) -> str:
        lines = [f"monkey ({self.side}): seed {self.seed}, {self.done} of {self.touches} touches "
                 f"in {self.steps} steps, {self.seconds:.0f} s"]
        if self.faults:
            lines.append(f"{len(self.faults)} fault(s):")
        for fault in self.faults:
            lines.append(f"  step {fault['step']}, screen {fault['screen']!r}, {fault['check']}: "
                         f"{fault['what']}\n    widget: {fault['widget']}"
                         f"\n    screenshot: {fault['screenshot']}")
        if self.faults:
            lines.append(f"replay: kiosk monkey --touches {self.touches} --seed {self.seed}"
                         + (" --desk" if self.side == "desk" else ""))
        lines.append("screens: " + ", ".join(f"{k} {v}" for k, v in self.screens.most_common()))
        lines.append("actions: " + ", ".join(f"{k} {v}" for k, v in self.actions.most_common()))
        return "\n".join(lines)

    def write(self, path: Path) -> None:
        data = {"side": self.side, "seed": self.seed, "touches": self.touches,
                "done": self.done, "steps": self.steps, "seconds": round(self.seconds, 1),
                "ok": self.ok, "faults": self.faults, "screens": dict(self.screens),
                "actions": dict(self.actions), "text": self.text()}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
