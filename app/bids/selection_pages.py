"""HTML routes for selection: side-by-side bids, shortlist, select, coordinator approval,
direct proposals."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.bids import selection, service
from app.bids.schemas import DecisionIn, ProposalIn, SelectIn, VersionIn
from app.matches.cache import IndexCache
from app.matches.pages import Cache
from app.models import Role, User
from app.needs import service as needs
from app.schemas import RowId
from app.web import form_dict, redirect, render, request_locale, validate_form

router = APIRouter()
MANUFACTURER = roles(Role.manufacturer)
STAFF = roles(Role.coordinator, Role.admin)
READERS = roles(Role.manufacturer, Role.coordinator, Role.admin)


def compare_page(
    request: Request,
    session: DbSession,
    cache: IndexCache,
    user: User,
    need_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view, rows = service.compare_bids(session, cache, user, need_id)
    need = needs.get_need(session, user, need_id)
    award = selection.latest_award(session, need.id)
    active = award is not None and award.status in selection.ACTIVE
    context = {
        "need": need,
        "view": view,
        "rows": rows,
        "award": award,
        "owner": needs.can_edit(user, need),
        "staff": needs.is_staff(user),
        "selectable": needs.can_edit(user, need) and not view.sealed and not active,
        "proposals": selection.proposals(session, user, need_id),
        "errors": errors or {},
    }
    return render(request, "bids/compare.html", context, status)


@router.get("/needs/{need_id:int}/bids", dependencies=READERS)
def compare_bids(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    return compare_page(request, session, cache, user, need_id)


@router.post("/needs/{need_id:int}/bids/{org_id:int}/shortlist", dependencies=MANUFACTURER)
def shortlist(need_id: RowId, org_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    selection.toggle_shortlist(session, user, need_id, org_id)
    return redirect(f"/needs/{need_id}/bids")


@router.post("/needs/{need_id:int}/award", dependencies=MANUFACTURER)
async def select_bid(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    needs.get_own_need(session, user, need_id)
    data = form_dict(await request.form())
    parsed, errors = validate_form(SelectIn, data, request_locale(request))
    if parsed is None:
        return compare_page(request, session, cache, user, need_id, errors, 422)
    selection.select_bid(session, user, need_id, parsed)
    return redirect(f"/needs/{need_id}/bids")


@router.get("/awards", dependencies=STAFF)
def award_queue(request: Request, session: DbSession) -> Response:
    return render(request, "bids/awards.html", {"awards": selection.pending_awards(session)})


async def _decide(
    request: Request, session: DbSession, cache: IndexCache, user: User, need_id: int, approve: bool
) -> Response:
    data = form_dict(await request.form())
    parsed, errors = validate_form(DecisionIn, data, request_locale(request))
    if parsed is None:
        return compare_page(request, session, cache, user, need_id, errors, 422)
    selection.decide_award(session, user, need_id, approve, parsed)
    return redirect(f"/needs/{need_id}/bids")


@router.post("/needs/{need_id:int}/award/approve", dependencies=STAFF)
async def approve(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    return await _decide(request, session, cache, user, need_id, True)


@router.post("/needs/{need_id:int}/award/reject", dependencies=STAFF)
async def reject(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    return await _decide(request, session, cache, user, need_id, False)


@router.post("/needs/{need_id:int}/proposals", dependencies=STAFF)
async def propose(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    data = form_dict(await request.form())
    parsed, errors = validate_form(ProposalIn, data, request_locale(request))
    if parsed is None:
        return compare_page(request, session, cache, user, need_id, errors, 422)
    selection.propose(session, user, need_id, parsed)
    return redirect(f"/needs/{need_id}/bids")


async def _answer(
    request: Request, session: DbSession, user: User, need_id: int, org_id: int, accept: bool
) -> Response:
    parsed, _ = validate_form(VersionIn, form_dict(await request.form()), request_locale(request))
    version = parsed.version if parsed else None
    selection.decide_proposal(session, user, need_id, org_id, accept, version)
    return redirect(f"/needs/{need_id}/bids")


@router.post("/needs/{need_id:int}/proposals/{org_id:int}/accept", dependencies=MANUFACTURER)
async def accept_proposal(
    request: Request, need_id: RowId, org_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    return await _answer(request, session, user, need_id, org_id, True)


@router.post("/needs/{need_id:int}/proposals/{org_id:int}/decline", dependencies=MANUFACTURER)
async def decline_proposal(
    request: Request, need_id: RowId, org_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    return await _answer(request, session, user, need_id, org_id, False)
