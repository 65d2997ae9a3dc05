"""An in-memory matcher over records: builds its own indexes, for evaluation and tests.

The app keeps vectors in its database and its own `VectorIndex`; it calls `rank_supplier_units`
/ `rank_needs` directly. This class is the same pipeline with everything in one process:
supplier units are embedded as passages and needs as queries, so a (need, unit) similarity
is the same whichever direction is searched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from matching.bridge import WordBridge
from matching.embedders import Calibration, Embedder, Vectors, calibration_for
from matching.fit import Weights
from matching.index import VectorIndex
from matching.ranking import (
    Hit,
    UnitSim,
    need_sims,
    rank_needs,
    rank_supplier_units,
    supplier_sims,
    unit_hits,
)
from matching.records import NeedProfile, SupplierProfile
from matching.scoring import SupplierTable
from matching.units import TextUnit, need_text, supplier_units

Progress = Callable[[str, int, int], None]
BATCH = 64


def encode_batched(
    embedder: Embedder, texts: Sequence[str], kind: str, progress: Progress | None = None
) -> Vectors:
    """Encode in batches so a progress callback sees (stage, done, total) as it goes."""
    parts = [np.zeros((0, embedder.dim), dtype=np.float32)]
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        parts.append(embedder.encode(batch, kind="query" if kind == "query" else "passage"))
        if progress:
            progress(f"embed {kind}", min(start + BATCH, len(texts)), len(texts))
    return np.vstack(parts)


class Matcher:
    def __init__(
        self,
        embedder: Embedder,
        suppliers: Sequence[SupplierProfile],
        needs: Sequence[NeedProfile] = (),
        *,
        weights: Weights | None = None,
        calibration: Calibration | None = None,
        sentences: bool = True,
        progress: Progress | None = None,
    ) -> None:
        self.embedder = embedder
        self.weights = weights or Weights()
        self.calibration = calibration or calibration_for(embedder.name)
        self.suppliers = {s.id: s for s in suppliers}
        self.bridge = WordBridge(embedder)
        self.table = SupplierTable(self.suppliers.values(), self.bridge)
        self.needs = {n.id: n for n in needs}
        self._units: list[tuple[int, TextUnit]] = [
            (s.id, u) for s in suppliers for u in supplier_units(s, sentences=sentences)
        ]
        self.unit_of = {i: (sid, u.key) for i, (sid, u) in enumerate(self._units)}
        unit_texts = [u.text for _, u in self._units]
        self.unit_vectors = encode_batched(embedder, unit_texts, "passage", progress)
        self.supplier_index = VectorIndex(embedder.dim)
        self.supplier_index.upsert(list(self.unit_of), self.unit_vectors)
        self.need_index = VectorIndex(embedder.dim)
        if needs:
            self.need_index.upsert([n.id for n in needs], self.encode_needs(needs, progress))

    def encode_needs(
        self, needs: Sequence[NeedProfile], progress: Progress | None = None
    ) -> Vectors:
        return encode_batched(self.embedder, [need_text(n) for n in needs], "query", progress)

    def need_sims(self, need: NeedProfile, vector: Vectors | None = None) -> list[UnitSim]:
        """Similarities of `need` to every supplier unit (exact search over all of them)."""
        query = self.encode_needs([need]) if vector is None else vector.reshape(1, -1)
        scores, ids = self.supplier_index.search(query, len(self.supplier_index))
        return need_sims(need.id, scores[0], ids[0], self.unit_of)

    def suppliers_for(
        self, need: NeedProfile, *, limit: int | None = 10, vector: Vectors | None = None
    ) -> list[Hit]:
        """Ranked suppliers; pass `vector` (from `encode_needs`) to skip re-encoding."""
        return rank_supplier_units(
            need,
            self.table,
            unit_hits(self.need_sims(need, vector)),
            weights=self.weights,
            calibration=self.calibration,
            limit=limit,
        )

    def search(self, text: str, *, limit: int | None = 10) -> list[Hit]:
        """Free-text search over suppliers: the text is treated as an unstructured need."""
        return self.suppliers_for(NeedProfile(id=0, title="", description=text), limit=limit)

    def needs_for(self, supplier: SupplierProfile, *, limit: int | None = 10) -> list[Hit]:
        """Ranked open needs for a supplier, searched with each of its unit vectors."""
        rows = [i for i, (sid, _) in self.unit_of.items() if sid == supplier.id]
        keys = [self.unit_of[i][1] for i in rows]
        k = len(self.need_index) if limit is None else min(len(self.need_index), 10 * limit)
        scores, ids = self.need_index.search(self.unit_vectors[rows], k)
        sims = supplier_sims(supplier.id, keys, scores, ids)
        return rank_needs(
            supplier,
            self.needs.values(),
            sims,
            weights=self.weights,
            calibration=self.calibration,
            limit=limit,
            bridge=self.bridge,
        )
