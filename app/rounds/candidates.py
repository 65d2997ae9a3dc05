"""From a round's needs to the solver's problem: the matching engine's best candidates per need,
each supplier's capacity left, conflicts of interest, the needs' hard requirements, and which
suppliers count as newly admitted. Scores come from `app.matches.service`, never re-ranked."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.cohorts.service import member_org_ids
from app.db import Page, paginate
from app.engagements.service import active_engagements
from app.formats import SEOUL
from app.matches import service as matches
from app.matches.cache import IndexCache
from app.matches.service import Suggestion
from app.models import (
    BidInvitation,
    Membership,
    Need,
    NeedStatus,
    Round,
    SupplierProfile,
    User,
    utcnow,
)
from app.rounds.conflicts import conflicted
from app.rounds.schemas import MAX_NEEDS, NeedFilters
from matching import assignment

CANDIDATES = 30  # per need, from the engine's ranking: the solver chooses among these
COORDINATOR_PICKS = ("forced", "added")
BELOW_MINIMUM = "below_minimum_fit"
Pair = tuple[int, int]  # (need id, supplier organisation id)


@dataclass
class Pool:
    """The problem, plus what the review shows about each pair beyond its score."""

    problem: assignment.Problem
    details: dict[Pair, dict[str, Any]] = field(default_factory=dict)
    new: set[int] = field(default_factory=set)
    skipped_needs: list[int] = field(default_factory=list)


def _open() -> Any:
    return (Need.status == NeedStatus.open) & or_(
        Need.deadline_at.is_(None), Need.deadline_at > utcnow()
    )


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, SEOUL)


def open_needs_query(filters: NeedFilters, members: set[int] | None) -> Select[tuple[Need]]:
    """`members`: the cohort's manufacturers when the filters name a cohort."""
    query = select(Need).where(_open())
    if filters.industry:
        query = query.where(Need.industry == filters.industry)
    if filters.region:
        query = query.where(Need.region == filters.region)
    if members is not None:
        query = query.where(Need.organization_id.in_(members))
    if filters.posted_from:
        query = query.where(Need.published_at >= _day_start(filters.posted_from))
    if filters.posted_to:
        query = query.where(Need.published_at < _day_start(filters.posted_to + timedelta(days=1)))
    return query.order_by(Need.published_at.desc(), Need.id.desc())


def open_needs(
    session: Session, filters: NeedFilters, ids: Iterable[int] | None = None
) -> list[Need]:
    """The open needs (deadline not passed) these filters select, newest first."""
    members = member_org_ids(session, filters.cohort_id) if filters.cohort_id else None
    query = open_needs_query(filters, members)
    if ids is not None:
        query = query.where(Need.id.in_(list(ids)))
    query = query.options(selectinload(Need.organization)).limit(MAX_NEEDS)
    return list(session.scalars(query))


def open_needs_page(session: Session, filters: NeedFilters, page: int, per_page: int) -> Page[Need]:
    """One page of `open_needs`, counted: what the new-round form shows."""
    members = member_org_ids(session, filters.cohort_id) if filters.cohort_id else None
    query = open_needs_query(filters, members).options(selectinload(Need.organization))
    return paginate(session, query, page, per_page)


def capacity_left(session: Session, orgs: list[int]) -> dict[int, int]:
    """Capacity minus open engagements minus invitations to open needs."""
    profiles = select(SupplierProfile.organization_id, SupplierProfile.capacity).where(
        SupplierProfile.organization_id.in_(orgs)
    )
    capacity = {org: n for org, n in session.execute(profiles)}
    invitations = (
        select(BidInvitation.supplier_org_id, func.count(BidInvitation.id))
        .join(Need, Need.id == BidInvitation.need_id)
        .where(_open(), BidInvitation.supplier_org_id.in_(orgs))
        .group_by(BidInvitation.supplier_org_id)
    )
    invited = {org: n for org, n in session.execute(invitations)}
    active = active_engagements(session, orgs)
    return {o: capacity.get(o, 0) - active.get(o, 0) - invited.get(o, 0) for o in orgs}


@dataclass(frozen=True)
class Suppliers:
    """What the round needs to know about the admitted suppliers."""

    admitted_at: dict[int, datetime | None]

    @classmethod
    def load(cls, session: Session) -> "Suppliers":
        rows = session.execute(
            select(SupplierProfile.organization_id, SupplierProfile.membership_changed_at).where(
                SupplierProfile.membership == Membership.admitted
            )
        )
        return cls({org: changed for org, changed in rows})

    def is_new(self, org: int, days: int) -> bool:
        changed = self.admitted_at.get(org)
        return changed is not None and changed >= utcnow() - timedelta(days=days)


def blocked(
    need: Need, item: Suggestion, conflicts: set[Pair], fill_empty: bool = False
) -> str | None:
    """The hard rule that keeps this pair out of any proposal, if one does (the
    certification rule is matching's own, read off the flag it raises). Below the minimum
    fit is one unless the round fills empty places; for a readiness-path need too, however
    the path lists its suppliers elsewhere."""
    if (item.id, need.organization_id) in conflicts:
        return "conflict"
    if need.prefer_in_province and "out_of_province" in item.flags:
        return "out_of_province"
    if "below_required_sf_level" in item.flags:
        return "below_required_sf_level"
    if matches.UNCERTIFIED_FLAG in item.flags:
        return "missing_certification"
    # A round invites by itself, so the readiness path's floor (listed at least low for
    # people to browse) does not count here: the pair's own score must reach the minimum.
    if matches.level_of(item.score) is None and not fill_empty:
        return BELOW_MINIMUM
    return None


def details(item: Suggestion) -> dict[str, Any]:
    evidence = [
        {"sentence": e.sentence, "title": e.title, "source": e.source} for e in item.evidence
    ]
    return {"parts": item.parts, "flags": item.flags, "level": item.level, "evidence": evidence}


def build(session: Session, cache: IndexCache, viewer: User, round_: Round) -> Pool:
    """The solver's problem for this round's needs that are still open for bidding."""
    needs = {rn.need.id: rn.need for rn in round_.needs}
    still_open = {n.id for n in open_needs(session, NeedFilters(), needs)}
    suppliers = Suppliers.load(session)
    ranked = {
        n: matches.suggest_suppliers(
            session, cache, viewer, n, CANDIDATES, below_minimum=True, uncertified=True
        )
        for n in sorted(still_open)
    }
    orgs = sorted({i.id for items in ranked.values() for i in items} | _picked_orgs(round_))
    orgs = [o for o in orgs if o in suppliers.admitted_at]
    conflicts = conflicted(session, orgs, {n.organization_id for n in needs.values()})
    pool = Pool(assignment.Problem([], [], {}), skipped_needs=sorted(set(needs) - still_open))
    candidates = _candidates(needs, ranked, suppliers, conflicts, pool, round_.fill_empty)
    forced = _coordinator_picks(round_, still_open, orgs, conflicts, candidates, pool)
    pool.new = {o for o in orgs if suppliers.is_new(o, round_.new_supplier_days)}
    left = capacity_left(session, orgs)
    pool.problem = assignment.Problem(
        needs=sorted(still_open),
        candidates=list(candidates.values()),
        suppliers={o: assignment.Supplier(o, left[o], o in pool.new) for o in orgs},
        settings=settings_of(round_),
        forced=frozenset(forced),
        excluded=frozenset(
            (p.need_id, p.supplier_org_id) for p in round_.pairs if p.kind == "excluded"
        ),
    )
    return pool


def _candidates(
    needs: dict[int, Need],
    ranked: dict[int, list[Suggestion]],
    suppliers: Suppliers,
    conflicts: set[Pair],
    pool: Pool,
    fill_empty: bool,
) -> dict[Pair, assignment.Candidate]:
    """The engine's candidates of admitted suppliers, each with the rule that blocks it."""
    found = {}
    for need_id, items in ranked.items():
        need = needs[need_id]
        for item in (i for i in items if i.id in suppliers.admitted_at):
            rule = blocked(need, item, conflicts, fill_empty)
            found[(need_id, item.id)] = assignment.Candidate(need_id, item.id, item.score, rule)
            pool.details[(need_id, item.id)] = details(item) | {"blocked": rule}
    return found


def _picked_orgs(round_: Round) -> set[int]:
    return {p.supplier_org_id for p in round_.pairs if p.source in COORDINATOR_PICKS}


def _coordinator_picks(
    round_: Round,
    still_open: set[int],
    orgs: list[int],
    conflicts: set[Pair],
    candidates: dict[Pair, assignment.Candidate],
    pool: Pool,
) -> set[Pair]:
    """Forced and added pairs stay on re-solve, unless a conflict was declared since, the
    supplier is no longer admitted or the need closed. Outside the engine's top candidates they
    keep the score they were added with."""
    need_orgs = {rn.need.id: rn.need.organization_id for rn in round_.needs}
    kept = set()
    for p in round_.pairs:
        key = (p.need_id, p.supplier_org_id)
        if p.source not in COORDINATOR_PICKS or p.kind == "excluded":
            continue
        if p.need_id not in still_open or p.supplier_org_id not in orgs:
            continue
        if (p.supplier_org_id, need_orgs[p.need_id]) in conflicts:
            continue
        if key not in candidates:
            candidates[key] = assignment.Candidate(p.need_id, p.supplier_org_id, p.score)
            pool.details[key] = {k: p.parts.get(k) for k in ("parts", "flags", "evidence")}
        kept.add(key)
    return kept


def settings_of(round_: Round) -> assignment.Settings:
    return assignment.Settings(
        shortlist=round_.shortlist_size,
        alternates=round_.alternates,
        supplier_cap=round_.supplier_cap,
        min_new=round_.min_new_suppliers,
    )
