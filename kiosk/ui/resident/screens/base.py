"""The base of every screen: what it is handed, and the three things it must do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kivy.uix.screenmanager import Screen as KivyScreen

from kiosk.session.session import Session
from kiosk.ui.resident.actions import Actions
from kiosk.ui.resident.kit import UiKit


@dataclass(frozen=True)
class Primary:
    """The screen's main button, drawn at the bottom right of every screen."""

    kid: str
    label: str
    action: Callable[[], None]
    enabled: bool = True


class KioskScreen(KivyScreen):  # type: ignore[misc]  # Kivy is untyped
    """One screen: its layout in <name>.kv, its behaviour here.

    `refresh()` fills the widgets from the session; `clear()` empties every widget that
    showed something about the resident (called on every wipe, shown or not).
    """

    def __init__(self, *, session: Session, ui: UiKit, actions: Actions, **kwargs: Any) -> None:
        self.session = session
        self.ui = ui
        self.actions = actions
        super().__init__(**kwargs)

    def title(self) -> str:
        return ""

    def refresh(self) -> None:
        """Fill the widgets from the session, in the current language."""

    def clear(self) -> None:
        """Forget what was shown."""

    def primary(self) -> Primary | None:
        return None

    def on_shown(self) -> None:
        """The screen became the current one (start polling, focus, ...)."""

    def on_hidden(self) -> None:
        """Another screen took over (stop polling, ...)."""
