"""JSON routes for admins: user accounts and staff roles."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.admin import service
from app.admin.schemas import AdminUserOut, StaffIn, UserFilters, UserPageOut, UserPatch
from app.auth import CurrentUser, DbSession, roles
from app.models import Role, User
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
