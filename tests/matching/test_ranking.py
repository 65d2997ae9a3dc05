from collections.abc import Sequence
from dataclasses import replace

import pytest

from matching import FakeEmbedder, Matcher, NeedProfile, SupplierProfile, Weights
from matching.ranking import UnitSim, need_sims, rank_suppliers, supplier_sims
from tests.matching.builders import need, pool


def _matcher(suppliers: list[SupplierProfile], needs: Sequence[NeedProfile] = ()) -> Matcher:
    return Matcher(FakeEmbedder(), suppliers, needs)


PRESS = "cameras to inspect crack defects on our press line"


def test_the_supplier_on_topic_ranks_first_with_parts_summing_to_the_score() -> None:
    hits = _matcher(pool()).suppliers_for(need(1, PRESS))
    assert [h.id for h in hits][0] == 1
    for hit in hits:
        assert hit.score == pytest.approx(sum(hit.parts.values()))
        assert {"semantic", "semantic_support", "capacity", "region"} <= hit.parts.keys()


def test_hard_filters_drop_unadmitted_and_excluded_suppliers() -> None:
    suppliers = pool()
    suppliers[1] = replace(suppliers[1], admitted=False)
    hits = _matcher(suppliers).suppliers_for(need(1, PRESS, excluded_supplier_ids=frozenset({1})))
    assert [h.id for h in hits] == [3]


def test_a_supplier_at_capacity_drops_and_is_flagged_but_stays() -> None:
    suppliers = pool()
    suppliers[0] = replace(suppliers[0], capacity=2, active_engagements=2)
    hits = _matcher(suppliers).suppliers_for(need(1, PRESS))
    full = next(h for h in hits if h.id == 1)
    assert "at_capacity" in full.flags and full.parts["capacity"] < 0
    free = _matcher(pool()).suppliers_for(need(1, PRESS))[0]
    assert full.score < free.score


def test_in_province_preference_lifts_gyeongnam_suppliers() -> None:
    twins = [
        replace(pool()[0], id=i, region=r, in_province=r.startswith("gn-"))
        for i, r in ((1, "seoul"), (2, "gn-changwon"))
    ]
    matcher = _matcher(twins)
    asked = matcher.suppliers_for(need(1, PRESS, prefer_in_province=True))
    assert [h.id for h in asked] == [2, 1]
    assert "out_of_province" in asked[1].flags
    neutral = matcher.suppliers_for(need(1, PRESS))
    assert neutral[0].score == pytest.approx(neutral[1].score)


def test_structured_fit_rewards_overlap_and_penalises_level_and_budget() -> None:
    base = pool()[0]
    fitting = replace(base, id=1, ai_techniques=frozenset({"vision_inspection"}), price_max=3000)
    demanding = replace(base, id=2, min_sf_level="intermediate2", price_min=9000)
    wanted = need(
        1,
        PRESS,
        ai_techniques=frozenset({"vision_inspection"}),
        sf_level="basic",
        budget_min=1000,
        budget_max=4000,
    )
    hits = {h.id: h for h in _matcher([fitting, demanding]).suppliers_for(wanted)}
    assert hits[1].parts["technique"] > 0 and hits[1].parts["budget"] > 0
    assert {"below_required_sf_level", "over_budget"} <= set(hits[2].flags)
    assert hits[1].score > hits[2].score


def test_evidence_quotes_the_matching_case_study_sentence() -> None:
    hit = _matcher(pool()).suppliers_for(need(1, "crack defects fell on the press"))[0]
    quote = hit.evidence[0]
    assert (quote.source, quote.source_id, quote.title) == ("case_study", 11, "Press line camera")
    assert quote.sentence == "Crack defects fell by half."
    assert quote.similarity > hit.evidence[-1].similarity or len(hit.evidence) == 1


def test_needs_for_a_supplier_rank_the_matching_need_first() -> None:
    needs = [
        need(1, "forging furnace gas burner energy"),
        need(2, PRESS),
        need(3, "CNC spindle vibration failures", excluded_supplier_ids=frozenset({1})),
    ]
    matcher = _matcher(pool(), needs)
    hits = matcher.needs_for(pool()[0])
    assert [h.id for h in hits] == [2, 1]
    assert hits[0].evidence and hits[0].evidence[0].source in {"profile", "case_study"}
    assert matcher.needs_for(replace(pool()[0], admitted=False)) == []


def test_free_text_search_finds_suppliers() -> None:
    assert _matcher(pool()).search("furnace gas", limit=1)[0].id == 3


def test_ranking_runs_on_sims_from_an_external_index() -> None:
    sims = need_sims(9, [0.9, 0.5, 0.1], [100, 101, -1], {100: (2, "profile"), 101: (1, "case:11")})
    assert sims == [UnitSim(9, 2, "profile", 0.9), UnitSim(9, 1, "case:11", 0.5)]
    hits = rank_suppliers(need(9, "anything"), pool(), sims, weights=Weights(), limit=2)
    assert [h.id for h in hits] == [2, 1]
    back = supplier_sims(1, ["profile", "case:11"], [[0.8], [0.4]], [[5], [-1]])
    assert back == [UnitSim(5, 1, "profile", 0.8)]
