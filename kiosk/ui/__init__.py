"""The two touch screens (Kivy): the only package that imports Kivy.

kiosk/ui/resident is the resident's kiosk (start it with
kiosk.ui.resident.app.run_kiosk(session)), kiosk/ui/desk the clerk's counter screen
(kiosk.ui.desk.app.run_desk(desk)). What both use sits here: the text catalogues (i18n,
locale/), the per-character font markup (glyphs) and the headless X server (headless).
See docs/ui.md.
"""
