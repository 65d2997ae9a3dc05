"""HTML routes for accounts: register, log in/out, invitations, API tokens, language."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.accounts import service, totp
from app.accounts.schemas import (
    AcceptInvite,
    CodeIn,
    InviteIn,
    LocaleIn,
    Login,
    Registration,
    TokenIn,
)
from app.accounts.welcome import welcome_steps
from app.auth import SESSION_COOKIE, CurrentUser, DbSession, OptionalUser
from app.config import get_settings
from app.errors import AppError, Invalid
from app.i18n import Msgid, gettext
from app.models import Role
from app.schemas import RowId
from app.web import (
    Ask,
    Form,
    client_ip,
    confirm_step,
    flash,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
    validate_form,
)

router = APIRouter()
SECOND_STEP_COOKIE = "axm_second_step"


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


def _email_field(exc: AppError) -> str:
    return "business_number" if exc.message == service.NUMBER_TAKEN else "email"


@router.post("/register")
def register(request: Request, form: Form, session: DbSession, user: OptionalUser) -> Response:
    data = form_dict(form)

    def act(parsed: Registration) -> Response:
        new_user = service.register(session, parsed, request_locale(request))
        return _login_response(request, service.start_session(session, new_user), "/welcome")

    def again(errors: dict[str, str], status: int) -> Response:
        shown = {k: v for k, v in data.items() if k != "password"}
        return render(request, "accounts/register.html", {"form": shown, "errors": errors}, status)

    return submit(request, session, Registration, data, act, again, field=_email_field)


@router.get("/welcome")
def welcome_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    """What next, after sign-up (and whenever it is opened again): steps per role."""
    steps = welcome_steps(session, user)
    return render(request, "accounts/welcome.html", {"steps": steps})


LOGIN_DONE = {
    "reset": Msgid("Your password is reset: log in with the new one."),
    "verified": Msgid("Your e-mail address is confirmed: log in to go on."),
}


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str = "/", done: str = "") -> Response:
    message = LOGIN_DONE.get(done)
    context = {
        "form": {"next": next[:300]},
        "errors": {},
        "done": gettext(request_locale(request), message) if message else None,
    }
    return render(request, "accounts/login.html", context)


def second_step(request: Request, secret: str, next_url: str) -> Response:
    """The code step of a login, its secret in a short cookie scoped to that page."""
    response = redirect("/login/code?" + urlencode({"next": next_url}))
    response.set_cookie(
        SECOND_STEP_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=get_settings().cookie_secure or request.url.scheme == "https",
        max_age=get_settings().second_factor_minutes * 60,
        path="/login/code",
    )
    return response


@router.get("/login/code")
def code_form(
    request: Request, session: DbSession, user: OptionalUser, next: str = "/"
) -> Response:
    totp.pending_login(session, request.cookies.get(SECOND_STEP_COOKIE, ""))
    return render(request, "accounts/code.html", {"form": {"next": next[:300]}, "errors": {}})


@router.post("/login/code")
def code(request: Request, form: Form, session: DbSession, user: OptionalUser) -> Response:
    """Like the password, a wrong code is answered, not raised: its attempt must stay."""
    data = form_dict(form)
    next_url = str(data.pop("next", None) or "/")[:300]
    secret = request.cookies.get(SECOND_STEP_COOKIE, "")

    def again(errors: dict[str, str], status: int) -> Response:
        context = {"form": {"next": next_url}, "errors": errors}
        return render(request, "accounts/code.html", context, status)

    def act(parsed: CodeIn) -> Response:
        found = totp.finish_login(session, secret, parsed.code, client_ip(request))
        if found is None:
            return again({"code": gettext(request_locale(request), totp.WRONG_CODE)}, 401)
        response = _login_response(request, service.start_session(session, found), next_url)
        response.delete_cookie(SECOND_STEP_COOKIE, path="/login/code")
        return response

    return submit(request, session, CodeIn, data, act, again, field=lambda _: "code")


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
        if totp.enabled(found):
            return second_step(request, totp.begin_login(session, found), next_url)
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


DONE = {
    "password": Msgid("Your password is changed; your other sessions are signed out."),
    "verified": Msgid("Your e-mail address is confirmed."),
    "verification_sent": Msgid("We sent you a new confirmation link."),
    "totp_off": Msgid("Two-step login is off."),
}


def account_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    status: int | None = None,
    **extra: object,
) -> Response:
    done = DONE.get(request.query_params.get("done", ""))
    context = {
        "members": service.org_users(session, user.organization_id),
        "invitations": service.pending_invitations(session, user.organization_id),
        "tokens": service.list_api_tokens(session, user),
        "may_invite": service.may_invite(user, user.organization),
        "may_two_step": user.role in (Role.coordinator, Role.admin),
        "done": gettext(request_locale(request), done) if done else None,
        "errors": {},
        "password_errors": {},
        "withdraw_errors": {},
        **extra,
    }
    failed = extra.get("errors") or extra.get("password_errors") or extra.get("withdraw_errors")
    status = status or (422 if failed else 200)
    return render(request, "accounts/account.html", context, status)


@router.get("/account")
def account(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return account_page(request, session, user)


@router.post("/account/invitations")
def invite(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    def act(parsed: InviteIn) -> Response:
        _, secret = service.invite(session, user, parsed.email)
        link = str(request.url_for("invitation_form", secret=secret))
        return account_page(request, session, user, new_invite_link=link)

    def again(errors: dict[str, str], status: int) -> Response:
        return account_page(request, session, user, status, errors=errors)  # 403: staff

    return submit(request, session, InviteIn, form_dict(form), act, again, field=_email_field)


@router.post("/account/tokens")
def create_token(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    def act(parsed: TokenIn) -> Response:
        _, secret = service.create_api_token(session, user, parsed.name)
        return account_page(request, session, user, new_token=secret)

    def again(errors: dict[str, str], status: int) -> Response:
        return account_page(request, session, user, errors=errors)

    return submit(request, session, TokenIn, form_dict(form), act, again)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, form: Form, token_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    service.own_api_token(session, user, token_id)  # nothing to confirm for a stranger
    if page := confirm_step(request, form, REVOKE_TOKEN):
        return page
    service.revoke_api_token(session, user, token_id)
    return flash(request, "/account", Msgid("The API token is revoked."))


REVOKE_TOKEN = Ask(
    Msgid("Revoke this API token?"),
    Msgid("Programs using it are refused from now on; a revoked token cannot be restored."),
    Msgid("Nobody is sent a notice."),
    "/account",
    button=Msgid("Revoke"),
)


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
        return _login_response(request, service.start_session(session, new_user), "/welcome")

    def again(errors: dict[str, str], status: int) -> Response:
        shown = {k: v for k, v in data.items() if k != "password"}
        context = {"invitation": invitation, "form": shown, "errors": errors}
        return render(request, "accounts/invitation.html", context, status)

    return submit(request, session, AcceptInvite, data, act, again, field=_password_or_form)


def _password_or_form(exc: AppError) -> str:
    """Invalid here is a password too weak against the invited e-mail; the rest (a staff
    invitation not from an admin) concerns the whole form."""
    return "password" if isinstance(exc, Invalid) else "__all__"
