"""The top and bottom bars around every screen; they only raise events, the controller acts."""

from __future__ import annotations

from kivy.properties import ColorProperty
from kivy.uix.boxlayout import BoxLayout


class TopBar(BoxLayout):  # type: ignore[misc]  # Kivy is untyped
    __events__ = ("on_larger_text", "on_contrast", "on_language", "on_staff")
    bar_color = ColorProperty((0.0, 0.0, 0.0, 1.0))

    def on_larger_text(self) -> None:
        pass

    def on_contrast(self) -> None:
        pass

    def on_language(self) -> None:
        pass

    def on_staff(self) -> None:
        pass


class BottomBar(BoxLayout):  # type: ignore[misc]
    __events__ = ("on_back", "on_primary")
    line_color = ColorProperty((0.0, 0.0, 0.0, 1.0))

    def on_back(self) -> None:
        pass

    def on_primary(self) -> None:
        pass
