"""Alembic's entry point for the kiosk store.

`kiosk.store.migrate` runs it in code: it passes an open connection (already inside the
transaction that holds the migration lock) in ``config.attributes["connection"]``, so no
alembic.ini is needed anywhere. A developer making a new revision uses
`kiosk.store.migrate.alembic_config(url)` with `alembic.command.revision` (docs/storage.md);
then this file connects by the URL in the config itself.
"""

from __future__ import annotations

from alembic import context
from alembic.config import Config
from sqlalchemy import Connection

from kiosk.store.db import make_engine
from kiosk.store.models import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters a table by copying it; batch mode does that for later revisions.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main(config: Config) -> None:
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                          target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url: use kiosk.store.migrate")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


# Alembic runs this file inside an EnvironmentContext, which is what gives `context.config`.
# Imported any other way (a test that imports every module), it does nothing.
_config: Config | None = getattr(context, "config", None)
if _config is not None:
    main(_config)
