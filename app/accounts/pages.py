"""HTML routes for accounts: register, log in/out, invitations, API tokens, language."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.accounts import service
from app.accounts.schemas import AcceptInvite, InviteIn, LocaleIn, Login, Registration, TokenIn
from app.auth import SESSION_COOKIE, CurrentUser, DbSession, OptionalUser
from app.config import get_settings
from app.errors import AppError, Invalid
from app.i18n import gettext
from app.schemas import RowId
from app.web import (
    Form,
    client_ip,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
    validate_form,
)

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


def _email_field(_: AppError) -> str:
    return "email"


@router.post("/register")
def register(request: Request, form: Form, session: DbSession, user: OptionalUser) -> Response:
    data = form_dict(form)

    def act(parsed: Registration) -> Response:
        new_user = service.register(session, parsed, request_locale(request))
        return _login_response(request, service.start_session(session, new_user), "/profile")

    def again(errors: dict[str, str], status: int) -> Response:
        shown = {k: v for k, v in data.items() if k != "password"}
        return render(request, "accounts/register.html", {"form": shown, "errors": errors}, status)

    return submit(request, session, Registration, data, act, again, field=_email_field)


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str = "/") -> Response:
    return render(request, "accounts/login.html", {"form": {"next": next[:300]}, "errors": {}})


@router.post("/login")
def login(request: Request, form: Form, session: DbSession, user: OptionalUser) -> Response:
    """A wrong password is not a refusal raised from the savepoint: the failed attempt it
    records must stay, or throttling would never count it."""
    data = form_dict(form)
    next_url = str(data.pop("next", None) or "/")[:300]
    ip = client_ip(request)
    shown = {"email": data.get("email"), "next": next_url}

    def again(errors: dict[str, str], status: int) -> Response:
        return render(request, "accounts/login.html", {"form": shown, "errors": errors}, status)

    def act(parsed: Login) -> Response:
        found = service.authenticate(session, parsed.email, parsed.password, ip)
        if found is None:
            message = gettext(request_locale(request), "Wrong e-mail or password.")
            return again({"__all__": message}, 401)
        return _login_response(request, service.start_session(session, found), next_url)

    return submit(request, session, Login, data, act, again)


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_session(session, token)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/lang")
def set_language(request: Request, form: Form, session: DbSession, user: OptionalUser) -> Response:
    parsed, _ = validate_form(LocaleIn, form_dict(form), "ko")
    locale = parsed.locale if parsed else "ko"
    if user is not None:
        service.set_locale(session, user, locale)
    back = request.headers.get("referer", "/")
    response = redirect(back if back.startswith(str(request.base_url)) else "/")
    response.set_cookie("lang", locale, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _account_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    status: int | None = None,
    **extra: object,
) -> Response:
    context = {
        "members": service.org_users(session, user.organization_id),
        "invitations": service.pending_invitations(session, user.organization_id),
        "tokens": service.list_api_tokens(session, user),
        "may_invite": service.may_invite(user, user.organization),
        "errors": {},
        **extra,
    }
    status = status or (422 if extra.get("errors") else 200)
    return render(request, "accounts/account.html", context, status)


@router.get("/account")
def account(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _account_page(request, session, user)


@router.post("/account/invitations")
def invite(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    def act(parsed: InviteIn) -> Response:
        _, secret = service.invite(session, user, parsed.email)
        link = str(request.url_for("invitation_form", secret=secret))
        return _account_page(request, session, user, new_invite_link=link)

    def again(errors: dict[str, str], status: int) -> Response:
        return _account_page(request, session, user, status, errors=errors)  # 403: staff

    return submit(request, session, InviteIn, form_dict(form), act, again, field=_email_field)


@router.post("/account/tokens")
def create_token(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    def act(parsed: TokenIn) -> Response:
        _, secret = service.create_api_token(session, user, parsed.name)
        return _account_page(request, session, user, new_token=secret)

    def again(errors: dict[str, str], status: int) -> Response:
        return _account_page(request, session, user, errors=errors)

    return submit(request, session, TokenIn, form_dict(form), act, again)


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
def accept_invitation(
    request: Request, form: Form, secret: str, session: DbSession, user: OptionalUser
) -> Response:
    invitation = service.open_invitation(session, secret)
    data = form_dict(form)

    def act(parsed: AcceptInvite) -> Response:
        new_user = service.accept_invitation(session, secret, parsed, request_locale(request))
        return _login_response(request, service.start_session(session, new_user))

    def again(errors: dict[str, str], status: int) -> Response:
        shown = {k: v for k, v in data.items() if k != "password"}
        context = {"invitation": invitation, "form": shown, "errors": errors}
        return render(request, "accounts/invitation.html", context, status)

    return submit(request, session, AcceptInvite, data, act, again, field=_password_or_form)


def _password_or_form(exc: AppError) -> str:
    """Invalid here is a password too weak against the invited e-mail; the rest (a staff
    invitation not from an admin) concerns the whole form."""
    return "password" if isinstance(exc, Invalid) else "__all__"
