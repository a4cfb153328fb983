"""The resident's kiosk screen: its App, controller, screens, inputs and touch widgets.

Start it with kiosk.ui.resident.app.run_kiosk(session); see docs/ui.md.
"""
