"""HTML routes for coordinators (admins may use them too)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app import audit_view, vocab
from app.auth import CurrentUser, DbSession, roles
from app.config import Settings, get_settings
from app.coordinator import membership, service
from app.coordinator.schemas import (
    AuditFilters,
    MembershipChange,
    OrgFilters,
    PageFilter,
)
from app.coordinator.vetting import vetting
from app.exports.api import respond as export_respond
from app.exports.kinds import KINDS
from app.files import service as files
from app.i18n import Msgid
from app.models import Role, User, utcnow
from app.schemas import RowId
from app.web import (
    Ask,
    Form,
    confirm_step,
    flash,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
)

AppSettings = Annotated[Settings, Depends(get_settings)]
router = APIRouter(prefix="/coordinator", dependencies=roles(Role.coordinator, Role.admin))


def query_of(filters: Any) -> dict[str, Any]:
    """The active filters, for pager links."""
    return filters.model_dump(exclude_none=True, exclude={"page"})


@router.get("")
def index() -> Response:
    return redirect("/coordinator/applications")


@router.get("/organizations")
def organizations(
    request: Request, filters: Annotated[OrgFilters, Query()], session: DbSession
) -> Response:
    context = {
        "result": service.list_organizations(session, filters),
        "form": filters.model_dump(),
        "query": query_of(filters),
        "regions": vocab.REGIONS,
    }
    return render(request, "coordinator/organizations.html", context)


@router.get("/organizations/{org_id}")
def organization(
    request: Request, org_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    detail = service.get_organization(session, user, org_id)
    saved = request.query_params.get("saved") == "membership"
    profile = vetting(session, [detail.row.org])[org_id]
    context = {"detail": detail, "saved": saved, "v": profile}
    return render(request, "coordinator/organization.html", context)


@router.get("/reviews")
def reviews(
    request: Request,
    filters: Annotated[PageFilter, Query()],
    session: DbSession,
    settings: AppSettings,
) -> Response:
    result = membership.reviews_due(session, settings, utcnow(), filters.page)
    context = {"result": result, "query": {}}
    return render(request, "coordinator/reviews.html", context)


@router.get("/applications")
def applications(
    request: Request, filters: Annotated[PageFilter, Query()], session: DbSession
) -> Response:
    result = service.applications(session, filters.page)
    profiles = vetting(session, [row.org for row in result.items])
    context = {"result": result, "query": {}, "vetting": profiles}
    return render(request, "coordinator/applications.html", context)


def _membership_page(
    request: Request,
    session: DbSession,
    user: User,
    org_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    detail = service.get_organization(session, user, org_id)
    profile = service.supplier_for(session, org_id)
    context = {
        "detail": detail,
        "profile": profile,
        "moves": service.allowed_moves(profile.membership),
        "form": {"version": profile.version, **form},
        "errors": errors,
        "application_files": files.application_files(session, user, org_id),
    }
    return render(request, "coordinator/membership.html", context, status)


@router.get("/suppliers/{org_id}/membership")
def membership_form(
    request: Request, org_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    return _membership_page(request, session, user, org_id, {}, {})


@router.post("/suppliers/{org_id}/membership")
def change_membership(
    request: Request, form: Form, org_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    data = form_dict(form)
    queue = data.pop("next", None)
    back = f"/coordinator/{queue}" if queue in ("applications", "reviews") else None

    def act(change: MembershipChange) -> Response | str:
        service.change_membership(session, user, org_id, change)
        if change.status in CONFIRMED:
            return flash(
                request, back or f"/coordinator/organizations/{org_id}", CONFIRMED[change.status][1]
            )
        return back or f"/coordinator/organizations/{org_id}?saved=membership"

    def again(errors: dict[str, str], status: int) -> Response:
        shown = data if status == 422 else {"reason": data.get("reason")}
        return _membership_page(request, session, user, org_id, shown, errors, status)

    def ask(change: MembershipChange) -> Response | None:
        if change.status not in CONFIRMED:
            return None
        title, happens, button = CONFIRMED[change.status][0]
        told = Msgid("The supplier is sent a notice and an e-mail with your reason.")
        cancel = f"/coordinator/suppliers/{org_id}/membership"
        return confirm_step(request, form, Ask(title, happens, told, cancel, button=button))

    return submit(request, session, MembershipChange, data, act, again, ask=ask)


CONFIRMED = {
    "suspended": (
        (
            Msgid("Suspend this supplier?"),
            Msgid(
                "The supplier can no longer see needs, bid or be selected;"
                " its open engagements are flagged to the coordinators."
            ),
            Msgid("Suspend"),
        ),
        Msgid("The supplier is suspended."),
    ),
    "rejected": (
        (
            Msgid("Reject this application?"),
            Msgid("The supplier is not admitted; it may re-apply later."),
            Msgid("Reject"),
        ),
        Msgid("The application is rejected."),
    ),
}


@router.get("/audit")
def audit(
    request: Request,
    filters: Annotated[AuditFilters, Query()],
    session: DbSession,
    user: CurrentUser,
) -> Response:
    result = service.audit_log(session, user, filters)
    locale = request_locale(request)
    named = {filters.organization_id} if filters.organization_id else set()
    context = {
        "result": result,
        "lines": audit_view.describe(session, user, result.items),
        "form": filters.model_dump(),
        "query": query_of(filters),
        "actions": audit_view.action_choices(locale),
        "org_names": service.organization_names(session, named),
    }
    return render(request, "coordinator/audit.html", context)


@router.get("/audit.csv")
def audit_csv(request: Request, user: CurrentUser) -> Response:
    """The filtered log as CSV: the audit export (`/exports/audit.csv`), kept at its old
    address for saved links."""
    return export_respond(request, KINDS["audit"], user, "csv")
