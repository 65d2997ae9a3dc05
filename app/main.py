"""Application factory: middleware, error handlers, routers, static files."""

import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Scope

from app.accounts import api as accounts_api
from app.accounts import pages as accounts_pages
from app.accounts import recovery_api as accounts_recovery_api
from app.accounts import recovery_pages as accounts_recovery_pages
from app.accounts import totp_pages as accounts_totp_pages
from app.admin import api as admin_api
from app.admin import pages as admin_pages
from app.agreements import api as agreements_api
from app.agreements import pages as agreements_pages
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
from app.db import RACED, Database, unique_constraint
from app.engagements import api as engagements_api
from app.engagements import pages as engagements_pages
from app.errors import AppError, Conflict, Invalid, NotMember, Unauthenticated
from app.exports import api as exports_api
from app.exports import pages as exports_pages
from app.files import api as files_api
from app.files import pages as files_pages
from app.files.service import Uploads
from app.home import api as home_api
from app.home import pages as home_pages
from app.hooks import install as install_hooks
from app.i18n import gettext
from app.matches import api as matches_api
from app.matches import import_pages as matches_import_pages
from app.matches import pages as matches_pages
from app.matches.engine import new_index_cache
from app.middleware import BodyLimit, CsrfUnlessBearer, SecurityHeaders
from app.needs import api as needs_api
from app.needs import check_api as needs_check_api
from app.needs import check_pages as needs_check_pages
from app.needs import pages as needs_pages
from app.notifications import api as notifications_api
from app.notifications import pages as notifications_pages
from app.notifications import worker as notifications_worker
from app.profiles import api as profiles_api
from app.profiles import pages as profiles_pages
from app.readiness import api as readiness_api
from app.readiness import pages as readiness_pages
from app.reports import pages as reports_pages
from app.rounds import api as rounds_api
from app.rounds import conflict_pages as rounds_conflict_pages
from app.rounds import pages as rounds_pages
from app.web import accepts_uploads, redirect, render, request_locale
from app.web import env as templates

STATIC_DIR = Path(__file__).parent / "static"
RETRY_AFTER = "5"  # seconds, on a 503 from the database
UPLOAD_ENVELOPE = 65_536  # bytes: multipart headers and the form's other fields
log = logging.getLogger(__name__)
ROUTERS = [
    home_pages.router,
    home_api.router,
    accounts_pages.router,
    accounts_recovery_pages.router,
    accounts_totp_pages.router,
    accounts_api.router,
    accounts_recovery_api.router,
    accounts_recovery_api.totp_router,
    profiles_pages.router,
    profiles_api.router,
    needs_pages.router,
    needs_api.router,
    needs_check_pages.router,
    needs_check_api.router,
    coordinator_pages.router,
    coordinator_api.router,
    admin_pages.router,
    admin_api.router,
    matches_pages.router,
    matches_api.router,
    matches_import_pages.router,
    bids_pages.router,
    bids_selection_pages.router,
    bids_dialogue_pages.router,
    bids_api.router,
    bids_selection_api.router,
    bids_dialogue_api.router,
    engagements_pages.router,
    engagements_api.router,
    agreements_pages.router,
    agreements_api.router,
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
    files_pages.router,
    files_api.router,
    exports_pages.router,
    exports_api.router,
    reports_pages.router,
    reports_pages.api,
]


class App(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        """Security headers outermost, outside Starlette's error middleware: a 500 has them too."""
        return SecurityHeaders(super().build_middleware_stack())


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
        (503, "The database did not answer in time; retry later"),
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
    if isinstance(exc, NotMember) and not is_api(request):
        return not_member_page(request, exc, message)
    return error_response(request, exc.status, exc.code, message)


def not_member_page(request: Request, exc: NotMember, message: str) -> Response:
    """Where a supplier's link ends while it is not an admitted member: its state, the
    reason it was given and what it can do next (wait, re-apply, ask the support group)."""
    context = {"status": 403, "message": message, "membership": exc.membership}
    context["reason"] = exc.reason
    return render(request, "profiles/not_member.html", context, 403)


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


async def unique_error(request: Request, exc: Exception) -> Response:
    """A unique key lost to a simultaneous request (an insert no service guarded with its own
    message) is a 409 like any other conflict; other integrity errors stay 500s."""
    assert isinstance(exc, IntegrityError)
    key = unique_constraint(exc)
    if key is None:
        raise exc
    log.info("unique key %s taken by a simultaneous request", key)
    return await app_error(request, Conflict(RACED))


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database did not answer in time (AXMATCH_DB_CONNECT_TIMEOUT for a connection,
    AXMATCH_DB_STATEMENT_TIMEOUT for a statement or a lock), or refused: a 503 the client can
    retry, never a hang or a 500. The page is rendered without the database."""
    log.warning("database unavailable: %s", exc)
    message = gettext(
        request_locale(request), "The database is not answering at the moment. Try again soon."
    )
    response = error_response(request, 503, "database_unavailable", message)
    response.headers["retry-after"] = RETRY_AFTER
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    """The last resort: a plain 500 (no template, which may be what failed), in the reader's
    language; the security headers come from `App`, the traceback goes to the log."""
    message = gettext(request_locale(request), "Something went wrong on our side. Try again.")
    if is_api(request):
        return JSONResponse({"error": "server_error", "message": message}, status_code=500)
    return Response(message, status_code=500, media_type="text/plain; charset=utf-8")


def body_limits(app: FastAPI, settings: Settings) -> Callable[[Scope], int]:
    """Each request's body limit: AXMATCH_MAX_UPLOAD_BYTES on routes that declare
    `accepts_uploads` (with room for the multipart envelope, so a file just over its limit
    gets the upload check's clear message), AXMATCH_MAX_BODY_BYTES everywhere else."""

    @cache  # the routes are all in place by the first request
    def upload_paths() -> tuple[re.Pattern[str], ...]:
        return tuple(
            r.path_regex
            for r in app.routes
            if isinstance(r, APIRoute)
            and any(d.dependency is accepts_uploads for d in r.dependencies)
        )

    def limit_for(scope: Scope) -> int:
        if any(p.match(scope["path"]) for p in upload_paths()):
            return settings.max_upload_bytes + UPLOAD_ENVELOPE
        return settings.max_body_bytes

    return limit_for


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        detail = [{k: e[k] for k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse({"error": "invalid", "detail": detail}, status_code=422)
    message = gettext(request_locale(request), "This value is not valid.")
    return error_response(request, 422, "invalid", message)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    install_hooks()
    # Templates are compiled once; only development re-reads a changed file (the per-template
    # mtime check cost 16% of a logged-in need list's samples).
    templates.auto_reload = settings.environment == "development"

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

    app = App(
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
    app.state.uploads = Uploads.from_settings(settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        api = router.prefix.startswith("/api")
        app.include_router(
            router, include_in_schema=api, responses=ERROR_RESPONSES if api else None
        )
    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(StaleDataError, stale_error)
    app.add_exception_handler(IntegrityError, unique_error)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(PoolTimeout, database_unavailable)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)
    app.add_middleware(
        CsrfUnlessBearer,
        signing_secret=settings.secret_key,
        always_protect={"/login", "/register", "/lang"},
        cookie_secure=settings.cookie_secure,
    )
    app.add_middleware(BodyLimit, limit_for=body_limits(app, settings))  # before CSRF reads
    return app


app = create_app()
