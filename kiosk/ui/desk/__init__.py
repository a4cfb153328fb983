"""The clerk's screen of the counter desk (Kivy). The desk itself is kiosk/desk, plain Python.

Start it with kiosk.ui.desk.app.run_desk(desk); its texts are in the shared catalogues
(kiosk/ui/locale), beside the resident screens'.
"""
