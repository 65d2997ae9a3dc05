"""HTML routes: coordinators manage cohorts under /coordinator/cohorts; a sponsor reads its own
cohorts' member lists at /cohorts."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.accounts import service as accounts
from app.auth import CurrentUser, DbSession, roles
from app.cohorts import service
from app.cohorts.schemas import CohortIn, CohortUpdate, MemberIdsIn, MembersIn, VersionIn
from app.cohorts.schemas import InviteIn as CohortInviteIn
from app.errors import Invalid
from app.i18n import Msgid, gettext
from app.models import Cohort, Role, User
from app.schemas import OneLine, RowId
from app.web import Ask, Form, confirm_step, flash, form_dict, render, request_locale, submit

router = APIRouter(prefix="/coordinator/cohorts", dependencies=roles(Role.coordinator, Role.admin))
sponsor_router = APIRouter(dependencies=roles(Role.sponsor))
Search = Annotated[str, Query(max_length=100), OneLine]
PageNumber = Annotated[int, Query(ge=1, le=10_000)]
MEMBERS_SHOWN = 50  # a cohort may hold a whole province's manufacturers


def _typed(data: dict[str, Any]) -> dict[str, Any]:
    """The fields the user filled in (a blank optional field takes its default)."""
    return {key: value for key, value in data.items() if value is not None}


@router.get("")
def cohorts(request: Request, session: DbSession, user: CurrentUser) -> Response:
    rows = service.list_cohorts(session, user)
    return render(request, "cohorts/list.html", {"rows": rows})


def _new_page(
    request: Request, session: DbSession, form: dict[str, Any], errors: dict[str, str], status: int
) -> Response:
    context = {"form": form, "errors": errors, "sponsors": service.sponsors(session)}
    return render(request, "cohorts/new.html", context, status)


@router.get("/new")
def new_cohort(request: Request, session: DbSession) -> Response:
    return _new_page(request, session, {}, {}, 200)


@router.post("/new")
def create_cohort(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    data = form_dict(form)

    def act(parsed: CohortIn) -> Response | str:
        cohort, secret = service.create_cohort(session, user, parsed)
        if secret is None:
            return f"/coordinator/cohorts/{cohort.id}"
        link = str(request.url_for("invitation_form", secret=secret))
        return _detail(request, session, user, cohort, invite_link=link, status=201)

    def again(errors: dict[str, str], status: int) -> Response:
        return _new_page(request, session, data, errors, status)

    return submit(request, session, CohortIn, _typed(data), act, again)


def _detail(
    request: Request,
    session: DbSession,
    user: User,
    cohort: Cohort,
    status: int = 200,
    q: str = "",
    page: int = 1,
    **extra: Any,
) -> Response:
    q = q.strip()
    context = {
        "cohort": cohort,
        "members": service.members_page(session, cohort.id, page, MEMBERS_SHOWN),
        "query": {"q": q} if q else {},  # the members' pager keeps the search
        "q": q,
        "candidates": service.pick_candidates(session, cohort.id, q) if q else [],
        "sponsor_users": accounts.org_users(session, cohort.sponsor_org_id),
        "invitations": accounts.pending_invitations(session, cohort.sponsor_org_id),
        "form": {"name": cohort.name, "description": cohort.description},
        "errors": {},
        **extra,
    }
    return render(request, "cohorts/detail.html", context, status)


@router.get("/{cohort_id}")
def cohort_detail(
    request: Request,
    cohort_id: RowId,
    session: DbSession,
    user: CurrentUser,
    q: Search = "",
    page: PageNumber = 1,
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    return _detail(request, session, user, cohort, q=q, page=page)


@router.post("/{cohort_id}")
def update_cohort(
    request: Request, form: Form, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    data = form_dict(form)

    def act(parsed: CohortUpdate) -> str:
        service.update_cohort(session, user, cohort_id, parsed)
        return f"/coordinator/cohorts/{cohort_id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _detail(request, session, user, cohort, status, form=data, errors=errors)

    return submit(request, session, CohortUpdate, _typed(data), act, again)


def _members_form(form: FormData) -> dict[str, Any]:
    data = form_dict(form, list_fields=("organization_ids",))
    data["lines"] = [
        line.strip() for line in (data.get("lines") or "").splitlines() if line.strip()
    ]
    return data


@router.post("/{cohort_id}/members")
def add_members(
    request: Request, form: Form, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    data = _members_form(form)

    def act(parsed: MembersIn) -> Response:
        report = service.add_members(session, user, cohort_id, parsed)
        return _detail(request, session, user, cohort, report=report)

    def again(errors: dict[str, str], status: int) -> Response:
        errors = {"lines": next(iter(errors.values()))}
        paste = {"lines": "\n".join(data["lines"])}
        return _detail(request, session, user, cohort, status, paste=paste, paste_errors=errors)

    return submit(request, session, MembersIn, data, act, again)


@router.post("/{cohort_id}/members/remove")
def remove_members(
    request: Request, form: Form, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    data = form_dict(form, list_fields=("organization_ids",))

    def act(parsed: MemberIdsIn) -> str:
        service.remove_members(session, user, cohort_id, parsed.organization_ids)
        return f"/coordinator/cohorts/{cohort_id}"

    def again(errors: dict[str, str], status: int) -> Response:
        if status == 422 and "__all__" not in errors:
            errors = {"__all__": gettext(request_locale(request), "Tick the members to remove.")}
        return _detail(request, session, user, cohort, status, remove_errors=errors)

    return submit(request, session, MemberIdsIn, data, act, again)


@router.post("/{cohort_id}/invitations")
def invite(
    request: Request, form: Form, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)

    def act(parsed: CohortInviteIn) -> Response:
        if accounts.email_taken(session, parsed.email):
            raise Invalid("An account with this e-mail already exists.")
        _, secret = service.invite(session, user, cohort, parsed.email)
        link = str(request.url_for("invitation_form", secret=secret))
        return _detail(request, session, user, cohort, 201, invite_link=link)

    def again(errors: dict[str, str], status: int) -> Response:
        errors = {"email": errors["__all__"]} if "__all__" in errors else errors
        return _detail(request, session, user, cohort, status, invite_errors=errors)

    return submit(request, session, CohortInviteIn, form_dict(form), act, again)


@router.post("/{cohort_id}/delete")
def delete_cohort(
    request: Request, form: Form, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)

    def act(parsed: VersionIn) -> Response:
        service.delete_cohort(session, user, cohort_id, parsed.version)
        return flash(request, "/coordinator/cohorts", Msgid("The cohort is deleted."))

    def ask(_: VersionIn) -> Response | None:
        return confirm_step(request, form, _delete_ask(cohort_id))

    def again(errors: dict[str, str], status: int) -> Response:
        if "__all__" not in errors:
            errors = {"__all__": gettext(request_locale(request), "This value is not valid.")}
        return _detail(request, session, user, cohort, status, delete_errors=errors)

    return submit(request, session, VersionIn, form_dict(form), act, again, ask=ask)


def _delete_ask(cohort_id: int) -> Ask:
    return Ask(
        Msgid("Delete this cohort?"),
        Msgid("The cohort and its member list are deleted; the organisations themselves stay."),
        Msgid("Nobody is sent a notice; the sponsor no longer sees the cohort."),
        f"/coordinator/cohorts/{cohort_id}",
        button=Msgid("Delete"),
    )


@sponsor_router.get("/cohorts")
def my_cohorts(request: Request, session: DbSession, user: CurrentUser) -> Response:
    """A sponsor's cohorts and the names of their members."""
    rows = [
        (cohort, [org.name for org, _ in service.members(session, cohort.id)])
        for cohort, _ in service.list_cohorts(session, user)
    ]
    return render(request, "cohorts/sponsor.html", {"rows": rows})
