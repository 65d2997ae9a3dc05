"""HTML routes for conflicts of interest: list, declare, lift (coordinators and admins)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.coordinator.service import organization_choices
from app.models import OrgKind, Role
from app.rounds import conflicts
from app.rounds.schemas import ConflictFilters, ConflictIn, ConflictRemove
from app.schemas import RowId
from app.web import Form, form_dict, render, submit

router = APIRouter(
    prefix="/coordinator/conflicts", dependencies=roles(Role.coordinator, Role.admin)
)


def _choices(
    session: DbSession, kind: OrgKind, q: str | None, form: dict[str, Any]
) -> list[tuple[int, str]]:
    chosen = str(form.get(f"{kind.value}_org_id") or "")
    return organization_choices(session, kind, q, int(chosen) if chosen.isdigit() else None)


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
        "suppliers": _choices(session, OrgKind.supplier, filters.supplier_q, form),
        "manufacturers": _choices(session, OrgKind.manufacturer, filters.manufacturer_q, form),
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
def declare(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    data = form_dict(form)

    def act(parsed: ConflictIn) -> str:
        conflicts.declare(session, user, parsed)
        return "/coordinator/conflicts?done=declared"

    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, session, ConflictFilters(), data, errors, status)

    return submit(request, session, ConflictIn, data, act, again)


@router.post("/{conflict_id}/remove")
def remove(
    request: Request, form: Form, conflict_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    conflicts.get_conflict(session, conflict_id)

    def act(parsed: ConflictRemove) -> str:
        conflicts.remove(session, user, conflict_id, parsed.reason)
        return "/coordinator/conflicts?done=removed"

    def again(errors: dict[str, str], status: int) -> Response:
        errors = {f"remove-{conflict_id}": errors.get("reason", errors.get("__all__", ""))}
        return _page(request, session, ConflictFilters(), {}, errors, status)

    return submit(request, session, ConflictRemove, form_dict(form), act, again)
