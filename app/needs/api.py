"""JSON routes for needs: the same service functions as the pages."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.auth import CurrentUser, DbSession, roles
from app.models import Need, Role, User
from app.needs import service
from app.needs.schemas import (
    AmendmentOut,
    CloseIn,
    KpiOut,
    NeedFilters,
    NeedIn,
    NeedOut,
    NeedPage,
    NeedUpdate,
    PublishIn,
)
from app.schemas import RowId

router = APIRouter(prefix="/api", tags=["needs"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body is not valid JSON"},
    403: {"description": "Role not allowed, or supplier not admitted"},
    404: {"description": "Need not found"},
    409: {"description": "Stale version or move not allowed"},
}
MANUFACTURER = roles(Role.manufacturer)
DERIVED = {"organization_name", "status", "kpis", "confidential_notes", "track_reason"}
PLAIN = [field for field in NeedOut.model_fields if field not in DERIVED]


def need_out(viewer: User, need: Need) -> NeedOut:
    notes = need.confidential_notes if service.can_see_confidential(viewer, need) else None
    return NeedOut(
        organization_name=need.organization.name,
        status=need.phase(),
        kpis=[
            KpiOut(metric=k.metric, unit=k.unit, baseline=k.baseline, target=k.target)
            for k in need.kpis
        ],
        confidential_notes=notes,
        track_reason=need.track_reason if service.can_see_confidential(viewer, need) else None,
        **{field: getattr(need, field) for field in PLAIN},
    )


@router.get("/needs", responses=ERRORS)
def list_needs(
    filters: Annotated[NeedFilters, Query()], session: DbSession, user: CurrentUser
) -> NeedPage:
    """Suppliers: open needs; manufacturers: their own; coordinators and admins: all."""
    page = service.search_needs(session, user, filters)
    items = [need_out(user, need) for need in page.items]
    return NeedPage(
        items=items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages
    )


@router.post("/needs", status_code=201, dependencies=MANUFACTURER, responses=ERRORS)
def create_need(data: NeedIn, session: DbSession, user: CurrentUser) -> NeedOut:
    """Saved as a draft. `deadline_at` without an offset is read as Asia/Seoul time."""
    return need_out(user, service.create_need(session, user, data))


@router.get("/needs/{need_id}", responses=ERRORS)
def get_need(need_id: RowId, session: DbSession, user: CurrentUser) -> NeedOut:
    return need_out(user, service.get_need(session, user, need_id))


@router.get("/needs/{need_id}/amendments", responses=ERRORS)
def need_amendments(need_id: RowId, session: DbSession, user: CurrentUser) -> list[AmendmentOut]:
    """Every addendum since publication, newest first: what changed, before and after."""
    need = service.get_need(session, user, need_id)
    return [AmendmentOut.model_validate(a, from_attributes=True) for a in reversed(need.amendments)]


@router.put("/needs/{need_id}", dependencies=MANUFACTURER, responses=ERRORS)
def update_need(need_id: RowId, data: NeedUpdate, session: DbSession, user: CurrentUser) -> NeedOut:
    """Replaces every field; `version` must be the one the change was based on. Once
    published, a change is a numbered addendum (see /api/needs/{id}/amendments): told to every
    bidder, invitee and asker; one to budget, deadline, KPIs or requirements reopens bids for
    confirmation. Refused (409) once the deadline has passed; a deadline moved earlier, or such
    a change, must leave AXMATCH_AMEND_MIN_NOTICE_HOURS before the deadline (422)."""
    return need_out(user, service.update_need(session, user, need_id, data))


@router.post("/needs/{need_id}/publish", dependencies=MANUFACTURER, responses=ERRORS)
def publish_need(
    need_id: RowId, session: DbSession, user: CurrentUser, data: PublishIn | None = None
) -> NeedOut:
    """draft -> open; needs a bidding deadline in the future."""
    version = data.version if data else None
    return need_out(user, service.publish_need(session, user, need_id, version))


@router.post("/needs/{need_id}/close", dependencies=MANUFACTURER, responses=ERRORS)
def close_need(
    need_id: RowId, session: DbSession, user: CurrentUser, data: CloseIn | None = None
) -> NeedOut:
    """open -> closed, with an optional reason."""
    data = data or CloseIn()
    return need_out(user, service.close_need(session, user, need_id, data.reason, data.version))
