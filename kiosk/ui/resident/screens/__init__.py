"""One module and one .kv per screen; SCREENS says which screen shows which session state."""
