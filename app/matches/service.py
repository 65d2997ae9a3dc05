"""Matching in the app: suggested suppliers for a need, recommended needs for a supplier,
free-text search. The one place where the database and the `matching` library meet."""

from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from app.errors import Forbidden, NotFound
from app.matches.cache import IndexCache
from app.matches.store import (
    MANUFACTURER,
    NEED,
    SUPPLIER,
    load_needs,
    load_suppliers,
    need_record,
    open_need_records,
    supplier_record,
)
from app.models import (
    ManufacturerProfile,
    Membership,
    Need,
    NeedStatus,
    Organization,
    Role,
    SupplierProfile,
    User,
)

CANDIDATE_UNITS = 600
CANDIDATE_NEEDS = 100
CANDIDATE_SUPPLIERS = 60
READINESS_DEPTH = 4  # readiness-path needs search deeper: their suppliers are a subset
READINESS_FLAG = "readiness_path"
UNCERTIFIED_FLAG = "missing_certification"
AT_CAPACITY = "at_capacity"  # the flag matching raises (see app.matches.eligibility)
STAFF = (Role.coordinator, Role.admin)


@dataclass(frozen=True)
class Suggestion:
    """One ranked result: `id` is the supplier's organisation id or the need id."""

    id: int
    name: str
    score: float
    parts: dict[str, float]
    evidence: list[matching.Evidence]
    flags: list[str]


def _vectors(
    cache: IndexCache, kind: str, owner: int, texts: list[tuple[str, str]], encode_kind: str
) -> tuple[list[str], np.ndarray]:
    """An owner's whole-unit vectors from the index, or fresh ones when none are stored yet."""
    keys, vectors = cache.owner_vectors(kind, owner)
    if keys:
        return keys, vectors
    vectors = cache.embedder.encode([t for _, t in texts], kind=encode_kind)  # type: ignore[arg-type]
    return [k for k, _ in texts], vectors


def visible_need(session: Session, viewer: User, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None or (
        viewer.role not in STAFF and need.organization_id != viewer.organization_id
    ):
        raise NotFound("Need not found.")
    return need


def suggest_suppliers(
    session: Session,
    cache: IndexCache,
    viewer: User,
    need_id: int,
    limit: int = 10,
    *,
    uncertified: bool = False,
) -> list[Suggestion]:
    """Suppliers for a need, for its manufacturer and the coordinators (never for suppliers).

    Suppliers lacking a certification the need's must-haves name are left out; with
    `uncertified` they are ranked too, flagged `missing_certification` (rounds block them
    and say so; the suggestions page lists them as left out)."""
    record, vector = _need_query(session, cache, viewer, need_id)
    if not uncertified or not record.required_certifications:
        return rank_for_need(session, cache, record, vector, limit)
    lifted = replace(record, required_certifications=frozenset())
    items = rank_for_need(session, cache, lifted, vector, limit)
    lacking = _uncertified(cache, record, {i.id for i in items})
    return [replace(i, flags=[*i.flags, UNCERTIFIED_FLAG]) if i.id in lacking else i for i in items]


def _need_query(
    session: Session, cache: IndexCache, viewer: User, need_id: int
) -> tuple[matching.NeedProfile, np.ndarray]:
    """The need as matching sees it, and its query vector (stored, or embedded now)."""
    need = visible_need(session, viewer, need_id)
    ((need, sf_level),) = load_needs(session, [need.id])
    cache.ensure_fresh(session)
    record = need_record(need, sf_level, cache.known_certifications())
    keys, vectors = _vectors(
        cache, NEED, need.id, [("need", matching.units.need_text(record))], "query"
    )
    return record, vectors[:1]


def _uncertified(cache: IndexCache, need: matching.NeedProfile, orgs: set[int]) -> set[int]:
    """The organisations among `orgs` lacking a certification `need` requires."""
    table, org_of = cache.supplier_table()
    return {
        org_of[r.id]
        for r in table.records
        if org_of[r.id] in orgs and not need.required_certifications <= r.certifications
    }


@dataclass(frozen=True)
class LeftOut:
    """A supplier a need's must-have certifications keep out of its suggestions."""

    id: int
    name: str
    missing: list[str]


def left_out(
    session: Session, cache: IndexCache, viewer: User, need_id: int, limit: int = 5
) -> list[LeftOut]:
    """The best-ranked suppliers the need's required certifications keep out, with what each
    lacks ("필수 인증 없음"), so nobody wonders where a well-known supplier went."""
    items = suggest_suppliers(session, cache, viewer, need_id, limit + 20, uncertified=True)
    flagged = [i for i in items if UNCERTIFIED_FLAG in i.flags][:limit]
    if not flagged:
        return []
    record, _ = _need_query(session, cache, viewer, need_id)
    table, org_of = cache.supplier_table()
    held = {org_of[r.id]: r.certifications for r in table.records}
    return [
        LeftOut(i.id, i.name, sorted(record.required_certifications - held.get(i.id, frozenset())))
        for i in flagged
    ]


def rank_for_need(
    session: Session, cache: IndexCache, need: matching.NeedProfile, vector: np.ndarray, limit: int
) -> list[Suggestion]:
    depth = CANDIDATE_UNITS * (READINESS_DEPTH if need.requires_any else 1)
    units = cache.supplier_hits(vector, depth)
    table, org_of = cache.supplier_table()
    hits = matching.rank_supplier_units(
        need,
        table,
        units,
        candidates=_candidates(cache, need, units),
        limit=limit,
        calibration=matching.calibration_for(cache.embedder.name),
    )
    extra = [READINESS_FLAG] if need.requires_any else []
    return [
        _suggestion(h, org_of[h.id], table.records[table.row_of[h.id]].name, extra) for h in hits
    ]


def _candidates(
    cache: IndexCache, need: matching.NeedProfile, units: matching.UnitHits
) -> set[int]:
    """The suppliers closest to the need on their best unit: structured fit adds too little
    to lift one from beyond these into the top results. A need that requires an offer (the
    readiness path) looks only among suppliers passing its filters, topped up with those
    whose text is not among the nearest units, so the path never comes back empty while
    such suppliers exist."""
    if not need.requires_any:
        return units.closest(CANDIDATE_SUPPLIERS)
    pool = cache.supplier_ids_where(lambda record: matching.passes_filters(need, record))
    near = units.closest(CANDIDATE_SUPPLIERS, among=pool)
    return near | set(sorted(pool - near)[: CANDIDATE_SUPPLIERS - len(near)])


def _suggestion(
    hit: matching.Hit, id_: int, name: str, extra_flags: list[str] | None = None
) -> Suggestion:
    return Suggestion(
        id_, name, hit.score, hit.parts, hit.evidence, hit.flags + (extra_flags or [])
    )


def supplier_of(session: Session, viewer: User) -> SupplierProfile:
    profile = session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == viewer.organization_id)
    )
    if profile is None:
        raise Forbidden("Your role cannot use this page.")
    return profile


def admitted_supplier_of(session: Session, viewer: User) -> SupplierProfile:
    profile = supplier_of(session, viewer)
    if profile.membership is not Membership.admitted:
        raise Forbidden("Only admitted suppliers can see open needs.")
    return profile


def recommend_needs(
    session: Session, cache: IndexCache, viewer: User, limit: int = 10
) -> list[Suggestion]:
    """Open needs (deadline not passed) a supplier should look at, best first."""
    profile = admitted_supplier_of(session, viewer)
    cache.ensure_fresh(session)
    cached = cache.supplier_records({profile.id})
    record = cached[0][0] if cached else supplier_record(load_suppliers(session, [profile.id])[0])
    whole = [(u.key, u.text) for u in matching.supplier_units(record, sentences=False)]
    if not whole:
        return []
    keys, vectors = _vectors(cache, SUPPLIER, profile.id, whole, "passage")
    found = cache.search(NEED, vectors, CANDIDATE_NEEDS)
    sims = [
        matching.UnitSim(owner, profile.id, key, score)
        for key, row in zip(keys, found, strict=True)
        for owner, _, score in row
    ]
    known = cache.known_certifications()
    needs = open_need_records(session, _closest(sims, CANDIDATE_NEEDS), known)
    calibration = matching.calibration_for(cache.embedder.name)
    hits = matching.rank_needs(record, needs, sims, limit=limit, calibration=calibration)
    titles = {n.id: n.title for n in needs}
    return [_suggestion(h, h.id, titles[h.id]) for h in hits]


def _closest(sims: list[matching.UnitSim], count: int) -> set[int]:
    """The needs most similar on their best unit: structured fit adds too little to lift
    one from beyond these into the top results, and each costs work."""
    best: dict[int, float] = {}
    for sim in sims:
        best[sim.need_id] = max(best.get(sim.need_id, -1.0), sim.similarity)
    return set(sorted(best, key=lambda i: -best[i])[:count])


def search(
    session: Session, cache: IndexCache, viewer: User, text: str, target: str, limit: int = 10
) -> list[Suggestion]:
    """Free-text search: suppliers (not for suppliers) or needs the viewer may see."""
    cache.ensure_fresh(session)
    vector = cache.embedder.encode([text], kind="query")
    if target == "suppliers":
        if viewer.role is Role.supplier:
            raise Forbidden("Your role cannot use this page.")
        return rank_for_need(session, cache, matching.NeedProfile(0, "", text), vector, limit)
    if target == "manufacturers":
        return search_manufacturers(session, cache, viewer, vector, limit)
    if viewer.role is Role.supplier:
        admitted_supplier_of(session, viewer)
    found = cache.search(NEED, vector, CANDIDATE_NEEDS)[0]
    scores = {owner: score for owner, _, score in found}
    needs = [n for n, _ in load_needs(session, scores) if _may_see(viewer, n)]
    needs.sort(key=lambda n: (-scores[n.id], n.id))
    return [
        Suggestion(n.id, n.title, scores[n.id], {"semantic": scores[n.id]}, [], [])
        for n in needs[:limit]
    ]


def search_manufacturers(
    session: Session, cache: IndexCache, viewer: User, vector: np.ndarray, limit: int
) -> list[Suggestion]:
    """Coordinators find manufacturers by what their profiles say (private to the group)."""
    if viewer.role not in STAFF:
        raise Forbidden("Your role cannot use this page.")
    found = cache.search(MANUFACTURER, vector, limit)[0]
    scores = {owner: score for owner, _, score in found}
    rows = session.execute(
        select(ManufacturerProfile.id, Organization.id, Organization.name)
        .join(Organization)
        .where(ManufacturerProfile.id.in_(list(scores)))
    )
    items = [
        Suggestion(org, name, scores[pid], {"semantic": scores[pid]}, [], [])
        for pid, org, name in rows
    ]
    return sorted(items, key=lambda i: (-i.score, i.id))


def _may_see(viewer: User, need: Need) -> bool:
    if viewer.role in STAFF:
        return True
    if viewer.role is Role.manufacturer:
        return need.organization_id == viewer.organization_id
    return need.status is NeedStatus.open
