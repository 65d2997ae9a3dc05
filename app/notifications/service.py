"""Notifications: writing them (with their e-mails) in the caller's transaction, and each
user's own list, unread count, read marks and e-mail preferences.

Writing only inserts rows: the e-mail goes out later through the outbox worker, so a failing
mail server can never block or roll back the action that caused the notice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db import Page, paginate
from app.errors import NotFound
from app.models import EmailPreference, Notification, OutboxMessage, Role, User, utcnow
from app.notifications.kinds import KINDS, describe, email, kinds_for
from app.schemas import MAX_ID


@dataclass(frozen=True)
class Notice:
    """What is sent: one kind, its params, and where the reader goes to act."""

    kind: str
    params: dict[str, Any]
    link: str
    dedupe: str | None = None  # once per (dedupe, user), however often it is attempted


def active_users(session: Session, org_ids: Iterable[int], role: Role | None = None) -> list[User]:
    ids = sorted(set(org_ids))
    if not ids:
        return []
    query = select(User).where(User.organization_id.in_(ids), User.is_active.is_(True))
    if role is not None:
        query = query.where(User.role == role)
    return list(session.scalars(query.order_by(User.id)))


def coordinators(session: Session) -> list[User]:
    query = select(User).where(User.role == Role.coordinator, User.is_active.is_(True))
    return list(session.scalars(query.order_by(User.id)))


def notify(
    session: Session, users: Iterable[User], notice: Notice, *, skip: int | None = None
) -> int:
    """One notification per active recipient (never `skip`, the actor) and an e-mail unless
    the recipient opted out of the kind. Returns how many notifications were written."""
    people = {u.id: u for u in users if u.is_active and u.id != skip}
    keys = {uid: f"{notice.dedupe}:{uid}" for uid in people} if notice.dedupe else {}
    if keys:
        seen = set(
            session.scalars(
                select(Notification.dedupe_key).where(
                    Notification.dedupe_key.in_(list(keys.values()))
                )
            )
        )
        people = {uid: u for uid, u in people.items() if keys[uid] not in seen}
    muted = opted_out(session, list(people), notice.kind)
    written = 0
    for uid, user in people.items():
        notification_id = _insert(session, uid, notice, keys.get(uid))
        if notification_id is None:  # a concurrent scan wrote it first
            continue
        written += 1
        if uid not in muted:
            session.add(_mail(user, notice, notification_id))
    session.flush()
    return written


def _insert(session: Session, user_id: int, notice: Notice, key: str | None) -> int | None:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, on either backend."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Notification)
        .values(
            user_id=user_id,
            kind=notice.kind,
            params=notice.params,
            link=notice.link,
            dedupe_key=key,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Notification.id)
    )
    return session.execute(statement).scalar()


def _mail(user: User, notice: Notice, notification_id: int) -> OutboxMessage:
    settings = get_settings()
    content = email(notice.kind, notice.params, notice.link, user.locale, settings.public_url)
    return OutboxMessage(notification_id=notification_id, to_email=user.email, **content)


def queue_email(session: Session, to: str, subject: str, body: str) -> OutboxMessage:
    """An e-mail that is no notification (an account link): the same outbox and worker."""
    mail = OutboxMessage(to_email=to, subject=subject[:300], body=body)
    session.add(mail)
    return mail


def opted_out(session: Session, user_ids: list[int], kind: str) -> set[int]:
    if not user_ids:
        return set()
    query = select(EmailPreference.user_id).where(
        EmailPreference.user_id.in_(user_ids),
        EmailPreference.kind == kind,
        EmailPreference.enabled.is_(False),
    )
    return set(session.scalars(query))


# --- the reader's side ---


def _mine(user: User, unread: bool = False) -> Select[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    return query.where(Notification.read_at.is_(None)) if unread else query


def unread_count(session: Session, user: User) -> int:
    query = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def list_notifications(
    session: Session, user: User, page: int = 1, per_page: int = 20, unread: bool = False
) -> Page[Notification]:
    query = _mine(user, unread).order_by(Notification.created_at.desc(), Notification.id.desc())
    return paginate(session, query, page, per_page)


def text_of(notification: Notification, locale: str) -> str:
    return describe(notification.kind, notification.params, locale)


def get_notification(session: Session, user: User, notification_id: int) -> Notification:
    """Another user's notification is NotFound, never Forbidden."""
    found = session.get(Notification, notification_id) if notification_id <= MAX_ID else None
    if found is None or found.user_id != user.id:
        raise NotFound("Notification not found.")
    return found


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    notification = get_notification(session, user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, user: User) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def mark_done(session: Session, users: Iterable[User], kind: str, link: str) -> int:
    """The action a notice asked for was taken: its unread copies for `users` are read."""
    ids = [u.id for u in users]
    if not ids:
        return 0
    result = session.execute(
        update(Notification)
        .where(
            Notification.user_id.in_(ids),
            Notification.kind == kind,
            Notification.link == link,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def safe_link(notification: Notification) -> str:
    """Links are written by this code; still, only ever redirect within the site."""
    link = notification.link
    return link if link.startswith("/") and not link.startswith("//") else "/notifications"


# --- e-mail preferences ---


def preferences(session: Session, user: User) -> dict[str, bool]:
    """Every kind the user's role can receive, with whether its e-mail is on (default on)."""
    query = select(EmailPreference.kind, EmailPreference.enabled).where(
        EmailPreference.user_id == user.id
    )
    stored = {kind: enabled for kind, enabled in session.execute(query)}
    return {k.code: stored.get(k.code, True) for k in kinds_for(user.role)}


def set_preferences(session: Session, user: User, disabled: Iterable[str]) -> dict[str, bool]:
    """Turn off e-mails of the `disabled` kinds and on all others of the user's role."""
    off = set(disabled) & set(KINDS)
    rows = {
        p.kind: p
        for p in session.scalars(select(EmailPreference).where(EmailPreference.user_id == user.id))
    }
    for kind in {k.code for k in kinds_for(user.role)} | off:
        row = rows.get(kind)
        if row is None:
            row = EmailPreference(user_id=user.id, kind=kind)
            session.add(row)
        row.enabled = kind not in off
    session.flush()
    return preferences(session, user)
