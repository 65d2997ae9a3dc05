"""Each worker's FAISS copy of the stored vectors, kept in step through the change log.

The database is the source of truth. A worker adopts the on-disk copy only when its files
check out (app/matches/snapshot.py), it replays every change-log row after the copy's
watermark (app/matches/changelog.py), however old, and its content then matches the
database's (counts and a digest of the vectors' text hashes per kind); otherwise it rebuilds
from the database. Then every `poll_seconds` it applies the rows it does not contain, and it
saves itself again (in a background thread) every `save_seconds` while it changes, so a
restart replays little. A `reindex` logged by another process makes it reload.

A kind with `matching.APPROXIMATE_FROM` vectors or more (the national manufacturers) is
approximate (`matching.VectorIndex.settle`) and mapped read-only from its snapshot file, so
every worker on the machine shares one copy; the log's writes go to its small delta.
Searches run outside `lock` (FAISS releases the GIL): `_readers` lets a change wait for the
searches in flight instead of every search waiting for every other.
"""

import gc
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session

import matching
from app.engagements.service import active_engagements
from app.matches import changelog, snapshot
from app.matches.changelog import REBUILD, Watermark
from app.matches.store import (
    MANUFACTURER,
    NEED,
    SUPPLIER,
    load_suppliers,
    model_key,
    supplier_record,
)
from app.models import Embedding, IndexChange, utcnow
from app.track_record.service import track_records

T = TypeVar("T")
log = logging.getLogger("axmatch.index")
Match = tuple[int, str, float]
KINDS = (SUPPLIER, NEED, MANUFACTURER)
LARGE_INDEX = 10_000  # vectors; below this a full collection is cheap
Digest = dict[str, tuple[int, int]]  # kind -> (vectors, XOR of their content hashes)
VectorRow = tuple[int, int, str, str, bytes]  # id, owner id, unit key, text sha256, vector


def content_hash(vector_id: int, text_sha256: str) -> int:
    """What the digest is made of: a vector's id with the hash of the text it came from."""
    digest = hashlib.blake2b(f"{vector_id}:{text_sha256}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class _Readers:
    """Searches in flight. A reader enters while holding the cache lock (so never while a
    change is made, which holds it throughout); a change waits until none is left."""

    def __init__(self) -> None:
        self._count, self._idle = 0, threading.Condition()

    def enter(self) -> None:
        with self._idle:
            self._count += 1

    def leave(self) -> None:
        with self._idle:
            self._count -= 1
            self._idle.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._idle:
            self._idle.wait_for(lambda: self._count == 0)
            yield


class IndexCache:
    def __init__(
        self,
        embedder: matching.Embedder,
        folder: Path,
        poll_seconds: float,
        save_seconds: float = 60.0,
    ) -> None:
        self.embedder, self.model = embedder, model_key(embedder)
        self.folder = folder / self.model.replace("/", "_").replace("@", "_v")
        self.poll_seconds, self.save_seconds = poll_seconds, save_seconds
        self.lock = threading.Lock()
        self._readers = _Readers()
        self._reset()
        self.loaded, self.checked_at = False, 0.0
        self.origin = ""  # "disk" or "database": where the last (re)load came from
        self.saved_at, self.unsaved = time.monotonic(), 0
        self._saver: threading.Thread | None = None
        self.written_at: float | None = None  # when this process last wrote it to disk
        self.save_error: str | None = None  # the last write's failure, until one succeeds

    def _reset(self) -> None:
        self.indexes = {kind: matching.VectorIndex(self.embedder.dim) for kind in KINDS}
        self.owner_of: dict[int, tuple[int, str]] = {}  # vector id -> (owner id, unit key)
        self.ids_of: dict[tuple[str, int], list[int]] = {}
        self.hashes: dict[int, int] = {}  # vector id -> content_hash
        # Matching records of every supplier (with its organisation id), so ranking reads no
        # rows per query; every touch of a supplier is in the change log, text or not.
        self.suppliers: dict[int, tuple[matching.SupplierProfile, int]] = {}
        self.watermark, self.last_rebuild = Watermark(), 0
        # Array views of the supplier units and records for ranking, rebuilt after a change.
        self._units: UnitLookup | None = None
        self._table: tuple[matching.SupplierTable, dict[int, int]] | None = None
        self._known: frozenset[str] | None = None
        # Per-owner data derived from its record and vectors (`derived`), dropped with them.
        self._derived: dict[tuple[str, str, int], Any] = {}
        self._reloads = getattr(self, "_reloads", 0) + 1  # a value made before is stale

    def ensure_fresh(self, session: Session) -> None:
        with self.lock:
            if not self.loaded:
                with self._readers.writing():
                    self._start(session)
            elif time.monotonic() - self.checked_at >= self.poll_seconds:
                self._apply_changes(session)
            self._save_in_background()

    def _start(self, session: Session) -> None:
        """Adopt the on-disk copy when it checks out against the database, else rebuild."""
        if self._load() and self._catch_up(session):
            self.origin = "disk"
        else:
            self._rebuild(session)
        self.loaded = True
        self._settle()

    def _catch_up(self, session: Session) -> bool:
        """Replay the log after the loaded watermark; True when the content then matches the
        database. A write committing between the replay and the check shows as a mismatch,
        so a second replay is tried before giving up."""
        self._load_suppliers(session)
        for _ in range(2):
            self._apply_changes(session)
            if self.digest() == database_digest(session, self.model):
                return True
        log.warning("index cache in %s differs from the database; rebuilding", self.folder)
        return False

    def _apply_changes(self, session: Session) -> None:
        self.checked_at = time.monotonic()
        query = select(
            IndexChange.id, IndexChange.owner_kind, IndexChange.owner_id, IndexChange.created_at
        ).where(self.watermark.unseen())
        fresh = [row for row in session.execute(query) if not self.watermark.contains(row.id)]
        rebuilds = [row.id for row in fresh if row.owner_kind == REBUILD]
        with self._readers.writing():
            if self.loaded and rebuilds and max(rebuilds) > self.last_rebuild:
                log.info("index cache: a reindex was logged; reloading")
                self._reset()
                self.last_rebuild, self.loaded = max(rebuilds), False
                self._start(session)
                return
            for kind in KINDS:
                owners = sorted({row.owner_id for row in fresh if row.owner_kind == kind})
                if owners:
                    self._reload(session, kind, owners)
        self.watermark.add((row.id, row.created_at) for row in fresh)
        self.watermark.expire(utcnow())
        self.last_rebuild = max([self.last_rebuild, *rebuilds])
        self.unsaved += len(fresh)

    def _load_suppliers(self, session: Session, ids: list[int] | None = None) -> None:
        self._table, self._known = None, None
        self._reloads += 1
        dropped = None if ids is None else set(ids)
        for key in [k for k in self._derived if k[1] == SUPPLIER]:
            if dropped is None or key[2] in dropped:
                del self._derived[key]
        if ids is not None:
            for profile_id in ids:
                self.suppliers.pop(profile_id, None)
        profiles = load_suppliers(session, ids)
        orgs = [p.organization_id for p in profiles]
        active, track = active_engagements(session, orgs), track_records(session, orgs)
        for p in profiles:
            org = p.organization_id
            record = supplier_record(p, active.get(org, 0), track.get(org, 0.0))
            self.suppliers[p.id] = (record, org)

    def owner_vectors(
        self, kind: str, owner: int, *, sentences: bool = False
    ) -> tuple[list[str], np.ndarray]:
        """An owner's unit vectors as the index holds them: whole units only, or every unit
        (sentence units too) when `sentences`."""
        with self.lock:
            ids = [
                i
                for i in self.ids_of.get((kind, owner), [])
                if sentences or "#" not in self.owner_of[i][1]
            ]
            if not ids:
                return [], np.zeros((0, self.embedder.dim), np.float32)
            index = self.indexes[kind]
            return [self.owner_of[i][1] for i in ids], np.vstack(
                [index.reconstruct(i) for i in ids]
            )

    def derived(self, name: str, kind: str, owner: int, make: Callable[[], T]) -> T:
        """`make()` for one owner, computed once until the owner's record or vectors change
        (e.g. a supplier's quotable sentences with their vectors, read on every result card)."""
        key = (name, kind, owner)
        with self.lock:
            if key in self._derived:
                return cast(T, self._derived[key])
            reloads = self._reloads
        value = make()
        with self.lock:
            if self._reloads == reloads:  # nothing reloaded while it was made
                self._derived[key] = value
        return value

    def supplier_records(self, ids: set[int]) -> list[tuple[matching.SupplierProfile, int]]:
        with self.lock:
            return [self.suppliers[i] for i in sorted(ids) if i in self.suppliers]

    def supplier_table(self) -> tuple[matching.SupplierTable, dict[int, int]]:
        """Every cached supplier as one table, and each one's organisation id (a snapshot:
        a change replaces it rather than altering it)."""
        with self.lock:
            if self._table is None:
                pairs = self.suppliers.values()
                bridge = matching.shared_bridge(self.embedder)
                table = matching.SupplierTable((record for record, _ in pairs), bridge)
                self._table = table, {record.id: org for record, org in pairs}
            return self._table

    def known_certifications(self) -> frozenset[str]:
        """Every certification an admitted supplier holds (what a must-have line may name)."""
        with self.lock:
            if self._known is None:
                held = (r.certifications for r, _ in self.suppliers.values() if r.admitted)
                self._known = frozenset().union(*held)
            return self._known

    def supplier_hits(self, query: np.ndarray, k: int) -> matching.UnitHits:
        """The k supplier units nearest one query vector, as arrays."""
        with self.lock:
            if self._units is None:
                self._units = UnitLookup.of(self, SUPPLIER)
            index, units = self.indexes[SUPPLIER], self._units
            self._readers.enter()
        try:
            scores, ids = index.search(query, k)
        finally:
            self._readers.leave()
        return units.hits(scores[0], ids[0])

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
        changed, self._reloads = set(owners), self._reloads + 1
        for key in [k for k in self._derived if k[1] == kind and k[2] in changed]:
            del self._derived[key]
        self.indexes[kind].remove(old)
        for vector_id in old:
            self.owner_of.pop(vector_id, None)
            self.hashes.pop(vector_id, None)
        for start in range(0, len(owners), 500):
            query = _vector_rows(self.model, kind).where(
                Embedding.owner_id.in_(owners[start : start + 500])
            )
            self._add(kind, [tuple(row) for row in session.execute(query)])  # type: ignore[misc]

    def _add(self, kind: str, rows: list[VectorRow]) -> None:
        if not rows:
            return
        self._units = None
        vectors = np.vstack([np.frombuffer(vec, dtype=np.float32) for *_, vec in rows])
        self.indexes[kind].upsert([row[0] for row in rows], vectors)
        for vector_id, owner, key, sha, _ in rows:
            self.owner_of[vector_id] = (owner, key)
            self.hashes[vector_id] = content_hash(vector_id, sha)
            self.ids_of.setdefault((kind, owner), []).append(vector_id)

    def _rebuild(self, session: Session) -> None:
        self._reset()
        # Read the log first: a change that commits after this read is applied again later,
        # which is harmless; one read after the vectors could be missed.
        self.watermark, self.last_rebuild = (
            changelog.of_log(session),
            changelog.last_rebuild(session),
        )
        for kind in KINDS:
            query = _vector_rows(self.model, kind).execution_options(yield_per=5000)
            for chunk in session.execute(query).partitions():
                self._add(kind, [tuple(row) for row in chunk])  # type: ignore[misc]
            self.indexes[kind].settle()
        self._load_suppliers(session)
        self.origin = "database"
        self._write(self._snapshot())
        self._share()
        self.saved_at, self.unsaved = time.monotonic(), 0

    def _share(self) -> None:
        """Swap each approximate index just written for the mapped file (nothing changed
        since: the lock is held), so this worker shares it with the others too."""
        for kind, index in self.indexes.items():
            if index.approximate and not index.delta and self.written_at is not None:
                mapped = snapshot.mapped(self.folder, kind)
                if mapped is not None:
                    self.indexes[kind] = mapped

    def rebuild(self, session: Session) -> None:
        with self.lock, self._readers.writing():
            self._rebuild(session)
            self.loaded = True
            self._settle()

    def _settle(self) -> None:
        """Take a large index's entries (and whatever else lives now) out of the garbage
        collector's full passes: with 50,000 needs loaded one such pass took 70 ms, a pause for
        whichever request happened to trigger it. Later objects are collected as usual."""
        if len(self.owner_of) >= LARGE_INDEX:
            gc.freeze()

    def digest(self) -> Digest:
        """Per kind: how many vectors the index holds and the XOR of their content hashes."""
        result = {}
        for kind in KINDS:
            ids = self.indexes[kind].ids().tolist()
            result[kind] = (len(ids), _xor(self.hashes.get(i, 0) for i in ids))
        return result

    def save(self) -> None:
        """Write the cache to disk now (atomically: see app/matches/snapshot.py)."""
        with self.lock:
            snap, self.saved_at, self.unsaved = self._snapshot(), time.monotonic(), 0
        self._write(snap)

    def wait_saved(self) -> None:
        """Return once a background save in progress has finished."""
        if self._saver is not None:
            self._saver.join()

    def _snapshot(self) -> snapshot.Snapshot:
        units: dict[str, snapshot.Units] = {kind: {} for kind in KINDS}
        for (kind, _), ids in self.ids_of.items():
            for i in ids:
                units[kind][i] = (*self.owner_of[i], self.hashes[i])
        indexes = {kind: self.indexes[kind].to_bytes() for kind in KINDS}
        mark = Watermark(self.watermark.top, list(self.watermark.gaps))
        return snapshot.Snapshot(self.model, indexes, units, mark, self.last_rebuild)

    def _write(self, snap: snapshot.Snapshot) -> None:
        try:
            snapshot.write(self.folder, snap)
        except OSError as exc:  # a full or read-only disk costs a longer replay, not a request
            log.warning("index cache: saving to %s failed (%s)", self.folder, exc)
            self.save_error = f"{type(exc).__name__}: {exc.strerror or exc}"
            return
        self.written_at, self.save_error = time.monotonic(), None

    def health(self) -> dict[str, object]:
        """For /healthz, read without the lock: loaded yet (at the first matching request),
        from where, its vectors, seconds since this process saved it (None: not yet), changes
        applied since, and a failing save (then the status is "failing")."""
        written = self.written_at
        return {
            "status": "ok" if self.save_error is None else "failing",
            "loaded": self.loaded,
            "origin": self.origin or None,
            "vectors": len(self.owner_of),
            "seconds_since_save": None if written is None else round(time.monotonic() - written),
            "unsaved_changes": self.unsaved,
            "save_error": self.save_error,
        }

    def _save_in_background(self) -> None:
        """Save when changes were applied and save_seconds passed since the last save; the
        copy is taken here (under the lock), the writing happens in a thread."""
        due = time.monotonic() - self.saved_at >= self.save_seconds
        if not (self.unsaved and due) or (self._saver is not None and self._saver.is_alive()):
            return
        snap, self.saved_at, self.unsaved = self._snapshot(), time.monotonic(), 0
        self._saver = threading.Thread(target=self._write, args=(snap,), daemon=True)
        self._saver.start()

    def _load(self) -> bool:
        """Adopt the on-disk copy; False when it is missing, damaged or for another model."""
        found = snapshot.read(self.folder, self.model, KINDS)
        if found is None:
            return False
        snap, indexes = found
        last_rebuild = self.last_rebuild
        self._reset()
        self.indexes, self.watermark = indexes, snap.watermark
        self.last_rebuild = max(last_rebuild, snap.last_rebuild)
        for kind in KINDS:
            for vector_id, (owner, key, h) in snap.units[kind].items():
                self.owner_of[vector_id], self.hashes[vector_id] = (owner, key), h
                self.ids_of.setdefault((kind, owner), []).append(vector_id)
        return True

    def search(self, kind: str, queries: np.ndarray, k: int) -> list[list[Match]]:
        """Per query row, the k nearest stored units as (owner id, unit key, cosine)."""
        with self.lock:
            index, owner_of = self.indexes[kind], self.owner_of
            self._readers.enter()
        try:
            scores, ids = index.search(queries, k)
        finally:
            self._readers.leave()
        found = [
            [(owner_of.get(i), s) for s, i in zip(*row, strict=True)]
            for row in zip(scores.tolist(), ids.tolist(), strict=True)
        ]
        return [[(*unit, float(s)) for unit, s in row if unit is not None] for row in found]


def _indexed(model: str, kind: str) -> ColumnElement[bool]:
    """The stored vectors the index holds. A need's sentence units stay out: ranking compares
    whole needs, and the few quoted per page are read from the store (`store.unit_vectors`)."""
    condition = and_(Embedding.owner_kind == kind, Embedding.model == model)
    return and_(condition, ~Embedding.unit_key.contains("#")) if kind == NEED else condition


def _vector_rows(model: str, kind: str) -> Select[tuple[int, int, str, str, bytes]]:
    return select(
        Embedding.id,
        Embedding.owner_id,
        Embedding.unit_key,
        Embedding.text_sha256,
        Embedding.vector,
    ).where(_indexed(model, kind))


def _xor(values: Iterable[int]) -> int:
    result = 0
    for value in values:
        result ^= value
    return result


def database_digest(session: Session, model: str) -> Digest:
    """The digest the index should have: from the ids and text hashes stored for `model`."""
    result = {}
    for kind in KINDS:
        query = select(Embedding.id, Embedding.text_sha256).where(_indexed(model, kind))
        count, acc = 0, 0
        for chunk in session.execute(query.execution_options(yield_per=20_000)).partitions():
            count += len(chunk)
            acc ^= _xor(content_hash(i, sha) for i, sha in chunk)
        result[kind] = (count, acc)
    return result


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
