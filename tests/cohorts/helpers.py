"""Builders for the cohort tests: a sponsor with its user, cohorts, manufacturers."""

from html.parser import HTMLParser

from sqlalchemy.orm import Session

from app.models import Cohort, CohortMember, Organization, OrgKind, Role, User
from tests.builders import make_manufacturer, make_user


def make_sponsor(session: Session, name: str = "경남터빈㈜") -> User:
    org = Organization(kind=OrgKind.sponsor, name=name)
    session.add(org)
    session.flush()
    return make_user(session, org, Role.sponsor)


def make_cohort(session: Session, sponsor: User, *members: User, name: str = "협력사") -> Cohort:
    cohort = Cohort(sponsor_org_id=sponsor.organization_id, name=name)
    cohort.members = [CohortMember(manufacturer_org_id=m.organization_id) for m in members]
    session.add(cohort)
    session.flush()
    return cohort


def partner(session: Session, name: str, external_id: str | None = None) -> User:
    user = make_manufacturer(session, name=name)
    user.organization.external_id = external_id
    session.flush()
    return user


class Page(HTMLParser):
    """Element ids, and the text of list items under an element with a given id."""

    def __init__(self, html: str, list_id: str = "") -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.items: list[str] = []
        self._list_id, self._inside = list_id, False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if self._list_id and values.get("id") == self._list_id:
            self._inside = True
        elif tag == "li" and self._inside:
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul" and self._inside:
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside and self.items:
            self.items[-1] += data.strip()
