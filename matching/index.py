"""A thin FAISS wrapper: inner product over normalised vectors, keyed by int64 ids.

Exact search (`IndexIDMap2` over `IndexFlatIP`) below `APPROXIMATE_FROM` vectors. From there
`settle()` turns it into an inverted file with 8-bit scalar quantisation (IVF-SQ8), chosen by
measurement (README, "Benchmark"): a quarter of the memory of the flat index, and unlike HNSW
it takes ids of its own. That base is never changed in place, so several processes can map
one file of it (`load(..., shared=True)`): writes go to a small exact delta index searched
beside it, and ids removed or replaced are hidden from the base by a selector; `settle()` or
`to_bytes()` folds them into a new base. The index is a cache: whoever owns the vectors can
always rebuild it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]

# Measured on this 2-core machine (50,000 x 512 vectors, k=100, one OpenMP thread, min of 3):
# one or two query rows are fastest on faiss's own loop (1 row: 6 ms against 17-28 ms through
# BLAS), four rows and more through BLAS (5 rows: 20-56 ms against 70; 8 rows: 38 against
# 170). faiss takes BLAS from this many query rows; the switch is process-wide, so it is set
# once here: setting it around each search let one thread's batch put another thread's
# single query on BLAS.
_BLAS_FROM_ROWS = 4
faiss.cvar.distance_compute_blas_threshold = _BLAS_FROM_ROWS
# A request's search runs on one thread (the other core serves the next request; two OpenMP
# threads on a busy 2-core machine were 4-6x slower for 1-5 rows); only large offline
# batches (evaluation, bench) use every core.
_BATCH_ROWS = 64
_BATCH_THREADS = max(1, min(2, os.cpu_count() or 1))

APPROXIMATE_FROM = 100_000  # vectors; below this search stays exact
RECALL_FLOOR = 0.95  # recall@10 against exact search that the approximate index must keep
# Inverted lists: about 4 x sqrt(n); a query visits NPROBE of them, measured for recall@10
# >= RECALL_FLOOR (README "National scale"): on 610k default-model vectors (3,124 lists)
# 0.968 from 49 probes on (the 8-bit codes cap it there); on the bench's 152k fake-embedder
# vectors (1,562 lists, spread far wider) 0.641 at 16, 0.857 at 64, 0.971 at 256.
_LISTS_PER_SQRT = 4
NPROBE = 256
_TRAIN_PER_LIST = 40


def _as_ids(ids: Iterable[int] | npt.ArrayLike) -> Ids:
    if isinstance(ids, np.ndarray):
        return np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
    listed = list(ids) if isinstance(ids, Iterable) else [ids]
    return np.asarray(listed, dtype=np.int64).reshape(-1)


def _lists_for(n: int) -> int:
    return int(min(8192, max(16, _LISTS_PER_SQRT * np.sqrt(n))))


def _base_ids(base: faiss.IndexIVF) -> Ids:
    lists = base.invlists
    assert lists is not None
    chunks = [
        faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
        for i in range(base.nlist)
        if lists.list_size(i)
    ]
    return np.sort(np.concatenate(chunks)) if chunks else np.zeros(0, np.int64)


class VectorIndex:
    def __init__(
        self,
        dim: int,
        *,
        index: faiss.IndexIDMap2 | None = None,
        base: faiss.IndexIVF | None = None,
        approximate_from: int | None = None,
    ) -> None:
        self.dim = dim
        self.approximate_from = APPROXIMATE_FROM if approximate_from is None else approximate_from
        # The exact index; beside an approximate base it is the delta of recent writes.
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self._adopt(base)

    def _adopt(self, base: faiss.IndexIVF | None) -> None:
        self._base = base
        self._base_ids = _base_ids(base) if base is not None else np.zeros(0, np.int64)
        self._hidden = np.zeros(0, np.int64)  # base ids removed or replaced since the base
        self._selector: faiss.IDSelector | None = None
        self._hidden_set: faiss.IDSelector | None = None  # kept alive: _selector points at it

    @property
    def kind(self) -> str:
        if self._base is None:
            return "flat"
        return f"ivf{self._base.nlist},sq8 (nprobe {self.nprobe})"

    @property
    def approximate(self) -> bool:
        return self._base is not None

    @property
    def nprobe(self) -> int:
        return 0 if self._base is None else min(int(self._base.nlist), NPROBE)

    @property
    def delta(self) -> int:
        """Writes held beside the approximate base (vectors added plus base ids hidden)."""
        return 0 if self._base is None else int(self._index.ntotal) + len(self._hidden)

    def __len__(self) -> int:
        return int(self._index.ntotal) + len(self._base_ids) - len(self._hidden)

    def __contains__(self, id_: int) -> bool:
        return bool(np.isin(np.int64(id_), self.ids()))

    def ids(self) -> Ids:
        delta = np.asarray(faiss.vector_to_array(self._index.id_map), dtype=np.int64)
        if self._base is None:
            return delta
        return np.concatenate([np.setdiff1d(self._base_ids, self._hidden), delta])

    def upsert(self, ids: Iterable[int] | npt.ArrayLike, vectors: npt.ArrayLike) -> None:
        """Add vectors under `ids`, replacing any vector already stored under one of them."""
        keys = _as_ids(ids)
        rows = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(keys), self.dim)
        if len(np.unique(keys)) != len(keys):
            raise ValueError("duplicate ids in one upsert")
        self.remove(keys)
        self._index.add_with_ids(rows, keys)

    def remove(self, ids: Iterable[int] | npt.ArrayLike) -> int:
        """Remove the given ids (unknown ids are ignored); returns how many were removed."""
        keys = _as_ids(ids)
        if not len(keys) or not len(self):
            return 0
        removed = (
            int(self._index.remove_ids(faiss.IDSelectorBatch(keys))) if self._index.ntotal else 0
        )
        if self._base is not None:
            hide = np.setdiff1d(np.intersect1d(keys, self._base_ids), self._hidden)
            if len(hide):
                self._hidden = np.union1d(self._hidden, hide)
                self._selector = None
            removed += len(hide)
        return removed

    def reconstruct(self, id_: int) -> npt.NDArray[np.float32]:
        """The stored vector (from an approximate base: as quantised, close to what was added)."""
        if self._base is not None and id_ not in self._index_ids():
            if id_ in self._hidden or not np.isin(id_, self._base_ids):
                raise KeyError(id_)
            if self._base.direct_map.type == faiss.DirectMap.NoMap:  # type: ignore[attr-defined]
                self._base.set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]
            return np.asarray(self._base.reconstruct(int(id_)), dtype=np.float32)
        return np.asarray(self._index.reconstruct(int(id_)), dtype=np.float32)

    def _index_ids(self) -> set[int]:
        return set(faiss.vector_to_array(self._index.id_map).tolist())

    def search(self, queries: npt.ArrayLike, k: int) -> tuple[Scores, Ids]:
        """Top-k (scores, ids) per query row, best first; k is capped at len(self).

        Fewer than `_BATCH_ROWS` queries run on one OpenMP thread (measured, see above; the
        setting is per calling thread, so it is made here, where queries run)."""
        rows = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        k = min(k, len(self))
        if k <= 0:
            empty = np.zeros((len(rows), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        faiss.omp_set_num_threads(_BATCH_THREADS if len(rows) >= _BATCH_ROWS else 1)
        if self._base is None:
            scores, ids = self._index.search(rows, k)
            return scores.astype(np.float32), ids.astype(np.int64)
        return self._search_approximate(rows, k)

    def _search_approximate(self, rows: npt.NDArray[np.float32], k: int) -> tuple[Scores, Ids]:
        assert self._base is not None
        if self._selector is None and len(self._hidden):
            self._hidden_set = faiss.IDSelectorBatch(self._hidden)
            self._selector = faiss.IDSelectorNot(self._hidden_set)
        params = faiss.SearchParametersIVF()
        params.nprobe = self.nprobe
        if self._selector is not None:
            params.sel = self._selector
        scores, ids = self._base.search(rows, k, params=params)
        if self._index.ntotal:
            more_scores, more_ids = self._index.search(rows, min(k, int(self._index.ntotal)))
            scores, ids = np.hstack([scores, more_scores]), np.hstack([ids, more_ids])
            order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
            scores = np.take_along_axis(scores, order, axis=1)
            ids = np.take_along_axis(ids, order, axis=1)
        return scores.astype(np.float32), ids.astype(np.int64)

    def settle(self) -> None:
        """Become approximate once `approximate_from` vectors are held, and fold the delta
        into a new base (a copy: a mapped base is never written)."""
        if self._base is None and len(self) < self.approximate_from:
            return
        if self._base is not None and not self.delta:
            return
        base = self._merged()
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self._adopt(base)

    def _merged(self) -> faiss.IndexIVF:
        """A new approximate base holding every vector (trained afresh from an exact index)."""
        delta_ids = np.asarray(faiss.vector_to_array(self._index.id_map), dtype=np.int64)
        vectors = np.asarray(self._index.index.reconstruct_n(0, len(delta_ids)), np.float32)
        if self._base is not None:
            # A copy of its own (clone_index keeps pointing into a mapped file).
            base = faiss.deserialize_index(faiss.serialize_index(self._base))
            assert isinstance(base, faiss.IndexIVF)
            base.set_direct_map_type(faiss.DirectMap.NoMap)  # type: ignore[attr-defined]
            gone = np.union1d(self._hidden, delta_ids)
            if len(gone):
                base.remove_ids(faiss.IDSelectorBatch(gone))
            base.add_with_ids(vectors, delta_ids)
            return base
        lists, quantizer = _lists_for(len(vectors)), faiss.IndexFlatIP(self.dim)
        base = faiss.IndexIVFScalarQuantizer(
            quantizer, self.dim, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        base.own_fields, _ = True, quantizer.this.disown()  # type: ignore[attr-defined]
        sample = np.random.default_rng(0).permutation(len(vectors))[: lists * _TRAIN_PER_LIST]
        faiss.omp_set_num_threads(_BATCH_THREADS)
        base.train(vectors[np.sort(sample)])
        base.add_with_ids(vectors, delta_ids)
        return base

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically: a temporary file in the same folder, then os.replace."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
        try:
            with open(tmp, "wb") as out:
                out.write(self.to_bytes())
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def to_bytes(self) -> bytes:
        """The index serialised (what `save` writes); an approximate one with its delta
        folded in, so the bytes hold every vector."""
        if self._base is None:
            return bytes(faiss.serialize_index(self._index))
        return bytes(faiss.serialize_index(self._merged() if self.delta else self._base))

    @classmethod
    def _of(cls, index: faiss.Index, source: object) -> VectorIndex:
        if isinstance(index, faiss.IndexIDMap2):
            return cls(int(index.d), index=index)
        if isinstance(index, faiss.IndexIVFScalarQuantizer):
            return cls(int(index.d), base=index)
        raise ValueError(f"{source} is not an id-mapped or inverted-file faiss index")

    @classmethod
    def from_bytes(cls, data: bytes) -> VectorIndex:
        return cls._of(faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8)), "data")

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, shared: bool = False) -> VectorIndex:
        """Read a saved index. `shared`: an approximate base is mapped read-only from the
        file, so every process that maps it shares one copy in memory (an exact index is
        read into memory either way: it is written in place)."""
        if shared:
            probe = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
            if not isinstance(probe, faiss.IndexIDMap2):
                return cls._of(probe, path)
        return cls._of(faiss.read_index(str(path)), path)
