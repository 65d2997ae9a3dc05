"""Alembic environment: the URL comes from settings (DATABASE_URL) unless one is passed."""

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from app.config import get_settings
from app.db import Timeouts, make_engine
from app.models import Base, UTCDateTime

target_metadata = Base.metadata


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Keep revisions static: render the app's column types as plain SQLAlchemy types."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url, Timeouts(statement=0))  # a migration may run long
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # SQLite's batch mode rebuilds a table by copy, drop and rename; with foreign keys
            # enforced the drop of a referenced table fails. Off for the migration (it must be
            # set outside a transaction), then checked: a migration may not leave dangling rows.
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=OFF")
            run(conn)
            conn.rollback()
            dangling = raw.execute("PRAGMA foreign_key_check").fetchall()
            raw.execute("PRAGMA foreign_keys=ON")
            if dangling:
                raise RuntimeError(f"migration left dangling foreign keys: {dangling[:5]}")
        else:
            run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_online()
