"""HTML routes for accounts: register, log in/out, invitations, API tokens, language."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.accounts import service
from app.accounts.schemas import AcceptInvite, InviteIn, LocaleIn, Login, Registration, TokenIn
from app.auth import SESSION_COOKIE, CurrentUser, DbSession, OptionalUser
from app.config import get_settings
from app.errors import Throttled
from app.i18n import gettext
from app.schemas import RowId
from app.web import form_dict, redirect, render, request_locale, validate_form

router = APIRouter()


def _login_response(request: Request, token: str, next_url: str = "/") -> Response:
    response = redirect(
        next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"
    )
    secure = get_settings().cookie_secure or request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=get_settings().session_days * 86400,
    )
    return response


@router.get("/register")
def register_form(request: Request, user: OptionalUser) -> Response:
    return render(request, "accounts/register.html", {"form": {}, "errors": {}})


@router.post("/register")
async def register(request: Request, session: DbSession, user: OptionalUser) -> Response:
    locale = request_locale(request)
    data = form_dict(await request.form())
    parsed, errors = validate_form(Registration, data, locale)
    if parsed and service.email_taken(session, parsed.email):
        errors = {"email": gettext(locale, "An account with this e-mail already exists.")}
    if parsed is None or errors:
        data.pop("password", None)
        return render(request, "accounts/register.html", {"form": data, "errors": errors}, 422)
    new_user = service.register(session, parsed, locale)
    return _login_response(request, service.start_session(session, new_user), "/profile")


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str = "/") -> Response:
    return render(request, "accounts/login.html", {"form": {"next": next[:300]}, "errors": {}})


@router.post("/login")
async def login(request: Request, session: DbSession, user: OptionalUser) -> Response:
    locale = request_locale(request)
    data = form_dict(await request.form())
    next_url = str(data.pop("next", None) or "/")[:300]
    parsed, errors = validate_form(Login, data, locale)
    ip = request.client.host if request.client else "unknown"
    try:
        found = service.authenticate(session, parsed.email, parsed.password, ip) if parsed else None
    except Throttled as exc:
        errors = {"__all__": gettext(locale, exc.message, **exc.params)}
        return render(request, "accounts/login.html", {"form": data, "errors": errors}, 429)
    if parsed is None:
        form = {"email": data.get("email"), "next": next_url}
        return render(request, "accounts/login.html", {"form": form, "errors": errors}, 422)
    if found is None:
        errors = {"__all__": gettext(locale, "Wrong e-mail or password.")}
        form = {"email": data.get("email"), "next": next_url}
        return render(request, "accounts/login.html", {"form": form, "errors": errors}, 401)
    return _login_response(request, service.start_session(session, found), next_url)


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_session(session, token)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/lang")
async def set_language(request: Request, session: DbSession, user: OptionalUser) -> Response:
    parsed, _ = validate_form(LocaleIn, form_dict(await request.form()), "ko")
    locale = parsed.locale if parsed else "ko"
    if user is not None:
        service.set_locale(session, user, locale)
    back = request.headers.get("referer", "/")
    response = redirect(back if back.startswith(str(request.base_url)) else "/")
    response.set_cookie("lang", locale, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _account_page(
    request: Request, session: DbSession, user: CurrentUser, **extra: object
) -> Response:
    context = {
        "members": service.org_users(session, user.organization_id),
        "invitations": service.pending_invitations(session, user.organization_id),
        "tokens": service.list_api_tokens(session, user),
        "errors": {},
        **extra,
    }
    return render(request, "accounts/account.html", context, 422 if extra.get("errors") else 200)


@router.get("/account")
def account(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _account_page(request, session, user)


@router.post("/account/invitations")
async def invite(request: Request, session: DbSession, user: CurrentUser) -> Response:
    locale = request_locale(request)
    parsed, errors = validate_form(InviteIn, form_dict(await request.form()), locale)
    if parsed and service.email_taken(session, parsed.email):
        errors = {"email": gettext(locale, "An account with this e-mail already exists.")}
    if parsed is None or errors:
        return _account_page(request, session, user, errors=errors)
    _, secret = service.invite(session, user, parsed.email)
    link = str(request.url_for("invitation_form", secret=secret))
    return _account_page(request, session, user, new_invite_link=link)


@router.post("/account/tokens")
async def create_token(request: Request, session: DbSession, user: CurrentUser) -> Response:
    locale = request_locale(request)
    parsed, errors = validate_form(TokenIn, form_dict(await request.form()), locale)
    if parsed is None:
        return _account_page(request, session, user, errors=errors)
    _, secret = service.create_api_token(session, user, parsed.name)
    return _account_page(request, session, user, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    service.revoke_api_token(session, user, token_id)
    return redirect("/account")


@router.get("/invitations/{secret}", name="invitation_form")
def invitation_form(
    request: Request, secret: str, session: DbSession, user: OptionalUser
) -> Response:
    invitation = service.open_invitation(session, secret)
    return render(
        request, "accounts/invitation.html", {"invitation": invitation, "form": {}, "errors": {}}
    )


@router.post("/invitations/{secret}")
async def accept_invitation(
    request: Request, secret: str, session: DbSession, user: OptionalUser
) -> Response:
    locale = request_locale(request)
    invitation = service.open_invitation(session, secret)
    data = form_dict(await request.form())
    parsed, errors = validate_form(AcceptInvite, data, locale)
    if parsed is None:
        data.pop("password", None)
        context = {"invitation": invitation, "form": data, "errors": errors}
        return render(request, "accounts/invitation.html", context, 422)
    new_user = service.accept_invitation(session, secret, parsed, locale)
    return _login_response(request, service.start_session(session, new_user))
