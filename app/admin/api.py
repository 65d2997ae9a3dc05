"""JSON routes for admins: user accounts and staff roles."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.accounts import service as accounts
from app.admin import service
from app.admin.schemas import AdminUserOut, StaffIn, UserFilters, UserPageOut, UserPatch
from app.auth import CurrentUser, DbSession, roles
from app.models import Invitation, Role, User, utcnow
from app.schemas import RowId

router = APIRouter(prefix="/api/admin", tags=["admin"], dependencies=roles(Role.admin))


def admin_user_out(user: User) -> AdminUserOut:
    return AdminUserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role.value,
        is_active=user.is_active,
        organization_id=user.organization_id,
        organization_name=user.organization.name,
        created_at=user.created_at,
    )


@router.get("/users")
def users(filters: Annotated[UserFilters, Query()], session: DbSession) -> UserPageOut:
    page = service.list_users(session, filters)
    items = [admin_user_out(u) for u in page.items]
    return UserPageOut(items=items, total=page.total, page=page.page, pages=page.pages)


@router.post("/users", status_code=201, responses={409: {"description": "E-mail taken"}})
def create_user(data: StaffIn, session: DbSession, user: CurrentUser) -> AdminUserOut:
    return admin_user_out(service.create_staff_user(session, user, data))


@router.patch(
    "/users/{user_id}",
    responses={
        403: {"description": "Changing your own account"},
        404: {"description": "No such user"},
        409: {"description": "Role change not allowed"},
    },
)
def update_user(
    user_id: RowId, patch: UserPatch, session: DbSession, user: CurrentUser
) -> AdminUserOut:
    return admin_user_out(service.update_user(session, user, user_id, patch))


class AdminInvitationOut(BaseModel):
    id: int
    email: str
    organization_id: int
    organization_name: str
    expires_at: datetime
    expired: bool


def invitation_out(invitation: Invitation) -> AdminInvitationOut:
    return AdminInvitationOut(
        id=invitation.id,
        email=invitation.email,
        organization_id=invitation.organization_id,
        organization_name=invitation.organization.name,
        expires_at=invitation.expires_at,
        expired=invitation.expires_at <= utcnow(),
    )


@router.post(
    "/users/{user_id}/reset-access",
    responses={403: {"description": "Your own account"}, 409: {"description": "Deactivated"}},
)
def reset_access(user_id: RowId, session: DbSession, user: CurrentUser) -> AdminUserOut:
    """End every session and API token of the user and e-mail a password-reset link."""
    return admin_user_out(service.reset_access(session, user, user_id))


@router.get("/invitations")
def invitations(session: DbSession) -> list[AdminInvitationOut]:
    """Invitations not accepted yet (expired ones too: they can be sent again)."""
    return [invitation_out(i) for i in service.pending_invitations(session)]


@router.post("/invitations/{invitation_id}/resend", responses={404: {"description": "None"}})
def resend_invitation(
    invitation_id: RowId, session: DbSession, user: CurrentUser
) -> AdminInvitationOut:
    """A new link (the old one stops working), valid for a week again, e-mailed."""
    return invitation_out(accounts.resend_invitation(session, user, invitation_id))
