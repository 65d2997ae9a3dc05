"""Outcomes: KPI results per phase (recorded by the parties, verified by a coordinator) and
reviews after closing (shown once both sides wrote, or after 14 days)."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import vocab
from app.audit import record
from app.db import unique_or_conflict
from app.engagements.service import OPEN_STAGES, get_engagement, is_staff, party_of
from app.engagements.work import SUPPLIER_PAUSED
from app.errors import Conflict, Forbidden, NotFound
from app.i18n import Msgid
from app.matches.eligibility import require_admitted
from app.models import (
    Engagement,
    EngagementKpi,
    KpiResult,
    ResultPhase,
    Review,
    Stage,
    User,
    utcnow,
)

# A phase's result can be recorded once the engagement has reached this stage.
PHASE_STAGE = {
    ResultPhase.demonstration: Stage.demonstration,
    ResultPhase.deployment: Stage.deployment,
    ResultPhase.follow_up: Stage.closed,
}
PHASE_NAMES = {
    ResultPhase.demonstration: Msgid("Demonstration"),
    ResultPhase.deployment: Msgid("Deployment"),
    ResultPhase.follow_up: Msgid("Follow-up"),
}
PATH = [*OPEN_STAGES, Stage.closed]
REVIEWED = Msgid("Your organisation has already reviewed this engagement.")


def record_result(
    session: Session,
    user: User,
    engagement_id: int,
    kpi_id: int,
    phase: ResultPhase,
    value: float,
    evidence: str,
) -> KpiResult:
    """Recording again before verification replaces the earlier figure."""
    engagement = get_engagement(session, user, engagement_id)
    if party_of(user, engagement) is None:
        raise Forbidden("Only the supplier or the manufacturer records results.")
    if engagement.stage is Stage.cancelled:
        raise Conflict("A closed or cancelled engagement is read-only.")
    if party_of(user, engagement) == "supplier":
        require_admitted(session, engagement.supplier_org_id, SUPPLIER_PAUSED)
    if phase not in recordable_phases(engagement):
        raise Conflict(
            "%(phase)s results can be recorded once the engagement has reached that stage.",
            phase=PHASE_NAMES[phase],
        )
    kpi = _kpi(engagement, kpi_id)
    result = next((r for r in kpi.results if r.phase is phase), None)
    if result is not None and result.verified_at is not None:
        raise Conflict("A verified result cannot be changed.")
    if result is None:
        result = KpiResult(phase=phase, value=value)
        kpi.results.append(result)
    result.value, result.evidence, result.rejected_reason = value, evidence, None
    result.recorded_by_id = user.id
    result.recorded_at = engagement.updated_at = utcnow()
    session.flush()
    after = {"result_id": result.id, "metric": kpi.metric, "phase": phase.value, "value": value}
    record(session, user, "engagement.result_recorded", engagement, after=after)
    return result


def recordable_phases(engagement: Engagement) -> list[ResultPhase]:
    """The phases whose results may be recorded now (the engagement has reached them)."""
    if engagement.stage is Stage.cancelled:
        return []
    reached = PATH.index(engagement.stage)
    return [phase for phase, stage in PHASE_STAGE.items() if PATH.index(stage) <= reached]


def open_phases(engagement: Engagement) -> list[ResultPhase]:
    """What the result form offers: reached phases some KPI has no verified result for."""
    return [
        phase
        for phase in recordable_phases(engagement)
        if any(not _verified(kpi, phase) for kpi in engagement.kpis)
    ]


def open_kpis(engagement: Engagement, phases: list[ResultPhase]) -> list[EngagementKpi]:
    """The KPIs still missing a verified result in one of `phases`."""
    return [k for k in engagement.kpis if any(not _verified(k, p) for p in phases)]


def _verified(kpi: EngagementKpi, phase: ResultPhase) -> bool:
    return any(r.phase is phase and r.verified_at is not None for r in kpi.results)


def target_met(result: KpiResult) -> bool | None:
    """Met or missed against the KPI's target, in its better direction; None: no target."""
    kpi = result.kpi
    if kpi.target is None:
        return None
    return vocab.meets_target(kpi.metric, kpi.baseline, kpi.target, result.value)


def _kpi(engagement: Engagement, kpi_id: int) -> EngagementKpi:
    kpi = next((k for k in engagement.kpis if k.id == kpi_id), None)
    if kpi is None:
        raise NotFound("KPI not found.")
    return kpi


def _result(session: Session, user: User, engagement_id: int, result_id: int) -> KpiResult:
    engagement = get_engagement(session, user, engagement_id)
    if not is_staff(user):
        raise Forbidden("Only a coordinator verifies results.")
    result = session.get(KpiResult, result_id)
    if result is None or result.kpi.engagement_id != engagement.id:
        raise NotFound("Result not found.")
    if result.verified_at is not None:
        raise Conflict("This result is already verified.")
    return result


def verify_result(session: Session, user: User, engagement_id: int, result_id: int) -> KpiResult:
    result = _result(session, user, engagement_id, result_id)
    result.verified_at, result.verified_by_id, result.rejected_reason = utcnow(), user.id, None
    engagement = result.kpi.engagement
    engagement.updated_at = utcnow()
    after = {"result_id": result.id, "metric": result.kpi.metric, "value": result.value}
    record(session, user, "engagement.result_verified", engagement, after=after)
    return result


def reject_result(
    session: Session, user: User, engagement_id: int, result_id: int, reason: str
) -> KpiResult:
    result = _result(session, user, engagement_id, result_id)
    result.rejected_reason = reason
    engagement = result.kpi.engagement
    engagement.updated_at = utcnow()
    after = {"result_id": result.id, "metric": result.kpi.metric}
    record(session, user, "engagement.result_rejected", engagement, after=after, reason=reason)
    return result


def write_review(
    session: Session, user: User, engagement_id: int, rating: int, text: str
) -> Review:
    """One review per side, of the other side, once the engagement is closed."""
    engagement = get_engagement(session, user, engagement_id)
    side = party_of(user, engagement)
    if side is None:
        raise Forbidden("Only the supplier and the manufacturer write reviews.")
    if engagement.stage is not Stage.closed:
        raise Conflict("Reviews open when the engagement is closed.")
    if any(r.author_org_id == user.organization_id for r in reviews_of(session, engagement)):
        raise Conflict(REVIEWED)
    subject = engagement.manufacturer_org_id if side == "supplier" else engagement.supplier_org_id
    review = Review(
        engagement_id=engagement.id,
        author_org_id=user.organization_id,
        subject_org_id=subject,
        rating=rating,
        text=text,
    )
    with unique_or_conflict(session, REVIEWED):  # a colleague's review at this moment
        session.add(review)
    after = {"review_id": review.id, "rating": rating, "subject_org_id": subject}
    record(session, user, "engagement.reviewed", engagement, after=after)
    return review


def reviews_of(session: Session, engagement: Engagement) -> list[Review]:
    query = select(Review).where(Review.engagement_id == engagement.id).order_by(Review.id)
    return list(session.scalars(query))


def reviews_public(engagement: Engagement, reviews: list[Review], now: datetime) -> bool:
    """Neither side can retaliate: both wrote, or the 14 days after closing are over."""
    return engagement.reviews_public(len(reviews), now)


def visible_reviews(session: Session, user: User, engagement: Engagement) -> list[Review]:
    """Everyone who may see the engagement sees public reviews; an author sees its own."""
    reviews = reviews_of(session, engagement)
    if reviews_public(engagement, reviews, utcnow()):
        return reviews
    return [r for r in reviews if r.author_org_id == user.organization_id]
