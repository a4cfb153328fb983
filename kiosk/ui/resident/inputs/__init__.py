"""The answer widgets, one per kind of field, and the table that picks one for a field."""
