"""A thin FAISS wrapper: exact inner product over normalised vectors, keyed by int64 ids.

Exact search (`IndexIDMap2` over `IndexFlatIP`) until measurements justify an approximate
index. The index is a cache: whoever owns the vectors can always rebuild it.
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
# 170). The switch is process-wide, so it is set before every search.
_SEQUENTIAL = int(faiss.cvar.distance_compute_blas_threshold)
_BLAS_ALWAYS = 1
_BLAS_FROM_ROWS = 4
# A request's search runs on one thread (the other core serves the next request; two OpenMP
# threads on a busy 2-core machine were 4-6x slower for 1-5 rows); only large offline
# batches (evaluation, bench) use every core.
_BATCH_ROWS = 64
_BATCH_THREADS = max(1, min(2, os.cpu_count() or 1))


def _as_ids(ids: Iterable[int] | npt.ArrayLike) -> Ids:
    if isinstance(ids, np.ndarray):
        return np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
    listed = list(ids) if isinstance(ids, Iterable) else [ids]
    return np.asarray(listed, dtype=np.int64).reshape(-1)


class VectorIndex:
    def __init__(self, dim: int, *, index: faiss.IndexIDMap2 | None = None) -> None:
        self.dim = dim
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def __contains__(self, id_: int) -> bool:
        return bool(np.isin(np.int64(id_), self.ids()))

    def ids(self) -> Ids:
        return np.asarray(faiss.vector_to_array(self._index.id_map), dtype=np.int64)

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
        return int(self._index.remove_ids(faiss.IDSelectorBatch(keys)))

    def reconstruct(self, id_: int) -> npt.NDArray[np.float32]:
        return np.asarray(self._index.reconstruct(int(id_)), dtype=np.float32)

    def search(self, queries: npt.ArrayLike, k: int) -> tuple[Scores, Ids]:
        """Top-k (scores, ids) per query row, best first; k is capped at len(self).

        Fewer than `_BATCH_ROWS` queries run on one OpenMP thread, and BLAS is used from
        `_BLAS_FROM_ROWS` rows (both measured, see above); the thread setting is per calling
        thread, so both are made here, where queries run.
        """
        rows = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        k = min(k, len(self))
        if k <= 0:
            empty = np.zeros((len(rows), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        faiss.omp_set_num_threads(_BATCH_THREADS if len(rows) >= _BATCH_ROWS else 1)
        blas = len(rows) >= _BLAS_FROM_ROWS
        faiss.cvar.distance_compute_blas_threshold = _BLAS_ALWAYS if blas else _SEQUENTIAL
        scores, ids = self._index.search(rows, k)
        return scores.astype(np.float32), ids.astype(np.int64)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically: a temporary file in the same folder, then os.replace."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
        try:
            faiss.write_index(self._index, tmp)
            with open(tmp, "rb") as written:
                os.fsync(written.fileno())
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def to_bytes(self) -> bytes:
        """The index serialised (what `save` writes), for a caller that checksums or copies it."""
        return bytes(faiss.serialize_index(self._index))

    @classmethod
    def from_bytes(cls, data: bytes) -> VectorIndex:
        index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        if not isinstance(index, faiss.IndexIDMap2):
            raise ValueError("not an id-mapped faiss index")
        return cls(int(index.d), index=index)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> VectorIndex:
        index = faiss.read_index(str(path))
        if not isinstance(index, faiss.IndexIDMap2):
            raise ValueError(f"{path} is not an id-mapped faiss index")
        return cls(int(index.d), index=index)
