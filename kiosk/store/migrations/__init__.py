"""Alembic migrations of the kiosk store; run them with `kiosk db upgrade` (kiosk.store.migrate)."""
