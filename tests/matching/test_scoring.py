"""The array scoring gives the per-pair functions' numbers bit for bit, so ranking with it
orders, scores and explains exactly as scoring each pair would."""

import random
from collections import defaultdict

import numpy as np
import pytest

from matching import Calibration, CaseStudy, NeedProfile, SupplierProfile, Weights
from matching.fit import structured_fit
from matching.ranking import (
    Hit,
    UnitSim,
    evidence,
    passes_filters,
    rank_supplier_units,
    rank_suppliers,
    score_pair,
    unit_hits,
)
from matching.records import SF_LEVELS
from matching.scoring import SupplierTable, fit_parts, score_parts, totals

CODES = ("a", "b", "c", "d")
REGIONS = ("gn-changwon", "gn-gimhae", "seoul", None)
SENTENCES = "Cameras on the press line. Cracks fell by half. Energy use fell too."


def _maybe(rng: random.Random, value: object) -> object:
    return value if rng.random() < 0.6 else None


def _codes(rng: random.Random) -> frozenset[str]:
    return frozenset(rng.sample(CODES, rng.randint(0, 3)))


def _supplier(rng: random.Random, id_: int) -> SupplierProfile:
    cases = tuple(
        CaseStudy(id_ * 10 + n, f"Case {n}", SENTENCES, _maybe(rng, "c24"), _maybe(rng, "press"))
        for n in range(rng.randint(0, 2))
    )
    low = rng.choice((None, 1000, 3000, 8000))
    region = rng.choice(REGIONS)
    return SupplierProfile(
        id=id_,
        name=f"S{id_}",
        description=SENTENCES if rng.random() < 0.8 else "",
        case_studies=cases,
        specialties=_codes(rng),
        ai_techniques=_codes(rng),
        industries=frozenset(rng.sample(("c24", "c29", "c30"), rng.randint(0, 2))),
        processes=frozenset(rng.sample(("press", "weld", "cast"), rng.randint(0, 2))),
        region=region,
        in_province=bool(region and region.startswith("gn-")),
        capacity=rng.randint(0, 3),
        active_engagements=rng.randint(0, 3),
        price_min=low,
        price_max=rng.choice((None, 2000, 5000, 30000)),
        min_sf_level=rng.choice((None, "unknown", *SF_LEVELS)),
        track_record=rng.choice((0.0, 0.25, 1.0, 1.5, -0.5)),
        admitted=rng.random() < 0.9,
    )


def _need(rng: random.Random) -> NeedProfile:
    return NeedProfile(
        id=7,
        title="",
        description="",
        industry=rng.choice((None, "", "c24", "c29")),
        process=rng.choice((None, "press", "weld")),
        ai_techniques=_codes(rng),
        region=rng.choice(REGIONS),
        prefer_in_province=rng.random() < 0.5,
        budget_min=rng.choice((None, 0, 1500, 4000, 5000)),
        budget_max=rng.choice((None, 0, 2500, 3000, 9000)),
        sf_level=rng.choice((None, "unknown", *SF_LEVELS)),
        excluded_supplier_ids=frozenset(rng.sample(range(1, 30), 3)),
        specialties=_codes(rng),
    )


def _sims(rng: random.Random, suppliers: list[SupplierProfile]) -> list[UnitSim]:
    """Units of most suppliers (and of some unknown ones), with tied values; best first."""
    sims = []
    for sid in [s.id for s in suppliers if rng.random() < 0.8] + [90, 91]:
        for key in ("profile", "profile#0", "profile#2", f"case:{sid * 10}", f"case:{sid * 10}#1"):
            if rng.random() < 0.6:
                sims.append(UnitSim(7, sid, key, rng.choice((-0.1, 0.2, 0.35, 0.5, 0.62, 0.9))))
    return sorted(sims, key=lambda s: -s.similarity)


def _weights(rng: random.Random) -> Weights:
    return Weights(
        support_depth=rng.randint(0, 3),
        support_discount=rng.choice((0.5, 0.3, 0.7)),
        sentence_blend=rng.choice((0.5, 0.25, 0.0, 1.0)),
    )


def _reference(
    need: NeedProfile,
    suppliers: list[SupplierProfile],
    sims: list[UnitSim],
    w: Weights,
    cal: Calibration,
    limit: int | None,
) -> list[Hit]:
    """Every pair scored on its own (the ranking before array scoring)."""
    grouped: dict[int, list[UnitSim]] = defaultdict(list)
    for sim in sims:
        grouped[sim.supplier_id].append(sim)
    pool = {s.id: s for s in suppliers if passes_filters(need, s)}
    hits = []
    for sid, supplier in pool.items():
        parts, flags = score_pair(need, supplier, grouped[sid], w, cal)
        found = evidence(supplier, grouped[sid])
        hits.append(Hit(sid, float(sum(parts.values())), parts, found, flags))
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits if limit is None else hits[:limit]


@pytest.mark.parametrize("seed", range(60))
def test_array_ranking_equals_scoring_each_pair(seed: int) -> None:
    rng = random.Random(seed)
    suppliers = [_supplier(rng, i) for i in range(1, rng.randint(2, 30))]
    need, sims, w = _need(rng), _sims(rng, suppliers), _weights(rng)
    cal = rng.choice((Calibration(), Calibration(0.17, 0.70)))
    limit = rng.choice((None, 1, 5, 10))
    expected = _reference(need, suppliers, sims, w, cal, limit)
    got = rank_suppliers(need, suppliers, sims, weights=w, calibration=cal, limit=limit)
    assert got == expected


@pytest.mark.parametrize("seed", range(30))
def test_totals_and_fit_parts_are_the_per_pair_numbers_exactly(seed: int) -> None:
    rng = random.Random(1000 + seed)
    suppliers = [_supplier(rng, i) for i in range(1, 25)]
    need, sims, w = _need(rng), _sims(rng, suppliers), _weights(rng)
    cal = Calibration(0.17, 0.70)
    table, rows = SupplierTable(suppliers), np.arange(len(suppliers))
    per_pair = [
        score_pair(need, s, [x for x in sims if x.supplier_id == s.id], w, cal)[0]
        for s in suppliers
    ]
    columns = score_parts(need, table, rows, unit_hits(sims), w, cal)
    assert [{k: float(c[n]) for k, c in columns.items()} for n in rows] == per_pair
    assert totals(columns).tolist() == [float(sum(parts.values())) for parts in per_pair]
    fit_columns = fit_parts(need, table, rows, w)
    for n, supplier in enumerate(suppliers):
        fit, _ = structured_fit(need, supplier, w)
        assert {k: float(v[n]) for k, v in fit_columns.items()} == fit
        assert list(fit_columns) == list(fit)


def test_candidates_limit_the_pool_to_the_suppliers_named() -> None:
    rng = random.Random(5)
    suppliers = [_supplier(rng, i) for i in range(1, 20)]
    need, sims = _need(rng), _sims(rng, suppliers)
    some = {s.id for s in suppliers[::3]} | {404}
    got = rank_supplier_units(
        need, SupplierTable(suppliers), unit_hits(sims), candidates=some, limit=None
    )
    chosen = [s for s in suppliers if s.id in some]
    assert got == _reference(need, chosen, sims, Weights(), Calibration(), None)


def test_closest_orders_suppliers_by_best_unit_ties_by_first_seen() -> None:
    sims = [
        UnitSim(1, 5, "profile", 0.9),
        UnitSim(1, 3, "profile", 0.7),
        UnitSim(1, 4, "profile", 0.7),
        UnitSim(1, 5, "case:1", 0.6),
        UnitSim(1, 2, "profile", 0.1),
    ]
    units = unit_hits(sims)
    assert units.closest(2) == {5, 3}
    assert units.closest(3) == {5, 3, 4}
    assert units.closest(2, among={4, 2}) == {4, 2}
    assert unit_hits([]).closest(5) == set()


def test_calibration_scale_matches_the_scalar_calibration() -> None:
    cal = Calibration(0.17, 0.70)
    values = np.array([-1.0, 0.0, 0.17, 0.3333, 0.7, 0.99, 1.0])
    assert cal.scale(values).tolist() == [cal(v) for v in values.tolist()]
