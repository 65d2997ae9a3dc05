"""HTML routes for the two-step login of staff accounts: set up, confirm, turn off."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.accounts import totp
from app.accounts.schemas import CodeIn, TotpDisable
from app.auth import CurrentUser, DbSession, roles
from app.models import Role
from app.web import Form, form_dict, render, submit

router = APIRouter(prefix="/account/two-step", dependencies=roles(Role.coordinator, Role.admin))


def _page(request: Request, user: CurrentUser, status: int = 200, **extra: object) -> Response:
    context = {
        "enabled": totp.enabled(user),
        "secret": user.totp_secret if not totp.enabled(user) else None,
        "uri": totp.uri(user) if user.totp_secret and not totp.enabled(user) else None,
        "left": len(user.recovery_hashes),
        "errors": {},
        **extra,
    }
    return render(request, "accounts/two_step.html", context, status)


@router.get("")
def two_step(request: Request, user: CurrentUser) -> Response:
    return _page(request, user)


@router.post("/start")
def start(request: Request, session: DbSession, user: CurrentUser) -> Response:
    totp.start(session, user)
    return _page(request, user)


@router.post("/confirm")
def confirm(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    def act(parsed: CodeIn) -> Response:
        codes = totp.confirm(session, user, parsed.code)
        return _page(request, user, recovery_codes=codes)

    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, user, status, errors=errors)

    return submit(request, session, CodeIn, form_dict(form), act, again, field=lambda _: "code")


@router.post("/disable")
def disable(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    def act(parsed: TotpDisable) -> str:
        totp.disable(session, user, parsed.password, parsed.code)
        return "/account?done=totp_off"

    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, user, status, errors=errors)

    return submit(request, session, TotpDisable, form_dict(form), act, again)
