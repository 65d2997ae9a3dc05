"""The manufacturer's side-by-side comparison of a need's bids: each bid with its fit, its
price against the need's budget, its duration against the wanted timeline, and the
supplier's track record and public reviews. Sealing is `service.visible_bids`'s alone: this
module only decorates the bids that rule lets through.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bids.service import BidView, case_studies, visible_bids
from app.matches import service as matches
from app.matches.cache import IndexCache
from app.matches.eligibility import standing
from app.matches.service import Suggestion
from app.models import (
    Bid,
    CaseStudy,
    Engagement,
    Membership,
    Need,
    Role,
    Stage,
    SupplierProfile,
    User,
)
from app.money import MANWON
from app.track_record.service import TrackLine, public_ratings, track_record_by_org

SORTS = ("price", "fit", "duration")
WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class Against:
    """A bid's figure against what the need asked for: `status` is within / over / under
    (below the budget's minimum) / unknown (the need or the bid gives no figure);
    `difference` is how far outside (won for prices, weeks for durations), else 0."""

    status: Literal["within", "over", "under", "unknown"]
    difference: int = 0


@dataclass(frozen=True)
class Standing:
    """What the supplier has done before: completed engagements, case studies on its
    profile, and the public reviews of its work (mean rating 1..5 with n)."""

    completed: int = 0
    case_studies: int = 0
    review_average: float | None = None
    review_count: int = 0


@dataclass(frozen=True)
class Row:
    """One bid side by side: its match score and reasons, the case studies it cites and the
    supplier's verified track record."""

    bid: Bid
    match: Suggestion | None
    studies: list[CaseStudy]
    track: list[TrackLine]
    membership: Membership | None = Membership.admitted  # flagged when not admitted now
    price: Against = Against("unknown")
    duration: Against = Against("unknown")
    weeks: int | None = None  # the bid's timeline in weeks, all stages
    record: Standing = Standing()

    @property
    def reasons(self) -> list[str]:
        if self.match is None:
            return []
        return [e.sentence for e in self.match.evidence] + [
            r.label for r in self.match.reasons if not r.ok
        ]


def price_against(need: Need, price_total: int) -> Against:
    """Bids and budgets are in 만원; the difference is in won."""
    if need.budget_max is not None and price_total > need.budget_max:
        return Against("over", (price_total - need.budget_max) * MANWON)
    if need.budget_min is not None and price_total < need.budget_min:
        return Against("under", (need.budget_min - price_total) * MANWON)
    if need.budget_min is None and need.budget_max is None:
        return Against("unknown")
    return Against("within")


def wanted_weeks(need: Need) -> int | None:
    return None if need.timeline_months is None else round(need.timeline_months * WEEKS_PER_MONTH)


def bid_weeks(bid: Bid) -> int | None:
    return sum(int(row["weeks"]) for row in bid.timeline) if bid.timeline else None


def duration_against(need: Need, weeks: int | None) -> Against:
    wanted = wanted_weeks(need)
    if wanted is None or weeks is None:
        return Against("unknown")
    return Against("over", weeks - wanted) if weeks > wanted else Against("within")


def standings(session: Session, org_ids: list[int]) -> dict[int, Standing]:
    """Per supplier organisation, in three grouped queries whatever the number of bids."""
    done = select(Engagement.supplier_org_id, func.count(Engagement.id)).where(
        Engagement.supplier_org_id.in_(org_ids), Engagement.stage == Stage.closed
    )
    completed = {org: n for org, n in session.execute(done.group_by(Engagement.supplier_org_id))}
    cases = (
        select(SupplierProfile.organization_id, func.count(CaseStudy.id))
        .join(CaseStudy, CaseStudy.supplier_id == SupplierProfile.id)
        .where(SupplierProfile.organization_id.in_(org_ids))
        .group_by(SupplierProfile.organization_id)
    )
    studies = {org: n for org, n in session.execute(cases)}
    ratings: dict[int, list[int]] = defaultdict(list)
    for org, rating in public_ratings(session, org_ids):
        ratings[org].append(rating)
    return {
        org: Standing(
            completed.get(org, 0),
            studies.get(org, 0),
            sum(ratings[org]) / len(ratings[org]) if ratings[org] else None,
            len(ratings[org]),
        )
        for org in org_ids
    }


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """price: cheapest first; fit: best score first; duration: shortest first. Rows without
    the figure go last; ties keep the cheaper bid first."""
    if sort == "fit":
        return sorted(rows, key=lambda r: (r.match is None, -(r.match.score if r.match else 0)))
    if sort == "duration":
        return sorted(rows, key=lambda r: (r.weeks is None, r.weeks or 0))
    return sorted(rows, key=lambda r: r.bid.price_total)


def preselected(rows: list[Row]) -> int | None:
    """The supplier the select box starts on: the shortlisted bid with the best fit, or
    none at all when nothing is shortlisted (the manufacturer chooses; the first column is
    only first by the current sort)."""
    shortlisted = sort_rows([r for r in rows if r.bid.shortlisted], "fit")
    return shortlisted[0].bid.supplier_org_id if shortlisted else None


def compare_bids(
    session: Session, cache: IndexCache, viewer: User, need_id: int, sort: str = "price"
) -> tuple[BidView, list[Row]]:
    view = visible_bids(session, viewer, need_id)
    if view.sealed or viewer.role is Role.supplier or not view.bids:
        return view, []
    ranked = matches.suggest_suppliers(
        session, cache, viewer, need_id, limit=200, below_minimum=True
    )
    by_org = {s.id: s for s in ranked}
    orgs = [b.supplier_org_id for b in view.bids]
    studies = case_studies(session, view.bids)
    tracks, members = track_record_by_org(session, orgs), standing(session, orgs)
    records = standings(session, orgs)
    rows = [
        Row(
            b,
            by_org.get(b.supplier_org_id),
            [studies[i] for i in b.case_study_ids if i in studies],
            tracks.get(b.supplier_org_id, []),
            members.get(b.supplier_org_id),
            price_against(b.need, b.price_total),
            duration_against(b.need, bid_weeks(b)),
            bid_weeks(b),
            records[b.supplier_org_id],
        )
        for b in view.bids
    ]
    return view, sort_rows(rows, sort)
