"""JSON routes for notifications, e-mail preferences and saved searches (same services)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.auth import CurrentUser, DbSession, roles
from app.i18n import gettext, normalize_locale
from app.matches.pages import Cache
from app.matches.reasons import level_label
from app.models import Notification, Role, SavedSearch
from app.notifications import searches, service
from app.notifications.kinds import KINDS
from app.notifications.schemas import (
    NotificationList,
    NotificationOut,
    PreferenceOut,
    PreferencesIn,
    PreviewOut,
    ReadAllOut,
    SavedSearchIn,
    SavedSearchOut,
    UnreadOut,
)
from app.schemas import RowId
from app.web import request_locale

router = APIRouter(prefix="/api", tags=["notifications"])
SUPPLIER = roles(Role.supplier)
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not found, or not yours"},
}
SEARCH_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Only admitted suppliers keep saved searches"},
    404: {"description": "Saved search not found, or not yours"},
    409: {"description": "Too many saved searches"},
}


def notification_out(notification: Notification, locale: str) -> NotificationOut:
    return NotificationOut(
        id=notification.id,
        kind=notification.kind,
        text=service.text_of(notification, locale),
        params=notification.params,
        link=notification.link,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )


@router.get("/notifications")
def list_notifications(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    unread: bool = False,
) -> NotificationList:
    """Your notifications, newest first; `unread=true` for the unread ones only."""
    listing = service.list_notifications(session, user, page, per_page, unread)
    locale = request_locale(request)
    return NotificationList(
        items=[notification_out(n, locale) for n in listing.items],
        total=listing.total,
        unread=service.unread_count(session, user),
        page=listing.page,
        per_page=listing.per_page,
    )


@router.get("/notifications/unread-count")
def unread_count(session: DbSession, user: CurrentUser) -> UnreadOut:
    return UnreadOut(unread=service.unread_count(session, user))


@router.post("/notifications/read-all")
def read_all(session: DbSession, user: CurrentUser) -> ReadAllOut:
    return ReadAllOut(marked=service.mark_all_read(session, user))


@router.post("/notifications/{notification_id}/read", responses=ERRORS)
def read_one(
    request: Request, notification_id: RowId, session: DbSession, user: CurrentUser
) -> NotificationOut:
    notification = service.mark_read(session, user, notification_id)
    return notification_out(notification, request_locale(request))


def preferences_out(prefs: dict[str, bool], locale: str) -> list[PreferenceOut]:
    return [
        PreferenceOut(kind=kind, label=gettext(locale, KINDS[kind].label), email=on)
        for kind, on in prefs.items()
    ]


@router.get("/notification-preferences")
def get_preferences(request: Request, session: DbSession, user: CurrentUser) -> list[PreferenceOut]:
    """Which notification kinds your role gets, and whether each also comes by e-mail."""
    return preferences_out(service.preferences(session, user), request_locale(request))


@router.put("/notification-preferences")
def put_preferences(
    request: Request, data: PreferencesIn, session: DbSession, user: CurrentUser
) -> list[PreferenceOut]:
    """E-mails of the kinds in `email_off` stop (the in-app notices go on); all others on."""
    prefs = service.set_preferences(session, user, data.email_off)
    return preferences_out(prefs, request_locale(request))


def search_out(search: SavedSearch, locale: str) -> SavedSearchOut:
    return SavedSearchOut(
        id=search.id,
        name=search.name,
        query=search.query,
        mode="text" if search.query else "profile",
        filters=search.filters,
        level=search.min_level,
        level_label=level_label(search.min_level, normalize_locale(locale)),
        created_at=search.created_at,
    )


@router.get("/saved-searches", dependencies=SUPPLIER, responses=SEARCH_ERRORS)
def list_searches(session: DbSession, user: CurrentUser) -> list[SavedSearchOut]:
    return [search_out(s, user.locale) for s in searches.list_searches(session, user)]


@router.post("/saved-searches", dependencies=SUPPLIER, responses=SEARCH_ERRORS, status_code=201)
def create_search(data: SavedSearchIn, session: DbSession, user: CurrentUser) -> SavedSearchOut:
    """Be told when a newly published need matches (an empty `query`: your profile)."""
    return search_out(searches.create_search(session, user, data), user.locale)


@router.get("/saved-searches/{search_id}", dependencies=SUPPLIER, responses=SEARCH_ERRORS)
def get_search(search_id: RowId, session: DbSession, user: CurrentUser) -> SavedSearchOut:
    return search_out(searches.get_search(session, user, search_id), user.locale)


@router.get("/saved-searches/{search_id}/preview", dependencies=SUPPLIER, responses=SEARCH_ERRORS)
def preview_search(
    search_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> list[PreviewOut]:
    """The open needs this search would alert on now, best first, with their fit level."""
    rows = searches.preview(session, cache, user, search_id)
    return [PreviewOut(**vars(r)) for r in rows]


@router.put("/saved-searches/{search_id}", dependencies=SUPPLIER, responses=SEARCH_ERRORS)
def update_search(
    search_id: RowId, data: SavedSearchIn, session: DbSession, user: CurrentUser
) -> SavedSearchOut:
    return search_out(searches.update_search(session, user, search_id, data), user.locale)


@router.delete(
    "/saved-searches/{search_id}", dependencies=SUPPLIER, responses=SEARCH_ERRORS, status_code=204
)
def delete_search(search_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    searches.delete_search(session, user, search_id)
    return Response(status_code=204)
