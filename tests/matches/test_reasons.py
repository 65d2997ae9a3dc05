"""Reason labels read as a plant manager would say them, in both languages."""

from html.parser import HTMLParser

from app.matches import reasons
from tests.matches.test_service import arrange
from tests.matches.test_signals import availability_world
from tests.needs.helpers import Landmarks


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


def fold_labels(html: str) -> list[str]:
    """The row headings of every score-details fold on a page."""
    found: list[str] = []
    parser = HTMLParser()
    state = {"fold": 0, "th": False}

    def start(tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details":
            state["fold"] += 1
        state["th"] = tag == "th" and bool(state["fold"])
        if state["th"]:
            found.append("")

    def end(tag: str) -> None:
        state["fold"] -= tag == "details"
        state["th"] = state["th"] and tag != "th"

    def data(text: str) -> None:
        if state["th"]:
            found[-1] += text

    parser.handle_starttag, parser.handle_endtag, parser.handle_data = start, end, data  # type: ignore[method-assign]
    parser.feed(html)
    return [f.strip() for f in found]


def test_score_parts_in_the_details_fold_are_named_in_words(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    for locale, words in (("en", "Text similarity (best-matching text)"), ("ko", "내용 유사도")):
        owner.locale = locale
        session.commit()
        labels = fold_labels(browser.login(owner).get(f"/needs/{need.id}/suggestions").text)
        assert any(words in label for label in labels)
        assert not [label for label in labels if ":" in label or "_" in label]


def test_the_invite_page_says_no_capacity_left_in_words(browser, session) -> None:
    free, full, gone, owner, need = availability_world(session)
    for locale, words in (("en", "No capacity left"), ("ko", "수행 여력 없음")):
        owner.locale = locale
        session.commit()
        page = Landmarks(browser.login(owner).get(f"/needs/{need.id}/invite").text)
        assert page.texts[f"full-{full.organization_id}"].strip() == words
