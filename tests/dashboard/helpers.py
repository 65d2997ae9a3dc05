"""A small programme arranged row by row, with the figures it must produce worked out by
hand; and a parser for the dashboard's tables and charts."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser

from sqlalchemy.orm import Session

from app.models import (
    Bid,
    BidInvitation,
    BidStatus,
    Cohort,
    CohortMember,
    Engagement,
    EngagementKpi,
    KpiResult,
    Membership,
    Need,
    NeedStatus,
    Organization,
    OrgKind,
    ResultPhase,
    Role,
    Stage,
    User,
    utcnow,
)
from tests.builders import (
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
    make_user,
)

D0 = date(2026, 3, 2)
SECRET = "대표 결재 한도 1억 원 (대외비 메모)"


@dataclass
class Programme:
    coordinator: User
    m1: User  # sector 30 (auto parts), Changwon, basic level
    m2: User  # sector 29 (machinery), Gimhae, intermediate 1
    s1: User
    s2: User
    s3: User
    e1: Engagement  # m1 with s1, in consulting, started today
    e2: Engagement  # m1 with s1, closed out
    e3: Engagement  # m2 with s2, in deployment
    e4: Engagement  # m2 with s3, cancelled in design
    sponsor: User  # sponsors a cohort of m2
    cohort: Cohort
    other_cohort: Cohort  # another sponsor's cohort of m1


def at(day: date) -> datetime:
    return datetime.combine(day, time(3), UTC)


def plan(engagement: Engagement, stage: Stage, days: dict[Stage, tuple[int, int | None]]) -> None:
    """Put the engagement in `stage`, with stage rows started and ended on D0 + n days."""
    rows = {row.stage: row for row in engagement.stages}
    for name, (start, end) in days.items():
        rows[name].actual_start = D0 + timedelta(days=start)
        rows[name].actual_end = D0 + timedelta(days=end) if end is not None else None
    engagement.stage = stage
    engagement.created_at = at(D0)


def result(
    engagement: Engagement,
    metric: str,
    unit: str,
    baseline: float,
    target: float,
    values: dict[ResultPhase, float],
    verified: bool = True,
    acceptance: bool = False,
) -> None:
    kpi = EngagementKpi(
        metric=metric, unit=unit, baseline=baseline, target=target, acceptance=acceptance
    )
    for phase, value in values.items():
        kpi.results.append(
            KpiResult(phase=phase, value=value, verified_at=utcnow() if verified else None)
        )
    engagement.kpis.append(kpi)


def arrange(session: Session) -> Programme:
    m1 = make_manufacturer(session, "창원정밀공업", industry="30", region="gn-changwon")
    m2 = make_manufacturer(
        session, "김해기계", industry="29", region="gn-gimhae", sf_level="intermediate1"
    )
    s1, s2, s3 = (make_supplier(session, name) for name in ("비전원", "스마트투", "데이터삼"))
    make_supplier(session, "신청사", membership=Membership.applied)
    # needs that never became engagements: posted; shortlisted; bid on; a draft
    make_need(session, m1, confidential_notes=SECRET, budget_max=98765)
    invited = make_need(session, m1, industry="30")
    session.add(BidInvitation(need_id=invited.id, supplier_org_id=s1.organization_id))
    bid_on = make_need(session, m2, industry="29", region="gn-gimhae")
    session.add(Bid(need_id=bid_on.id, supplier_org_id=s2.organization_id, price_total=5000))
    withdrawn = make_need(session, m1)
    session.add(
        Bid(
            need_id=withdrawn.id,
            supplier_org_id=s3.organization_id,
            price_total=1,
            status=BidStatus.withdrawn,
        )
    )
    make_need(session, m2, status=NeedStatus.draft, industry="29")
    e1 = make_engagement(session, m1, s1)
    e2 = make_engagement(session, m1, s1)
    plan(
        e2,
        Stage.closed,
        {
            Stage.consulting: (0, 10),
            Stage.design: (10, 30),
            Stage.demonstration: (30, 40),
            Stage.deployment: (40, 45),
        },
    )
    e3 = make_engagement(session, m2, s2, industry="29", region="gn-gimhae")
    plan(
        e3,
        Stage.deployment,
        {
            Stage.consulting: (0, 20),
            Stage.design: (20, 26),
            Stage.demonstration: (26, 30),
            Stage.deployment: (30, None),
        },
    )
    e4 = make_engagement(session, m2, s3, industry="29", region="gn-gimhae")
    plan(e4, Stage.cancelled, {Stage.consulting: (0, 4), Stage.design: (4, 9)})
    outcomes(e2, e3)
    sponsor, cohort, other = cohorts(session, m1, m2)
    session.flush()
    return Programme(
        make_staff(session), m1, m2, s1, s2, s3, e1, e2, e3, e4, sponsor, cohort, other
    )


def outcomes(e2: Engagement, e3: Engagement) -> None:
    """e2's demonstration met its one acceptance target (m1 adopts AI); e3's missed it and
    a coordinator moved it on with a reason (m2 is counted apart, not against the goal)."""
    demo, deploy, follow = ResultPhase.demonstration, ResultPhase.deployment, ResultPhase.follow_up
    for kpi in e2.kpis + e3.kpis:  # the need's own KPI, never measured here
        kpi.acceptance = False
    result(e2, "defect_rate", "%", 4.0, 1.0, {demo: 1.0, deploy: 1.0}, acceptance=True)  # +75%
    result(e2, "defect_rate", "%", 4.0, 1.0, {follow: 0.5}, verified=False)  # not counted
    result(e2, "accidents", "건/년", 10, 5, {deploy: 6})  # 40% fewer
    result(e3, "defect_rate", "%", 2.0, 1.0, {deploy: 1.5})  # +25%
    result(e3, "energy", "kWh", 1000, 800, {demo: 900}, acceptance=True)  # +10%, missed
    result(e3, "accidents", "건/년", 4, 2, {demo: 3})  # 25% fewer
    e3.gate_override_reason = "에너지 절감 목표 미달이나 현장 요청으로 도입 승인"
    e3.gate_override_at = at(D0 + timedelta(days=30))


def cohorts(session: Session, m1: User, m2: User) -> tuple[User, Cohort, Cohort]:
    org = Organization(kind=OrgKind.sponsor, name="두산후원")
    rival = Organization(kind=OrgKind.sponsor, name="경쟁후원")
    cohort = Cohort(sponsor=org, name="터빈 협력사")
    cohort.members.append(CohortMember(manufacturer_org_id=m2.organization_id))
    other = Cohort(sponsor=rival, name="남의 코호트")
    other.members.append(CohortMember(manufacturer_org_id=m1.organization_id))
    session.add_all([cohort, other])
    return make_user(session, org, Role.sponsor), cohort, other


def set_posted(need: Need, day: date) -> None:
    need.published_at = at(day)


class Page(HTMLParser):
    """Tables (by id) as rows of cell texts, the charts' sources, and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.charts: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table or ""] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "img" and "chart" in (a.get("class") or ""):
            self.charts.append(a.get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        self.text.append(data)

    def column(self, table: str, key: str, index: int = 1) -> str:
        """The cell in column `index` of the row whose first cell is `key`."""
        return next(row[index] for row in self.tables[table] if row and row[0] == key)
