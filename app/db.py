"""Engine and session factories; one transaction per request.

SQLite: foreign keys on, WAL, busy timeout, and the SQLAlchemy-documented fix that
lets SQLAlchemy (not pysqlite) emit BEGIN, so SAVEPOINTs work and writes start with
BEGIN IMMEDIATE instead of silently upgrading a read lock mid-transaction.

Timeouts on both databases: opening a connection (PostgreSQL; also the wait for a pooled one)
and running a statement, lock waits included (PostgreSQL's statement_timeout; SQLite's busy
timeout and an interrupt from its progress handler). A read transaction refuses writes.

The ground floor: it imports no feature. Session hooks (keeping stored vectors in step)
are registered by the app factory and the CLI (`app.hooks.install`).
"""

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    String,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.errors import Conflict
from app.i18n import Msgid

BEGIN_MODE = "sqlite_begin"
BUSY_MS = "sqlite_busy_ms"
PROGRESS_STEPS = 10_000  # SQLite VM steps between deadline checks
UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
RACED = Msgid("Someone else saved the same thing a moment ago. Reload and try again.")


@dataclass(frozen=True)
class Timeouts:
    """Seconds; statement 0 means none (migrations)."""

    connect: float = 5.0
    statement: float = 30.0

    @classmethod
    def from_settings(cls) -> "Timeouts":
        from app.config import get_settings

        settings = get_settings()
        return cls(settings.db_connect_timeout, settings.db_statement_timeout)


def make_engine(url: str, timeouts: Timeouts | None = None) -> Engine:
    limits = timeouts or Timeouts.from_settings()
    if not url.startswith("sqlite"):
        connect_args: dict[str, Any] = {"connect_timeout": max(2, math.ceil(limits.connect))}
        if limits.statement:
            connect_args["options"] = f"-c statement_timeout={round(limits.statement * 1000)}"
        return create_engine(
            url, pool_pre_ping=True, pool_timeout=limits.connect, connect_args=connect_args
        )
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": limits.statement or 30, "check_same_thread": False},
        execution_options={BUSY_MS: round((limits.statement or 30) * 1000)},
    )
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    if limits.statement:
        event.listen(engine, "before_cursor_execute", _sqlite_deadline(limits.statement))
        event.listen(engine, "after_cursor_execute", _sqlite_deadline(math.inf))
    return engine


def _sqlite_on_connect(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    deadline = record.info["deadline"] = [math.inf]
    dbapi_connection.set_progress_handler(lambda: time.monotonic() > deadline[0], PROGRESS_STEPS)


def _sqlite_deadline(seconds: float):  # type: ignore[no-untyped-def]
    """Each statement may run `seconds`; past that SQLite interrupts it (OperationalError).
    Set before the statement, lifted after it (COMMIT is never interrupted)."""

    def before(conn: Connection, *_: Any) -> None:
        deadline = conn.connection.info.get("deadline")
        if deadline is not None:
            deadline[0] = time.monotonic() + seconds

    return before


def _sqlite_on_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(options.get(BUSY_MS, 30_000))}")
    conn.exec_driver_sql(f"BEGIN {options.get(BEGIN_MODE, 'DEFERRED')}")


class ReadOnlyTransaction(RuntimeError):
    """A read (GET) transaction tried to write: on SQLite that write would need the lock a
    writer holds and fail the request; writes belong to POST handlers or their own
    transaction."""


def _no_flush_in_reads(session: Session, *_: Any) -> None:
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        raise ReadOnlyTransaction("a read transaction tried to write")


def _no_dml_in_reads(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReadOnlyTransaction("a read transaction tried to write")


def _read_factory(factory: "sessionmaker[Session]") -> "sessionmaker[Session]":
    event.listen(factory, "before_flush", _no_flush_in_reads)
    event.listen(factory, "do_orm_execute", _no_dml_in_reads)
    return factory


class Database:
    """Holds the engine and two session factories: reads (which refuse writes), and writes
    (BEGIN IMMEDIATE on SQLite)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read = _read_factory(sessionmaker(engine, expire_on_commit=False))
        writer = engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
        self.write = sessionmaker(writer, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, timeouts: Timeouts | None = None) -> "Database":
        return cls(make_engine(url, timeouts))

    def bind_to(self, connection: Connection) -> None:
        """Tests: run every session inside `connection`'s outer transaction."""
        options = {"expire_on_commit": False, "join_transaction_mode": "create_savepoint"}
        self.write = sessionmaker(bind=connection, **options)  # type: ignore[arg-type]
        self.read = _read_factory(sessionmaker(bind=connection, **options))  # type: ignore[arg-type]

    @contextmanager
    def transaction(
        self, *, write: bool = True, lock_timeout: float | None = None
    ) -> Iterator[Session]:
        """One transaction; `lock_timeout` (seconds) bounds its lock waits below the default
        (for side writes that may be skipped when the database is busy)."""
        factory = self.write if write else self.read
        if lock_timeout is None:
            with factory.begin() as session:
                yield session
            return
        ms = round(lock_timeout * 1000)
        bind = factory.kw.get("bind")
        if isinstance(bind, Engine) and bind.dialect.name == "sqlite":
            bind = bind.execution_options(**{BUSY_MS: ms})
        with factory(bind=bind) as session, session.begin():
            if self.engine.dialect.name == "postgresql":
                session.execute(text(f"SET LOCAL lock_timeout = {ms}"))
            yield session


def expect_version(record: object, version: int | None) -> None:
    """Optimistic locking: a form or API body names the version it was based on."""
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


class by_code_point(FunctionElement[str]):  # noqa: N801 (used like func.lower)
    """A string compared by Unicode code point, alike on both databases: SQLite compares so
    by default, PostgreSQL with COLLATE "C" (UTF-8 byte order). Hangul syllables in code
    point order are in 가나다 order."""

    type = String()
    inherit_cache = True


@compiles(by_code_point)
def _code_points(element: by_code_point, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(by_code_point, "postgresql")
def _code_points_postgresql(element: by_code_point, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


def paginate(
    session: Session, query: Select[Any], page: int, per_page: int, *, rows: bool = False
) -> Page[Any]:
    """Count the whole query, then fetch page `page` (1-based) of it."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    window = query.limit(per_page).offset((page - 1) * per_page)
    items = list(session.execute(window).all() if rows else session.scalars(window))
    return Page(items, total or 0, page, per_page)


def unique_constraint(exc: IntegrityError) -> str | None:
    """The unique key `exc` hit (PostgreSQL names the constraint, "uq_users_email"; SQLite its
    columns, "users.email"), or None for another integrity error (a foreign key, NOT NULL)."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == UNIQUE_VIOLATION:
        return getattr(orig.diag, "constraint_name", None) or "unique"  # type: ignore[union-attr]
    if getattr(orig, "sqlite_errorname", None) in SQLITE_UNIQUE:
        return str(orig).split(": ", 1)[-1]
    return None


@contextmanager
def unique_or_conflict(session: Session, message: str = RACED, **params: Any) -> Iterator[None]:
    """The block's writes in a savepoint, flushed at its end: when one loses a race for a
    unique key (another transaction committed the same e-mail, review, ... between this one's
    check and its insert) they are all undone and `Conflict(message)` is raised (a 409, not a
    500); the session stays usable. Other integrity errors pass through."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as exc:
        if unique_constraint(exc) is None:
            raise
        raise Conflict(message, **params) from exc
