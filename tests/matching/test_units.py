from matching.units import need_units, split_sentences, supplier_units
from tests.matching.builders import case, need, supplier


def test_supplier_unit_keys_follow_the_documented_scheme() -> None:
    s = supplier(
        1,
        "One sentence profile.",
        case(7, "Press", "First sentence here. Second sentence here."),
    )
    keys = [u.key for u in supplier_units(s)]
    assert keys == ["profile", "case:7", "case:7#0", "case:7#1"]
    assert [u.key for u in supplier_units(s, sentences=False)] == ["profile", "case:7"]


def test_unit_text_and_hash_are_stable() -> None:
    s = supplier(1, "Vision.", case(7, "Press line", "Cameras on the press."))
    first, second = supplier_units(s), supplier_units(s)
    assert first[1].text == "Press line. Cameras on the press."
    assert [u.sha256 for u in first] == [u.sha256 for u in second]
    assert first[1].source == "case_study" and first[1].source_id == 7


def test_sentence_units_know_their_parent() -> None:
    s = supplier(1, "Profile one is long. Profile two is long.")
    sentence = supplier_units(s)[2]
    assert sentence.key == "profile#1" and sentence.parent_key == "profile"
    assert sentence.is_sentence and sentence.text == "Profile two is long."


def test_split_sentences_handles_korean_and_glues_fragments() -> None:
    text = "프레스 공정의 불량을 검사합니다. 카메라를 설치했습니다.\n결과: 50%"
    assert split_sentences(text) == [
        "프레스 공정의 불량을 검사합니다.",
        "카메라를 설치했습니다. 결과: 50%",
    ]


def test_need_is_one_unit_of_title_and_description() -> None:
    (unit,) = need_units(need(3, "We need inspection.", title="Inspection"))
    assert unit.key == "need" and unit.text == "Inspection. We need inspection."
