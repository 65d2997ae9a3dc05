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

# faiss only uses BLAS for batches above this many queries; its default (far above our batch
# sizes) made small batches ~8x slower on 2 cores.
_BLAS_THRESHOLD = 16
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

        A single query runs on one OpenMP thread (3-4x faster than two on 2 cores); the
        setting is per calling thread, so it is made here, where queries run.
        """
        rows = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        k = min(k, len(self))
        if k <= 0:
            empty = np.zeros((len(rows), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        faiss.omp_set_num_threads(1 if len(rows) == 1 else _BATCH_THREADS)
        faiss.cvar.distance_compute_blas_threshold = _BLAS_THRESHOLD
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
