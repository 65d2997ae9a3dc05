"""Shared arrangements for the readiness tests: manufacturers on either side of the threshold,
suppliers on either path."""

from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Need, NeedStatus, User, utcnow
from tests.builders import make_manufacturer, make_need, make_supplier

VISION = "프레스 공정 찍힘 불량을 딥러닝 비전 검사로 자동 판정합니다. 카메라와 조명을 설계합니다."
NEED_TEXT = "프레스 공정에서 찍힘 불량을 사람이 검사합니다. 비전 검사로 자동화하고 싶습니다."


def low_readiness(session: Session, name: str = "기초정밀") -> User:
    """Basic smart-factory level, no data collected: below both thresholds."""
    return make_manufacturer(session, name=name, sf_level="basic", readiness_data="none")


def high_readiness(session: Session, name: str = "고도화정밀") -> User:
    return make_manufacturer(
        session,
        name=name,
        sf_level="intermediate2",
        readiness_data="systematic",
        systems=["mes", "erp"],
    )


def draft(session: Session, owner: User) -> Need:
    deadline = utcnow() + timedelta(days=10)
    need = make_need(session, owner, status=NeedStatus.draft, deadline_at=deadline)
    need.title, need.description = "프레스 찍힘 불량 비전 검사", NEED_TEXT
    session.flush()
    return need


def suppliers(session: Session) -> dict[str, User]:
    """An AI vision supplier (text close to the need) and two readiness-path suppliers."""
    return {
        "vision": make_supplier(session, "비전AI", description_ko=VISION),
        "mes": make_supplier(
            session,
            "MES구축",
            description_ko="중소 제조기업에 MES와 POP를 구축하고 생산 실적을 수집합니다.",
            specialties=["mes"],
            ai_techniques=[],
        ),
        "edge": make_supplier(
            session,
            "엣지수집",
            description_ko="설비에 센서와 PLC 게이트웨이를 달아 가동 데이터를 수집합니다.",
            specialties=["sensor", "network"],
            ai_techniques=["data_platform"],
        ),
    }


def need_actions(session: Session, need_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(
        AuditEntry.entity_type == "needs", AuditEntry.entity_id == need_id
    )
    return list(session.scalars(query.order_by(AuditEntry.id)))


class Landmarks(HTMLParser):
    """Ids of elements and the text of the track section's list items."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.reasons: list[str] = []
        self._in_reasons = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "ul" and values.get("id") == "track-reasons":
            self._in_reasons = True
        if tag == "li" and self._in_reasons:
            self.reasons.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul" and self._in_reasons:
            self._in_reasons = False
            self.reasons = [reason.strip() for reason in self.reasons]

    def handle_data(self, data: str) -> None:
        if self._in_reasons and self.reasons:
            self.reasons[-1] += data
