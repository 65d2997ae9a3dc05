"""Fit levels and plain-word reasons on every matching surface: one level per pair whichever
side asks, nothing below the minimum fit, both sides quoted, flags in words."""

import re
from datetime import timedelta
from html.parser import HTMLParser

from app.matches import alerts, service
from app.models import BidInvitation, SavedSearch, utcnow
from app.rounds.schemas import RoundIn
from app.rounds.service import create_round
from matching.levels import FitLevel, fit_level
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.matches.test_service import ENERGY, NEED_TEXT, VISION, arrange, new_cache
from tests.notifications.conftest import parse

CODES = re.compile(
    r"\b(out_of_province|below_required_sf_level|readiness_path|at_capacity|over_budget)\b"
)
KO = "프레스 공정 찍힘 불량을 딥러닝 비전 검사로 자동 판정합니다. 검사 카메라와 조명을 설계합니다."
EN = (
    "We detect press dent defects automatically with deep-learning vision inspection. "
    "We design the inspection cameras and lighting."
)


def visible(html: str) -> str:
    """The text a reader sees (attributes such as class names left out)."""
    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(html)
    return " ".join(parts)


def test_one_pair_has_one_level_on_every_surface(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    cache = new_cache(tmp_path)
    (suggested,) = service.suggest_suppliers(session, cache, owner, need.id)
    (recommended,) = service.recommend_needs(session, cache, vision)
    assert suggested.level is not None and recommended.id == need.id
    assert abs(suggested.score - recommended.score) < 1e-6  # float32 search vs product
    assert suggested.level == recommended.level == fit_level(suggested.score)
    search = SavedSearch(organization_id=vision.organization_id, user_id=vision.id, name="p")
    session.add(search)
    session.flush()
    needs = service.open_need_records(session, [need.id])
    (alert,) = alerts.scores(session, cache.embedder, [search], needs).values()
    assert fit_level(alert) == suggested.level
    round_ = create_round(
        session, cache, make_staff(session), RoundIn(name="11월", shortlist_size=1)
    )
    (pair,) = [p for p in round_.pairs if p.kind == "shortlist"]
    assert pair.supplier_org_id == vision.organization_id
    assert pair.parts["level"] == suggested.level


def test_nothing_below_the_minimum_fit_is_suggested_recommended_or_found(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    cache = new_cache(tmp_path)
    every = service.suggest_suppliers(session, cache, owner, need.id, below_minimum=True)
    assert {i.name: i.level is None for i in every} == {"비전AI": False, "FurnaceAI": True}
    assert [i.name for i in service.suggest_suppliers(session, cache, owner, need.id)] == ["비전AI"]
    assert service.recommend_needs(session, cache, energy) == []
    found = service.search(session, cache, owner, ENERGY, "suppliers")
    assert [i.name for i in found] == ["FurnaceAI"] and found[0].level is not None
    staff = make_staff(session)
    assert service.search(session, cache, staff, "물류 창고 재고 수요 예측", "needs") == []


def test_a_text_that_restates_a_need_finds_it_at_high_fit(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    cache = new_cache(tmp_path)
    (found,) = service.search(session, cache, vision, f"{need.title} {NEED_TEXT}", "needs")
    assert found.id == need.id and found.level is FitLevel.HIGH
    assert found.level_label == "높음" and found.score <= 1.0 + 1e-6  # a bare text's scale


def test_reasons_name_the_matched_facets_in_the_readers_language(session, tmp_path) -> None:
    supplier = make_supplier(
        session,
        "비전AI",
        description_ko=VISION,
        processes=["press"],
        price_min=3000,
        price_max=6000,
    )
    owner = make_manufacturer(session)
    need = make_need(session, owner, title="프레스 찍힘 불량 비전 검사", description=NEED_TEXT)
    session.commit()
    cache = new_cache(tmp_path)
    (item,) = service.suggest_suppliers(session, cache, owner, need.id)
    assert [r.label for r in item.reasons if r.ok] == [
        "비전 검사",
        "프레스",
        "경남 창원시",
        "예산 범위 내",
    ]
    assert item.level_label in ("높음", "보통", "낮음")
    owner.locale = "en"
    (item,) = service.suggest_suppliers(session, cache, owner, need.id)
    assert [r.label for r in item.reasons if r.ok][-1] == "Within budget"
    assert item.level_label in ("High", "Medium", "Low")
    assert supplier.organization_id == item.id


def test_flags_read_as_words_in_both_languages_on_pages_and_api(browser, session) -> None:
    make_supplier(session, "서울비전", description_ko=VISION, region="seoul", price_min=9000)
    owner = make_manufacturer(session)
    need = make_need(session, owner, description=NEED_TEXT, prefer_in_province=True)
    session.commit()
    for locale, words in (("ko", "도외 기업"), ("en", "Outside Gyeongnam")):
        owner.locale = locale
        browser.login(owner)
        page = visible(browser.get(f"/needs/{need.id}/suggestions").text)
        assert words in page and not CODES.search(page)
        (item,) = browser.api("GET", f"/api/needs/{need.id}/suggestions").json()
        labels = {r["code"]: r["label"] for r in item["reasons"] if not r["ok"]}
        assert set(labels) == {"out_of_province", "over_budget"}
        assert words in labels["out_of_province"] and not CODES.search(" ".join(labels.values()))


def test_quotes_pair_a_need_sentence_with_a_supplier_sentence_in_one_language(
    session, tmp_path
) -> None:
    make_supplier(session, "비전AI", description_ko=KO, description_en=EN)
    owner = make_manufacturer(session)
    need = make_need(session, owner, title="프레스 찍힘 검사", description=NEED_TEXT)
    session.commit()
    cache = new_cache(tmp_path)
    (item,) = service.suggest_suppliers(session, cache, owner, need.id)
    need_sentences = {
        "프레스 공정에서 찍힘 불량을 사람이 검사합니다.",
        "비전 검사로 자동화하고 싶습니다.",
    }
    assert len(item.evidence) == 2
    assert {e.matched for e in item.evidence} == need_sentences  # both of the need's
    assert all(e.sentence in KO for e in item.evidence)  # never the English twin as well
    owner.locale = "en"
    (item,) = service.suggest_suppliers(session, cache, owner, need.id)
    assert all(e.sentence in EN for e in item.evidence)  # the need itself stays Korean
    assert {e.matched for e in item.evidence} <= need_sentences


def test_recommendations_quote_the_need_and_show_its_facts(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    need.deadline_at = utcnow() + timedelta(days=20)
    session.commit()
    browser.login(vision)
    (item,) = browser.api("GET", "/api/recommendations").json()
    assert item["id"] == need.id and item["level"] in ("high", "medium", "low")
    assert item["evidence"] and all(e["sentence"] in NEED_TEXT for e in item["evidence"])
    assert all(e["source"] == "need" and e["matched"] in VISION for e in item["evidence"])
    facts = item["facts"]
    assert facts["manufacturer"] == owner.organization.name and facts["region"] == "경남 창원시"
    assert (facts["budget_min"], facts["budget_max"]) == (3000, 8000) and facts["deadline_at"]
    assert (facts["bid_status"], facts["bid_label"]) == ("none", "아직 입찰하지 않음")
    session.add(BidInvitation(need_id=need.id, supplier_org_id=vision.organization_id))
    session.commit()
    texts = parse(browser.get("/recommendations").text).texts
    card = texts[f"match-{need.id}"]
    assert "입찰 초대받음" in card and owner.organization.name in card and "경남 창원시" in card
    assert "찍힘 불량을 사람이 검사합니다" in card and not CODES.search(card)
    assert "우리 프로필·수행 사례" in card  # the matched sentence may be from a case study


def test_need_search_returns_the_need_sentences_that_matched(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    browser.login(owner)
    query = "프레스 찍힘 불량 검사를 비전 검사로 자동화하고 싶습니다"
    (item,) = browser.api("GET", "/api/match", params={"target": "needs", "q": query}).json()
    assert item["id"] == need.id and item["level"] and item["level_label"]
    assert (
        item["evidence"][0]["sentence"]
        in NEED_TEXT.split(" 비전")[0] + " 비전 검사로 자동화하고 싶습니다."
    )
    assert item["evidence"][0]["source"] == "need" and item["evidence"][0]["matched"] == query


def test_the_score_is_in_a_details_fold_not_the_headline(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    page = browser.login(owner).get(f"/needs/{need.id}/suggestions").text
    found = parse(page)
    head = found.texts[f"match-{vision.organization_id}"].split("근거")[0]
    assert "적합도" in head and not re.search(r"\d\.\d{2}", head)
    assert '<details class="score-details">' in page
