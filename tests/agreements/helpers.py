"""A cast with an awarded-price agreement (KRW 115,000,000: 8,625만 subsidy, 2,875만 co-pay)."""

from datetime import date

from sqlalchemy.orm import Session

from app.agreements.schemas import PaymentIn
from app.engagements import work
from app.models import Stage
from tests.engagements.helpers import Cast, cast

TOTAL, SUBSIDY, COPAY = 115_000_000, 86_250_000, 28_750_000


def priced(session: Session, agreed: bool = False) -> Cast:
    """The cast, its agreement version 1 priced like an awarded bid and (unless `agreed`)
    confirmed by neither side; a design milestone to tie tranches to."""
    c = cast(session)
    agreement = c.engagement.agreements[0]
    agreement.price_total, agreement.price_subsidy, agreement.price_copay = TOTAL, SUBSIDY, COPAY
    if not agreed:
        agreement.supplier_confirmed_at = agreement.manufacturer_confirmed_at = None
    work.add_milestone(session, c.supplier, c.engagement.id, Stage.design, "설계서", "", None)
    session.flush()
    return c


def tranche(c: Cast, amount: int, kind: str = "subsidy") -> PaymentIn:
    milestone = c.engagement.milestones[0].id
    return PaymentIn(
        milestone_id=milestone,
        kind=kind,  # type: ignore[arg-type]
        amount=amount,
        paid_on=date(2026, 3, 2),
        reference="AI바우처-2026-0042",
    )


def amendment(number: int = 1, **terms: object) -> dict[str, object]:
    body: dict[str, object] = {
        "number": number,
        "scope": "비전 검사 시스템 구축 (범위 조정)",
        "price_total": 120_000_000,
        "price_subsidy": 90_000_000,
        "price_copay": 30_000_000,
        "programme": "AI 바우처 2026",
        "reference": "AIV-2026-0042",
        "reason": "검사 라인 1개 추가",
    }
    return body | terms
