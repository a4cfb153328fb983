"""What the checks need from the running Kivy window: the layer that takes touches, its
labels and targets, where each may draw, and a label's text laid out without a height limit.

Imported only once the App is built (it imports Kivy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.core.text.markup import MarkupLabel
from kivy.core.window import Window
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput

from kiosk.ui.monkey.checks import (
    RGBA,
    Fault,
    Rect,
    ancestors,
    contrast_faults,
    input_contrast_faults,
    label_faults,
    shown,
    target_faults,
    window_rect,
)

_MODAL = ("Overlay", "ModalView")


def active_layer() -> Any:
    """The widget tree that takes touches now: the topmost window child, or the overlay
    (idle warning, notice, language list) its root shows on top of everything."""
    top = Window.children[0]
    children = list(getattr(top, "children", []))
    if children and any(c.__name__ in _MODAL for c in type(children[0]).__mro__):
        return children[0]
    return top


@dataclass
class Scene:
    labels: list[Any] = field(default_factory=list)
    targets: list[Any] = field(default_factory=list)
    fields: list[Any] = field(default_factory=list)


def scene(root: Any) -> Scene:
    """The shown labels (with text), enabled targets and text fields under `root`."""
    found = Scene()
    for widget in root.walk(restrict=True):
        if not shown(widget):
            continue
        if isinstance(widget, TextInput):
            found.fields.append(widget)
            found.targets.append(widget)
        elif isinstance(widget, ButtonBehavior):
            found.targets.append(widget)
        if isinstance(widget, Label) and widget.text.strip():
            found.labels.append(widget)
    return found


def clip_of(widget: Any) -> Rect | None:
    """Where the widget may draw: its screen, or the window; None inside a scrolled list
    (the resident scrolls it into view)."""
    for node in ancestors(widget):
        if isinstance(node, ScrollView) and node is not widget:
            return None
        if isinstance(node, Screen):
            return window_rect(node)
    return (0.0, 0.0, float(Window.width), float(Window.height))


class Measure:
    """A label's text laid out at its width with no height limit, cached by its options:
    Kivy drops the lines that do not fit a fixed text_size, so the texture cannot tell."""

    def __init__(self) -> None:
        self._cache: dict[str, float] = {}

    def __call__(self, label: Any) -> float:
        options = {name: getattr(label, name) for name in label._font_properties}
        options["usersize"] = (label.text_size[0], None)
        key = repr(sorted(options.items()))
        if key not in self._cache:
            core = MarkupLabel(**options) if label.markup else CoreLabel(**options)
            self._cache[key] = float(core.render()[1])
        return self._cache[key]


def check_scene(found: Scene, *, screen: str, min_px: float, window_color: RGBA,
                measure: Callable[[Any], float],
                skip_targets: Iterable[Any] = ()) -> list[Fault]:
    """Every check on what is shown now; `skip_targets` are exempt from the size check
    (none on the kiosk)."""
    faults: list[Fault] = []
    exempt = set(map(id, skip_targets))
    everywhere = (float("-inf"), float("-inf"), float("inf"), float("inf"))
    for label in found.labels:
        clip = clip_of(label) or everywhere
        faults += label_faults(label, screen=screen, clip=clip, window_color=window_color,
                               natural_height=measure)
        faults += contrast_faults(label, screen=screen, window_color=window_color)
    for target in found.targets:
        if id(target) in exempt:
            continue
        faults += target_faults(target, screen=screen, min_px=min_px,
                                clip=clip_of(target) or everywhere)
    for text_field in found.fields:
        if text_field.text:
            faults += input_contrast_faults(text_field, screen=screen)
    return faults


def window_color() -> RGBA:
    r, g, b, a = Window.clearcolor
    return (float(r), float(g), float(b), float(a))
