"""JSON routes for accounts: registration, API tokens, the current user, invitations."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.accounts import service, totp
from app.accounts.schemas import (
    InvitationOut,
    InviteIn,
    LocaleIn,
    NewTokenOut,
    Registration,
    TokenIn,
    TokenLogin,
    TokenOut,
    UserOut,
)
from app.auth import CurrentUser, DbSession
from app.i18n import Msgid, gettext
from app.models import ApiToken, User
from app.schemas import RowId
from app.web import client_ip, request_locale

router = APIRouter(prefix="/api", tags=["accounts"])
SECOND_FACTOR = Msgid(
    "Two-step login is on: give the code from your authenticator app (totp_code)."
)


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        locale=user.locale,
        organization_id=user.organization_id,
        organization_name=user.organization.name,
        email_verified=user.email_verified_at is not None,
        consent_version=user.consent_version,
        consent_at=user.consent_at.isoformat() if user.consent_at else None,
        totp_enabled=user.totp_enabled_at is not None,
    )


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at.isoformat(),
        revoked=token.revoked_at is not None,
        last_used_at=token.last_used_at.isoformat() if token.last_used_at else None,
    )


@router.post("/register", status_code=201)
def register(data: Registration, request: Request, session: DbSession) -> NewTokenOut:
    """Register an organisation and its first user; returns an API token for that user."""
    user = service.register(session, data, request_locale(request))
    token, secret = service.create_api_token(session, user, "registration")
    return NewTokenOut(**token_out(token).model_dump(), token=secret)


@router.post(
    "/tokens/login",
    status_code=201,
    response_model=NewTokenOut,
    responses={401: {"description": "Wrong e-mail or password, or a missing or wrong code"}},
)
def token_login(
    data: TokenLogin, request: Request, session: DbSession
) -> NewTokenOut | JSONResponse:
    """Exchange e-mail and password (and `totp_code` when two-step login is on) for a new
    API token, throttled like the login page."""
    ip = client_ip(request)
    user = service.authenticate(session, data.email, data.password, ip)
    if user is None:  # a response, not an exception, so the failed attempt is committed
        message = gettext(request_locale(request), "Wrong e-mail or password.")
        return JSONResponse({"error": "unauthenticated", "message": message}, status_code=401)
    if totp.enabled(user) and not totp.passes(session, user, data.totp_code, ip):
        message = gettext(request_locale(request), SECOND_FACTOR)
        return JSONResponse({"error": "second_factor", "message": message}, status_code=401)
    token, secret = service.create_api_token(session, user, data.token_name)
    return NewTokenOut(**token_out(token).model_dump(), token=secret)


@router.get("/me")
def me(user: CurrentUser) -> UserOut:
    return user_out(user)


@router.patch("/me")
def update_me(data: LocaleIn, session: DbSession, user: CurrentUser) -> UserOut:
    service.set_locale(session, user, data.locale)
    return user_out(user)


@router.get("/tokens")
def list_tokens(session: DbSession, user: CurrentUser) -> list[TokenOut]:
    return [token_out(t) for t in service.list_api_tokens(session, user)]


@router.post("/tokens", status_code=201)
def create_token(data: TokenIn, session: DbSession, user: CurrentUser) -> NewTokenOut:
    token, secret = service.create_api_token(session, user, data.name)
    return NewTokenOut(**token_out(token).model_dump(), token=secret)


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: RowId, session: DbSession, user: CurrentUser) -> TokenOut:
    return token_out(service.revoke_api_token(session, user, token_id))


@router.get("/organization/users")
def organization_users(session: DbSession, user: CurrentUser) -> list[UserOut]:
    return [user_out(u) for u in service.org_users(session, user.organization_id)]


@router.post("/organization/invitations", status_code=201)
def invite(
    data: InviteIn, request: Request, session: DbSession, user: CurrentUser
) -> InvitationOut:
    invitation, secret = service.invite(session, user, data.email)
    url = str(request.url_for("invitation_form", secret=secret))
    return InvitationOut(
        id=invitation.id,
        email=invitation.email,
        expires_at=invitation.expires_at.isoformat(),
        accept_url=url,
    )
