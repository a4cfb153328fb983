"""Form definitions: the typed model, the loader, the expression language and the answer engine.

This package imports nothing else of the project, so the kiosk, the counter desk and the
printouts can all rely on it.
"""
