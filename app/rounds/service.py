"""Assignment rounds: create from filters, solve, edit (add, remove, force a pair), release as
invitations in one transaction, withdraw. Every step is audited; edits name the version seen."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.db import Page, expect_version, paginate
from app.errors import Conflict, Invalid, NotFound
from app.matches import eligibility
from app.matches import service as matches
from app.matches.cache import IndexCache
from app.models import (
    Cohort,
    Membership,
    Need,
    Organization,
    Round,
    RoundNeed,
    RoundPair,
    RoundStatus,
    SupplierProfile,
    User,
)
from app.rounds import proposal
from app.rounds.candidates import open_needs
from app.rounds.conflicts import conflicted
from app.rounds.schemas import PairIn, RoundIn, RoundSettings, SolveIn, VersionIn

PER_PAGE = 20
SETTINGS = (
    "shortlist_size",
    "alternates",
    "supplier_cap",
    "min_new_suppliers",
    "new_supplier_days",
    "fill_empty",
)


def list_rounds(session: Session, page: int) -> Page[Round]:
    query = select(Round).options(selectinload(Round.needs)).order_by(Round.id.desc())
    return paginate(session, query, page, PER_PAGE)


def get_round(session: Session, round_id: int) -> Round:
    query = select(Round).where(Round.id == round_id)
    options = (
        selectinload(Round.needs).selectinload(RoundNeed.need).selectinload(Need.organization),
        selectinload(Round.pairs).selectinload(RoundPair.supplier),
    )
    round_ = session.scalar(query.options(*options))
    if round_ is None:
        raise NotFound("Round not found.")
    return round_


def default_settings() -> dict[str, Any]:
    """The new-round form's starting values."""
    return RoundSettings().model_dump()


def _settings(round_: Round, data: RoundSettings) -> None:
    for name in SETTINGS:
        setattr(round_, name, getattr(data, name))


def create_round(session: Session, cache: IndexCache, actor: User, data: RoundIn) -> Round:
    filters = data.filters()
    needs = open_needs(session, filters, data.need_ids)
    if not needs:
        raise Invalid("No open need matches these filters.")
    round_ = Round(
        name=data.name,
        cohort_id=filters.cohort_id,
        filters=filters.model_dump(mode="json", exclude_none=True),
        created_by_id=actor.id,
        needs=[RoundNeed(need=need) for need in needs],
    )
    _settings(round_, data)
    session.add(round_)
    audit.record(
        session, actor, "round.created", round_, after={"needs": len(needs), **round_.filters}
    )
    proposal.solve(session, cache, actor, round_)
    return round_


def draft_round(session: Session, round_id: int, version: int) -> Round:
    round_ = get_round(session, round_id)
    expect_version(round_, version)
    if round_.status is not RoundStatus.draft:
        raise Conflict("Round %(id)s was released already.", id=round_.id)
    return round_


def solve(session: Session, cache: IndexCache, actor: User, round_id: int, data: SolveIn) -> Round:
    round_ = draft_round(session, round_id, data.version)
    _settings(round_, data)
    proposal.solve(session, cache, actor, round_)
    return round_


def _pair(round_: Round, pair_id: int) -> RoundPair:
    for pair in round_.pairs:
        if pair.id == pair_id:
            return pair
    raise NotFound("Pair not found in this round.")


def _edited(session: Session, actor: User, round_: Round, action: str, pair: RoundPair) -> None:
    """Record the edit; touching the stats bumps the round's version for everyone else."""
    round_.stats = {**round_.stats, "edited": True}
    session.flush()
    after = {
        "pair_id": pair.id,
        "need_id": pair.need_id,
        "supplier_org_id": pair.supplier_org_id,
        "kind": pair.kind,
        "source": pair.source,
    }
    audit.record(session, actor, action, round_, after=after)


def _not_conflicted(session: Session, round_: Round, need_id: int, supplier_org_id: int) -> None:
    manufacturer = next(rn.need.organization_id for rn in round_.needs if rn.need_id == need_id)
    if conflicted(session, [supplier_org_id], [manufacturer]):
        raise Conflict("A conflict of interest keeps this supplier from this need.")


def remove_pair(
    session: Session, actor: User, round_id: int, pair_id: int, data: VersionIn
) -> RoundPair:
    """The pair leaves the proposal and is never proposed again in this round."""
    round_ = draft_round(session, round_id, data.version)
    pair = _pair(round_, pair_id)
    pair.kind = "excluded"
    _edited(session, actor, round_, "round.pair_removed", pair)
    return pair


def force_pair(
    session: Session, actor: User, round_id: int, pair_id: int, data: VersionIn
) -> RoundPair:
    """The pair goes on the shortlist and stays there when the round is solved again."""
    round_ = draft_round(session, round_id, data.version)
    pair = _pair(round_, pair_id)
    _not_conflicted(session, round_, pair.need_id, pair.supplier_org_id)
    pair.kind, pair.source = "shortlist", "forced"
    _edited(session, actor, round_, "round.pair_forced", pair)
    return pair


def add_pair(
    session: Session, cache: IndexCache, actor: User, round_id: int, data: PairIn
) -> RoundPair:
    """Put any admitted supplier with room on a need's shortlist (kept on re-solve, like a
    forced pair); at capacity is a 409, as for an invitation."""
    round_ = draft_round(session, round_id, data.version)
    if data.need_id not in {rn.need_id for rn in round_.needs}:
        raise NotFound("This need is not in the round.")
    eligibility.require_available(session, data.supplier_org_id)
    _not_conflicted(session, round_, data.need_id, data.supplier_org_id)
    key = (data.need_id, data.supplier_org_id)
    pair = next((p for p in round_.pairs if (p.need_id, p.supplier_org_id) == key), None)
    if pair is None:
        pair = RoundPair(need_id=data.need_id, supplier_org_id=data.supplier_org_id)
        _score(session, cache, actor, pair)
        round_.pairs.append(pair)
    pair.kind, pair.source = "shortlist", "added"
    pair.rank = 1 + sum(
        1 for p in round_.pairs if p.need_id == data.need_id and p.kind == "shortlist"
    )
    _edited(session, actor, round_, "round.pair_added", pair)
    return pair


def _score(session: Session, cache: IndexCache, actor: User, pair: RoundPair) -> None:
    """The engine's score when the supplier is among the need's ranked candidates."""
    ranked = matches.suggest_suppliers(
        session, cache, actor, pair.need_id, limit=60, below_minimum=True, uncertified=True
    )
    found = next((s for s in ranked if s.id == pair.supplier_org_id), None)
    pair.score = found.score if found else 0.0
    pair.parts = {
        "parts": found.parts if found else {},
        "flags": found.flags if found else ["not_ranked"],
        "level": found.level if found else None,
        "evidence": [],
        "reasons": ["added"],
    }


@dataclass(frozen=True)
class NeedReview:
    """One need of a round as the review shows it."""

    need: Need
    shortlist: list[RoundPair]
    alternates: list[RoundPair]
    moved_out: list[RoundPair]  # plain top-k pairs the constraints kept off the shortlist
    excluded: list[RoundPair]
    shortfall: dict[str, Any] | None


def review(round_: Round) -> list[NeedReview]:
    by_kind: dict[tuple[int, str], list[RoundPair]] = defaultdict(list)
    for pair in sorted(round_.pairs, key=lambda p: (p.rank, -p.score)):
        by_kind[(pair.need_id, pair.kind)].append(pair)
    short = {s["need_id"]: s for s in round_.stats.get("shortfalls", [])}
    needs = sorted((rn.need for rn in round_.needs), key=lambda n: n.id)
    return [
        NeedReview(
            need,
            *(by_kind[(need.id, kind)] for kind in ("shortlist", "alternate", "dropped")),
            sorted(by_kind[(need.id, "excluded")], key=lambda p: -p.score),
            short.get(need.id),
        )
        for need in needs
    ]


def cohorts(session: Session) -> list[Cohort]:
    """Choices for the new-round form's cohort filter."""
    return list(session.scalars(select(Cohort).order_by(Cohort.name)))


def admitted_suppliers(session: Session) -> list[tuple[int, str]]:
    """(organisation id, name) of every admitted supplier, for the add-a-pair form."""
    query = (
        select(Organization.id, Organization.name)
        .join(SupplierProfile, SupplierProfile.organization_id == Organization.id)
        .where(SupplierProfile.membership == Membership.admitted)
        .order_by(Organization.name)
    )
    return [(org, name) for org, name in session.execute(query)]
