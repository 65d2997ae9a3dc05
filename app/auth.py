"""Who is asking: session cookie (browsers) or bearer API token; role checks for routers."""

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.db import Database
from app.errors import Forbidden, Unauthenticated
from app.models import Role, User

SESSION_COOKIE = "axm_session"


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


def optional_user(request: Request, session: DbSession) -> User | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = accounts.user_for_api_token(session, header[7:].strip())
        if user is None:
            raise Unauthenticated("Invalid or revoked API token.")
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
