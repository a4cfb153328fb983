"""The resident's session as plain Python: the screens drive it, tests drive it without a screen."""
