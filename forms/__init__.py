"""Form definitions: the typed model, the loader, the expression language and the answer engine.

This package imports nothing else of the project but the leaf package common/, so the kiosk,
the counter desk and the printouts can all rely on it. What each field type is and how its
answer reads are here too (field_types.py, reading.py), so no caller compares type names.
"""
