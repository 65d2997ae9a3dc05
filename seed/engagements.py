"""Demo engagements: the closed demo needs, each carried by a fitting admitted supplier to a
different point (every stage, one cancelled), with verified results where a stage has passed,
so a new user's first pages already show a living programme. Idempotent by need."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engagements.service import WORK_STAGES, start_engagement
from app.models import (
    AuditEntry,
    Engagement,
    KpiResult,
    Membership,
    Need,
    NeedStatus,
    ResultPhase,
    Stage,
    SupplierProfile,
    utcnow,
)

# Where each closed need's engagement stands, in the order the closed needs are listed.
PLAN = [
    Stage.consulting,
    Stage.design,
    Stage.demonstration,
    Stage.deployment,
    Stage.closed,
    Stage.closed,
    Stage.deployment,
    Stage.demonstration,
    Stage.design,
    Stage.closed,
    Stage.cancelled,
    Stage.consulting,
]
# Measured values as a share of the way from baseline to target (1.0 = target met).
PROGRESS = {ResultPhase.demonstration: 1.0, ResultPhase.deployment: 1.1}
# The engagement (by its place in PLAN) whose demonstration fell short and that a coordinator
# moved to deployment anyway, with a reason: the dashboard shows it apart ("목표 미달 승인").
BELOW_TARGET = 6
SHORT_OF_TARGET = 0.8
# One engagement (by place) ran past its stage's planned end, and one has had nothing recorded
# for longer than AXMATCH_STALLED_DAYS (its start is dated back): the board flags both.
OVERDUE = 1
OVERDUE_BY = 6
STALLED = 11
QUIET_FOR = 30
OVERRIDE_REASON = (
    "실증 목표에 일부 미달했으나 현장 라인 교체 일정상 도입 후 보완하기로 함 (데모 데이터)"
)


def fitting_supplier(session: Session, need: Need) -> int:
    """The admitted supplier serving the need's process (then technique), first by name."""
    suppliers = session.scalars(
        select(SupplierProfile)
        .where(SupplierProfile.membership == Membership.admitted)
        .order_by(SupplierProfile.id)
    ).all()
    for test in (
        lambda p: need.process in p.processes,
        lambda p: set(need.ai_techniques) & set(p.ai_techniques),
        lambda p: True,
    ):
        found = [p for p in suppliers if test(p)]
        if found:
            return found[len(need.title) % len(found)].organization_id
    raise LookupError("no admitted supplier to carry a demo engagement")


def advance(engagement: Engagement, target: Stage) -> None:
    """Walk the stages up to `target` on 30-day plans laid so that today falls inside the
    current stage's plan (a closed one ended five days ago), signed off as each one ended."""
    order = sorted(engagement.stages, key=lambda r: WORK_STAGES.index(r.stage))
    current = WORK_STAGES.index(target) if target in WORK_STAGES else 0
    today = date.today()
    start = today - timedelta(days=125 if target is Stage.closed else 30 * current + 10)
    for n, row in enumerate(order):
        row.planned_start, row.planned_end = start, start + timedelta(days=30)
        if (
            target is Stage.closed
            or n < current
            or (n == current and target is not Stage.cancelled)
        ):
            row.actual_start = start
        if target is Stage.closed or n < current:
            row.actual_end = start + timedelta(days=29)
            row.signed_off_at = datetime.combine(row.actual_end, time(18), UTC)
        start += timedelta(days=30)
    engagement.created_at = datetime.combine(order[0].planned_start, time(9), UTC)
    engagement.stage = target
    if target is Stage.cancelled:
        engagement.cancel_reason = "현장 설비 교체 일정으로 사업 보류 (데모 데이터)"
        engagement.closed_at = utcnow() - timedelta(days=3)
    if target is Stage.closed:
        engagement.closed_at = datetime.combine(today - timedelta(days=5), time(18), UTC)


def record_results(engagement: Engagement, target: Stage, short: bool = False) -> None:
    phases = []
    if target in (Stage.deployment, Stage.closed):
        phases.append(ResultPhase.demonstration)
    if target is Stage.closed:
        phases.append(ResultPhase.deployment)
    for kpi in engagement.kpis:
        for phase in phases:
            if kpi.baseline is None or kpi.target is None:
                continue
            share = SHORT_OF_TARGET if short and phase is ResultPhase.demonstration else None
            value = kpi.baseline + (kpi.target - kpi.baseline) * (share or PROGRESS[phase])
            kpi.results.append(
                KpiResult(
                    phase=phase,
                    value=round(value, 2),
                    evidence="현장 측정 기록 (데모 데이터)",
                    verified_at=utcnow(),
                )
            )


PROGRAMME = "AI 바우처 2026 (데모)"


def price(engagement: Engagement) -> None:
    """The demo agreement: the need's top budget (만원) in won, split by its subsidy share,
    under the voucher programme; confirmed by both sides once consulting is behind it (the
    engagements still in consulting wait for their parties, as real ones do)."""
    need, agreement = engagement.need, engagement.agreements[0]
    total = (need.budget_max or need.budget_min or 5000) * 10_000
    subsidy = total * (need.subsidy_share or 0) // 100
    agreement.price_total, agreement.price_subsidy = total, subsidy
    agreement.price_copay = total - subsidy
    agreement.programme = PROGRAMME if subsidy else ""
    agreement.reference = f"AIV-DEMO-{need.id:04d}" if subsidy else ""
    if engagement.stage is not Stage.consulting:
        agreement.supplier_confirmed_at = agreement.manufacturer_confirmed_at = utcnow()


def load_engagements(session: Session) -> int:
    closed = session.scalars(
        select(Need)
        .where(Need.status == NeedStatus.closed, Need.external_id.is_not(None))
        .order_by(Need.id)
    ).all()
    taken = set(session.scalars(select(Engagement.need_id)))
    created = 0
    for place, (need, target) in enumerate(zip(closed, PLAN, strict=False)):
        if need.id in taken:
            continue
        engagement = start_engagement(session, None, need, fitting_supplier(session, need))
        advance(engagement, target)
        price(engagement)
        record_results(engagement, target, short=place == BELOW_TARGET)
        if place == BELOW_TARGET:
            engagement.gate_override_reason = OVERRIDE_REASON
            engagement.gate_override_at = utcnow()
        if place == OVERDUE:
            current = next(r for r in engagement.stages if r.stage is target)
            current.planned_end = date.today() - timedelta(days=OVERDUE_BY)
        session.flush()
        if place == STALLED:
            quiet(session, engagement)
        created += 1
    session.flush()
    return created


def quiet(session: Session, engagement: Engagement) -> None:
    """Start the engagement QUIET_FOR days ago, with nothing recorded since (it is still
    inside its consulting plan: stalled, not overdue)."""
    since = utcnow() - timedelta(days=QUIET_FOR)
    row = next(r for r in engagement.stages if r.stage is engagement.stage)
    row.planned_start = row.actual_start = date.today() - timedelta(days=QUIET_FOR)
    row.planned_end = date.today() + timedelta(days=5)
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == Engagement.__tablename__,
            AuditEntry.entity_id == engagement.id,
        )
    )
    for entry in entries:
        entry.created_at = since
    engagement.created_at = since
