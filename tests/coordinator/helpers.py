"""Shared by the coordinator and admin tests: HTML landmarks and API auth headers."""

from html.parser import HTMLParser

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.models import AuditEntry, User


class Landmarks(HTMLParser):
    """Ids and row classes of a page, parsed (not string-matched)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.classes: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        self.classes.extend((values.get("class") or "").split())

    def count(self, css_class: str) -> int:
        return self.classes.count(css_class)


def bearer(session: Session, user: User) -> dict[str, str]:
    _, secret = accounts.create_api_token(session, user, "test")
    session.flush()
    return {"authorization": f"Bearer {secret}"}


def audit_count(session: Session, action_prefix: str = "") -> int:
    query = select(func.count(AuditEntry.id))
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix))
    return session.scalar(query) or 0
