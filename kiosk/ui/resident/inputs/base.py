"""What every answer widget offers the question screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.resident.kit import UiKit

Submit = Callable[[Any], None]


class FieldInput(BoxLayout):  # type: ignore[misc]  # Kivy is untyped
    """An answer widget. Choices answer on a tap (`needs_next` False); the others collect
    an answer that the screen's 「次へ」 button hands over (`value()`)."""

    needs_next = True

    def __init__(self, *, ui: UiKit, submit: Submit, **kwargs: Any) -> None:
        self.ui = ui
        self.submit = submit
        super().__init__(**kwargs)

    def value(self) -> Any:
        return None

    def ready(self) -> bool:
        return True

    def resume(self, previous: FieldInput) -> None:
        """Take over what `previous`, this question's widget before a language switch, held
        besides its value (a search typed so far): the resident's typing is never lost."""

    def clear(self) -> None:
        """Forget what was typed (the wipe calls this)."""
