"""Each worker's FAISS copy of the stored vectors, kept in step through the change log.

The database is the source of truth. A worker loads the on-disk cache (or rebuilds it from
the database), then every `poll_seconds` applies the owners named in `index_changes` rows
it has not seen. The log is read over a trailing window rather than by id, because ids from
concurrent transactions can commit out of order; reloading an owner is idempotent.
"""

import gc
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import matching
from app.matches.store import (
    MANUFACTURER,
    NEED,
    SUPPLIER,
    load_suppliers,
    model_key,
    supplier_record,
)
from app.models import Embedding, IndexChange, utcnow

# Change ids are allocated before commit, so a slow transaction can commit an id below one
# already seen: the log is re-read from SLACK ids back, within WINDOW of now.
WINDOW = timedelta(seconds=120)
SLACK = 1000
Match = tuple[int, str, float]
KINDS = (SUPPLIER, NEED, MANUFACTURER)
LARGE_INDEX = 10_000  # vectors; below this a full collection is cheap


class IndexCache:
    def __init__(self, embedder: matching.Embedder, folder: Path, poll_seconds: float) -> None:
        self.embedder, self.model = embedder, model_key(embedder)
        self.folder = folder / self.model.replace("/", "_").replace("@", "_v")
        self.poll_seconds = poll_seconds
        self.lock = threading.Lock()
        self._reset()
        self.loaded, self.checked_at = False, 0.0

    def _reset(self) -> None:
        self.indexes = {kind: matching.VectorIndex(self.embedder.dim) for kind in KINDS}
        self.owner_of: dict[int, tuple[int, str]] = {}  # vector id -> (owner id, unit key)
        self.ids_of: dict[tuple[str, int], list[int]] = {}
        # Matching records of every supplier (with its organisation id), so ranking reads no
        # rows per query; every touch of a supplier is in the change log, text or not.
        self.suppliers: dict[int, tuple[matching.SupplierProfile, int]] = {}
        self.applied: set[int] = set()  # change ids above seen_max - SLACK already applied
        self.seen_max = 0
        # Array views of the supplier units and records for ranking, rebuilt after a change.
        self._units: UnitLookup | None = None
        self._table: tuple[matching.SupplierTable, dict[int, int]] | None = None

    def ensure_fresh(self, session: Session) -> None:
        with self.lock:
            if not self.loaded:
                if not self._load():
                    self._rebuild(session)
                self._load_suppliers(session)
                self.loaded = True
                self._apply_changes(session)
                self._settle()
            elif time.monotonic() - self.checked_at >= self.poll_seconds:
                self._apply_changes(session)

    def _apply_changes(self, session: Session) -> None:
        self.checked_at = time.monotonic()
        query = select(IndexChange.id, IndexChange.owner_kind, IndexChange.owner_id).where(
            IndexChange.id > self.seen_max - SLACK, IndexChange.created_at >= utcnow() - WINDOW
        )
        fresh = [row for row in session.execute(query) if row.id not in self.applied]
        for kind in KINDS:
            owners = sorted({row.owner_id for row in fresh if row.owner_kind == kind})
            if owners:
                self._reload(session, kind, owners)
        self._mark_applied([row.id for row in fresh])

    def _mark_applied(self, ids: list[int]) -> None:
        self.seen_max = max([self.seen_max, *ids])
        self.applied = {i for i in self.applied | set(ids) if i > self.seen_max - SLACK}

    def _load_suppliers(self, session: Session, ids: list[int] | None = None) -> None:
        self._table = None
        if ids is not None:
            for profile_id in ids:
                self.suppliers.pop(profile_id, None)
        from app.engagements.service import active_engagements, track_records

        profiles = load_suppliers(session, ids)
        orgs = [p.organization_id for p in profiles]
        active, track = active_engagements(session, orgs), track_records(session, orgs)
        for p in profiles:
            org = p.organization_id
            record = supplier_record(p, active.get(org, 0), track.get(org, 0.0))
            self.suppliers[p.id] = (record, org)

    def owner_vectors(self, kind: str, owner: int) -> tuple[list[str], np.ndarray]:
        """An owner's whole-unit vectors (sentence units left out) as the index holds them."""
        with self.lock:
            ids = [i for i in self.ids_of.get((kind, owner), []) if "#" not in self.owner_of[i][1]]
            if not ids:
                return [], np.zeros((0, self.embedder.dim), np.float32)
            index = self.indexes[kind]
            return [self.owner_of[i][1] for i in ids], np.vstack(
                [index.reconstruct(i) for i in ids]
            )

    def supplier_records(self, ids: set[int]) -> list[tuple[matching.SupplierProfile, int]]:
        with self.lock:
            return [self.suppliers[i] for i in sorted(ids) if i in self.suppliers]

    def supplier_table(self) -> tuple[matching.SupplierTable, dict[int, int]]:
        """Every cached supplier as one table, and each one's organisation id (a snapshot:
        a change replaces it rather than altering it)."""
        with self.lock:
            if self._table is None:
                pairs = self.suppliers.values()
                table = matching.SupplierTable(record for record, _ in pairs)
                self._table = table, {record.id: org for record, org in pairs}
            return self._table

    def supplier_hits(self, query: np.ndarray, k: int) -> matching.UnitHits:
        """The k supplier units nearest one query vector, as arrays."""
        with self.lock:
            scores, ids = self.indexes[SUPPLIER].search(query, k)
            if self._units is None:
                self._units = UnitLookup.of(self, SUPPLIER)
            return self._units.hits(scores[0], ids[0])

    def supplier_ids_where(self, keep: Callable[[matching.SupplierProfile], bool]) -> set[int]:
        """Every cached supplier (profile id) for which `keep(record)` holds."""
        with self.lock:
            return {i for i, (record, _) in self.suppliers.items() if keep(record)}

    def _reload(self, session: Session, kind: str, owners: list[int]) -> None:
        """Replace these owners' vectors with what the database holds now (one batch)."""
        if kind == SUPPLIER:
            self._load_suppliers(session, owners)
        old = [i for owner in owners for i in self.ids_of.pop((kind, owner), [])]
        self._units = None
        self.indexes[kind].remove(old)
        for vector_id in old:
            self.owner_of.pop(vector_id, None)
        for start in range(0, len(owners), 500):
            query = select(
                Embedding.id, Embedding.owner_id, Embedding.unit_key, Embedding.vector
            ).where(
                Embedding.owner_kind == kind,
                Embedding.model == self.model,
                Embedding.owner_id.in_(owners[start : start + 500]),
            )
            self._add(kind, [tuple(row) for row in session.execute(query)])  # type: ignore[misc]

    def _add(self, kind: str, rows: list[tuple[int, int, str, bytes]]) -> None:
        if not rows:
            return
        self._units = None
        vectors = np.vstack([np.frombuffer(vec, dtype=np.float32) for *_, vec in rows])
        self.indexes[kind].upsert([row[0] for row in rows], vectors)
        for vector_id, owner, key, _ in rows:
            self.owner_of[vector_id] = (owner, key)
            self.ids_of.setdefault((kind, owner), []).append(vector_id)

    def _rebuild(self, session: Session) -> None:
        self._reset()
        # Read the log first: a change that commits after this read is applied again later,
        # which is harmless; one read after the vectors could be missed.
        top = session.scalar(select(func.max(IndexChange.id))) or 0
        self._mark_applied(
            list(session.scalars(select(IndexChange.id).where(IndexChange.id > top - SLACK)))
        )
        for kind in KINDS:
            query = select(
                Embedding.id, Embedding.owner_id, Embedding.unit_key, Embedding.vector
            ).where(Embedding.owner_kind == kind, Embedding.model == self.model)
            result = session.execute(query.execution_options(yield_per=5000))
            for chunk in result.partitions():
                self._add(kind, [tuple(row) for row in chunk])  # type: ignore[misc]
        self.save()

    def rebuild(self, session: Session) -> None:
        with self.lock:
            self._rebuild(session)
            self._load_suppliers(session)
            self.loaded = True
            self._settle()

    def _settle(self) -> None:
        """Take a large index's entries (and whatever else lives now) out of the garbage
        collector's full passes: with 50,000 needs loaded one such pass took 70 ms, a pause for
        whichever request happened to trigger it. Later objects are collected as usual."""
        if len(self.owner_of) >= LARGE_INDEX:
            gc.freeze()

    def save(self) -> None:
        """Write the cache atomically (each file is replaced whole)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            self.indexes[kind].save(self.folder / f"{kind}.faiss")
        meta = {
            "model": self.model,
            "seen_max": self.seen_max,
            "applied": sorted(self.applied),
            "owners": {str(i): list(v) for i, v in self.owner_of.items()},
            "kinds": {kind: [int(i) for i in self.indexes[kind].ids()] for kind in KINDS},
        }
        tmp = self.folder / "meta.json.tmp"
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        tmp.replace(self.folder / "meta.json")

    def _load(self) -> bool:
        """Adopt the on-disk cache; False when it is missing, damaged or for another model."""
        try:
            meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
            indexes = {k: matching.VectorIndex.load(self.folder / f"{k}.faiss") for k in KINDS}
            owner_of = {int(i): (int(o), str(key)) for i, (o, key) in meta["owners"].items()}
            kinds = {k: [int(i) for i in meta["kinds"][k]] for k in KINDS}
            applied = {int(i) for i in meta["applied"]}
            seen_max = int(meta["seen_max"])
        except (OSError, ValueError, RuntimeError, KeyError, TypeError):
            return False
        if meta.get("model") != self.model or any(
            sorted(kinds[k]) != sorted(int(i) for i in indexes[k].ids()) for k in KINDS
        ):
            return False
        self._reset()
        self.indexes, self.seen_max, self.applied = indexes, seen_max, applied
        self.owner_of = owner_of
        for kind in KINDS:
            for vector_id in kinds[kind]:
                self.ids_of.setdefault((kind, owner_of[vector_id][0]), []).append(vector_id)
        return True

    def search(self, kind: str, queries: np.ndarray, k: int) -> list[list[Match]]:
        """Per query row, the k nearest stored units as (owner id, unit key, cosine)."""
        with self.lock:
            scores, ids = self.indexes[kind].search(queries, k)
            return [
                [
                    (*self.owner_of[i], float(s))
                    for s, i in zip(srow, irow, strict=True)
                    if i in self.owner_of
                ]
                for srow, irow in zip(scores.tolist(), ids.tolist(), strict=True)
            ]


@dataclass(frozen=True)
class UnitLookup:
    """One index's vector ids (sorted) with each unit's owner, whole-unit number and key, so
    a search result becomes `matching.UnitHits` with a few array operations."""

    ids: np.ndarray
    owner: np.ndarray
    parent: np.ndarray
    sentence: np.ndarray
    keys: np.ndarray

    @classmethod
    def of(cls, cache: IndexCache, kind: str) -> "UnitLookup":
        ids = sorted(i for (k, _), listed in cache.ids_of.items() if k == kind for i in listed)
        units = [cache.owner_of[i] for i in ids]
        parents: dict[tuple[int, str], int] = {}
        split = [(owner, *key.partition("#")) for owner, key in units]
        return cls(
            np.array(ids, np.int64),
            np.array([owner for owner, _ in units], np.int64),
            np.array([parents.setdefault((o, w), len(parents)) for o, w, _, _ in split], np.int64),
            np.array([bool(sentence) for *_, sentence in split], np.bool_),
            np.array([key for _, key in units], dtype=object),
        )

    def hits(self, scores: np.ndarray, ids: np.ndarray) -> matching.UnitHits:
        """Search results in order; ids it does not know (faiss's -1 padding) are skipped."""
        at = np.minimum(np.searchsorted(self.ids, ids), max(len(self.ids) - 1, 0))
        known = self.ids[at] == ids if len(self.ids) else np.zeros(len(ids), np.bool_)
        at = at[known]
        return matching.UnitHits(
            self.owner[at],
            self.parent[at],
            self.sentence[at],
            scores[known].astype(np.float64),
            self.keys[at],
        )
