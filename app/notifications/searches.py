"""Suppliers' saved searches, and the notice sent when a newly published need matches one.

A search with text matches a need whose calibrated similarity to the text reaches the
threshold; one without text ("match my profile") matches when the need's match score for the
supplier, as on Recommended needs, reaches it. Filters (industry, process, region, AI
technique) must hold in both. Query vectors are stored with the other vectors (owner kind
"saved_search", hash-checked), so publishing a need embeds at most the need itself; each
user keeps at most MAX_PER_USER searches, which bounds the work a publish does.
"""

from collections import defaultdict
from hashlib import sha256

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

import matching
from app.engagements.service import active_engagements
from app.errors import Conflict, NotFound
from app.matches import eligibility, engine
from app.matches.service import admitted_supplier_of
from app.matches.store import (
    NEED,
    SUPPLIER,
    load_suppliers,
    model_key,
    need_record,
    supplier_record,
)
from app.models import (
    Embedding,
    ManufacturerProfile,
    Membership,
    Need,
    Role,
    SavedSearch,
    SupplierProfile,
    User,
    utcnow,
)
from app.notifications.schemas import SavedSearchIn
from app.notifications.service import Notice, notify
from app.schemas import MAX_ID
from app.track_record.service import track_records

SEARCH = "saved_search"
MAX_PER_USER = 10


def list_searches(session: Session, user: User) -> list[SavedSearch]:
    admitted_supplier_of(session, user)
    query = select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
    return list(session.scalars(query))


def get_search(session: Session, user: User, search_id: int) -> SavedSearch:
    """Another user's search is NotFound, even within the same organisation."""
    admitted_supplier_of(session, user)
    found = session.get(SavedSearch, search_id) if search_id <= MAX_ID else None
    if found is None or found.user_id != user.id:
        raise NotFound("Saved search not found.")
    return found


def create_search(session: Session, user: User, data: SavedSearchIn) -> SavedSearch:
    admitted_supplier_of(session, user)
    count = session.scalar(select(func.count()).where(SavedSearch.user_id == user.id)) or 0
    if count >= MAX_PER_USER:
        raise Conflict("You can keep at most %(n)s saved searches.", n=MAX_PER_USER)
    search = SavedSearch(organization_id=user.organization_id, user_id=user.id, name="")
    _apply(search, data)
    session.add(search)
    session.flush()
    _query_vectors(session, engine.embedder(), [search])
    return search


def update_search(session: Session, user: User, search_id: int, data: SavedSearchIn) -> SavedSearch:
    search = get_search(session, user, search_id)
    _apply(search, data)
    session.flush()
    _query_vectors(session, engine.embedder(), [search])
    return search


def delete_search(session: Session, user: User, search_id: int) -> None:
    search = get_search(session, user, search_id)
    session.execute(
        delete(Embedding).where(Embedding.owner_kind == SEARCH, Embedding.owner_id == search.id)
    )
    session.delete(search)
    session.flush()


def _apply(search: SavedSearch, data: SavedSearchIn) -> None:
    search.name, search.query, search.threshold = data.name, data.query, data.threshold
    search.filters = data.filters()


def _digest(text: str) -> str:
    return sha256(text.encode("utf-8")).hexdigest()


def _query_vectors(
    session: Session, embedder: matching.Embedder, searches: list[SavedSearch]
) -> dict[int, np.ndarray]:
    """Stored vectors of the searches' texts; missing or stale ones are embedded now."""
    model = model_key(embedder)
    texts = [s for s in searches if s.query]
    query = select(Embedding).where(
        Embedding.owner_kind == SEARCH,
        Embedding.owner_id.in_([s.id for s in texts]),
        Embedding.model == model,
    )
    rows = {e.owner_id: e for e in session.scalars(query)} if texts else {}
    stale = [s for s in texts if s.id not in rows or rows[s.id].text_sha256 != _digest(s.query)]
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


# --- matching a newly published need ---


def _live_searches(session: Session, need: Need) -> list[SavedSearch]:
    """Searches of active users of admitted suppliers whose filters the need satisfies."""
    query = (
        select(SavedSearch)
        .join(User, User.id == SavedSearch.user_id)
        .join(SupplierProfile, SupplierProfile.organization_id == SavedSearch.organization_id)
        .where(
            User.is_active.is_(True),
            User.role == Role.supplier,
            User.organization_id == SavedSearch.organization_id,
            SupplierProfile.membership == Membership.admitted,
        )
        .order_by(SavedSearch.id)
    )
    return [s for s in session.scalars(query) if _passes(s.filters, need)]


def _passes(filters: dict[str, str], need: Need) -> bool:
    for field in ("industry", "process", "region"):
        if filters.get(field) and filters[field] != getattr(need, field):
            return False
    wanted = filters.get("ai_technique")
    return not wanted or wanted in need.ai_techniques


def _need_vector(
    session: Session, embedder: matching.Embedder, record: matching.NeedProfile
) -> np.ndarray:
    unit = matching.need_units(record)[0]
    stored = session.scalar(
        select(Embedding).where(
            Embedding.owner_kind == NEED,
            Embedding.owner_id == record.id,
            Embedding.unit_key == unit.key,
            Embedding.model == model_key(embedder),
        )
    )
    if stored is not None and stored.text_sha256 == unit.sha256:
        return np.frombuffer(stored.vector, np.float32)
    return embedder.encode([unit.text], kind="query")[0]


def _profile_scores(
    session: Session,
    embedder: matching.Embedder,
    need: matching.NeedProfile,
    vector: np.ndarray,
    orgs: set[int],
) -> dict[int, float]:
    """The need's match score for each supplier organisation, as Recommended needs ranks it."""
    ids = select(SupplierProfile.id).where(SupplierProfile.organization_id.in_(orgs))
    profiles = load_suppliers(session, session.scalars(ids))
    active, track = active_engagements(session, list(orgs)), track_records(session, list(orgs))
    units: dict[int, list[tuple[str, bytes]]] = defaultdict(list)
    rows = select(Embedding.owner_id, Embedding.unit_key, Embedding.vector).where(
        Embedding.owner_kind == SUPPLIER,
        Embedding.owner_id.in_([p.id for p in profiles]),
        Embedding.model == model_key(embedder),
    )
    for owner, key, blob in session.execute(rows):
        if "#" not in key:  # whole units, as Recommended needs searches with
            units[owner].append((key, blob))
    calibration = matching.calibration_for(embedder.name)
    scores: dict[int, float] = {}
    for p in profiles:
        org = p.organization_id
        record = supplier_record(p, active.get(org, 0), track.get(org, 0.0))
        sims = [
            matching.UnitSim(need.id, p.id, key, float(np.frombuffer(blob, np.float32) @ vector))
            for key, blob in units[p.id]
        ]
        hits = matching.rank_needs(record, [need], sims, calibration=calibration, limit=1)
        if hits:
            scores[org] = hits[0].score
    return scores


def match_scores(session: Session, need: Need, searches: list[SavedSearch]) -> dict[int, float]:
    """Each search's score for the need (search id -> score)."""
    embedder = engine.embedder()
    level = session.scalar(
        select(ManufacturerProfile.sf_level).where(
            ManufacturerProfile.organization_id == need.organization_id
        )
    )
    record = need_record(need, level)
    vector = _need_vector(session, embedder, record)
    calibration = matching.calibration_for(embedder.name)
    queries = _query_vectors(session, embedder, searches)
    scores = {sid: calibration(float(v @ vector)) for sid, v in queries.items()}
    profile_orgs = {s.organization_id for s in searches if not s.query}
    by_org = (
        _profile_scores(session, embedder, record, vector, profile_orgs) if profile_orgs else {}
    )
    scores |= {
        s.id: by_org[s.organization_id]
        for s in searches
        if not s.query and s.organization_id in by_org
    }
    return scores


def notify_matches(session: Session, need: Need) -> int:
    """Called when a need is published: one notice per user, naming their best-matching search."""
    searches = _live_searches(session, need)
    allowed = eligibility.eligible_for_need(session, need, {s.organization_id for s in searches})
    searches = [s for s in searches if s.organization_id in allowed]
    if not searches:
        return 0
    scores = match_scores(session, need, searches)
    best: dict[int, tuple[float, SavedSearch]] = {}
    for search in searches:
        score = scores.get(search.id)
        if score is None or score < search.threshold:
            continue
        if search.user_id not in best or score > best[search.user_id][0]:
            best[search.user_id] = (score, search)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(list(best))))}
    for user_id, (score, search) in sorted(best.items()):
        params = {"title": need.title, "search": search.name, "score": round(score, 3)}
        notice = Notice("need_matched", params, f"/needs/{need.id}", f"matched:{need.id}")
        notify(session, [users[user_id]], notice)
    return len(best)
