"""Need -> suppliers scored for a whole candidate pool at once, as numpy arrays.

The totals are those of `ranking.score_pair` summed in the same order, bit for bit: each
part is the same float64 operations applied element by element, and the parts are added
in `score_pair`'s order. Ranking a pool then costs a few dozen array operations instead of
Python work per supplier and per unit; `ranking` builds the parts, flags and evidence of
the returned hits only, with the per-pair functions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.bridge import WordBridge
from matching.embedders import Calibration
from matching.fit import Weights, served_industries, served_processes
from matching.lexical import LexicalIndex, LexicalScores, fuse, pick
from matching.records import NeedProfile, SupplierProfile, sf_rank
from matching.units import need_text, supplier_text

Rows = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]
Ids = npt.NDArray[np.int64]


@dataclass(frozen=True)
class UnitHits:
    """One need's similarities to supplier text units: parallel arrays, in search order.

    `parent` numbers the whole units; a sentence unit (`sentence` True) carries the number
    of the whole unit it was cut from, so the two can be blended.
    """

    supplier: Ids
    parent: Ids
    sentence: Flags
    similarity: Floats
    keys: npt.NDArray[np.object_]

    def closest(self, count: int, among: Collection[int] | None = None) -> set[int]:
        """The `count` suppliers (of `among`, if given) with the most similar best unit;
        ties go to the supplier met first in search order."""
        keep = slice(None) if among is None else np.isin(self.supplier, list(among))
        owners, first, inverse = np.unique(
            self.supplier[keep], return_index=True, return_inverse=True
        )
        best = np.full(len(owners), -1.0)
        np.maximum.at(best, inverse, self.similarity[keep])
        return set(owners[np.lexsort((first, -best))[:count]].tolist())


def _members(
    suppliers: list[SupplierProfile], terms: Callable[[SupplierProfile], Iterable[str | None]]
) -> dict[str, Flags]:
    """For each term, which rows have it."""
    rows: dict[str, Flags] = {}
    for row, supplier in enumerate(suppliers):
        for term in terms(supplier):
            if term:
                rows.setdefault(term, np.zeros(len(suppliers), np.bool_))[row] = True
    return rows


class SupplierTable:
    """Suppliers as columns, one row each, for scoring many of them at once."""

    def __init__(
        self, suppliers: Iterable[SupplierProfile], bridge: WordBridge | None = None
    ) -> None:
        self.bridge = bridge
        self.records = list({s.id: s for s in suppliers}.values())
        records = self.records
        self.row_of = {s.id: row for row, s in enumerate(records)}
        self.ids = np.array([s.id for s in records], np.int64)
        self.specialty = _members(records, lambda s: s.specialties)
        self.technique = _members(records, lambda s: s.ai_techniques)
        self.industry = _members(records, served_industries)
        self.process = _members(records, served_processes)
        self.region = _members(records, lambda s: (s.region,))
        self.in_province = np.array([s.in_province for s in records], np.bool_)
        self.sf_required = np.array([_rank_or(s.min_sf_level) for s in records], np.int64)
        self.has_price_min, self.price_min = _column([s.price_min for s in records])
        self.has_price_max, self.price_max = _column([s.price_max for s in records])
        self.capacity = np.array([-1.0 if s.capacity_left <= 0 else 0.0 for s in records])
        self.track = np.array([min(1.0, max(0.0, s.track_record)) for s in records], np.float64)

    def __len__(self) -> int:
        return len(self.records)

    @functools.cached_property
    def lexicon(self) -> LexicalIndex:
        """Word and concept BM25 over each supplier's text, built on first use."""
        return LexicalIndex([supplier_text(s) for s in self.records], self.bridge)

    def lexical(self, need: NeedProfile) -> LexicalScores:
        """The need's lexical evidence over every row (normalised over the whole table)."""
        return self.lexicon.scores(need_text(need))


def _rank_or(level: str | None) -> int:
    rank = sf_rank(level)
    return -1 if rank is None else rank


def _column(values: list[int | None]) -> tuple[Flags, Floats]:
    known = np.array([v is not None for v in values], np.bool_)
    return known, np.array([0 if v is None else v for v in values], np.float64)


def _has(code: str | None, members: dict[str, Flags], rows: Rows) -> Floats:
    if not code or code not in members:
        return np.zeros(len(rows))
    return np.where(members[code][rows], 1.0, 0.0)


def _overlap(wanted: frozenset[str], members: dict[str, Flags], rows: Rows) -> Floats:
    if not wanted:
        return np.zeros(len(rows))
    count = np.zeros(len(rows), np.int64)
    for term in wanted:
        if term in members:
            count += members[term][rows]
    return count / len(wanted)


def _region(need: NeedProfile, table: SupplierTable, rows: Rows) -> Floats:
    near = np.where(_has(need.region, table.region, rows) > 0, 0.5, 0.0)
    return np.where(table.in_province[rows], 1.0, near) if need.prefer_in_province else near


def _sf_level(need: NeedProfile, table: SupplierTable, rows: Rows) -> Floats:
    have = sf_rank(need.sf_level)
    if have is None:
        return np.zeros(len(rows))
    required = table.sf_required[rows]
    return np.where(required > have, -np.minimum(1.0, (required - have) / 2), 0.0)


def _budget(need: NeedProfile, table: SupplierTable, rows: Rows) -> Floats:
    low, high = need.budget_min, need.budget_max
    if low is None and high is None:
        return np.zeros(len(rows))
    has_low, price_low = table.has_price_min[rows], table.price_min[rows]
    has_high, price_high = table.has_price_max[rows], table.price_max[rows]
    value = np.where(has_low | has_high, 1.0, 0.0)
    over = np.zeros(len(rows), np.bool_)
    if high is not None:
        over = has_low & (price_low > high)
        value = np.where(over, -np.minimum(1.0, (price_low - high) / max(high, 1)), value)
    if low is not None:
        under = ~over & has_high & (price_high < low)
        value = np.where(under, -np.minimum(1.0, (low - price_high) / max(low, 1)), value)
    return value


def fit_parts(
    need: NeedProfile, table: SupplierTable, rows: Rows, weights: Weights
) -> dict[str, Floats]:
    """`fit.structured_fit`'s parts (same keys, same order) for table rows `rows`."""
    w = weights
    return {
        "specialty": w.specialty * _overlap(need.specialties, table.specialty, rows),
        "technique": w.technique * _overlap(need.ai_techniques, table.technique, rows),
        "industry": w.industry * _has(need.industry, table.industry, rows),
        "process": w.process * _has(need.process, table.process, rows),
        "region": w.region * _region(need, table, rows),
        "sf_level": w.sf_level * _sf_level(need, table, rows),
        "budget": w.budget * _budget(need, table, rows),
        "capacity": w.capacity * table.capacity[rows],
        "track_record": w.track_record * table.track[rows],
    }


def _blended_units(units: UnitHits, keep: Flags, blend: float) -> tuple[Floats, Rows]:
    """`ranking.unit_similarities` for every whole unit of the kept rows: its similarity
    and the row (in `units`) of its first appearance."""
    parent, sentence, similarity = units.parent[keep], units.sentence[keep], units.similarity[keep]
    _, first, inverse = np.unique(parent, return_index=True, return_inverse=True)
    whole = np.full(len(first), np.nan)
    whole[inverse[~sentence]] = similarity[~sentence]
    best = np.full(len(first), -1.0)
    np.maximum.at(best, inverse[sentence], similarity[sentence])
    has_sentence = np.zeros(len(first), np.bool_)
    has_sentence[inverse[sentence]] = True
    base = np.where(np.isnan(whole), best, whole)
    mixed = (1 - blend) * base + blend * np.maximum(base, best)
    return np.where(has_sentence, mixed, whole), np.flatnonzero(keep)[first]


def _slots(pool: Ids, suppliers: Ids) -> Rows:
    """For each unit's supplier, its position in `pool`, or -1."""
    if not len(pool):
        return np.full(len(suppliers), -1, np.intp)
    order = np.argsort(pool, kind="stable")
    at = np.minimum(np.searchsorted(pool[order], suppliers), len(pool) - 1)
    return np.where(pool[order][at] == suppliers, order[at], -1)


def semantic_scores(
    units: UnitHits,
    table: SupplierTable,
    rows: Rows,
    weights: Weights,
    calibration: Calibration,
) -> tuple[Floats, Floats]:
    """`ranking.semantic_parts` (semantic, semantic_support) for table rows `rows`."""
    semantic, support = np.zeros(len(rows)), np.zeros(len(rows))
    slot = _slots(table.ids[rows], units.supplier)
    if not (slot >= 0).any():
        return semantic, support
    blended, first = _blended_units(units, slot >= 0, weights.sentence_blend)
    owner = slot[first]
    order = np.lexsort((-blended, owner))
    owner, ranked = owner[order], calibration.scale(blended[order])
    starts = np.concatenate(([True], owner[1:] != owner[:-1]))
    at = np.arange(len(owner))
    rank = at - np.maximum.accumulate(np.where(starts, at, 0))  # place within its supplier
    semantic[owner[rank == 0]] = ranked[rank == 0]
    for n in range(1, weights.support_depth + 1):
        term = np.zeros(len(rows))
        term[owner[rank == n]] = ranked[rank == n] * weights.support_discount**n
        support = support + term
    return weights.semantic * semantic, weights.semantic * support


def score_parts(
    need: NeedProfile,
    table: SupplierTable,
    rows: Rows,
    units: UnitHits,
    weights: Weights,
    calibration: Calibration,
    lexical: LexicalScores | None = None,
) -> dict[str, Floats]:
    """`ranking.score_pair`'s parts (same keys, same order) for table rows `rows`; the
    semantic part is fused with the need's lexical evidence (`lexical.fuse`, default: the
    table's for this need) among these rows."""
    semantic, support = semantic_scores(units, table, rows, weights, calibration)
    found = pick(table.lexical(need) if lexical is None else lexical, rows)
    semantic, lexical_part = fuse(semantic, found)
    return {
        "semantic": semantic,
        "lexical": lexical_part,
        "semantic_support": support,
    } | fit_parts(need, table, rows, weights)


def totals(parts: dict[str, Floats]) -> Floats:
    """Each row's `sum(parts.values())`, added in the same order."""
    columns = iter(parts.values())
    total = next(columns)
    for column in columns:
        total = total + column
    return total
