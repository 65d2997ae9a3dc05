"""The lexical channel: Korean morphemes, bilingual concepts, BM25, and fusion rules."""

import numpy as np

from matching import NeedProfile, SupplierProfile, UnitSim, rank_needs, rank_suppliers
from matching.lexical import (
    BM25,
    LEXICAL_SHARE,
    NATIVE_LEXICAL_SHARE,
    LexicalIndex,
    LexicalScores,
    concepts,
    fuse,
    languages,
    words,
)


def test_korean_inflections_meet_their_stem() -> None:
    assert "검사" in words("용접 부위를 검사하는 장비")
    assert "검사" in words("외관 검사를 자동화")
    index = BM25([words("프레스 부품 외관 검사 전문"), words("식품 포장 라벨 인쇄")])
    scores = index.scores(words("찍힘 불량을 검사하는 방법"))
    assert scores[0] > 0 and scores[1] == 0


def test_english_words_are_stemmed_and_stop_words_dropped() -> None:
    assert words("Inspecting the welds") == ["inspect", "weld"]
    assert words("The 2 cameras") == ["camera"]


def test_a_concept_has_the_same_id_in_both_languages() -> None:
    assert "vision_inspection" in concepts("프레스 부품 비전검사")
    assert "vision_inspection" in concepts("프레스 부품 비전 검사")
    assert "vision_inspection" in concepts("Machine vision inspection of stamped parts")
    assert "press" in concepts("stamping press line") and "press" in concepts("프레스 라인")
    assert concepts("quarterly budget meeting") == ()


def test_languages_of_a_text() -> None:
    assert languages("프레스 X-ray AOI 검사 장비를 찾습니다") == frozenset({"ko"})
    assert languages("Vision inspection for press parts") == frozenset({"en"})
    assert languages("비전 검사 전문 기업입니다.\n\nVision inspection for press parts.") == {
        "ko",
        "en",
    }


def test_a_channel_without_signal_costs_nothing() -> None:
    semantic = np.array([0.6, 0.3])
    nothing = LexicalScores(concept=None, word=None, word_applies=np.array([True, False]))
    fused_semantic, lexical = fuse(semantic, nothing)
    assert fused_semantic.tolist() == semantic.tolist() and lexical.tolist() == [0.0, 0.0]
    # Words only for the first (same-language) document: the other keeps its semantics whole.
    words_only = LexicalScores(None, np.array([1.0, 0.0]), np.array([True, False]))
    fused_semantic, lexical = fuse(semantic, words_only)
    assert fused_semantic[1] == 0.3 and lexical[1] == 0.0
    assert fused_semantic[0] + lexical[0] == 0.6  # half its own, half the best semantic


def test_own_words_count_more_than_lent_ones() -> None:
    """The lexical share grows with the query's words in the document's own script: lent
    words (the bridge) and concepts count like semantics, the query's own words more."""
    index = LexicalIndex(["Vision inspection of press parts", "프레스 부품 비전 검사"])
    english, korean, mixed = (
        index.scores(q).native.tolist()  # type: ignore[union-attr]
        for q in ("press part inspection", "프레스 검사", "프레스 AOI 검사")
    )
    assert english == [1.0, 0.0] and korean == [0.0, 1.0]
    assert mixed[0] == 1 / 3 and mixed[1] == 2 / 3
    semantic = np.array([0.6, 0.6])
    found = LexicalScores(None, np.array([1.0, 1.0]), np.array([True, True]), np.array([1, 0.0]))
    fused_semantic, lexical = fuse(semantic, found)
    assert np.allclose(lexical, [NATIVE_LEXICAL_SHARE * 0.6, LEXICAL_SHARE * 0.6])
    assert np.allclose(fused_semantic + lexical, 0.6)  # a best match on both counts fully


def test_a_korean_need_finds_an_english_only_supplier_through_concepts() -> None:
    korean = SupplierProfile(1, "가나", "사무용 가구 납품과 사무실 인테리어 시공을 합니다.")
    english = SupplierProfile(
        2, "Lens", "Machine vision inspection of stamped press parts with line-scan cameras."
    )
    need = NeedProfile(9, "프레스 부품 비전 검사", "찍힘과 긁힘을 카메라로 찾고 싶습니다.")
    # Semantics see both alike (a model blind across languages would): concepts decide.
    sims = [UnitSim(9, 1, "profile", 0.5), UnitSim(9, 2, "profile", 0.5)]
    hits = rank_suppliers(need, [korean, english], sims)
    assert [h.id for h in hits] == [2, 1]
    assert hits[0].parts["lexical"] > 0 and hits[1].parts["lexical"] == 0


def test_needs_for_a_supplier_use_the_same_lexical_evidence() -> None:
    supplier = SupplierProfile(1, "Weld", "Weld bead inspection with cameras on welding robots.")
    needs = [
        NeedProfile(1, "Office furniture", "Desks and chairs for a new office."),
        NeedProfile(
            2, "용접 비드 검사", "용접 로봇 라인의 비드 불량을 카메라로 검사하고 싶습니다."
        ),
    ]
    sims = [UnitSim(1, 1, "profile", 0.4), UnitSim(2, 1, "profile", 0.4)]
    hits = rank_needs(supplier, needs, sims)
    assert [h.id for h in hits] == [2, 1]
    assert sum(hits[0].parts.values()) == hits[0].score


def test_lexical_index_normalises_each_channel_by_its_best_document() -> None:
    index = LexicalIndex(["welding robot", "welding welding robot camera", "bakery"])
    found = index.scores("welding robot")
    assert found.word is not None and found.word.max() == 1.0
    assert found.word[2] == 0.0
