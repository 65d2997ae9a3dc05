"""The programme's money: subsidy committed by the engagements' current agreements, what has
been disbursed of it and what remains, per programme and per sector (the need's, or its
manufacturer's), with the co-payments received. Cancelled engagements commit nothing more
than they were paid. Integer won throughout."""

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dashboard.schemas import Budget, BudgetRow
from app.dashboard.service import MP, Scope, _conditions, need_industry
from app.models import Agreement, Engagement, Need, Payment, PaymentKind, Stage
from app.schemas import MoneyOut

Fact = tuple[int, str, str | None, int, bool]  # engagement, programme, sector, subsidy, cancelled


def _facts(session: Session, scope: Scope) -> list[Fact]:
    latest = (
        select(Agreement.engagement_id, func.max(Agreement.number).label("number"))
        .group_by(Agreement.engagement_id)
        .subquery()
    )
    query = (
        select(
            Engagement.id,
            Agreement.programme,
            need_industry,
            Agreement.price_subsidy,
            Engagement.stage == Stage.cancelled,
        )
        .join(Need, Need.id == Engagement.need_id)
        .outerjoin(MP, MP.organization_id == Need.organization_id)
        .join(latest, latest.c.engagement_id == Engagement.id)
        .join(
            Agreement,
            (Agreement.engagement_id == Engagement.id) & (Agreement.number == latest.c.number),
        )
        .where(*_conditions(scope))
    )
    return [(e, p, s, subsidy, bool(c)) for e, p, s, subsidy, c in session.execute(query)]


def _paid(session: Session, ids: list[int]) -> dict[tuple[int, PaymentKind], int]:
    query = (
        select(Payment.engagement_id, Payment.kind, func.sum(Payment.amount))
        .where(Payment.engagement_id.in_(ids))
        .group_by(Payment.engagement_id, Payment.kind)
    )
    return {(e, k): int(total) for e, k, total in session.execute(query)}


def budget(session: Session, scope: Scope) -> Budget:
    facts = _facts(session, scope)
    paid = _paid(session, [f[0] for f in facts])
    return Budget(
        total=_rows(facts, paid, lambda f: None)[0],
        by_programme=_rows(facts, paid, lambda f: f[1] or None),
        by_sector=_rows(facts, paid, lambda f: f[2]),
    )


def _rows(
    facts: list[Fact],
    paid: dict[tuple[int, PaymentKind], int],
    key: Callable[[Fact], str | None],
) -> list[BudgetRow]:
    groups: dict[str | None, list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    if not groups:
        groups[None] = []
    rows = [_row(name, members, paid) for name, members in groups.items()]
    return sorted(rows, key=lambda r: -r.committed.won)


def _row(
    name: str | None, facts: list[Fact], paid: dict[tuple[int, PaymentKind], int]
) -> BudgetRow:
    disbursed = sum(paid.get((f[0], PaymentKind.subsidy), 0) for f in facts)
    committed = sum(paid.get((f[0], PaymentKind.subsidy), 0) if f[4] else f[3] for f in facts)
    received = sum(paid.get((f[0], PaymentKind.copay), 0) for f in facts)
    return BudgetRow(
        key=name,
        engagements=len(facts),
        committed=MoneyOut.of(committed),
        disbursed=MoneyOut.of(disbursed),
        remaining=MoneyOut.of(committed - disbursed),
        copay_received=MoneyOut.of(received),
    )
