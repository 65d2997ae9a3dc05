"""HTML routes: the notification list, e-mail preferences, saved searches; the nav's count."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import object_session

from app.auth import CurrentUser, DbSession, roles
from app.i18n import Msgid
from app.matches.pages import Cache
from app.models import Role, User
from app.notifications import searches, service
from app.notifications.kinds import kinds_for
from app.notifications.schemas import SavedSearchIn
from app.schemas import RowId
from app.web import (
    Ask,
    Form,
    confirm_step,
    env,
    flash,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
)

router = APIRouter()
SUPPLIER = roles(Role.supplier)
PageNumber = Annotated[int, Query(ge=1, le=10_000)]


def unread_for(request: Request) -> int:
    """The nav's count: one COUNT, only while the request's own transaction is open (error
    pages rendered after it closed show none)."""
    user: User | None = getattr(request.state, "user", None)
    session = object_session(user) if user is not None else None
    if user is None or session is None or not session.in_transaction():
        return 0
    return service.unread_count(session, user)


env.globals["unread_notifications"] = unread_for


@router.get("/notifications")
def notifications_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    page: PageNumber = 1,
    unread: bool = False,
) -> Response:
    listing = service.list_notifications(session, user, page, 20, unread)
    locale = request_locale(request)
    items = [(n, service.text_of(n, locale)) for n in listing.items]
    context = {"listing": listing, "items": items, "unread_only": unread}
    return render(request, "notifications/list.html", context)


@router.post("/notifications/{notification_id:int}/open")
def open_notification(notification_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    """Mark it read and go where it asks the reader to act."""
    return redirect(service.safe_link(service.mark_read(session, user, notification_id)))


@router.post("/notifications/{notification_id:int}/read")
def read_notification(notification_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    service.mark_read(session, user, notification_id)
    return redirect("/notifications")


@router.post("/notifications/read-all")
def read_all(session: DbSession, user: CurrentUser) -> Response:
    service.mark_all_read(session, user)
    return redirect("/notifications")


@router.get("/account/notifications")
def preferences_page(
    request: Request, session: DbSession, user: CurrentUser, saved: bool = False
) -> Response:
    context = {
        "kinds": kinds_for(user.role),
        "email": service.preferences(session, user),
        "saved": saved,
    }
    return render(request, "notifications/preferences.html", context)


@router.post("/account/notifications")
def save_preferences(form: Form, session: DbSession, user: CurrentUser) -> Response:
    chosen = set(form_dict(form, list_fields=("email",))["email"])
    service.set_preferences(
        session, user, [k.code for k in kinds_for(user.role) if k.code not in chosen]
    )
    return redirect("/account/notifications?saved=1")


def _searches_page(
    request: Request,
    session: DbSession,
    user: User,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "items": searches.list_searches(session, user),
        "limit": searches.MAX_PER_USER,
        "form": form if form is not None else {"level": "low"},
        "errors": errors or {},
    }
    return render(request, "notifications/searches.html", context, status)


@router.get("/saved-searches", dependencies=SUPPLIER)
def searches_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _searches_page(request, session, user)


@router.post("/saved-searches", dependencies=SUPPLIER)
def create_search(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    raw = form_dict(form)
    data = {k: v for k, v in raw.items() if v is not None}
    data.setdefault("query", "")

    def act(parsed: SavedSearchIn) -> str:
        searches.create_search(session, user, parsed)
        return "/saved-searches"

    def again(errors: dict[str, str], status: int) -> Response:
        return _searches_page(request, session, user, raw, errors, status)

    return submit(request, session, SavedSearchIn, data, act, again)


@router.get("/saved-searches/{search_id:int}/preview", dependencies=SUPPLIER)
def preview_page(
    request: Request, search_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    search = searches.get_search(session, user, search_id)
    rows = searches.preview(session, cache, user, search_id)
    return render(request, "notifications/preview.html", {"search": search, "rows": rows})


@router.post("/saved-searches/{search_id:int}/delete", dependencies=SUPPLIER)
def delete_search(
    request: Request, form: Form, search_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    searches.get_search(session, user, search_id)  # nothing to confirm for a stranger
    if page := confirm_step(request, form, DELETE_SEARCH):
        return page
    searches.delete_search(session, user, search_id)
    return flash(request, "/saved-searches", Msgid("The saved search is deleted."))


DELETE_SEARCH = Ask(
    Msgid("Delete this saved search?"),
    Msgid("You are no longer told of new needs that match it. This cannot be undone."),
    Msgid("Nobody is sent a notice."),
    "/saved-searches",
    button=Msgid("Delete"),
)
