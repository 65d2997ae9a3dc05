"""HTML routes for assignment rounds: select needs, propose, review and edit, release, withdraw."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.formats import SEOUL
from app.i18n import Msgid
from app.matches.pages import Cache
from app.models import Role, utcnow
from app.rounds import release, service
from app.rounds.candidates import open_needs_page
from app.rounds.schemas import NeedFilters, PairIn, RoundIn, SolveIn, VersionIn, WithdrawIn
from app.schemas import RowId
from app.web import (
    Ask,
    Form,
    confirm_step,
    form_dict,
    render,
    request_locale,
    submit,
    validate_form,
)

router = APIRouter(prefix="/coordinator/rounds", dependencies=roles(Role.coordinator, Role.admin))
PageNumber = Annotated[int, Query(ge=1, le=10_000)]
NEEDS_SHOWN = 50  # a page of the needs; the round may take every need the filters select


@router.get("")
def rounds(request: Request, session: DbSession, page: PageNumber = 1) -> Response:
    return render(request, "rounds/list.html", {"result": service.list_rounds(session, page)})


def _new_page(
    request: Request,
    session: DbSession,
    filters: NeedFilters,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    page: int = 1,
) -> Response:
    needs = open_needs_page(session, filters, page, NEEDS_SHOWN)
    chosen = form.get("need_ids")
    shown = filters.model_dump(mode="json")
    context = {
        "filters": shown,
        "query": {name: value for name, value in shown.items() if value},  # the pager's links
        "needs": needs,
        "chosen": {str(i) for i in chosen or ()} if chosen is not None else _ids(needs.items),
        "scope": form.get("scope") or "all",
        "cohorts": service.cohorts(session),
        "form": {**service.default_settings(), **form},
        "month": utcnow().astimezone(SEOUL).strftime("%Y-%m"),
        "errors": errors,
    }
    return render(request, "rounds/new.html", context, status)


def _ids(needs: list[Any]) -> set[str]:
    return {str(need.id) for need in needs}


@router.get("/new")
def new_round(
    request: Request,
    filters: Annotated[NeedFilters, Query()],
    session: DbSession,
    page: PageNumber = 1,
) -> Response:
    return _new_page(request, session, filters, {}, {}, page=page)


@router.post("")
def create_round(
    request: Request, form: Form, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    data = form_dict(form, list_fields=("need_ids",))
    if data.pop("scope", None) == "all":  # every need the filters select, not this page's ticks
        data.pop("need_ids", None)
    filters, _ = validate_form(NeedFilters, data, request_locale(request))
    shown = filters or NeedFilters()

    def act(parsed: RoundIn) -> str:
        return f"/coordinator/rounds/{service.create_round(session, cache, user, parsed).id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _new_page(request, session, shown, data, errors, status)

    return submit(request, session, RoundIn, data, act, again)


def _review(
    request: Request, session: DbSession, round_id: int, errors: dict[str, str], status: int = 200
) -> Response:
    round_ = service.get_round(session, round_id)
    context = {
        "round": round_,
        "needs": service.review(round_),
        "stats": round_.stats,
        "form": {name: getattr(round_, name) for name in service.SETTINGS},
        "suppliers": service.admitted_suppliers(session),
        "errors": errors,
        "done": request.query_params.get("done"),
    }
    return render(request, "rounds/review.html", context, status)


@router.get("/{round_id}")
def review(request: Request, round_id: RowId, session: DbSession) -> Response:
    return _review(request, session, round_id, {})


def _act(
    request: Request,
    form: Form,
    session: DbSession,
    round_id: int,
    model: Any,
    act: Any,
    ask: Ask | None = None,
) -> Response:
    """Parse the form with `model`, call `act(parsed)`; errors re-render the review. With
    `ask`, the action is confirmed first; its result shows as the review's notice."""
    service.get_round(session, round_id)  # a missing round is a 404 before any form error

    def go(parsed: Any) -> str:
        return f"/coordinator/rounds/{round_id}?done={act(parsed)}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _review(request, session, round_id, errors, status)

    def confirm(_: Any) -> Response | None:
        return confirm_step(request, form, ask) if ask else None

    return submit(request, session, model, form_dict(form), go, again, ask=confirm)


@router.post("/{round_id}/solve")
def solve(
    request: Request,
    form: Form,
    round_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    def act(data: SolveIn) -> str:
        service.solve(session, cache, user, round_id, data)
        return "solved"

    return _act(request, form, session, round_id, SolveIn, act)


@router.post("/{round_id}/pairs")
def add_pair(
    request: Request,
    form: Form,
    round_id: RowId,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
) -> Response:
    def act(data: PairIn) -> str:
        service.add_pair(session, cache, user, round_id, data)
        return "added"

    return _act(request, form, session, round_id, PairIn, act)


@router.post("/{round_id}/pairs/{pair_id}/remove")
def remove_pair(
    request: Request,
    form: Form,
    round_id: RowId,
    pair_id: RowId,
    session: DbSession,
    user: CurrentUser,
) -> Response:
    def act(data: VersionIn) -> str:
        service.remove_pair(session, user, round_id, pair_id, data)
        return "removed"

    return _act(request, form, session, round_id, VersionIn, act)


@router.post("/{round_id}/pairs/{pair_id}/force")
def force_pair(
    request: Request,
    form: Form,
    round_id: RowId,
    pair_id: RowId,
    session: DbSession,
    user: CurrentUser,
) -> Response:
    def act(data: VersionIn) -> str:
        service.force_pair(session, user, round_id, pair_id, data)
        return "forced"

    return _act(request, form, session, round_id, VersionIn, act)


@router.post("/{round_id}/release")
def release_round(
    request: Request, form: Form, round_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    def act(data: VersionIn) -> str:
        release.release(session, user, round_id, data)
        return "released"

    ask = Ask(
        Msgid("Release this round?"),
        Msgid(
            "%(n)s invitations to bid go out (pairs already invited, closed or no longer"
            " eligible are skipped). This cannot be undone; a released round can only be"
            " withdrawn."
        ),
        Msgid("Each invited supplier is sent a notice and an e-mail."),
        f"/coordinator/rounds/{round_id}",
        {"n": release.shortlist_size(session, round_id)},
        Msgid("Release the invitations"),
    )
    return _act(request, form, session, round_id, VersionIn, act, ask)


@router.post("/{round_id}/withdraw")
def withdraw_round(
    request: Request, form: Form, round_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    def act(data: WithdrawIn) -> str:
        release.withdraw(session, user, round_id, data)
        return "withdrawn"

    ask = Ask(
        Msgid("Withdraw this round?"),
        Msgid("Invitations that have no bid yet are taken back; bids already made stay."),
        Msgid("Nobody is sent a notice; the invitations leave the suppliers' invitation lists."),
        f"/coordinator/rounds/{round_id}",
        button=Msgid("Withdraw the round"),
    )
    return _act(request, form, session, round_id, WithdrawIn, act, ask)
