"""Application factory: middleware, error handlers, routers, static files."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from asgi_csrf import asgi_csrf
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.accounts import api as accounts_api
from app.accounts import pages as accounts_pages
from app.admin import api as admin_api
from app.admin import pages as admin_pages
from app.bids import api as bids_api
from app.bids import dialogue_api as bids_dialogue_api
from app.bids import dialogue_pages as bids_dialogue_pages
from app.bids import pages as bids_pages
from app.bids import selection_api as bids_selection_api
from app.bids import selection_pages as bids_selection_pages
from app.cohorts import api as cohorts_api
from app.cohorts import pages as cohorts_pages
from app.config import Settings, get_settings
from app.coordinator import api as coordinator_api
from app.coordinator import pages as coordinator_pages
from app.dashboard import api as dashboard_api
from app.dashboard import pages as dashboard_pages
from app.db import Database
from app.engagements import api as engagements_api
from app.engagements import pages as engagements_pages
from app.errors import AppError, Conflict, Invalid, Unauthenticated
from app.home import pages as home_pages
from app.i18n import gettext
from app.matches import api as matches_api
from app.matches import pages as matches_pages
from app.matches.engine import new_index_cache
from app.needs import api as needs_api
from app.needs import pages as needs_pages
from app.notifications import api as notifications_api
from app.notifications import pages as notifications_pages
from app.notifications import worker as notifications_worker
from app.profiles import api as profiles_api
from app.profiles import pages as profiles_pages
from app.readiness import api as readiness_api
from app.readiness import pages as readiness_pages
from app.rounds import api as rounds_api
from app.rounds import conflict_pages as rounds_conflict_pages
from app.rounds import pages as rounds_pages
from app.web import redirect, render, request_locale

STATIC_DIR = Path(__file__).parent / "static"
ROUTERS = [
    home_pages.router,
    accounts_pages.router,
    accounts_api.router,
    profiles_pages.router,
    profiles_api.router,
    needs_pages.router,
    needs_api.router,
    coordinator_pages.router,
    coordinator_api.router,
    admin_pages.router,
    admin_api.router,
    matches_pages.router,
    matches_api.router,
    bids_pages.router,
    bids_selection_pages.router,
    bids_dialogue_pages.router,
    bids_api.router,
    bids_selection_api.router,
    bids_dialogue_api.router,
    engagements_pages.router,
    engagements_api.router,
    readiness_pages.router,
    readiness_api.router,
    cohorts_pages.router,
    cohorts_pages.sponsor_router,
    cohorts_api.router,
    dashboard_pages.router,
    dashboard_api.router,
    notifications_pages.router,
    notifications_api.router,
    rounds_pages.router,
    rounds_conflict_pages.router,
    rounds_api.router,
]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class CsrfUnlessBearer:
    """asgi-csrf, except for API requests that carry one bearer token: asgi-csrf lets those
    through unchecked anyway (a page on another site cannot send that header), and API routes
    never read the token, so signing a fresh one for each such request is wasted work."""

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self.app, self.protected = app, asgi_csrf(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        bearer = scope["type"] == "http" and scope["path"].startswith("/api/")
        if bearer:
            auth = [v for k, v in scope["headers"] if k == b"authorization"]
            bearer = len(auth) == 1 and auth[0].startswith(b"Bearer ")
        await (self.app if bearer else self.protected)(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ErrorOut(BaseModel):
    error: str
    message: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "The request body could not be parsed"),
        (401, "Not logged in, or the token is invalid or revoked"),
        (403, "Your role cannot do this"),
        (404, "Not found, or not visible to you"),
        (409, "Conflicts with the current state"),
        (429, "Too many requests"),
    )
}


async def no_nul_in_query(request: Request) -> None:
    """PostgreSQL text cannot hold NUL: a query string carrying one is refused for every route
    (every value of a repeated parameter too). A coroutine: no I/O, so no thread-pool hop."""
    if any("\x00" in value for _, value in request.query_params.multi_items()):
        raise Invalid("Text must not contain NUL characters.")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    if is_api(request):
        return JSONResponse({"error": code, "message": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status)


async def app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, Unauthenticated) and not is_api(request):
        return redirect("/login?next=" + quote(request.url.path))
    message = gettext(request_locale(request), exc.message, **exc.params)
    return error_response(request, exc.status, exc.code, message)


async def stale_error(request: Request, exc: Exception) -> Response:
    return await app_error(
        request,
        Conflict("Someone else changed this record while you were editing. Reload and try again."),
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if is_api(request) or exc.status_code not in (404, 405):
        return JSONResponse(
            {"error": "http_error", "message": exc.detail},
            status_code=exc.status_code,
            headers=exc.headers,
        )
    message = gettext(request_locale(request), "Page not found.")
    return error_response(request, exc.status_code, "not_found", message)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        detail = [{k: e[k] for k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse({"error": "invalid", "detail": detail}, status_code=422)
    message = gettext(request_locale(request), "This value is not valid.")
    return error_response(request, 422, "invalid", message)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The outbox worker as a thread of this process (AXMATCH_WORKER_IN_APP, on in
        # development); in production run `axmatch worker` beside the web workers.
        stop = (
            notifications_worker.start_thread(app.state.db, settings)
            if settings.worker_in_app
            else None
        )
        yield
        if stop is not None:
            stop.set()
        if database is None:  # an injected database (tests) belongs to its creator
            app.state.db.engine.dispose()

    app = FastAPI(
        title="axmatch",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        openapi_url="/api/openapi.json",
        redoc_url=None,
        dependencies=[Depends(no_nul_in_query)],
    )
    app.state.settings = settings
    app.state.db = database or Database.from_url(settings.database_url)
    app.state.index_cache = new_index_cache(settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        api = router.prefix.startswith("/api")
        app.include_router(
            router, include_in_schema=api, responses=ERROR_RESPONSES if api else None
        )
    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(StaleDataError, stale_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(
        CsrfUnlessBearer,
        signing_secret=settings.secret_key,
        always_protect={"/login", "/register", "/lang"},
        cookie_secure=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeaders)
    return app


app = create_app()
