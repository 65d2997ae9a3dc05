"""Saved searches scored against needs: what a publish alerts and what a preview lists.

A search with text scores a need as free-text search of needs does (`service.text_hits`);
one without text ("match my profile") by the need's
score for the supplier exactly as Recommended needs computes it (`service.score_needs`, on
the same vectors). Either score becomes a level through `matching.levels.fit_level` on its
own scale (`scale`: a text's score is on `Scale.TEXT`), and a search fires at its `min_level`
or better. Vectors come from the store with its hash check;
a search's text is stored under owner kind "saved_search", so a publish embeds at most the
need itself.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import sha256
from typing import Protocol

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from app.matches import eligibility, engine, service
from app.matches.cache import IndexCache
from app.matches.reasons import level_label
from app.matches.store import (
    NEED,
    SUPPLIER,
    load_suppliers,
    model_key,
    open_need_records,
    supplier_record,
    unit_vectors,
)
from app.models import Embedding, Need, SavedSearch, SupplierProfile, utcnow
from matching.levels import FitLevel, Scale, at_least, fit_level

SEARCH = "saved_search"
FILTERS = ("industry", "process", "region")


class Filterable(Protocol):
    industry: str | None
    process: str | None
    region: str | None


def passes(filters: dict[str, str], need: Filterable) -> bool:
    """The search's filters hold for the need (an ORM need or a matching record)."""
    for name in FILTERS:
        if filters.get(name) and filters[name] != getattr(need, name):
            return False
    wanted = filters.get("ai_technique")
    return not wanted or wanted in need.ai_techniques


def scale(search: SavedSearch) -> Scale:
    """A search with text scores a bare text against needs; "match my profile" a pair."""
    return Scale.TEXT if search.query else Scale.PAIR


def level(search: SavedSearch, score: float) -> FitLevel | None:
    """The fit level of one of this search's scores."""
    return fit_level(score, scale(search))


def fires(search: SavedSearch, score: float | None) -> bool:
    return score is not None and at_least(level(search, score), FitLevel(search.min_level))


def _digest(text: str) -> str:
    return sha256(text.encode("utf-8")).hexdigest()


def query_vectors(
    session: Session,
    embedder: matching.Embedder,
    searches: Iterable[SavedSearch],
    store: bool = True,
) -> dict[int, np.ndarray]:
    """Stored vectors of the searches' texts; missing or stale ones are embedded, and stored
    unless `store` is false (reads, such as a preview, never write)."""
    model, texts = model_key(embedder), [s for s in searches if s.query]
    if not texts:
        return {}
    query = select(Embedding).where(
        Embedding.owner_kind == SEARCH,
        Embedding.owner_id.in_([s.id for s in texts]),
        Embedding.model == model,
    )
    rows = {e.owner_id: e for e in session.scalars(query)}
    stale = [s for s in texts if s.id not in rows or rows[s.id].text_sha256 != _digest(s.query)]
    if stale and not store:
        vectors = embedder.encode([s.query for s in stale], kind="query")
        fresh = {s.id: v for s, v in zip(stale, vectors, strict=True)}
        kept = {o: np.frombuffer(r.vector, np.float32) for o, r in rows.items() if o not in fresh}
        return kept | fresh
    if stale:
        vectors = embedder.encode([s.query for s in stale], kind="query")
        for search, vector in zip(stale, vectors, strict=True):
            row = rows.get(search.id) or Embedding(
                owner_kind=SEARCH, owner_id=search.id, unit_key="query", model=model
            )
            row.text_sha256, row.vector = _digest(search.query), vector.tobytes()
            row.updated_at = utcnow()
            rows[search.id] = row
            session.add(row)
        session.flush()
    return {owner: np.frombuffer(row.vector, np.float32) for owner, row in rows.items()}


def store_query(session: Session, search: SavedSearch) -> None:
    """Embed and store the search's text now (at create and edit), so a publish embeds only
    the need."""
    query_vectors(session, engine.embedder(), [search])


def need_scores(session: Session, need: Need, searches: list[SavedSearch]) -> dict[int, float]:
    """Each search's score for a newly published need (search id -> score), filters held."""
    record = eligibility.need_profile(session, need)
    found = scores(session, engine.embedder(), searches, [record])
    return {search_id: score for (search_id, _), score in found.items()}


def level_code(search: SavedSearch, score: float) -> str:
    """The stored code ("high", "medium", "low", or "none") of one of the search's scores."""
    return str(level(search, score) or "none")


def drop_vectors(session: Session, search_id: int) -> None:
    rows = select(Embedding).where(Embedding.owner_kind == SEARCH, Embedding.owner_id == search_id)
    for row in session.scalars(rows):
        session.delete(row)


def need_vectors(
    session: Session, embedder: matching.Embedder, needs: list[matching.NeedProfile]
) -> dict[int, np.ndarray]:
    """Each need's whole-need vector (the one ranking compares)."""
    units = {n.id: matching.need_units(n, sentences=False) for n in needs}
    found = unit_vectors(session, embedder, NEED, units)
    return {n.id: found[(n.id, "need")] for n in needs}


def scores(
    session: Session,
    embedder: matching.Embedder,
    searches: list[SavedSearch],
    needs: list[matching.NeedProfile],
    store: bool = True,
) -> dict[tuple[int, int], float]:
    """(search id, need id) -> score, for the pairs whose filters hold (`store`: as for
    `query_vectors`)."""
    vectors = need_vectors(session, embedder, needs)
    texts = {s.id: s.query for s in searches}
    found: dict[tuple[int, int], float] = {}
    for search_id, q in query_vectors(session, embedder, searches, store).items():
        raw = {n.id: float(q @ vectors[n.id]) for n in needs}
        hits = service.text_hits(texts[search_id], needs, raw, embedder, None)
        found |= {(search_id, h.id): h.score for h in hits}
    by_org = _profile_scores(
        session, embedder, {s.organization_id for s in searches if not s.query}, needs, vectors
    )
    for s in (s for s in searches if not s.query):
        found |= {(s.id, need): v for need, v in by_org.get(s.organization_id, {}).items()}
    filters = {s.id: s.filters for s in searches}
    needs_by_id = {n.id: n for n in needs}
    return {k: v for k, v in found.items() if passes(filters[k[0]], needs_by_id[k[1]])}


def _profile_scores(
    session: Session,
    embedder: matching.Embedder,
    orgs: set[int],
    needs: list[matching.NeedProfile],
    vectors: dict[int, np.ndarray],
) -> dict[int, dict[int, float]]:
    """Organisation -> need -> the need's score for that supplier, as Recommended needs."""
    if not orgs:
        return {}
    from app.engagements.service import active_engagements
    from app.track_record.service import track_records

    ids = select(SupplierProfile.id).where(SupplierProfile.organization_id.in_(orgs))
    profiles = load_suppliers(session, session.scalars(ids))
    active, track = active_engagements(session, list(orgs)), track_records(session, list(orgs))
    records = {
        p.organization_id: supplier_record(
            p, active.get(p.organization_id, 0), track.get(p.organization_id, 0.0)
        )
        for p in profiles
    }
    units = {r.id: matching.supplier_units(r) for r in records.values()}
    stored = unit_vectors(session, embedder, SUPPLIER, units)
    found: dict[int, dict[int, float]] = defaultdict(dict)
    for org, record in records.items():
        keys = [u.key for u in units[record.id]]
        if not keys:
            continue
        rows = np.vstack([stored[(record.id, k)] for k in keys])
        hits = service.score_needs(record, (keys, rows), needs, vectors, embedder, None)
        found[org] = {h.id: h.score for h in hits}
    return found


@dataclass(frozen=True)
class Preview:
    """An open need the search would alert on now."""

    need_id: int
    title: str
    score: float
    level: FitLevel
    level_label: str


def preview(
    session: Session, cache: IndexCache, search: SavedSearch, locale: str, limit: int = 20
) -> list[Preview]:
    """The open needs (deadline not passed) that would fire this search now, best first:
    the nearest needs to its text (or to the supplier's profile and case studies), scored
    and levelled as a publish would."""
    cache.ensure_fresh(session)
    if search.query:
        probes = query_vectors(session, cache.embedder, [search], store=False)[search.id]
        probes = probes.reshape(1, -1)
    else:
        probes = _profile_probes(session, cache, search.organization_id)
    found = cache.search(NEED, probes, service.CANDIDATE_NEEDS) if len(probes) else []
    ids = {owner for row in found for owner, _, _ in row}
    needs = open_need_records(session, ids)
    scored = scores(session, cache.embedder, [search], needs, store=False)
    titles = {n.id: n.title for n in needs}
    rows = [
        Preview(need, titles[need], score, found, level_label(found, locale))
        for (_, need), score in scored.items()
        if fires(search, score) and (found := level(search, score)) is not None
    ]
    return sorted(rows, key=lambda r: (-r.score, r.need_id))[:limit]


def _profile_probes(session: Session, cache: IndexCache, org: int) -> np.ndarray:
    """The supplier's whole-unit vectors, as Recommended needs searches with."""
    profile = select(SupplierProfile.id).where(SupplierProfile.organization_id == org)
    return cache.owner_vectors(SUPPLIER, session.scalar(profile) or 0)[1]
