"""The clerk's screen of the counter desk (Kivy). The desk itself is kiosk/desk, plain Python."""
