"""A supplier's track record: its verified results and the public reviews of its work.

Its own feature, not part of the engagements service: profiles, the comparison of bids and
matching (through `app.matches`) all read it, and it reads only the engagements' tables.
Two kinds of evidence count, and nothing else:

- a KPI result a coordinator verified (recorded or rejected ones never count), at the
  latest verified phase per KPI: 1 when it met its target, else 0;
- a manufacturer's review of the supplier once it is public (both sides wrote, or the
  review window after closing is over; see `app.engagements.outcomes.reviews_public`), so
  a supplier cannot read the rating off its score before writing its own: rating 1..5 as
  0..1.

The score (0..1) is their mean, damped by how many there are: one success is not yet a
track record (`DAMPING` items make a full one).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.formats import SEOUL
from app.models import (
    REVIEW_WINDOW,
    Engagement,
    EngagementKpi,
    KpiResult,
    Need,
    ResultPhase,
    Review,
    utcnow,
)

DAMPING = 3
TRACK_LIMIT = 20  # lines per supplier: the newest verified results
PHASE_ORDER = {ResultPhase.demonstration: 0, ResultPhase.deployment: 1, ResultPhase.follow_up: 2}


@dataclass(frozen=True)
class TrackLine:
    """One verified result, e.g. 불량률 3.0% -> 0.8% (자동차 부품, 2026)."""

    metric: str
    unit: str
    baseline: float | None
    target: float | None
    value: float
    phase: str  # the latest verified phase: demonstration, deployment or follow_up
    industry: str | None
    year: int
    verified_at: datetime
    met: bool

    @property
    def change(self) -> float | None:
        """Relative change from the baseline in percent (-80.0: a fifth of the defects)."""
        if not self.baseline:
            return None
        return (self.value - self.baseline) / abs(self.baseline) * 100


def target_met(baseline: float | None, target: float | None, value: float) -> bool:
    """A target below the baseline is to be reduced (defects, cost); above, to be raised."""
    if target is None:
        return True
    if baseline is not None and target < baseline:
        return value <= target
    return value >= target


def track_records(session: Session, org_ids: list[int] | None = None) -> dict[int, float]:
    """0..1 per supplier organisation with any evidence (see the module docstring)."""
    items: dict[int, list[float]] = defaultdict(list)
    for org, lines in _latest_results(session, org_ids).items():
        items[org] += [1.0 if line.met else 0.0 for line in lines]
    for org, rating in public_ratings(session, org_ids):
        items[org].append((rating - 1) / 4)
    return {
        org: sum(found) / len(found) * min(1.0, len(found) / DAMPING)
        for org, found in items.items()
    }


def public_ratings(session: Session, org_ids: list[int] | None) -> list[tuple[int, int]]:
    """(supplier organisation, rating) of every public review of a supplier's engagement."""
    written = (
        select(Review.engagement_id, func.count(Review.id).label("n"))
        .group_by(Review.engagement_id)
        .subquery()
    )
    query = (
        select(Engagement.supplier_org_id, Review.rating, written.c.n, Engagement.closed_at)
        .join(Engagement, Engagement.id == Review.engagement_id)
        .join(written, written.c.engagement_id == Review.engagement_id)
        .where(Review.subject_org_id == Engagement.supplier_org_id)
    )
    if org_ids is not None:
        query = query.where(Engagement.supplier_org_id.in_(org_ids))
    now = utcnow()
    return [
        (org, rating)
        for org, rating, count, closed in session.execute(query)
        if count >= 2 or (closed is not None and now >= closed + REVIEW_WINDOW)
    ]


def track_record_lines(session: Session, supplier_org_id: int) -> list[TrackLine]:
    """The supplier's verified results, the latest phase per KPI, newest first."""
    return track_record_by_org(session, [supplier_org_id]).get(supplier_org_id, [])


def track_record_by_org(session: Session, org_ids: list[int]) -> dict[int, list[TrackLine]]:
    """Verified results only, at most TRACK_LIMIT per supplier, for many suppliers in one
    query (a side-by-side comparison)."""
    if not org_ids:
        return {}
    found = _latest_results(session, org_ids)
    return {org: sorted(lines, key=_newest)[:TRACK_LIMIT] for org, lines in found.items()}


def _latest_results(session: Session, org_ids: Iterable[int] | None) -> dict[int, list[TrackLine]]:
    """Each KPI's verified result at its latest verified phase, per supplier organisation."""
    query = (
        select(KpiResult, EngagementKpi, Engagement.supplier_org_id, Need.industry)
        .join(EngagementKpi, EngagementKpi.id == KpiResult.kpi_id)
        .join(Engagement, Engagement.id == EngagementKpi.engagement_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(KpiResult.verified_at.is_not(None))
    )
    if org_ids is not None:
        query = query.where(Engagement.supplier_org_id.in_(list(org_ids)))
    latest: dict[int, tuple[KpiResult, EngagementKpi, int, str | None]] = {}
    for result, kpi, org, industry in session.execute(query):
        seen = latest.get(kpi.id)
        if seen is None or PHASE_ORDER[result.phase] > PHASE_ORDER[seen[0].phase]:
            latest[kpi.id] = (result, kpi, org, industry)
    lines: dict[int, list[TrackLine]] = defaultdict(list)
    for result, kpi, org, industry in latest.values():
        lines[org].append(_line(result, kpi, industry))
    return lines


def _newest(line: TrackLine) -> tuple[float, str]:
    return (-line.verified_at.timestamp(), line.metric)


def _line(result: KpiResult, kpi: EngagementKpi, industry: str | None) -> TrackLine:
    verified = result.verified_at or result.recorded_at
    return TrackLine(
        metric=kpi.metric,
        unit=kpi.unit,
        baseline=kpi.baseline,
        target=kpi.target,
        value=result.value,
        phase=result.phase.value,
        industry=industry,
        year=verified.astimezone(SEOUL).year,
        verified_at=verified,
        met=target_met(kpi.baseline, kpi.target, result.value),
    )
