import numpy as np
import pytest

from matching.embedders import (
    Calibration,
    Embedder,
    FakeEmbedder,
    get_embedder,
    normalise,
)


def test_fake_rows_are_float32_unit_vectors() -> None:
    vectors = FakeEmbedder().encode(["press line crack", "프레스 불량 검사", ""])
    assert vectors.shape == (3, 128)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_fake_is_deterministic_and_satisfies_the_protocol() -> None:
    first, second = FakeEmbedder(64), FakeEmbedder(64)
    assert isinstance(first, Embedder)
    assert np.array_equal(first.encode(["same text"]), second.encode(["same text"]))


def test_fake_texts_sharing_words_are_more_similar() -> None:
    query, near, far = FakeEmbedder().encode(
        [
            "vision inspection of press parts",
            "press parts vision inspection camera",
            "forging furnace gas",
        ]
    )
    assert query @ near > query @ far


def test_get_embedder_caches_and_rejects_unknown_names() -> None:
    assert get_embedder("fake") is get_embedder("fake")
    with pytest.raises(ValueError, match="unknown embedding model"):
        get_embedder("no-such-model")


def test_encode_of_no_texts_is_empty() -> None:
    assert FakeEmbedder(32).encode([]).shape == (0, 32)


def test_normalise_leaves_zero_rows_zero() -> None:
    rows = normalise([[3.0, 4.0], [0.0, 0.0]])
    assert np.allclose(rows, [[0.6, 0.8], [0.0, 0.0]])


def test_calibration_maps_floor_to_zero_and_ceiling_to_one() -> None:
    calibration = Calibration(floor=0.2, ceiling=0.6)
    assert [calibration(s) for s in (0.1, 0.2, 0.4, 0.6, 0.9)] == pytest.approx([0, 0, 0.5, 1, 1])
