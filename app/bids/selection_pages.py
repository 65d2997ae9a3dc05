"""HTML routes for selection: side-by-side bids, shortlist, select, coordinator approval,
direct proposals."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.auth import CurrentUser, DbSession, roles
from app.bids import selection, service
from app.bids.schemas import DecisionIn, ProposalIn, SelectIn, VersionIn
from app.errors import Conflict, Invalid
from app.i18n import gettext
from app.matches import service as matches
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
PROPOSAL_CANDIDATES = 10


def compare_page(
    request: Request,
    session: Session,
    cache: IndexCache,
    user: User,
    need_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view, rows = service.compare_bids(session, cache, user, need_id)
    need = needs.get_need(session, user, need_id)
    award = selection.latest_award(session, need.id)
    free = not (award is not None and award.status in selection.ACTIVE)
    engagement = selection.engagement_of(session, need.id)
    staff = needs.is_staff(user)
    proposing = staff and free and engagement is None and need.status.value == "open"
    context = {
        "need": need,
        "view": view,
        "rows": rows,
        "award": award,
        "engagement_id": engagement,
        "owner": needs.can_edit(user, need),
        "staff": staff,
        "selectable": needs.can_edit(user, need) and not view.sealed and free,
        "proposals": selection.proposals(session, user, need_id),
        "candidates": _candidates(session, cache, user, need_id) if proposing else [],
        "errors": errors or {},
    }
    return render(request, "bids/compare.html", context, status)


def _candidates(session: Session, cache: IndexCache, user: User, need_id: int) -> list[Any]:
    """Suggested suppliers a coordinator may propose (not those proposed already)."""
    taken = {p.supplier_org_id for p in selection.proposals(session, user, need_id)}
    ranked = matches.suggest_suppliers(session, cache, user, need_id, limit=PROPOSAL_CANDIDATES)
    return [s for s in ranked if s.id not in taken]


async def _decide(
    request: Request,
    session: Session,
    cache: IndexCache,
    user: User,
    need_id: int,
    model: type[BaseModel],
    action: Callable[[Any], object],
) -> Response:
    """Validate a compare-page form with the API's model and run one service call in a
    savepoint; on errors or a refusal, the compare page again with the reason (no partial
    write survives a refusal)."""
    locale = request_locale(request)
    parsed, errors = validate_form(model, form_dict(await request.form()), locale)
    if parsed is None:
        return compare_page(request, session, cache, user, need_id, errors, 422)
    try:
        with session.begin_nested():
            action(parsed)
    except (Conflict, Invalid) as exc:
        message = {"__all__": gettext(locale, exc.message, **exc.params)}
        return compare_page(request, session, cache, user, need_id, message, exc.status)
    return redirect(f"/needs/{need_id}/bids")


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

    def go(p: SelectIn) -> object:
        return selection.select_bid(session, user, need_id, p)

    return await _decide(request, session, cache, user, need_id, SelectIn, go)


@router.get("/awards", dependencies=STAFF)
def award_queue(request: Request, session: DbSession) -> Response:
    return render(request, "bids/awards.html", {"awards": selection.pending_awards(session)})


async def _award(
    request: Request, session: Session, cache: IndexCache, user: User, need_id: int, approve: bool
) -> Response:
    def go(p: DecisionIn) -> object:
        return selection.decide_award(session, user, need_id, approve, p)

    return await _decide(request, session, cache, user, need_id, DecisionIn, go)


@router.post("/needs/{need_id:int}/award/approve", dependencies=STAFF)
async def approve(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    return await _award(request, session, cache, user, need_id, True)


@router.post("/needs/{need_id:int}/award/reject", dependencies=STAFF)
async def reject(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    return await _award(request, session, cache, user, need_id, False)


@router.post("/needs/{need_id:int}/proposals", dependencies=STAFF)
async def propose(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    def go(p: ProposalIn) -> object:
        return selection.propose(session, user, need_id, p)

    return await _decide(request, session, cache, user, need_id, ProposalIn, go)


async def _answer(
    request: Request,
    session: Session,
    cache: IndexCache,
    user: User,
    ids: tuple[int, int],
    accept: bool,
) -> Response:
    need_id, org_id = ids

    def go(p: VersionIn) -> object:
        return selection.decide_proposal(session, user, need_id, org_id, accept, p.version)

    return await _decide(request, session, cache, user, need_id, VersionIn, go)


@router.post("/needs/{need_id:int}/proposals/{org_id:int}/accept", dependencies=MANUFACTURER)
async def accept_proposal(
    request: Request,
    need_id: RowId,
    org_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    return await _answer(request, session, cache, user, (need_id, org_id), True)


@router.post("/needs/{need_id:int}/proposals/{org_id:int}/decline", dependencies=MANUFACTURER)
async def decline_proposal(
    request: Request,
    need_id: RowId,
    org_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    return await _answer(request, session, cache, user, (need_id, org_id), False)
