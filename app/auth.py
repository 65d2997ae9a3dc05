"""Who is asking: session cookie (browsers) or bearer API token; role checks for routers."""

import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.db import Database
from app.errors import Forbidden, Unauthenticated
from app.models import Role, User, utcnow

SESSION_COOKIE = "axm_session"
TOKEN_USE_LOCK_TIMEOUT = 1.0  # seconds
# A recording claimed this long ago is taken as lost (its request failed before background
# tasks ran, so nothing released it): the next call records the use again.
TOKEN_USE_CLAIM_SECONDS = 30.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Viewer:
    """Who is looking, detached from the session so error pages can still show it."""

    id: int
    name: str
    role: str
    locale: str
    organization_id: int
    organization_name: str

    @classmethod
    def of(cls, user: User) -> "Viewer":
        return cls(
            user.id,
            user.name,
            user.role.value,
            user.locale,
            user.organization_id,
            user.organization.name,
        )


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    db: Database = request.app.state.db
    with db.transaction(write=request.method not in SAFE_METHODS) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]


# token hash -> when this process set out to record the token's use (the hash, not the id: ids
# come again after a database is recreated, a hash does not)
_recording: dict[str, float] = {}
_recording_lock = threading.Lock()


def record_token_use(db: Database, token_id: int, claim: str) -> None:
    """After the response, in its own short transaction, at most one at a time per token:
    a busy database skips it (a later call records it); it never fails or delays a request."""
    try:
        with db.transaction(lock_timeout=TOKEN_USE_LOCK_TIMEOUT) as session:
            accounts.record_token_use(session, token_id, utcnow())
    except OperationalError as exc:
        log.info("token %s: last use not recorded (%s)", token_id, exc.orig)
    finally:
        with _recording_lock:
            _recording.pop(claim, None)


def _token_user(request: Request, session: Session, tasks: BackgroundTasks, secret: str) -> User:
    token = accounts.api_token(session, secret)
    if token is None:
        raise Unauthenticated("Invalid or revoked API token.")
    if accounts.token_use_due(token, utcnow()):
        now = time.monotonic()
        with _recording_lock:
            claimed = _recording.get(token.token_hash)
            due = claimed is None or now - claimed > TOKEN_USE_CLAIM_SECONDS
            if due:
                _recording[token.token_hash] = now
        if due:
            tasks.add_task(record_token_use, request.app.state.db, token.id, token.token_hash)
    return token.user


def optional_user(request: Request, session: DbSession, tasks: BackgroundTasks) -> User | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = _token_user(request, session, tasks, header[7:].strip())
    else:
        token = request.cookies.get(SESSION_COOKIE)
        user = accounts.user_for_session(session, token) if token else None
    request.state.user = user
    request.state.viewer = Viewer.of(user) if user else None
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


# The checks below are coroutines: they do no I/O, and FastAPI would otherwise run each
# one in the thread pool (a hop per dependency per request).
async def current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthenticated("Please log in.")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """Router-level role check; ownership is checked inside the services."""

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden("Your role cannot use this page.")
        return user

    return check


def roles(*allowed: Role) -> list[object]:
    return [Depends(require_roles(*allowed))]
