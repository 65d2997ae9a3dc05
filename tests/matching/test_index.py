from pathlib import Path

import numpy as np

from matching.embedders import normalise
from matching.index import VectorIndex


def _vectors(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    return normalise(np.random.default_rng(seed).normal(size=(n, dim)))


def test_search_finds_each_vector_first() -> None:
    index = VectorIndex(8)
    vectors = _vectors(5)
    index.upsert([10, 11, 12, 13, 14], vectors)
    scores, ids = index.search(vectors, 2)
    assert ids[:, 0].tolist() == [10, 11, 12, 13, 14]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert len(index) == 5


def test_upsert_replaces_an_existing_id() -> None:
    index = VectorIndex(8)
    old, new = _vectors(2)
    index.upsert([7], old[None])
    index.upsert([7], new[None])
    assert len(index) == 1
    assert np.allclose(index.reconstruct(7), new)


def test_remove_ignores_unknown_ids() -> None:
    index = VectorIndex(8)
    index.upsert([1, 2, 3], _vectors(3))
    assert index.remove([2, 99]) == 1
    assert sorted(index.ids().tolist()) == [1, 3]
    assert 2 not in index and 3 in index


def test_k_is_capped_and_empty_index_returns_nothing() -> None:
    index = VectorIndex(8)
    assert index.search(_vectors(1), 5)[1].shape == (1, 0)
    index.upsert([1, 2], _vectors(2))
    assert index.search(_vectors(3, seed=1), 5)[1].shape == (3, 2)


def test_save_load_round_trip_is_atomic(tmp_path: Path) -> None:
    index = VectorIndex(8)
    vectors = _vectors(4)
    index.upsert([5, 6, 7, 8], vectors)
    path = tmp_path / "sub" / "suppliers.faiss"
    index.save(path)
    index.save(path)  # overwriting goes through a temporary file too
    loaded = VectorIndex.load(path)
    assert loaded.dim == 8 and sorted(loaded.ids().tolist()) == [5, 6, 7, 8]
    assert np.array_equal(loaded.search(vectors, 1)[1].ravel(), [5, 6, 7, 8])
    assert [p.name for p in path.parent.iterdir()] == ["suppliers.faiss"]
