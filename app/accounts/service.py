"""Accounts: registration, passwords, sessions, API tokens, invitations, login throttling."""

import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from app.accounts import mail, passwords, tokens
from app.accounts.schemas import AcceptInvite, Registration
from app.audit import record
from app.config import get_settings
from app.db import unique_or_conflict
from app.errors import Conflict, Forbidden, Invalid, NotFound, Throttled
from app.i18n import Msgid
from app.models import (
    ApiToken,
    Invitation,
    LoginAttempt,
    ManufacturerProfile,
    Membership,
    Organization,
    OrgKind,
    Role,
    SupplierProfile,
    TokenPurpose,
    User,
    UserSession,
    utcnow,
)

# The test suite hashes hundreds of passwords: cheap parameters there, the defaults elsewhere.
hasher = (
    PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    if get_settings().environment == "test"
    else PasswordHasher()
)
# Verifying against a dummy hash keeps unknown e-mails as slow as wrong passwords.
_DUMMY_HASH = hasher.hash("not-a-real-password")
INVITE_DAYS = 7
# The role of whoever joins an organisation of each kind by invitation. The support group's
# accounts are staff: only an admin invites there, and the joiner is a coordinator (an admin
# makes admins in /admin), so no invitation, role parameter or inviter's role creates staff.
JOIN_ROLE = {
    OrgKind.manufacturer: Role.manufacturer,
    OrgKind.supplier: Role.supplier,
    OrgKind.sponsor: Role.sponsor,
    OrgKind.support_group: Role.coordinator,
}
STAFF_ONLY_BY_ADMIN = "Only an administrator can create staff accounts."
TOKEN_TOUCH = timedelta(minutes=1)
EMAIL_TAKEN = Msgid("An account with this e-mail already exists.")


CONSENT_VERSION = "2026-12-02"  # of the notice in templates/accounts/_consent.html
token_hash = tokens.token_hash
NUMBER_TAKEN = Msgid("An organisation with this business registration number is registered.")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(User.id).where(User.email == normalize_email(email))) is not None


def create_user(
    session: Session,
    org: Organization,
    email: str,
    password: str,
    name: str,
    role: Role,
    locale: str = "ko",
    *,
    verified: bool = True,
) -> User:
    """`verified`: the address is proven (an accepted invitation, an administrator's or the
    seed's account); a self-registered account is not until its e-mail link is opened."""
    if email_taken(session, email):
        raise Conflict(EMAIL_TAKEN)
    if passwords.is_weak(password, passwords.hints_of(email, name, org.name)):
        raise Invalid(passwords.WEAK)  # every path that makes an account passes here
    password_hash = hasher.hash(password)
    with unique_or_conflict(session, EMAIL_TAKEN):  # registered at this moment by another
        user = User(
            organization=org,
            email=normalize_email(email),
            name=name,
            role=role,
            password_hash=password_hash,
            locale=locale,
            email_verified_at=utcnow() if verified else None,
        )
        session.add(user)
    return user


def business_number_taken(session: Session, number: str, but: int | None = None) -> bool:
    query = select(Organization.id).where(Organization.business_number == number)
    if but is not None:
        query = query.where(Organization.id != but)
    return session.scalar(query) is not None


def require_new_business_number(session: Session, number: str, but: int | None = None) -> None:
    if business_number_taken(session, number, but):
        raise Conflict(NUMBER_TAKEN)


def register(session: Session, data: Registration, locale: str) -> User:
    """The organisation, its profile and first user, who consented (version and time) and
    gets a verification e-mail: publishing and bidding wait for it."""
    kind = OrgKind(data.kind)
    require_new_business_number(session, data.business_number)
    org = Organization(kind=kind, name=data.organization_name, business_number=data.business_number)
    session.add(org)
    if kind is OrgKind.supplier:
        session.add(SupplierProfile(organization=org, membership=Membership.applied))
    else:
        session.add(ManufacturerProfile(organization=org))
    role = Role(data.kind)
    user = create_user(
        session, org, data.email, data.password, data.name, role, locale, verified=False
    )
    user.consent_version, user.consent_at = CONSENT_VERSION, utcnow()
    record(session, user, "organization.registered", org, after={"name": org.name, "kind": kind})
    send_verification(session, user)
    return user


def send_verification(session: Session, user: User) -> None:
    hours = get_settings().verify_hours
    secret = tokens.issue(session, user, TokenPurpose.verify, timedelta(hours=hours))
    url = mail.link(f"/verify/{secret}")
    mail.send(session, user.email, "verify", user.locale, name=user.name, url=url, hours=hours)


def authenticate(session: Session, email: str, password: str, ip: str) -> User | None:
    """The user for these credentials, or None (the failure is recorded for throttling)."""
    email = normalize_email(email)
    check_throttle(session, email, ip)
    user = session.scalar(select(User).where(User.email == email))
    ok = password_ok(user.password_hash if user else _DUMMY_HASH, password)
    if ok and user is not None and user.is_active:
        session.execute(
            delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.kind == "login")
        )
        return user
    session.add(LoginAttempt(email=email, ip=ip))
    return None


def password_ok(stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _one_attempt_at_a_time(session: Session, email: str, ip: str, kind: str) -> None:
    """PostgreSQL: attempts on one e-mail or from one address wait for each other (locks held
    to the end of the transaction), so the count below is exact under concurrency. SQLite's
    write transactions are serialised already."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted({f"{kind}-email:{email}", f"{kind}-ip:{ip}"}):  # one order: no deadlock
        session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


THROTTLED = {
    "login": Msgid("Too many failed logins. Try again in %(minutes)s minutes."),
    "reset": Msgid("Too many requests for this address. Try again in %(minutes)s minutes."),
    "second_factor": Msgid("Too many wrong codes. Try again in %(minutes)s minutes."),
}


def check_throttle(session: Session, email: str, ip: str, kind: str = "login") -> None:
    """Refuse when the attempts of `kind` recorded in the window reach the limit, for this
    e-mail or this address (a reset request counts whether it succeeded or not)."""
    _one_attempt_at_a_time(session, email, ip, kind)
    settings = get_settings()
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    recent = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.created_at >= since, LoginAttempt.kind == kind
    )
    by_email = session.scalar(recent.where(LoginAttempt.email == email)) or 0
    by_ip = session.scalar(recent.where(LoginAttempt.ip == ip)) or 0
    per_email = settings.reset_max_requests if kind == "reset" else settings.login_max_failures
    if by_email >= per_email or by_ip >= settings.login_ip_max_failures:
        raise Throttled(THROTTLED[kind], minutes=settings.login_window_minutes)


def start_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=get_settings().session_days)
    session.add(UserSession(user=user, token_hash=token_hash(token), expires_at=expires))
    return token


# Who is asking is looked up on every request: the user and its organisation (which the
# request's Viewer shows) come in the same query, not in two lazy loads after it, and the
# statements are built once.
_SESSION_USER = (
    select(UserSession)
    .options(joinedload(UserSession.user).joinedload(User.organization))
    .where(UserSession.token_hash == bindparam("token_hash"))
)
_TOKEN_USER = (
    select(ApiToken)
    .options(joinedload(ApiToken.user).joinedload(User.organization))
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def user_for_session(session: Session, token: str) -> User | None:
    row = session.scalar(_SESSION_USER, {"token_hash": token_hash(token)})
    if row is None or row.revoked_at or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row.user


def end_session(session: Session, token: str) -> None:
    row = session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def create_api_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    secret = "axm_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=token_hash(secret), prefix=secret[:10])
    session.add(token)
    session.flush()
    return token, secret


def api_token(session: Session, secret: str) -> ApiToken | None:
    """The live token for `secret` (with its user and organisation); reads only, so a GET
    that carries it stays a read transaction (see `record_token_use`)."""
    token = session.scalar(_TOKEN_USER, {"token_hash": token_hash(secret)})
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token


def token_use_due(token: ApiToken, now: datetime) -> bool:
    """Last use is kept to the minute: a write per API call would cost a commit."""
    return token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH


def record_token_use(session: Session, token_id: int, now: datetime) -> None:
    """Conditional on age, so racing recorders write once."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_TOUCH))
        .values(last_used_at=now)
    )


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))


def own_api_token(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("API token not found.")
    return token


def revoke_api_token(session: Session, user: User, token_id: int) -> ApiToken:
    token = own_api_token(session, user, token_id)
    token.revoked_at = token.revoked_at or utcnow()
    return token


def invite(
    session: Session, inviter: User, email: str, organization: Organization | None = None
) -> tuple[Invitation, str]:
    """An invitation into the inviter's organisation, or into `organization` (coordinators
    invite a sponsor's first user): the joiner then gets the role of that organisation's kind."""
    require_may_invite(inviter, organization or inviter.organization)
    if email_taken(session, email):
        raise Conflict(EMAIL_TAKEN)
    secret = secrets.token_urlsafe(24)
    invitation = Invitation(
        organization_id=organization.id if organization else inviter.organization_id,
        email=normalize_email(email),
        token_hash=token_hash(secret),
        invited_by_id=inviter.id,
        expires_at=utcnow() + timedelta(days=INVITE_DAYS),
    )
    session.add(invitation)
    session.flush()
    record(session, inviter, "user.invited", invitation.organization, after={"email": email})
    send_invitation(session, invitation, secret, inviter.locale)
    return invitation, secret


def send_invitation(session: Session, invitation: Invitation, secret: str, locale: str) -> None:
    url = mail.link(f"/invitations/{secret}")
    org = invitation.organization.name
    mail.send(session, invitation.email, "invitation", locale, org=org, url=url, days=INVITE_DAYS)


def resend_invitation(session: Session, actor: User, invitation_id: int) -> Invitation:
    """A new link (the old one stops working) and a fresh expiry, e-mailed again."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound("Invitation not found.")
    secret = secrets.token_urlsafe(24)
    invitation.token_hash = token_hash(secret)
    invitation.expires_at = utcnow() + timedelta(days=INVITE_DAYS)
    session.flush()
    record(session, actor, "user.invitation_resent", invitation.organization,
           after={"email": invitation.email})  # fmt: skip
    send_invitation(session, invitation, secret, actor.locale)
    return invitation


def may_invite(inviter: User | None, organization: Organization) -> bool:
    if organization.kind is not OrgKind.support_group:
        return True
    return inviter is not None and inviter.role is Role.admin and inviter.is_active


def require_may_invite(inviter: User | None, organization: Organization) -> None:
    """Staff accounts come from admins only: checked when inviting and again when joining
    (an invitation outlives a change of its inviter's role)."""
    if not may_invite(inviter, organization):
        raise Forbidden(STAFF_ONLY_BY_ADMIN)


def open_invitation(session: Session, secret: str) -> Invitation:
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(secret))
    )
    if invitation is None or invitation.accepted_at or invitation.expires_at <= utcnow():
        raise NotFound("This invitation is not valid or has expired.")
    return invitation


def accept_invitation(session: Session, secret: str, data: AcceptInvite, locale: str) -> User:
    invitation = open_invitation(session, secret)
    inviter = session.get(User, invitation.invited_by_id)
    require_may_invite(inviter, invitation.organization)
    role = JOIN_ROLE[invitation.organization.kind]
    user = create_user(
        session, invitation.organization, invitation.email, data.password, data.name, role, locale
    )
    invitation.accepted_at = utcnow()
    record(session, user, "user.joined", invitation.organization, after={"email": user.email})
    return user


def pending_invitations(session: Session, org_id: int) -> list[Invitation]:
    query = (
        select(Invitation)
        .where(
            Invitation.organization_id == org_id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id.desc())
    )
    return list(session.scalars(query))


def org_users(session: Session, org_id: int) -> list[User]:
    return list(
        session.scalars(select(User).where(User.organization_id == org_id).order_by(User.id))
    )


def set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = locale


def create_staff(session: Session, email: str, password: str, name: str, role: Role) -> User:
    """Coordinators and admins belong to the support group's organisation."""
    org = session.scalar(select(Organization).where(Organization.kind == OrgKind.support_group))
    if org is None:
        org = Organization(kind=OrgKind.support_group, name="경남 제조AI 지원단")
        session.add(org)
    return create_user(session, org, email, password, name, role)
