"""HTML routes for selection: side-by-side bids, shortlist, select, coordinator approval,
direct proposals."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.auth import CurrentUser, DbSession, roles
from app.bids import comparison, selection
from app.bids.schemas import DecisionIn, ProposalIn, SelectIn, VersionIn
from app.files import service as files
from app.i18n import Msgid
from app.matches import service as matches
from app.matches.cache import IndexCache
from app.matches.pages import Cache
from app.models import AttachmentOwner, Role, User
from app.needs import service as needs
from app.schemas import RowId
from app.web import Ask, Form, confirm_step, flash, form_dict, redirect, render, submit

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
    sort = request.query_params.get("sort", "price")
    sort = sort if sort in comparison.SORTS else "price"
    view, rows = comparison.compare_bids(session, cache, user, need_id, sort)
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
        "sort": sort,
        "sorts": comparison.SORTS,
        "preselected": comparison.preselected(rows),
        "award": award,
        "engagement_id": engagement,
        "owner": needs.can_edit(user, need),
        "staff": staff,
        "selectable": needs.can_edit(user, need) and not view.sealed and free,
        "proposals": selection.proposals(session, user, need_id),
        "candidates": _candidates(session, cache, user, need_id) if proposing else [],
        "errors": errors or {},
        "files": files.files_of(session, AttachmentOwner.bid, [b.id for b in view.bids]),
    }
    return render(request, "bids/compare.html", context, status)


def _candidates(session: Session, cache: IndexCache, user: User, need_id: int) -> list[Any]:
    """Suggested suppliers a coordinator may propose (not those proposed already, nor those
    at capacity: proposing one is refused)."""
    taken = {p.supplier_org_id for p in selection.proposals(session, user, need_id)}
    ranked = matches.suggest_suppliers(session, cache, user, need_id, limit=PROPOSAL_CANDIDATES)
    return [s for s in ranked if s.id not in taken and matches.AT_CAPACITY not in s.flags]


def _decide(
    request: Request,
    form: FormData,
    session: Session,
    cache: IndexCache,
    user: User,
    need_id: int,
    model: type[BaseModel],
    action: Callable[[Any], object],
    confirm: tuple[Ask, Msgid] | None = None,
) -> Response:
    """One compare-page form: on errors or a refusal, the compare page again with the reason
    (no partial write survives a refusal); on success, back to the compare page. With
    `confirm` (its question, its success message) a binding decision is confirmed first."""
    back = f"/needs/{need_id}/bids"

    def act(parsed: Any) -> Response | str:
        action(parsed)
        return flash(request, back, confirm[1]) if confirm else back

    def again(errors: dict[str, str], status: int) -> Response:
        return compare_page(request, session, cache, user, need_id, errors, status)

    def ask(_: Any) -> Response | None:
        return confirm_step(request, form, confirm[0]) if confirm else None

    return submit(request, session, model, form_dict(form), act, again, ask=ask)


def _ask(need_id: int, title: str, happens: str, told: str, button: str) -> Ask:
    back = f"/needs/{need_id}/bids"
    return Ask(Msgid(title), Msgid(happens), Msgid(told), back, button=Msgid(button))


@router.get("/needs/{need_id:int}/bids", dependencies=READERS)
def compare_bids(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    return compare_page(request, session, cache, user, need_id)


@router.post("/needs/{need_id:int}/bids/{org_id:int}/shortlist", dependencies=MANUFACTURER)
def shortlist(
    request: Request, need_id: RowId, org_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    selection.toggle_shortlist(session, user, need_id, org_id)
    sort = request.query_params.get("sort")
    return redirect(
        f"/needs/{need_id}/bids" + (f"?sort={sort}" if sort in comparison.SORTS else "")
    )


@router.post("/needs/{need_id:int}/award", dependencies=MANUFACTURER)
def select_bid(
    request: Request,
    form: Form,
    need_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    needs.get_own_need(session, user, need_id)

    def go(p: SelectIn) -> object:
        return selection.select_bid(session, user, need_id, p)

    ask = _ask(
        need_id,
        Msgid("Select this bid?"),
        Msgid(
            "The bid is put forward as your choice;"
            " a coordinator approves it before the engagement starts."
        ),
        Msgid("The support group's coordinators are sent a notice to approve it."),
        Msgid("Select the bid"),
    )
    done = Msgid("Your selection was sent to the coordinators for approval.")
    return _decide(request, form, session, cache, user, need_id, SelectIn, go, (ask, done))


@router.get("/awards", dependencies=STAFF)
def award_queue(request: Request, session: DbSession) -> Response:
    return render(request, "bids/awards.html", {"awards": selection.pending_awards(session)})


def _award(
    request: Request,
    form: FormData,
    session: Session,
    cache: IndexCache,
    user: User,
    need_id: int,
    approve: bool,
) -> Response:
    def go(p: DecisionIn) -> object:
        return selection.decide_award(session, user, need_id, approve, p)

    confirm = APPROVE if approve else REJECT
    ask = _ask(need_id, *confirm[0])
    return _decide(request, form, session, cache, user, need_id, DecisionIn, go, (ask, confirm[1]))


APPROVE = (
    (
        Msgid("Approve this selection?"),
        Msgid("The engagement starts with the selected supplier; the other bids are not selected."),
        Msgid("The selected supplier and the other bidders are sent a notice."),
        Msgid("Approve the selection"),
    ),
    Msgid("The selection is approved and the engagement has started."),
)
REJECT = (
    (
        Msgid("Return this selection?"),
        Msgid("The selection is refused; the manufacturer may select again."),
        Msgid("The manufacturer is sent a notice with your reason."),
        Msgid("Return the selection"),
    ),
    Msgid("The selection was returned to the manufacturer."),
)
ACCEPT = (
    (
        Msgid("Accept this proposal?"),
        Msgid("The engagement starts with the proposed supplier; any other bids are not selected."),
        Msgid("The proposed supplier and any other bidders are sent a notice."),
        Msgid("Accept the proposal"),
    ),
    Msgid("The proposal is accepted and the engagement has started."),
)
DECLINE = (
    (
        Msgid("Decline this proposal?"),
        Msgid("The proposal is closed; the coordinators may propose another supplier."),
        Msgid("The support group's coordinators are sent a notice."),
        Msgid("Decline the proposal"),
    ),
    Msgid("The proposal is declined."),
)


@router.post("/needs/{need_id:int}/award/approve", dependencies=STAFF)
def approve(
    request: Request,
    form: Form,
    need_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    return _award(request, form, session, cache, user, need_id, True)


@router.post("/needs/{need_id:int}/award/reject", dependencies=STAFF)
def reject(
    request: Request,
    form: Form,
    need_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    return _award(request, form, session, cache, user, need_id, False)


@router.post("/needs/{need_id:int}/proposals", dependencies=STAFF)
def propose(
    request: Request,
    form: Form,
    need_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    def go(p: ProposalIn) -> object:
        return selection.propose(session, user, need_id, p)

    return _decide(request, form, session, cache, user, need_id, ProposalIn, go)


def _answer(
    request: Request,
    form: FormData,
    session: Session,
    cache: IndexCache,
    user: User,
    ids: tuple[int, int],
    accept: bool,
) -> Response:
    need_id, org_id = ids

    def go(p: VersionIn) -> object:
        return selection.decide_proposal(session, user, need_id, org_id, accept, p.version)

    selection.own_proposal(session, user, need_id, org_id)  # nothing to confirm for a stranger
    confirm = ACCEPT if accept else DECLINE
    ask = _ask(need_id, *confirm[0])
    return _decide(request, form, session, cache, user, need_id, VersionIn, go, (ask, confirm[1]))


@router.post("/needs/{need_id:int}/proposals/{org_id:int}/accept", dependencies=MANUFACTURER)
def accept_proposal(
    request: Request,
    form: Form,
    need_id: RowId,
    org_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    return _answer(request, form, session, cache, user, (need_id, org_id), True)


@router.post("/needs/{need_id:int}/proposals/{org_id:int}/decline", dependencies=MANUFACTURER)
def decline_proposal(
    request: Request,
    form: Form,
    need_id: RowId,
    org_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    return _answer(request, form, session, cache, user, (need_id, org_id), False)
