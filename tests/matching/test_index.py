import subprocess
import sys
from pathlib import Path

import numpy as np

from matching.embedders import normalise
from matching.index import RECALL_FLOOR, VectorIndex


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


def _clustered(n: int, dim: int = 32, clusters: int = 40, seed: int = 0) -> np.ndarray:
    """Vectors around the same few centres (profiles of one programme are alike, not uniform
    noise); `seed` draws other vectors around them."""
    centres = normalise(np.random.default_rng(0).normal(size=(clusters, dim)))
    rng = np.random.default_rng(seed + 1)
    noise = rng.normal(size=(n, dim)) * 0.6 / np.sqrt(dim)
    return normalise(centres[rng.integers(0, clusters, n)] + noise)


def _recall_at_10(index: VectorIndex, exact: VectorIndex, queries: np.ndarray) -> float:
    truth, found = exact.search(queries, 10)[1], index.search(queries, 10)[1]
    return float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)]))


def _pair(n: int) -> tuple[VectorIndex, VectorIndex, np.ndarray]:
    vectors = _clustered(n)
    exact, approximate = VectorIndex(32), VectorIndex(32, approximate_from=n // 2)
    for index in (exact, approximate):
        index.upsert(np.arange(n) + 100, vectors)
        index.settle()
    return exact, approximate, vectors


def test_below_the_threshold_search_stays_exact() -> None:
    exact, _, vectors = _pair(400)
    assert exact.kind == "flat" and not exact.approximate


def test_above_the_threshold_recall_at_10_stays_above_the_floor() -> None:
    exact, approximate, vectors = _pair(6000)
    assert approximate.approximate and approximate.kind.startswith("ivf")
    queries = _clustered(200, seed=1)
    assert _recall_at_10(approximate, exact, queries) >= RECALL_FLOOR
    for index in (exact, approximate):  # the change log's writes land in the delta
        index.remove(np.arange(100, 400))
        index.upsert(np.arange(6000, 6300) + 100, _clustered(300, seed=2))
    assert approximate.delta == 600
    assert _recall_at_10(approximate, exact, queries) >= RECALL_FLOOR
    approximate.settle()  # folded into a new base
    assert approximate.delta == 0 and _recall_at_10(approximate, exact, queries) >= RECALL_FLOOR


def test_deletes_and_updates_reach_an_approximate_index() -> None:
    exact, approximate, vectors = _pair(2000)
    moved = normalise(-vectors[5:6])[0]
    approximate.upsert([105], moved[None])
    assert approximate.remove([106, 99_999]) == 1
    assert len(approximate) == 1999 and 106 not in approximate
    assert sorted(approximate.ids().tolist()) == sorted(set(range(100, 2100)) - {106})
    ids = approximate.search(np.vstack([moved, vectors[6]]), 5)[1]
    assert ids[0, 0] == 105 and 106 not in ids[1]
    assert np.allclose(approximate.reconstruct(105), moved)
    assert np.allclose(approximate.reconstruct(107), vectors[7], atol=0.02)  # quantised
    copied = VectorIndex.from_bytes(approximate.to_bytes())
    assert copied.delta == 0 and np.array_equal(copied.search(moved, 3)[1], [[105, *ids[0, 1:3]]])


SEARCH_MAPPED = """
import sys, numpy as np
from matching.index import VectorIndex
index = VectorIndex.load(sys.argv[1], shared=True)
queries = np.load(sys.argv[2])
if len(sys.argv) > 3:  # a write after the snapshot, as the change log applies it
    index.upsert([7], queries[:1])
print(index.kind, "|", index.search(queries, 10)[1].tolist())
"""


def test_two_processes_mapping_one_file_see_the_same_results(tmp_path: Path) -> None:
    _, approximate, _ = _pair(3000)
    approximate.save(tmp_path / "manufacturer.faiss")
    queries = _clustered(5, seed=3).astype(np.float32)
    np.save(tmp_path / "queries.npy", queries)
    args = [str(tmp_path / "manufacturer.faiss"), str(tmp_path / "queries.npy")]
    root = str(Path(__file__).resolve().parents[2])

    def run(*extra: str) -> str:
        command = [sys.executable, "-c", SEARCH_MAPPED, *args, *extra]
        return subprocess.run(command, capture_output=True, text=True, check=True, cwd=root).stdout

    first, second, written = run(), run(), run("write")
    assert first == second and first.startswith("ivf")
    assert first.split(" | ")[1] == f"{approximate.search(queries, 10)[1].tolist()}\n"
    assert written.split("[[", 1)[1].startswith("7,")
