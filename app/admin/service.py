"""Admin work: user accounts, staff roles, activation. Every change is audited."""

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.accounts import passwords, recovery
from app.accounts import service as accounts
from app.admin.schemas import StaffIn, UserFilters, UserPatch
from app.audit import record
from app.coordinator.service import PAGE_SIZE
from app.db import Page, paginate
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Invitation, Role, User

STAFF_ROLES = (Role.coordinator, Role.admin)


def list_users(session: Session, filters: UserFilters) -> Page[User]:
    query = select(User).options(selectinload(User.organization))
    if filters.role:
        query = query.where(User.role == Role(filters.role))
    if filters.q:
        needle = filters.q
        query = query.where(
            or_(
                User.email.icontains(needle, autoescape=True),
                User.name.icontains(needle, autoescape=True),
            )
        )
    return paginate(
        session, query.order_by(User.created_at.desc(), User.id.desc()), filters.page, PAGE_SIZE
    )


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    return user


def create_staff_user(session: Session, actor: User | None, data: StaffIn) -> User:
    """A coordinator or admin account in the support group's organisation."""
    user = accounts.create_staff(session, data.email, data.password, data.name, Role(data.role))
    record(session, actor, "user.created", user, after={"email": user.email, "role": user.role})
    return user


def create_admin(session: Session, email: str, password: str, name: str) -> User:
    """For `axmatch create-admin`: Invalid for bad input, Conflict when the e-mail is taken."""
    try:
        data = StaffIn(name=name, email=email, password=password, role="admin")
    except ValidationError as exc:
        fields = ", ".join(sorted({str(err["loc"][0]) for err in exc.errors()}))
        if fields == "password" and exc.errors()[0]["type"] == "value_error":
            raise Invalid(passwords.WEAK) from exc
        raise Invalid("Check these fields: %(fields)s", fields=fields) from exc
    if accounts.email_taken(session, data.email):
        raise Conflict("An account with this e-mail already exists.")
    return create_staff_user(session, None, data)


def set_active(session: Session, actor: User, user: User, active: bool) -> User:
    if user.is_active == active:
        return user
    if user.id == actor.id:
        raise Forbidden("You cannot deactivate your own account.")
    user.is_active = active
    after: dict[str, object] = {"is_active": active}
    if not active:
        after |= recovery.revoke_sessions(session, user, tokens_too=True)
    action = "user.reactivated" if active else "user.deactivated"
    record(session, actor, action, user, before={"is_active": not active}, after=after)
    return user


def set_role(session: Session, actor: User, user: User, role: Role) -> User:
    if user.role is role:
        return user
    if user.id == actor.id:
        raise Forbidden("You cannot change your own role.")
    if user.role not in STAFF_ROLES or role not in STAFF_ROLES:
        raise Conflict("Only staff accounts can move between coordinator and admin.")
    before = user.role
    user.role = role
    record(session, actor, "user.role_changed", user, before={"role": before}, after={"role": role})
    return user


def update_user(session: Session, actor: User, user_id: int, patch: UserPatch) -> User:
    user = get_user(session, user_id)
    if patch.role is not None:
        set_role(session, actor, user, Role(patch.role))
    if patch.is_active is not None:
        set_active(session, actor, user, patch.is_active)
    return user


def reset_access(session: Session, actor: User, user_id: int) -> User:
    """Sign the user out everywhere and e-mail them a password-reset link."""
    user = get_user(session, user_id)
    if user.id == actor.id:
        raise Forbidden("Change your own password from your account page.")
    if not user.is_active:
        raise Conflict("This account is deactivated: reactivate it first.")
    recovery.reset_access(session, actor, user)
    return user


def pending_invitations(session: Session) -> list[Invitation]:
    query = (
        select(Invitation)
        .options(selectinload(Invitation.organization))
        .where(Invitation.accepted_at.is_(None))
        .order_by(Invitation.id.desc())
        .limit(200)
    )
    return list(session.scalars(query))
