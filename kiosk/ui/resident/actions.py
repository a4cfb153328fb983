"""What a screen may ask of the controller: four verbs, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Actions(Protocol):
    def act(self, call: Callable[..., Any], *args: Any) -> None:
        """Run a quick session call for a touch, then show whatever screen it leads to."""

    def run_blocking(self, call: Callable[..., Any], *args: Any, progress: str) -> None:
        """Run a session call that waits on the card or the printer on the worker thread,
        with the progress view (text: the msgid `progress`) shown until it returns."""

    def background(self, call: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run a call on the worker thread silently; `then(result)` runs on the UI thread."""

    def show(self) -> None:
        """Show the screen that matches the session now, refreshed."""
