"""HTML routes for conflicts of interest: list, declare, lift (coordinators and admins)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.errors import AppError
from app.i18n import gettext
from app.models import OrgKind, Role
from app.rounds import conflicts
from app.rounds.schemas import ConflictFilters, ConflictIn, ConflictRemove
from app.schemas import RowId
from app.web import form_dict, redirect, render, request_locale, validate_form

router = APIRouter(
    prefix="/coordinator/conflicts", dependencies=roles(Role.coordinator, Role.admin)
)


def _page(
    request: Request,
    session: DbSession,
    filters: ConflictFilters,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "result": conflicts.list_conflicts(session, filters),
        "filters": filters.model_dump(exclude_none=True, exclude={"page"}),
        "suppliers": conflicts.organisations(session, OrgKind.supplier),
        "manufacturers": conflicts.organisations(session, OrgKind.manufacturer),
        "form": {"kind": "declared", **form},
        "errors": errors,
        "done": request.query_params.get("done"),
    }
    return render(request, "rounds/conflicts.html", context, status)


@router.get("")
def list_conflicts(
    request: Request, filters: Annotated[ConflictFilters, Query()], session: DbSession
) -> Response:
    return _page(request, session, filters, {}, {})


@router.post("")
async def declare(request: Request, session: DbSession, user: CurrentUser) -> Response:
    locale = request_locale(request)
    data = form_dict(await request.form())
    parsed, errors = validate_form(ConflictIn, data, locale)
    if parsed is not None:
        try:
            conflicts.declare(session, user, parsed)
            return redirect("/coordinator/conflicts?done=declared")
        except AppError as exc:
            errors = {"__all__": gettext(locale, exc.message, **exc.params)}
            return _page(request, session, ConflictFilters(), data, errors, exc.status)
    return _page(request, session, ConflictFilters(), data, errors, 422)


@router.post("/{conflict_id}/remove")
async def remove(
    request: Request, conflict_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    locale = request_locale(request)
    conflicts.get_conflict(session, conflict_id)
    parsed, errors = validate_form(ConflictRemove, form_dict(await request.form()), locale)
    if parsed is None:
        errors = {f"remove-{conflict_id}": errors.get("reason", "")}
        return _page(request, session, ConflictFilters(), {}, errors, 422)
    conflicts.remove(session, user, conflict_id, parsed.reason)
    return redirect("/coordinator/conflicts?done=removed")
