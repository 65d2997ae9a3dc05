"""Reason labels read as a plant manager would say them, in both languages."""

from app.matches import reasons


def test_one_similar_case_study_is_singular_in_english() -> None:
    labels = {
        (locale, n): reasons.cases_reason(n, locale)[0].label
        for locale in ("en", "ko")
        for n in (1, 2)
    }
    assert labels == {
        ("en", 1): "1 similar case study",
        ("en", 2): "2 similar case studies",
        ("ko", 1): "유사 사례 1건",
        ("ko", 2): "유사 사례 2건",
    }
    assert reasons.cases_reason(0, "en") == []
