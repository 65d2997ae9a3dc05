import json
from pathlib import Path

import pytest

from matching import FakeEmbedder, Matcher, NeedProfile, rank_texts
from matching.evaluate import (
    evaluate,
    load_eval_set,
    mrr_at_k,
    ndcg_at_k,
    recall_at_k,
    text_pairs,
)
from matching.units import supplier_text

DATA = Path(__file__).parent / "data"


def test_recall_counts_only_top_grade_suppliers_in_the_first_k() -> None:
    labels = {1: 2, 2: 2, 3: 1}
    assert recall_at_k([3, 1, 9, 2], labels, relevant=2, k=3) == 0.5
    assert recall_at_k([9], {}, relevant=2) == 0.0


def test_mrr_is_the_inverse_rank_of_the_first_top_grade_hit() -> None:
    labels = {5: 2, 6: 1}
    assert mrr_at_k([6, 7, 5], labels, relevant=2) == pytest.approx(1 / 3)
    assert mrr_at_k([6, 7, 5], labels, relevant=2, k=2) == 0.0
    assert mrr_at_k([6], labels, relevant=1) == 1.0


def test_ndcg_uses_exponential_gain_against_the_ideal_order() -> None:
    labels = {1: 2, 2: 1}
    # DCG = 1/log2(2) + 3/log2(3); ideal = 3/log2(2) + 1/log2(3)
    expected = (1 + 3 / 1.5849625) / (3 + 1 / 1.5849625)
    assert ndcg_at_k([2, 1], labels) == pytest.approx(expected, rel=1e-6)
    assert ndcg_at_k([1, 2], labels) == pytest.approx(1.0)
    assert ndcg_at_k([1, 2], {}) == 0.0


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_grade_one_only_set_treats_grade_one_as_relevant(tmp_path: Path) -> None:
    suppliers = _write(
        tmp_path / "s.jsonl",
        [
            {
                "external_id": "a",
                "name": "A",
                "description": "press vision inspection",
                "case_studies": [],
            },
            {"external_id": "b", "name": "B", "description": "furnace energy", "case_studies": []},
        ],
    )
    needs = _write(
        tmp_path / "n.jsonl",
        [
            {
                "external_id": "n1",
                "title": "",
                "description": "press inspection",
                "relevant": {"a": 1},
            },
        ],
    )
    assert load_eval_set(suppliers, needs).relevant_grade == 1
    result = evaluate(suppliers, needs, FakeEmbedder())
    assert result["axmatch"] == {"recall@10": 1.0, "ndcg@10": 1.0, "mrr": 1.0}


def test_evaluate_reports_three_methods_on_the_korean_english_set() -> None:
    seen: list[str] = []
    result = evaluate(
        DATA / "koen_suppliers.jsonl",
        DATA / "koen_needs.jsonl",
        FakeEmbedder(),
        progress=lambda stage, done, total: seen.append(stage),
    )
    assert set(result) - {"axmatch_by_need_language"} == {
        "axmatch",
        "bm25",
        "embedding",
        "prior",
        "levels",
        "text_levels",
    }
    for method in ("axmatch", "bm25", "embedding", "prior"):
        assert set(result[method]) == {"recall@10", "ndcg@10", "mrr"}
        assert all(0.0 <= v <= 1.0 for v in result[method].values())
    assert set(result["levels"]) == {"high", "medium", "low", "none"}
    for scale in ("levels", "text_levels"):
        coverage = sum(band["coverage"] for band in result[scale].values())
        assert abs(coverage - 1.0) < 1e-9
    assert "rank axmatch" in seen


def test_text_probes_are_scored_as_free_text_search_scores_them(tmp_path: Path) -> None:
    suppliers = _write(
        tmp_path / "s.jsonl",
        [
            {"external_id": "a", "name": "A", "description": "press dent vision inspection"},
            {"external_id": "b", "name": "B", "description": "furnace energy saving"},
        ],
    )
    needs = _write(
        tmp_path / "n.jsonl",
        [{"external_id": "n1", "description": "press dent inspection", "relevant": {"a": 2}}],
    )
    data = load_eval_set(suppliers, needs)
    matcher = Matcher(FakeEmbedder(), data.suppliers)
    pairs = text_pairs(matcher, data, matcher.encode_needs(data.needs))
    # need -> the two suppliers as texts, then supplier a's description -> the one need
    assert [relevant for _, relevant in pairs] == [True, False, True]
    text = "press dent inspection"
    vector = FakeEmbedder().encode([text], kind="query")[0]
    documents = [NeedProfile(s.id, "", supplier_text(s)) for s in data.suppliers]
    sims = {
        d.id: float(vector @ FakeEmbedder().encode([d.description], kind="query")[0])
        for d in documents
    }
    (best, *_) = rank_texts(text, documents, sims, calibration=matcher.calibration)
    assert pairs[0][0] == pytest.approx(best.score)
