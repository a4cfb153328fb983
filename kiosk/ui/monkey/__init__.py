"""A seeded monkey for the resident's kiosk and the clerk's desk (docs/ui.md, "The monkey").

It touches random visible, enabled targets on the running screens, toggles the resident's
language, text size and contrast, goes back, lets the idle timer fire, and on the desk types
slips as a keyboard-wedge scanner does. After every step it checks what a resident or clerk
would meet: an exception, a screen with no way on, text clipped or spilling out of its
widget, text in the colour of its background, a target too small for a finger.

`checks.py` holds the checks on plain widget attributes (no Kivy import: its unit tests run
without a window); `kivy_side.py`, `kiosk_walk.py` and `desk_walk.py` need the running App.
"""
