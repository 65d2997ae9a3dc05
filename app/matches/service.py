"""Matching in the app: suggested suppliers for a need, recommended needs for a supplier,
free-text search. The one place where the database and the `matching` library meet."""

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from app.errors import Forbidden, NotFound, NotMember
from app.i18n import normalize_locale
from app.matches import explain, reasons
from app.matches.cache import IndexCache
from app.matches.explain import NeedFacts
from app.matches.reasons import Reason
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
    Organization,
    Role,
    SupplierProfile,
    User,
)
from matching.levels import FitLevel, Scale, fit_level
from matching.reasons import Quote

CANDIDATE_UNITS = 600
CANDIDATE_NEEDS = 100
CANDIDATE_SUPPLIERS = 60
READINESS_DEPTH = 4  # readiness-path needs search deeper: their suppliers are a subset
READINESS_FLAG = "readiness_path"
CLOSEST = 5  # a search with nothing at the minimum fit lists this many below it
UNCERTIFIED_FLAG = "missing_certification"
AT_CAPACITY = "at_capacity"  # the flag matching raises (see app.matches.eligibility)
STAFF = (Role.coordinator, Role.admin)
TEXT = Scale.TEXT  # a bare text against needs or manufacturer profiles (see text_hits)


@dataclass(frozen=True)
class Suggestion:
    """One ranked result: `id` is the supplier's organisation id or the need id. `evidence`
    quotes the result's sentences beside the viewer-side sentence each matched; `reasons`
    and `level_label` are in the viewer's language."""

    id: int
    name: str
    score: float
    parts: dict[str, float]
    evidence: list[Quote]
    flags: list[str]
    level: FitLevel | None = None
    level_label: str = ""
    reasons: list[Reason] = field(default_factory=list)
    facts: NeedFacts | None = None


def _vectors(
    cache: IndexCache, kind: str, owner: int, texts: list[tuple[str, str]], encode_kind: str
) -> tuple[list[str], np.ndarray]:
    """An owner's whole-unit vectors from the index, or fresh ones when none are stored yet."""
    keys, vectors = cache.owner_vectors(kind, owner)
    if keys:
        return keys, vectors
    vectors = cache.embedder.encode([t for _, t in texts], kind=encode_kind)  # type: ignore[arg-type]
    return [k for k, _ in texts], vectors


def _locale(viewer: User) -> str:
    return normalize_locale(viewer.locale)


def level_of(
    score: float, readiness_path: bool = False, scale: Scale = Scale.PAIR
) -> FitLevel | None:
    """A pair's fit level on its scale (`Scale.TEXT` for a bare text against documents). A
    readiness-path pair passed that path's hard filter (the supplier offers the first step
    the manufacturer lacks, which is the fit the path asks for), so it is at least low
    however far apart the two texts are."""
    level = fit_level(score, scale)
    return level or (FitLevel.LOW if readiness_path else None)


def _kept(
    hits: list[matching.Hit],
    below_minimum: bool,
    path: frozenset[int] | set[int] = frozenset(),
    scale: Scale = Scale.PAIR,
) -> list[matching.Hit]:
    """Hits at or above the minimum fit of their scale, unless the caller asks for every one
    (`path`: the ids of hits on the readiness path)."""
    return [h for h in hits if below_minimum or level_of(h.score, h.id in path, scale) is not None]


def _searched(hits: list[matching.Hit], scale: Scale = Scale.PAIR) -> list[matching.Hit]:
    """What a free-text search lists: the hits at or above the minimum fit; when none
    reaches it, the CLOSEST best ones with any evidence, each shown as below the minimum (a
    search is asked for, so it says what came closest rather than nothing). Nothing below
    the minimum is ever suggested, alerted or shortlisted by itself."""
    kept = _kept(hits, False, scale=scale)
    return kept or [h for h in hits if h.score > 0][:CLOSEST]


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
    below_minimum: bool = False,
    uncertified: bool = False,
) -> list[Suggestion]:
    """Suppliers for a need, for its manufacturer and the coordinators (never for suppliers).

    Only those at or above the minimum fit unless `below_minimum` (rounds filling empty
    places, bids compared side by side). Suppliers lacking a certification the need's
    must-haves name are left out; with `uncertified` they are ranked too, flagged
    `missing_certification` (rounds block them and say so; the suggestions page lists them
    as left out)."""
    record, vector = _need_query(session, cache, viewer, need_id)
    lifted = uncertified and bool(record.required_certifications)
    ranked = replace(record, required_certifications=frozenset()) if lifted else record
    side = explain.need_sides(session, cache.embedder, [record])[record.id]
    found = rank_for_need(cache, ranked, vector, limit)
    hits = _kept(found, below_minimum, {h.id for h in found} if record.requires_any else set())
    items = _supplier_results(cache, record, hits, side, _locale(viewer))
    if not lifted:
        return items
    lacking = _uncertified(cache, record, {i.id for i in items})
    return [replace(i, flags=[*i.flags, UNCERTIFIED_FLAG]) if i.id in lacking else i for i in items]


def supplier_fits(
    session: Session, cache: IndexCache, viewer: User, need_id: int
) -> dict[int, float]:
    """Fit scores of the suppliers ranked for a need, by organisation id (below the minimum
    too): what the directory sorts by when a manufacturer asks for its best fits first."""
    items = suggest_suppliers(
        session, cache, viewer, need_id, CANDIDATE_SUPPLIERS, below_minimum=True
    )
    return {item.id: item.score for item in items}


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
    cache: IndexCache, need: matching.NeedProfile, vector: np.ndarray, limit: int
) -> list[matching.Hit]:
    depth = CANDIDATE_UNITS * (READINESS_DEPTH if need.requires_any else 1)
    units = cache.supplier_hits(vector, depth)
    table, _ = cache.supplier_table()
    return matching.rank_supplier_units(
        need,
        table,
        units,
        candidates=_candidates(cache, need, units),
        limit=limit,
        calibration=matching.calibration_for(cache.embedder.name),
    )


def _supplier_results(
    cache: IndexCache,
    need: matching.NeedProfile,
    hits: list[matching.Hit],
    side: explain.Side,
    locale: str,
) -> list[Suggestion]:
    table, org_of = cache.supplier_table()
    extra = [READINESS_FLAG] if need.requires_any else []
    results = []
    for hit in hits:
        record = table.records[table.row_of[hit.id]]
        quoted = explain.quotes(side, explain.supplier_side(cache, record), locale)
        why = explain.pair_reasons(need, record, hit, quoted, locale)
        results.append(
            _suggestion(hit, org_of[hit.id], record.name, quoted, locale, extra)
            | {"reasons": why + reasons.flag_reasons(extra, locale)}
        )
    return [Suggestion(**r) for r in results]


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
    hit: matching.Hit,
    id_: int,
    name: str,
    quoted: list[Quote],
    locale: str,
    extra_flags: list[str] | None = None,
    scale: Scale = Scale.PAIR,
) -> dict[str, Any]:
    flags = hit.flags + (extra_flags or [])
    level = level_of(hit.score, READINESS_FLAG in flags, scale)
    return {
        "id": id_,
        "name": name,
        "score": hit.score,
        "parts": hit.parts,
        "evidence": quoted,
        "flags": flags,
        "level": level,
        "level_label": reasons.level_label(level, locale),
    }


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
        raise NotMember(
            "Only admitted suppliers can see open needs.",
            profile.membership.value,
            profile.membership_reason,
        )
    return profile


def recommend_needs(
    session: Session, cache: IndexCache, viewer: User, limit: int = 10
) -> list[Suggestion]:
    """Open needs (deadline not passed) a supplier should look at, best first, at or above
    the minimum fit; each quotes the need's sentences and carries the facts to triage it."""
    profile = admitted_supplier_of(session, viewer)
    cache.ensure_fresh(session)
    cached = cache.supplier_records({profile.id})
    record = cached[0][0] if cached else supplier_record(load_suppliers(session, [profile.id])[0])
    whole = [(u.key, u.text) for u in matching.supplier_units(record, sentences=False)]
    if not whole:
        return []
    keys, vectors = _vectors(cache, SUPPLIER, profile.id, whole, "passage")
    found = cache.search(NEED, vectors, CANDIDATE_NEEDS)
    needs = open_need_records(
        session, _closest(found, CANDIDATE_NEEDS), cache.known_certifications()
    )
    units = _all_units(cache, record)
    need_vectors = {n.id: _need_vector(cache, n) for n in needs}
    scored = score_needs(record, units, needs, need_vectors, cache.embedder, limit)
    hits = _kept(scored, False, {n.id for n in needs if n.requires_any})
    return _need_results(session, cache, viewer, record, needs, hits)


def _all_units(cache: IndexCache, record: matching.SupplierProfile) -> tuple[list[str], np.ndarray]:
    keys, vectors = cache.owner_vectors(SUPPLIER, record.id, sentences=True)
    if keys:
        return keys, vectors
    units = matching.supplier_units(record)
    return [u.key for u in units], cache.embedder.encode([u.text for u in units], kind="passage")


def _need_vector(cache: IndexCache, need: matching.NeedProfile) -> np.ndarray:
    text = [("need", matching.units.need_text(need))]
    return _vectors(cache, NEED, need.id, text, "query")[1][0]


def score_needs(
    supplier: matching.SupplierProfile,
    units: tuple[list[str], np.ndarray],
    needs: list[matching.NeedProfile],
    need_vectors: dict[int, np.ndarray],
    embedder: matching.Embedder,
    limit: int | None,
) -> list[matching.Hit]:
    """Needs for a supplier on the similarities of every supplier unit (sentences too) to
    each whole need: the similarities the need -> suppliers ranking sees, so one pair gets
    one score and one level whichever side asks (recommendations, saved searches)."""
    keys, vectors = units
    if not needs or not keys:
        return []
    sims = vectors @ np.vstack([need_vectors[n.id] for n in needs]).T
    listed = [
        matching.UnitSim(n.id, supplier.id, key, float(sims[u, col]))
        for col, n in enumerate(needs)
        for u, key in enumerate(keys)
    ]
    calibration = matching.calibration_for(embedder.name)
    bridge = matching.shared_bridge(embedder)
    return matching.rank_needs(
        supplier, needs, listed, limit=limit, calibration=calibration, bridge=bridge
    )


def _need_results(
    session: Session,
    cache: IndexCache,
    viewer: User,
    supplier: matching.SupplierProfile,
    needs: list[matching.NeedProfile],
    hits: list[matching.Hit],
) -> list[Suggestion]:
    locale, by_id = _locale(viewer), {n.id: n for n in needs}
    chosen = [by_id[h.id] for h in hits]
    sides = explain.need_sides(session, cache.embedder, chosen)
    facts = explain.need_facts(session, viewer.organization_id, [n.id for n in chosen], locale)
    own = explain.supplier_side(cache, supplier)
    results = []
    for hit in hits:
        need = by_id[hit.id]
        quoted = explain.quotes(own, sides[hit.id], locale)
        why = explain.pair_reasons(need, supplier, hit, quoted, locale)
        extra = [READINESS_FLAG] if need.requires_any else []
        item = _suggestion(hit, hit.id, need.title, quoted, locale, extra)
        why += reasons.flag_reasons(extra, locale)
        results.append(Suggestion(**item, reasons=why, facts=facts.get(hit.id)))
    return results


def _closest(found: list[list[tuple[int, str, float]]], count: int) -> set[int]:
    """The needs most similar to any of the supplier's whole units: structured fit adds too
    little to lift one from beyond these into the top results, and each costs work."""
    best: dict[int, float] = {}
    for row in found:
        for owner, _, similarity in row:
            best[owner] = max(best.get(owner, -1.0), similarity)
    return set(sorted(best, key=lambda i: -best[i])[:count])


def search(
    session: Session, cache: IndexCache, viewer: User, text: str, target: str, limit: int = 10
) -> list[Suggestion]:
    """Free-text search: suppliers (not for suppliers) or needs the viewer may see, at or
    above the minimum fit, each quoting its sentences that matched the text."""
    cache.ensure_fresh(session)
    vector = cache.embedder.encode([text], kind="query")
    side, locale = explain.query_side(text, vector[0]), _locale(viewer)
    if target == "suppliers":
        if viewer.role is Role.supplier:
            raise Forbidden("Your role cannot use this page.")
        need = matching.NeedProfile(0, "", text)
        hits = _searched(rank_for_need(cache, need, vector, limit))
        return _supplier_results(cache, need, hits, side, locale)
    if target == "manufacturers":
        return search_manufacturers(session, cache, viewer, vector, text, limit)
    if viewer.role is Role.supplier:
        admitted_supplier_of(session, viewer)
    found = cache.search(NEED, vector, CANDIDATE_NEEDS)[0]
    raw = {owner: score for owner, _, score in found}
    needs = [n for n, _ in load_needs(session, raw) if _may_see(viewer, n)]
    records = [need_record(n) for n in needs]
    hits = _searched(text_hits(text, records, raw, cache.embedder, limit), TEXT)
    chosen = [r for r in records if r.id in {h.id for h in hits}]
    sides = explain.need_sides(session, cache.embedder, chosen)
    titles = {n.id: n.title for n in needs}
    quoted = {h.id: explain.quotes(side, sides[h.id], locale) for h in hits}
    return [
        Suggestion(**_suggestion(h, h.id, titles[h.id], quoted[h.id], locale, scale=TEXT))
        for h in hits
    ]


def text_hits(
    text: str,
    documents: list[matching.NeedProfile],
    similarity: dict[int, float],
    embedder: matching.Embedder,
    limit: int | None,
) -> list[matching.Hit]:
    """Documents (needs, or any text as a need record) for a free text, on the text scale
    (`matching.rank_texts`; levels through `Scale.TEXT`). `similarity` is each document's
    raw cosine to the text."""
    calibration = matching.calibration_for(embedder.name)
    bridge = matching.shared_bridge(embedder)
    return matching.rank_texts(
        text, documents, similarity, calibration=calibration, limit=limit, bridge=bridge
    )


def search_manufacturers(
    session: Session, cache: IndexCache, viewer: User, vector: np.ndarray, text: str, limit: int
) -> list[Suggestion]:
    """Coordinators find manufacturers by what their profiles say (private to the group)."""
    if viewer.role not in STAFF:
        raise Forbidden("Your role cannot use this page.")
    found = cache.search(MANUFACTURER, vector, CANDIDATE_NEEDS)[0]
    raw = {owner: score for owner, _, score in found}
    rows = session.execute(
        select(
            ManufacturerProfile.id,
            ManufacturerProfile.description,
            Organization.id,
            Organization.name,
        )
        .join(Organization)
        .where(ManufacturerProfile.id.in_(list(raw)))
    ).all()
    documents = [matching.NeedProfile(pid, "", description) for pid, description, _, _ in rows]
    hits = _searched(text_hits(text, documents, raw, cache.embedder, limit), TEXT)
    orgs = {pid: (org, name) for pid, _, org, name in rows}
    locale = _locale(viewer)
    return [Suggestion(**_suggestion(h, *orgs[h.id], [], locale, scale=TEXT)) for h in hits]


def _may_see(viewer: User, need: Need) -> bool:
    if viewer.role in STAFF:
        return True
    if viewer.role is Role.manufacturer:
        return need.organization_id == viewer.organization_id
    return need.phase() == "open"  # awaiting selection leaves suppliers' searches
