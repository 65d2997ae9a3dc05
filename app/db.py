"""Engine and session factories; one transaction per request.

SQLite: foreign keys on, WAL, busy timeout, and the SQLAlchemy-documented fix that
lets SQLAlchemy (not pysqlite) emit BEGIN, so SAVEPOINTs work and writes start with
BEGIN IMMEDIATE instead of silently upgrading a read lock mid-transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, Select, create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

BEGIN_MODE = "sqlite_begin"


def make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(BEGIN_MODE, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """Holds the engine and two session factories: reads, and writes (BEGIN IMMEDIATE)."""

    def __init__(self, engine: Engine) -> None:
        from app.matches import tracking

        tracking.install()  # every write path keeps the stored vectors in step
        self.engine = engine
        self.read = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
        self.write = sessionmaker(writer, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls(make_engine(url))

    def bind_to(self, connection: Connection) -> None:
        """Tests: run every session inside `connection`'s outer transaction."""
        factory = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        self.read = self.write = factory

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        factory = self.write if write else self.read
        with factory.begin() as session:
            yield session


def expect_version(record: object, version: int | None) -> None:
    """Optimistic locking: a form or API body names the version it was based on."""
    from app.errors import Conflict

    if version is not None and record.version != version:  # type: ignore[attr-defined]
        raise Conflict(
            "Someone else changed this record while you were editing. Reload and try again."
        )


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, and where it stands in the whole."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(
    session: Session, query: Select[Any], page: int, per_page: int, *, rows: bool = False
) -> Page[Any]:
    """Count the whole query, then fetch page `page` (1-based) of it."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    window = query.limit(per_page).offset((page - 1) * per_page)
    items = list(session.execute(window).all() if rows else session.scalars(window))
    return Page(items, total or 0, page, per_page)
