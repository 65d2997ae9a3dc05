"""Vectors in the database: matching records from the ORM, and hash-checked re-embedding.

Owners are supplier profiles (kind "supplier", id = supplier_profiles.id) and needs
(kind "need"). Only units whose text hash changed are embedded again; every owner whose
vectors changed gets a row in the change log that the workers' index caches follow.
"""

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session, selectinload

import matching
from app.models import (
    Embedding,
    IndexChange,
    ManufacturerProfile,
    Membership,
    Need,
    NeedStatus,
    SupplierProfile,
    utcnow,
)
from app.readiness.service import required_offers

SUPPLIER, NEED, MANUFACTURER = "supplier", "need", "manufacturer"
MODELS = {SUPPLIER: SupplierProfile, NEED: Need, MANUFACTURER: ManufacturerProfile}
Progress = Callable[[int], None]


def model_key(embedder: matching.Embedder) -> str:
    return f"{embedder.name}@{embedder.version}"


def supplier_record(
    profile: SupplierProfile, active_engagements: int = 0, track_record: float = 0.0
) -> matching.SupplierProfile:
    description = "\n\n".join(t for t in (profile.description_ko, profile.description_en) if t)
    cases = tuple(
        matching.CaseStudy(c.id, c.title, c.text, c.industry, c.process, c.outcome or "")
        for c in profile.case_studies
    )
    return matching.SupplierProfile(
        id=profile.id,
        name=profile.organization.name,
        description=description,
        case_studies=cases,
        specialties=frozenset(profile.specialties),
        ai_techniques=frozenset(profile.ai_techniques),
        industries=frozenset(profile.industries),
        processes=frozenset(profile.processes),
        region=profile.region,
        in_province=matching.is_in_province(profile.region),
        capacity=profile.capacity,
        active_engagements=active_engagements,
        price_min=profile.price_min,
        price_max=profile.price_max,
        min_sf_level=profile.min_sf_level,
        track_record=track_record,
        admitted=profile.membership is Membership.admitted,
        certifications=frozenset(profile.certifications),
    )


def required_certifications(must_have: Iterable[str], known: Iterable[str]) -> frozenset[str]:
    """The certifications a need's must-have lines name, among those suppliers hold
    ("ISO 9001 인증 보유" names "ISO 9001"); matching (and rounds) filter on them."""
    lines = [line.casefold() for line in must_have]
    return frozenset(c for c in known if any(c.casefold() in line for line in lines))


def need_record(
    need: Need, sf_level: str | None = None, known: Iterable[str] = ()
) -> matching.NeedProfile:
    """`known`: the certifications admitted suppliers hold (see `required_certifications`)."""
    return matching.NeedProfile(
        id=need.id,
        title=need.title,
        description=need.description,
        industry=need.industry,
        process=need.process,
        ai_techniques=frozenset(need.ai_techniques),
        specialties=frozenset(need.specialties),
        region=need.region,
        prefer_in_province=need.prefer_in_province,
        budget_min=need.budget_min,
        budget_max=need.budget_max,
        sf_level=sf_level,
        requires_any=required_offers(need.track),
        required_certifications=required_certifications(need.must_have, known),
    )


def load_suppliers(session: Session, ids: Iterable[int] | None = None) -> list[SupplierProfile]:
    query = select(SupplierProfile).options(
        selectinload(SupplierProfile.case_studies), selectinload(SupplierProfile.organization)
    )
    if ids is not None:
        query = query.where(SupplierProfile.id.in_(list(ids)))
    return list(session.scalars(query))


def load_needs(session: Session, ids: Iterable[int] | None = None) -> list[tuple[Need, str | None]]:
    """Needs with their manufacturer's smart-factory level."""
    query = select(Need, ManufacturerProfile.sf_level).outerjoin(
        ManufacturerProfile, ManufacturerProfile.organization_id == Need.organization_id
    )
    if ids is not None:
        query = query.where(Need.id.in_(list(ids)))
    return [(need, level) for need, level in session.execute(query)]


NEED_COLUMNS = (
    Need.id,
    Need.title,
    Need.description,
    Need.industry,
    Need.process,
    Need.ai_techniques,
    Need.specialties,
    Need.region,
    Need.prefer_in_province,
    Need.budget_min,
    Need.budget_max,
    Need.track,
    Need.must_have,
    ManufacturerProfile.sf_level,
)


def open_need_records(
    session: Session, ids: Iterable[int], known: Iterable[str] = ()
) -> list[matching.NeedProfile]:
    """Open needs whose deadline has not passed, read as plain rows (the hot path)."""
    now = utcnow()
    query = (
        select(*NEED_COLUMNS)
        .outerjoin(ManufacturerProfile, ManufacturerProfile.organization_id == Need.organization_id)
        .where(
            Need.id.in_(list(ids)),
            Need.status == NeedStatus.open,
            or_(Need.deadline_at.is_(None), Need.deadline_at > now),
        )
    )
    return [
        matching.NeedProfile(
            id=r.id,
            title=r.title,
            description=r.description,
            industry=r.industry,
            process=r.process,
            ai_techniques=frozenset(r.ai_techniques),
            specialties=frozenset(r.specialties),
            region=r.region,
            prefer_in_province=r.prefer_in_province,
            budget_min=r.budget_min,
            budget_max=r.budget_max,
            sf_level=r.sf_level,
            requires_any=required_offers(r.track),
            required_certifications=required_certifications(r.must_have, known),
        )
        for r in session.execute(query)
    ]


def units_of(session: Session, kind: str, ids: Sequence[int]) -> dict[int, list[matching.TextUnit]]:
    if kind == SUPPLIER:
        return {
            p.id: matching.supplier_units(supplier_record(p)) for p in load_suppliers(session, ids)
        }
    if kind == MANUFACTURER:
        return {
            p.id: manufacturer_units(p)
            for p in session.scalars(
                select(ManufacturerProfile).where(ManufacturerProfile.id.in_(list(ids)))
            )
        }
    return {n.id: matching.need_units(need_record(n)) for n, _ in load_needs(session, ids)}


def manufacturer_units(profile: ManufacturerProfile) -> list[matching.TextUnit]:
    """A company profile is one unit, so coordinators can find manufacturers by what they do."""
    text = profile.description.strip()
    return [matching.TextUnit("profile", "profile", profile.id, "", text)] if text else []


def sync(
    session: Session,
    embedder: matching.Embedder,
    kind: str,
    ids: Sequence[int],
    progress: Progress | None = None,
) -> int:
    """Bring these owners' vectors in step with their texts; returns how many were re-embedded."""
    model = model_key(embedder)
    units = units_of(session, kind, ids)
    stored: dict[tuple[int, str], Embedding] = {
        (e.owner_id, e.unit_key): e
        for e in session.scalars(
            select(Embedding).where(
                Embedding.owner_kind == kind,
                Embedding.owner_id.in_(list(ids)),
                Embedding.model == model,
            )
        )
    }
    todo = [
        (owner, u)
        for owner, us in units.items()
        for u in us
        if (row := stored.get((owner, u.key))) is None or row.text_sha256 != u.sha256
    ]
    _store(session, embedder, kind, todo, stored, progress)
    wanted = {(owner, u.key) for owner, us in units.items() for u in us}
    gone = [row for key, row in stored.items() if key not in wanted]
    for row in gone:
        session.delete(row)
    changed = {owner for owner, _ in todo} | {row.owner_id for row in gone}
    if kind == SUPPLIER:  # workers also cache suppliers' structured fields (capacity, status...)
        changed |= set(units)
    if changed:
        log = [{"owner_kind": kind, "owner_id": o, "created_at": utcnow()} for o in sorted(changed)]
        session.execute(insert(IndexChange), log)
    session.flush()
    return len(todo)


def _store(
    session: Session,
    embedder: matching.Embedder,
    kind: str,
    todo: list[tuple[int, matching.TextUnit]],
    stored: dict[tuple[int, str], Embedding],
    progress: Progress | None,
    batch: int = 128,
) -> None:
    """Embed in batches; new rows go in as one bulk insert per batch (the reindex hot path)."""
    model, encode_kind = model_key(embedder), "passage" if kind == SUPPLIER else "query"
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        vectors = embedder.encode([u.text for _, u in chunk], kind=encode_kind)
        new = []
        for (owner, unit), vector in zip(chunk, vectors, strict=True):
            blob = np.asarray(vector, np.float32).tobytes()
            if (row := stored.get((owner, unit.key))) is not None:
                row.text_sha256, row.vector = unit.sha256, blob
            else:
                new.append(
                    {
                        "owner_kind": kind,
                        "owner_id": owner,
                        "unit_key": unit.key,
                        "model": model,
                        "text_sha256": unit.sha256,
                        "vector": blob,
                        "updated_at": utcnow(),
                    }
                )
        if new:
            session.execute(insert(Embedding), new)
        if progress:
            progress(len(chunk))


def all_owner_ids(session: Session, kind: str) -> list[int]:
    """Every owner a full reindex must look at. Manufacturers without a description have
    nothing to embed: only those with one, or with vectors to drop, are listed."""
    model = MODELS[kind]
    query = select(model.id)
    if kind == MANUFACTURER:
        stored = select(Embedding.owner_id).where(Embedding.owner_kind == MANUFACTURER)
        query = query.where(or_(ManufacturerProfile.description != "", model.id.in_(stored)))
    return list(session.scalars(query.order_by(model.id)))


def unit_vectors(
    session: Session,
    embedder: matching.Embedder,
    kind: str,
    units: dict[int, list[matching.TextUnit]],
) -> dict[tuple[int, str], np.ndarray]:
    """Vectors of these owners' units by (owner, key): stored ones whose text hash still
    matches, the rest embedded now (not stored: `sync` owns writing)."""
    query = select(Embedding.owner_id, Embedding.unit_key, Embedding.text_sha256, Embedding.vector)
    rows = session.execute(
        query.where(
            Embedding.owner_kind == kind,
            Embedding.owner_id.in_(list(units)),
            Embedding.model == model_key(embedder),
        )
    )
    stored = {(owner, key): (sha, blob) for owner, key, sha, blob in rows}
    found: dict[tuple[int, str], np.ndarray] = {}
    missing = []
    for owner, listed in units.items():
        for unit in listed:
            sha, blob = stored.get((owner, unit.key), ("", b""))
            if sha == unit.sha256:
                found[(owner, unit.key)] = np.frombuffer(blob, np.float32)
            else:
                missing.append((owner, unit))
    if missing:
        encode_kind = "passage" if kind == SUPPLIER else "query"
        vectors = embedder.encode([u.text for _, u in missing], kind=encode_kind)
        found |= {(o, u.key): v for (o, u), v in zip(missing, vectors, strict=True)}
    return found
