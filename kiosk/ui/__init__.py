"""The kiosk's touch screen (Kivy): the only package that imports Kivy.

Start it with kiosk.ui.app.run_kiosk(session); see docs/ui.md.
"""
