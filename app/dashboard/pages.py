"""HTML routes of the programme dashboard: the coordinators' (/coordinator/dashboard), the
public summary (/programme) and a sponsor's cohort view (/sponsor), each with CSV exports."""

from typing import Annotated, Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, OptionalUser, roles
from app.config import Settings
from app.dashboard import charts, exports, report, service
from app.dashboard.labels import STEPS, WARNINGS
from app.dashboard.schemas import (
    Filters,
    PublicTableQuery,
    SponsorTableQuery,
    TableName,
    TableQuery,
)
from app.i18n import gettext
from app.models import Role
from app.web import render, request_locale, validate_form

router = APIRouter()
STAFF = roles(Role.coordinator, Role.admin)
SPONSOR = roles(Role.sponsor)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


AppSettings = Annotated[Settings, Depends(get_settings)]


def _filters(request: Request) -> tuple[Filters, dict[str, str], dict[str, str]]:
    """The filter form as typed; invalid filters are reported and the figures go unfiltered."""
    typed = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
    filters, errors = validate_form(Filters, typed, request_locale(request))
    return filters or Filters(), typed, errors


def _page(request: Request, name: str, context: dict[str, Any]) -> Response:
    extra = {"step_names": STEPS, "today": service.today()}
    return render(request, f"dashboard/{name}.html", {**context, **extra})


def csv_links(path: str, filters: Filters) -> dict[str, str]:
    names = get_args(TableName)
    return {name: f"{path}?{urlencode({**filters.query(), 'table': name})}" for name in names}


def warning_texts(codes: list[str], settings: Settings, locale: str) -> list[str]:
    values = {
        "too_few": settings.concentration_min_engagements,
        "hhi_high": f"{settings.concentration_warning_hhi:,.0f}",
        "top_share_high": f"{settings.concentration_warning_top_share * 100:.0f}",
        "rising": f"{settings.concentration_rise_hhi:,.0f}",
    }
    return [gettext(locale, WARNINGS[code], n=values[code]) for code in codes]


@router.get("/coordinator/dashboard", dependencies=STAFF)
def coordinator(request: Request, session: DbSession, settings: AppSettings) -> Response:
    filters, typed, errors = _filters(request)
    locale = request_locale(request)
    d = report.coordinator_dashboard(session, settings, filters)
    context: dict[str, Any] = {"d": d, "form": typed, "errors": errors, "settings": settings}
    context |= {
        "charts": charts.coordinator_charts(d, locale),
        "csv": csv_links("/coordinator/dashboard.csv", filters),
        "cohorts": service.all_cohorts(session),
        "warnings": warning_texts(d.concentration.warnings, settings, locale),
    }
    return _page(request, "coordinator", context)


@router.get("/coordinator/dashboard.csv", dependencies=STAFF)
def coordinator_csv(
    request: Request, q: Annotated[TableQuery, Query()], session: DbSession, settings: AppSettings
) -> Response:
    filters = Filters.model_validate(q.model_dump(exclude={"table"}))
    d = report.coordinator_dashboard(session, settings, filters)
    table = exports.coordinator_table(d, q.table, request_locale(request))
    return exports.csv_response(table, f"axmatch-dashboard-{q.table}")


@router.get("/programme")
def programme(
    request: Request, session: DbSession, user: OptionalUser, settings: AppSettings
) -> Response:
    d = report.public_dashboard(session, settings)
    context = {"d": d, "charts": charts.public_charts(d, request_locale(request))}
    return _page(request, "public", context)


@router.get("/programme.csv")
def programme_csv(
    request: Request, q: Annotated[PublicTableQuery, Query()], session: DbSession,
    settings: AppSettings,
) -> Response:  # fmt: skip
    d = report.public_dashboard(session, settings)
    table = exports.public_table(d, q.table, request_locale(request))
    return exports.csv_response(table, f"axmatch-programme-{q.table}")


@router.get("/sponsor", dependencies=SPONSOR)
def sponsor(
    request: Request, session: DbSession, user: CurrentUser, settings: AppSettings
) -> Response:
    filters, typed, errors = _filters(request)
    d = report.sponsor_dashboard(session, settings, user, filters)
    context: dict[str, Any] = {"d": d, "form": typed, "errors": errors}
    context |= {
        "charts": charts.sponsor_charts(d, request_locale(request)),
        "csv": csv_links("/sponsor.csv", filters),
    }
    return _page(request, "sponsor", context)


@router.get("/sponsor.csv", dependencies=SPONSOR)
def sponsor_csv(
    request: Request, q: Annotated[SponsorTableQuery, Query()], session: DbSession,
    user: CurrentUser, settings: AppSettings,
) -> Response:  # fmt: skip
    filters = Filters.model_validate(q.model_dump(exclude={"table"}))
    d = report.sponsor_dashboard(session, settings, user, filters)
    table = exports.sponsor_table(d, q.table, request_locale(request))
    return exports.csv_response(table, f"axmatch-cohort-{q.table}")
