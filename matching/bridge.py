"""The word bridge: a query's words lent to documents written in the other script.

The word channel of `matching.lexical` only meets words of the same script, so a Korean need
says nothing lexically to a supplier that writes only in English (and the other way round),
and English readers got a lexical lift that Korean readers could not (federal-ko: +0.075
nDCG@10 for the English needs against +0.021 for the same needs in Korean).

The bridge translates through the embedding model itself, no dictionary: each query word of
one script is embedded (as a bare word, the way the model embeds a one-word query) and lent
to the documents of the other script as its nearest words of *their own* vocabulary, each
weighted by its cosine: 검사 -> examination 0.80, inspection 0.75; 번역 -> translation 0.90.
At most `NEIGHBOURS` words per query word, each at least `MIN_SIMILARITY` close: a word with
no close neighbour lends nothing (민원 finds nothing above 0.67 in a federal vendor corpus).

Costs: word vectors are cached per process (`WordBridge.vectors`), so a vocabulary is
embedded once and a query's words mostly come from the cache; a document vocabulary's
matrix is built once per `LexicalIndex` and each query word's neighbours are remembered per
vocabulary. Measured in `matching/MEASUREMENTS.md` ("word bridge").
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from matching.embedders import Embedder

# Neighbours lent per query word and the closeness they need. Chosen once, on principle (a
# short list of near-synonyms, closer than unrelated words of the same topic come), not fitted:
# 1, 3 or 5 neighbours at 0.4-0.7 all gave the same figures within 0.01 on every set.
NEIGHBOURS = 3
MIN_SIMILARITY = 0.5
# Word vectors kept per process (half precision: 1 KB a word at 512 dimensions).
CACHE_WORDS = 200_000
NEIGHBOUR_CACHE = 50_000

Lent = dict[str, float]


class WordBridge:
    """Word vectors from one embedder, cached, and neighbour search over vocabularies."""

    def __init__(self, embedder: Embedder, cache_words: int = CACHE_WORDS) -> None:
        self.embedder = embedder
        self.cache_words = cache_words
        self._vectors: OrderedDict[str, npt.NDArray[np.float16]] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, words: Sequence[str]) -> npt.NDArray[np.float32]:
        """(len(words), dim) float32: each word embedded once per process (one batch for the
        words not yet cached)."""
        with self._lock:
            missing = list(dict.fromkeys(w for w in words if w not in self._vectors))
        if missing:
            fresh = self.embedder.encode(missing, kind="query").astype(np.float16)
            with self._lock:
                for word, vector in zip(missing, fresh, strict=True):
                    self._vectors[word] = vector
                while len(self._vectors) > self.cache_words:
                    self._vectors.popitem(last=False)
        with self._lock:
            found = [self._vectors.get(w) for w in words]
        rows = [r for r in found if r is not None]
        if len(rows) < len(found):  # evicted between the two steps: embed them again
            return self.embedder.encode(list(words), kind="query")
        if not rows:
            return np.zeros((0, self.embedder.dim), np.float32)
        return np.vstack(rows).astype(np.float32)

    def vocabulary(self, terms: Sequence[str], forms: Sequence[str]) -> Vocabulary:
        """A document vocabulary: `terms` as the index holds them, embedded by `forms` (the
        surface word each stem stands for)."""
        return Vocabulary(self, tuple(terms), self.vectors(forms))


class Vocabulary:
    """One script's words of a document pool, with their vectors, searched by neighbours."""

    def __init__(
        self, bridge: WordBridge, terms: tuple[str, ...], vectors: npt.NDArray[np.float32]
    ) -> None:
        self.bridge = bridge
        self.terms = terms
        self.matrix = vectors
        self._lent: OrderedDict[str, tuple[tuple[str, float], ...]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.terms)

    def lend(self, words: Sequence[str]) -> Lent:
        """The vocabulary's words lent to `words` (query words of the other script): each
        term's weight is its best cosine to any of them."""
        words = list(dict.fromkeys(words))
        with self._lock:
            known = {w: self._lent[w] for w in words if w in self._lent}
        missing = [w for w in words if w not in known]
        if missing and len(self):
            sims = self.bridge.vectors(missing) @ self.matrix.T
            count = min(NEIGHBOURS, len(self))
            top = np.argpartition(-sims, count - 1, axis=1)[:, :count]
            with self._lock:
                for word, row, best in zip(missing, sims, top, strict=True):
                    near = tuple(
                        (self.terms[j], float(row[j]))
                        for j in sorted(best.tolist(), key=lambda j: -row[j])
                        if row[j] >= MIN_SIMILARITY
                    )
                    known[word] = self._lent[word] = near
                while len(self._lent) > NEIGHBOUR_CACHE:
                    self._lent.popitem(last=False)
        lent: Lent = {}
        for word in words:
            for term, similarity in known.get(word, ()):
                lent[term] = max(lent.get(term, 0.0), similarity)
        return lent


_SHARED: weakref.WeakKeyDictionary[Embedder, WordBridge] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def shared_bridge(embedder: Embedder) -> WordBridge:
    """The process's bridge for one embedder, so every caller shares its word cache."""
    with _SHARED_LOCK:
        bridge = _SHARED.get(embedder)
        if bridge is None:
            bridge = _SHARED[embedder] = WordBridge(embedder)
        return bridge
