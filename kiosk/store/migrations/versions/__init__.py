"""One file per schema revision, oldest first; each has an upgrade and a downgrade."""
