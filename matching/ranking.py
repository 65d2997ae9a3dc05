"""Explained ranking both ways: suppliers for a need, needs for a supplier.

Input is the similarity of a need to supplier text units (`UnitSim`, taken from a
`VectorIndex` search, see `need_sims` / `supplier_sims`) plus the records. Hard filters come
first (admitted suppliers only, excluded conflicts, what a need requires suppliers to offer);
the score is then the sum of its parts: semantic (best unit + discounted next ones) and
structured fit, weighted by `Weights`.
`Hit.score == sum(Hit.parts.values())` always holds.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from matching.bridge import WordBridge
from matching.embedders import Calibration
from matching.fit import Weights, structured_fit
from matching.levels import FitLevel, fit_level
from matching.lexical import LexicalIndex, LexicalScores, fuse, lexical_evidence
from matching.records import NeedProfile, SupplierProfile
from matching.scoring import SupplierTable, UnitHits, score_parts, totals
from matching.units import TextUnit, need_text, split_sentences, supplier_text, supplier_units

# Suppliers with the strongest lexical evidence join a given candidate pool: a supplier the
# embedding search missed can still rank on what it literally says.
LEXICAL_CANDIDATES = 20


@dataclass(frozen=True)
class UnitSim:
    """Raw cosine between one need and one supplier text unit (see `matching.units` keys)."""

    need_id: int
    supplier_id: int
    unit_key: str
    similarity: float


SimsBySupplier = dict[int, list[UnitSim]]


@dataclass(frozen=True)
class Evidence:
    source: Literal["profile", "case_study"]
    source_id: int
    title: str
    sentence: str
    similarity: float


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    parts: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def level(self) -> FitLevel | None:
        """The calibrated fit level of `score` (`matching.levels`); None below the minimum."""
        return fit_level(self.score)


def need_sims(
    need_id: int,
    scores: npt.ArrayLike,
    ids: npt.ArrayLike,
    unit_of: Mapping[int, tuple[int, str]],
) -> list[UnitSim]:
    """UnitSims from one need's search over a supplier-unit index.

    `unit_of` maps an index id to (supplier id, unit key); ids it does not know (stale cache
    entries, faiss's -1 padding) are skipped.
    """
    pairs = zip(np.ravel(scores).tolist(), np.ravel(ids).tolist(), strict=True)
    return [UnitSim(need_id, *unit_of[i], float(score)) for score, i in pairs if i in unit_of]


def supplier_sims(
    supplier_id: int, unit_keys: Sequence[str], scores: npt.ArrayLike, ids: npt.ArrayLike
) -> list[UnitSim]:
    """UnitSims from a search of a need index (keyed by need id) with one row per unit key."""
    score_rows, id_rows = np.asarray(scores), np.asarray(ids)
    sims = []
    for key, row_scores, row_ids in zip(unit_keys, score_rows, id_rows, strict=True):
        pairs = zip(row_scores.tolist(), row_ids.tolist(), strict=True)
        sims += [UnitSim(int(i), supplier_id, key, float(s)) for s, i in pairs if i >= 0]
    return sims


def passes_filters(need: NeedProfile, supplier: SupplierProfile) -> bool:
    """The hard filters: see `exclusion`."""
    return exclusion(need, supplier) is None


def exclusion(need: NeedProfile, supplier: SupplierProfile) -> str | None:
    """Why a hard filter keeps `supplier` away from `need`, or None: only admitted suppliers,
    never an excluded (conflicted) one, only those offering what the need requires
    (`requires_any`), when it requires anything, and only those holding every certification
    the need requires."""
    if not supplier.admitted:
        return "not_admitted"
    if supplier.id in need.excluded_supplier_ids:
        return "conflict"
    if need.requires_any and not supplier.offers_any(need.requires_any):
        return "readiness_path"
    if not need.required_certifications <= supplier.certifications:
        return "missing_certification"
    return None


def unit_similarities(sims: Iterable[UnitSim], sentence_blend: float) -> list[float]:
    """One similarity per whole unit, best first.

    A whole unit's similarity blends its own cosine with its best sentence's, so a long case
    study with one on-point sentence is not drowned by the rest of its text.
    """
    whole: dict[str, float] = {}
    best_sentence: dict[str, float] = defaultdict(lambda: -1.0)
    for sim in sims:
        parent, _, sentence = sim.unit_key.partition("#")
        if sentence:
            best_sentence[parent] = max(best_sentence[parent], sim.similarity)
        else:
            whole[parent] = sim.similarity
    for parent, best in best_sentence.items():
        base = whole.get(parent, best)
        whole[parent] = (1 - sentence_blend) * base + sentence_blend * max(base, best)
    return sorted(whole.values(), reverse=True)


def semantic_parts(
    sims: Sequence[UnitSim], weights: Weights, calibration: Calibration
) -> dict[str, float]:
    """`semantic` (best unit) and `semantic_support` (next units, geometrically discounted)."""
    ranked = [calibration(s) for s in unit_similarities(sims, weights.sentence_blend)]
    best = ranked[0] if ranked else 0.0
    support = sum(
        s * weights.support_discount ** (n + 1)
        for n, s in enumerate(ranked[1 : 1 + weights.support_depth])
    )
    return {"semantic": weights.semantic * best, "semantic_support": weights.semantic * support}


def score_pair(
    need: NeedProfile,
    supplier: SupplierProfile,
    sims: Sequence[UnitSim],
    weights: Weights,
    calibration: Calibration,
    fused: tuple[float, float] | None = None,
) -> tuple[dict[str, float], list[str]]:
    """One pair's parts; `fused` is its (semantic, lexical) from `lexical.fuse` over its
    pool (default: no lexical evidence, the semantic part whole)."""
    parts = semantic_parts(sims, weights, calibration)
    semantic, lexical = fused if fused is not None else (parts["semantic"], 0.0)
    fit, flags = structured_fit(need, supplier, weights)
    semantic_parts_ = {"semantic": semantic, "lexical": lexical}
    return semantic_parts_ | {"semantic_support": parts["semantic_support"]} | fit, flags


def evidence(supplier: SupplierProfile, sims: Iterable[UnitSim], count: int = 2) -> list[Evidence]:
    """The supplier sentences most similar to the need, best first, from distinct sentences.

    Sentence units are quoted directly; a whole unit quotes its only sentence, or its first
    one when its sentence units were not searched.
    """
    units = _quotable_units(supplier)
    sims = list(sims)
    with_sentences = {s.unit_key.split("#")[0] for s in sims if "#" in s.unit_key}
    best: dict[str, Evidence] = {}
    for sim in sorted(sims, key=lambda s: -s.similarity):
        unit, quote = units.get(sim.unit_key, (None, ""))
        if unit is None or unit.source == "need" or unit.key in with_sentences:
            continue
        if quote not in best:
            best[quote] = Evidence(unit.source, unit.source_id, unit.title, quote, sim.similarity)
        if len(best) == count:
            break
    return list(best.values())


@functools.lru_cache(maxsize=4096)
def _quotable_units(supplier: SupplierProfile) -> dict[str, tuple[TextUnit, str]]:
    """Each unit by key with the sentence it quotes: itself for a sentence unit, else its
    first sentence."""
    return {
        u.key: (u, u.text if u.is_sentence else _first_sentence(u))
        for u in supplier_units(supplier)
    }


def _first_sentence(unit: TextUnit) -> str:
    sentences = split_sentences(unit.text)
    return sentences[0] if sentences else unit.text


def _hit(id_: int, parts: dict[str, float], flags: list[str]) -> Hit:
    return Hit(id_, float(sum(parts.values())), parts, [], flags)


def _with_evidence(hit: Hit, supplier: SupplierProfile, sims: Sequence[UnitSim]) -> Hit:
    return Hit(hit.id, hit.score, hit.parts, evidence(supplier, sims), hit.flags)


def _top(hits: list[Hit], limit: int | None) -> list[Hit]:
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits if limit is None else hits[:limit]


def rank_suppliers(
    need: NeedProfile,
    suppliers: Iterable[SupplierProfile],
    sims: Iterable[UnitSim],
    *,
    weights: Weights | None = None,
    calibration: Calibration | None = None,
    limit: int | None = 20,
) -> list[Hit]:
    """Suppliers for `need`, best first; `Hit.id` is the supplier id.

    `sims` are this need's unit similarities; a supplier with none scores 0 on semantics but
    can still rank on structured fit.
    """
    table = SupplierTable(s for s in suppliers if passes_filters(need, s))
    return rank_supplier_units(
        need, table, unit_hits(sims), weights=weights, calibration=calibration, limit=limit
    )


def rank_supplier_units(
    need: NeedProfile,
    table: SupplierTable,
    units: UnitHits,
    *,
    candidates: Iterable[int] | None = None,
    weights: Weights | None = None,
    calibration: Calibration | None = None,
    limit: int | None = 20,
) -> list[Hit]:
    """`rank_suppliers` over a prepared table (or its `candidates` ids) and the similarities
    as arrays: the whole pool is scored as arrays, and only the hits returned get their flags
    and evidence."""
    w, cal = weights or Weights(), calibration or Calibration()
    lexical = table.lexical(need)
    if candidates is not None:
        candidates = set(candidates) | _lexical_best(table, lexical)
    found = (table.row_of.get(i) for i in (table.row_of if candidates is None else candidates))
    pool = [r for r in found if r is not None and passes_filters(need, table.records[r])]
    rows = np.array(sorted(pool), np.intp)
    cols = score_parts(need, table, rows, units, w, cal, lexical)
    order = np.lexsort((table.ids[rows], -totals(cols)))
    chosen = order if limit is None else order[:limit]
    sims = _sims_of(need.id, units, table.ids[rows[chosen]])
    hits = [
        _explained(need, table.records[rows[n]], {k: float(c[n]) for k, c in cols.items()}, sims, w)
        for n in chosen
    ]
    return _top(hits, limit)


def _lexical_best(table: SupplierTable, found: LexicalScores) -> set[int]:
    """Ids of the suppliers with the strongest lexical evidence (some, never none)."""
    evidence_, has = lexical_evidence(found)
    order = np.lexsort((table.ids, -evidence_))
    keep = [r for r in order[:LEXICAL_CANDIDATES].tolist() if has[r] and evidence_[r] > 0]
    return set(table.ids[keep].tolist())


def _sims_of(need_id: int, units: UnitHits, suppliers: npt.NDArray[np.int64]) -> SimsBySupplier:
    """These suppliers' similarities as `UnitSim`s, in search order."""
    at = np.flatnonzero(np.isin(units.supplier, suppliers))
    grouped: SimsBySupplier = defaultdict(list)
    columns = (units.supplier[at].tolist(), units.keys[at].tolist(), units.similarity[at].tolist())
    for supplier, key, similarity in zip(*columns, strict=True):
        grouped[supplier].append(UnitSim(need_id, supplier, key, similarity))
    return grouped


def _explained(
    need: NeedProfile,
    supplier: SupplierProfile,
    parts: dict[str, float],
    sims: SimsBySupplier,
    w: Weights,
) -> Hit:
    """A hit with its parts (from the arrays), flags and evidence."""
    _, flags = structured_fit(need, supplier, w)
    found = sims.get(supplier.id, [])
    return Hit(supplier.id, float(sum(parts.values())), parts, evidence(supplier, found), flags)


def unit_hits(sims: Iterable[UnitSim]) -> UnitHits:
    """A need's `UnitSim`s as arrays (see `scoring.UnitHits`)."""
    listed = list(sims)
    parents: dict[tuple[int, str], int] = {}
    split = [s.unit_key.partition("#") for s in listed]
    return UnitHits(
        supplier=np.array([s.supplier_id for s in listed], np.int64),
        parent=np.array(
            [
                parents.setdefault((s.supplier_id, whole), len(parents))
                for s, (whole, _, _) in zip(listed, split, strict=True)
            ],
            np.int64,
        ),
        sentence=np.array([bool(sentence) for _, _, sentence in split], np.bool_),
        similarity=np.array([s.similarity for s in listed], np.float64),
        keys=np.array([s.unit_key for s in listed], dtype=object),
    )


def rank_needs(
    supplier: SupplierProfile,
    needs: Iterable[NeedProfile],
    sims: Iterable[UnitSim],
    *,
    weights: Weights | None = None,
    calibration: Calibration | None = None,
    limit: int | None = 20,
    bridge: WordBridge | None = None,
) -> list[Hit]:
    """Needs for `supplier`, best first; `Hit.id` is the need id. Same parts and evidence.

    The lexical evidence is the supplier's text searched over these needs (BM25 over the
    pool, words lent across scripts through `bridge`), fused with semantics as in the other
    direction."""
    w, cal = weights or Weights(), calibration or Calibration()
    grouped = _group(sims, lambda s: s.need_id)
    pool = list({n.id: n for n in needs if passes_filters(n, supplier)}.values())
    fused = _fused_needs(supplier, pool, [grouped.get(n.id, []) for n in pool], w, cal, bridge)
    hits = [
        _hit(n.id, *score_pair(n, supplier, grouped.get(n.id, []), w, cal, pair))
        for n, pair in zip(pool, fused, strict=True)
    ]
    return [_with_evidence(h, supplier, grouped.get(h.id, [])) for h in _top(hits, limit)]


def rank_texts(
    text: str,
    documents: Iterable[NeedProfile],
    similarity: Mapping[int, float],
    *,
    calibration: Calibration | None = None,
    limit: int | None = 20,
    bridge: WordBridge | None = None,
) -> list[Hit]:
    """Documents (needs, or any text as a need record) for a bare text, best first: the text
    is a supplier that states nothing structured and has one unit, so scores are on
    `Scale.TEXT`. `similarity` is each document's raw cosine to the text. The text asks
    nothing of a supplier, so the documents' own hard filters (readiness offers, must-have
    certifications) are the caller's to hold for whoever stands behind the text."""
    probe = SupplierProfile(0, "", text)
    unfiltered = [
        replace(d, requires_any=frozenset(), required_certifications=frozenset()) for d in documents
    ]
    sims = [UnitSim(d.id, 0, "profile", similarity[d.id]) for d in unfiltered]
    return rank_needs(probe, unfiltered, sims, calibration=calibration, limit=limit, bridge=bridge)


def _fused_needs(
    supplier: SupplierProfile,
    pool: Sequence[NeedProfile],
    sims: Sequence[Sequence[UnitSim]],
    w: Weights,
    cal: Calibration,
    bridge: WordBridge | None = None,
) -> list[tuple[float, float]]:
    """Each need's (semantic, lexical) parts: `lexical.fuse` over the pool of needs."""
    if not pool:
        return []
    semantic = np.array([semantic_parts(s, w, cal)["semantic"] for s in sims])
    found = LexicalIndex([need_text(n) for n in pool], bridge).scores(supplier_text(supplier))
    fused_semantic, lexical = fuse(semantic, found)
    return list(zip(fused_semantic.tolist(), lexical.tolist(), strict=True))


def _group(sims: Iterable[UnitSim], key: Callable[[UnitSim], int]) -> dict[int, list[UnitSim]]:
    grouped: dict[int, list[UnitSim]] = defaultdict(list)
    for sim in sims:
        grouped[key(sim)].append(sim)
    return grouped
