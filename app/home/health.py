"""/healthz: is each dependency of this worker up, and which is not. Cheap, for it is asked
often (load balancers, `axmatch bench` takes it as the floor of an HTTP request): one read
transaction with one query, bounded by the connect timeout and a short lock timeout."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.config import Settings
from app.db import Database
from app.matches.cache import IndexCache
from app.models import utcnow
from app.notifications import outbox

LOCK_TIMEOUT = 2.0  # seconds: a table locked by a migration does not hang the check


@dataclass(frozen=True)
class Health:
    ok: bool
    parts: dict[str, dict[str, Any]]

    def body(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "down", **self.parts}


def check(db: Database, cache: IndexCache, settings: Settings) -> Health:
    """The database (does it answer), the index cache (see `IndexCache.health`) and the
    outbox (stuck when an e-mail waited longer than AXMATCH_HEALTH_OUTBOX_MAX_AGE)."""
    try:
        with db.transaction(write=False, lock_timeout=LOCK_TIMEOUT) as session:
            backlog = outbox.backlog(session)
    except (DBAPIError, PoolTimeout) as exc:  # the kind only: this answer is public
        error = type(exc.orig if isinstance(exc, DBAPIError) else exc).__name__
        database = {"status": "down", "error": error}
        mail: dict[str, Any] = {"status": "unknown"}
    else:
        database, mail = {"status": "ok"}, _outbox(backlog, settings, utcnow())
    parts = {"database": database, "index": cache.health(), "outbox": mail}
    return Health(all(p["status"] == "ok" for p in parts.values()), parts)


def _outbox(backlog: outbox.Backlog, settings: Settings, now: datetime) -> dict[str, Any]:
    age = None if backlog.oldest_at is None else (now - backlog.oldest_at).total_seconds()
    stuck = age is not None and age > settings.health_outbox_max_age
    return {
        "status": "stuck" if stuck else "ok",
        "pending": backlog.pending,
        "oldest_pending_seconds": None if age is None else round(age),
        "last_error": backlog.last_error,
    }
