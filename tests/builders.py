"""Plain builder functions for tests (no factory library)."""

import itertools
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.accounts.business import check_digit
from app.models import (
    CaseStudy,
    Engagement,
    ManufacturerProfile,
    Membership,
    Need,
    NeedKpi,
    NeedStatus,
    Organization,
    OrgKind,
    Role,
    SupplierProfile,
    User,
    utcnow,
)

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def business_number(n: int | None = None) -> str:
    """A valid 사업자등록번호 (ten digits, the last the check digit), different each call."""
    first = f"{(n if n is not None else next(_seq)) % 10**9 + 10**8:09d}"[-9:]
    return first + str(check_digit(first))


def make_user(
    session: Session, org: Organization, role: Role, email: str | None = None, locale: str = "ko"
) -> User:
    email = email or f"user{next(_seq)}@{org.kind.value}.example.kr"
    return accounts.create_user(session, org, email, PASSWORD, f"User {email}", role, locale)


def make_manufacturer(
    session: Session, name: str = "테스트정밀", checked: bool = True, **profile: Any
) -> User:
    """`checked`: the support group has checked one of its needs already (a known member);
    an unchecked one is newly registered, its first need waits (app/needs/checks.py)."""
    org = Organization(
        kind=OrgKind.manufacturer, name=name, checked_at=utcnow() if checked else None
    )
    profile = {"industry": "30", "region": "gn-changwon", "sf_level": "basic", **profile}
    session.add(ManufacturerProfile(organization=org, **profile))
    return make_user(session, org, Role.manufacturer)


def make_supplier(
    session: Session,
    name: str = "테스트AI",
    membership: Membership = Membership.admitted,
    **profile: Any,
) -> User:
    org = Organization(kind=OrgKind.supplier, name=name)
    profile = {
        "description_ko": "비전 검사 전문 기업",
        "region": "gn-changwon",
        "capacity": 3,
        "specialties": ["machine_vision"],
        "ai_techniques": ["vision_inspection"],
        **profile,
    }
    session.add(SupplierProfile(organization=org, membership=membership, **profile))
    return make_user(session, org, Role.supplier)


def make_staff(session: Session, role: Role = Role.coordinator) -> User:
    return accounts.create_staff(
        session, f"staff{next(_seq)}@gn-ai.example.kr", PASSWORD, "코디네이터", role
    )


def make_need(
    session: Session, owner: User, status: NeedStatus = NeedStatus.open, **fields: Any
) -> Need:
    values = {
        "title": "프레스 불량 검사 자동화",
        "description": "프레스 공정의 찍힘 불량을 육안으로 검사합니다.",
        "industry": "30",
        "process": "press",
        "ai_techniques": ["vision_inspection"],
        "region": "gn-changwon",
        "budget_min": 3000,
        "budget_max": 8000,
        "subsidy_share": 75,
        **fields,
    }
    need = Need(
        organization_id=owner.organization_id,
        created_by_id=owner.id,
        status=status,
        published_at=utcnow() if status is not NeedStatus.draft else None,
        **values,
    )
    need.kpis.append(NeedKpi(metric="defect_rate", unit="percent", baseline=3.0, target=1.0))
    session.add(need)
    session.flush()
    return need


class Browser:
    """Drives the app like a browser: session cookie, CSRF token in every form."""

    def __init__(self, client: TestClient, session: Session) -> None:
        self.client = client
        self.session = session

    def login(self, user: User) -> "Browser":
        self.client.cookies.set("axm_session", accounts.start_session(self.session, user))
        self.session.flush()
        return self

    def logout(self) -> None:
        self.client.cookies.delete("axm_session")

    def csrf(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/login")
        return self.client.cookies["csrftoken"]

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.client.get(url, follow_redirects=False, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        form = {"csrftoken": self.csrf(), **(data or {})}
        return self.client.post(url, data=form, follow_redirects=False, **kwargs)

    def confirm(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        """Post an irreversible page action as its confirmation page does (confirm=1)."""
        return self.post(url, {**(data or {}), "confirm": "1"}, **kwargs)

    def api(self, method: str, url: str, json: Any = None, **kwargs: Any) -> Response:
        headers = {"x-csrftoken": self.csrf(), **kwargs.pop("headers", {})}
        return self.client.request(method, url, json=json, headers=headers, **kwargs)


def make_case_study(session: Session, supplier: User, **fields: Any) -> CaseStudy:
    profile = supplier.organization.supplier
    assert profile is not None, "make_case_study needs a supplier user"
    values = {
        "title": "자동차 부품 프레스 비전 검사",
        "text": "프레스 공정 찍힘 불량을 딥러닝 비전으로 검사했습니다.",
        "industry": "30",
        "process": "press",
        "outcome": "불량 유출 90% 감소",
        "year": 2024,
        **fields,
    }
    study = CaseStudy(position=len(profile.case_studies) + 1, **values)
    profile.case_studies.append(study)
    session.flush()
    return study


def make_engagement(
    session: Session, manufacturer: User, supplier: User, agreed: bool = True, **need_fields: Any
) -> Engagement:
    """An engagement in consulting, started the way approval starts one; `agreed`: both
    parties have confirmed its first agreement version (the gate into design asks for it)."""
    from app.agreements.service import consulting_begins
    from app.engagements.service import start_engagement

    need = make_need(session, manufacturer, status=NeedStatus.closed, **need_fields)
    engagement = start_engagement(session, None, need, supplier.organization_id)
    agreement = engagement.agreements[0]
    if agreed:
        agreement.supplier_confirmed_at = agreement.manufacturer_confirmed_at = utcnow()
        agreement.supplier_confirmed_by_id, agreement.manufacturer_confirmed_by_id = (
            supplier.id,
            manufacturer.id,
        )
        consulting_begins(engagement)
    session.flush()
    return engagement


# The shared HTML landmark parser: ids of checked inputs, hidden inputs, and the text inside
# each element that has an id (tests read pages by landmarks, never by substrings).
VOID = {"input", "br", "meta", "link", "img", "hr"}


class Page(HTMLParser):
    """Ids of checked inputs, and the text inside each element that has an id."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: set[str] = set()
        self.hidden: dict[str, str] = {}  # hidden inputs by name (the last of a name wins)
        self.texts: dict[str, str] = {}
        self.hrefs: set[str] = set()  # every link's target
        self.selected: dict[str, str] = {}  # each select's chosen option value, by its id
        self.stack: list[tuple[str, str | None]] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.add(str(found["href"]))
        if tag == "input" and "checked" in found and found.get("id"):
            self.checked.add(str(found["id"]))
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.hidden[str(found["name"])] = found.get("value") or ""
        if tag == "select":
            self.select = found.get("id")
        if tag == "option" and "selected" in found and self.select:
            self.selected[self.select] = found.get("value") or ""
        if tag not in VOID:
            self.stack.append((tag, found.get("id")))
            if found.get("id"):
                self.texts[str(found["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, element in self.stack:
            if element:
                self.texts[element] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page
