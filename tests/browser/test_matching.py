"""Matching a buyer can trust (issue 9, "Done means"), in Chromium over the demo data, one
browser context per person: the demo's press visual-inspection need shows inspection
suppliers with reasons in words and no off-topic card above "보통"; a supplier's
recommendations quote the need and carry the facts to triage it; a saved search fires for a
near-identical need at its default level; a round invites only suppliers that fit.

With AXMATCH_EMBEDDING_MODEL=default the same journeys run on the packaged model (the demo
data is embedded at seed time, a few minutes). On the fake embedder every demo card is "낮음",
so only the real model exercises the "nothing off-topic above 보통" check."""

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import ARTIFACTS, fill_goal
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
SEED = Path(__file__).resolve().parents[2] / "seed" / "data" / "needs.jsonl"
MANUFACTURER = "contact@daegwang-autotech.example.kr"
SUPPLIER = "info@nurivision.example.kr"
COORDINATOR = "coordinator@gn-ai.example.kr"
LEVELS = {"ko": ("높음", "보통", "낮음"), "en": ("High", "Medium", "Low")}
CODES = re.compile(r"\b[a-z]+(_[a-z]+)+\b")  # out_of_province, missing_certification, ...
SCORE = re.compile(r"(?<![\d.])\d\.\d{2}(?![\d.])")  # 0.82, not a date's 2027.01.06


def demo_need(external_id: str = "need-press-bracket-visual-check") -> dict:
    rows = (json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines())
    return next(r for r in rows if r["external_id"] == external_id)


INSPECTION = demo_need()


@pytest.fixture
def person(chromium, live_server: str, request: pytest.FixtureRequest) -> Iterator[Callable]:  # type: ignore[no-untyped-def]
    """Logs one person in, in a browser context of their own; pictures kept on the way out."""
    contexts = []

    def open_as(email: str):  # type: ignore[no-untyped-def]
        context = chromium.new_context(base_url=live_server, locale="ko-KR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in(page, email)
        return page

    yield open_as
    ARTIFACTS.mkdir(exist_ok=True)
    for n, context in enumerate(contexts):
        for page in context.pages:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
        context.close()


def fit_words(card) -> str:  # type: ignore[no-untyped-def]
    return card.locator("header .badge.fit").inner_text().split(":")[-1].strip()


def headline(card) -> str:  # type: ignore[no-untyped-def]
    """What a card says before its details fold (the score lives in the fold)."""
    return card.evaluate(
        "el => Array.from(el.children).filter(c => c.tagName !== 'DETAILS')"
        ".map(c => c.innerText).join(' ')"
    )


def check_card_words(card, locale: str) -> None:  # type: ignore[no-untyped-def]
    """A level in words, reasons as ticked facets, flags in words, no bare score or code."""
    assert fit_words(card) in LEVELS[locale]
    text = headline(card)
    assert not SCORE.search(text) and not CODES.search(text), text
    assert card.locator("details.score-details").get_attribute("open") is None
    sentences = card.locator("blockquote .sentence").all_inner_texts()
    assert len(sentences) == len(set(sentences))  # never one sentence quoted twice


def test_the_inspection_need_shows_inspection_suppliers_with_readable_reasons(person) -> None:  # type: ignore[no-untyped-def]
    page = person(MANUFACTURER)
    page.goto("/needs/mine")
    with page.expect_navigation():
        page.click(f"text={INSPECTION['title']}")
    cards = page.locator("#suggested article.match")
    assert cards.count() >= 3
    top = cards.first
    assert "비전 검사 ✓" in top.locator("p.reasons").inner_text()
    for card in cards.all():
        check_card_words(card, "ko")
        if card.get_attribute("data-level") == "high":  # nothing off-topic above 보통
            techniques = card.locator(".reason-technique").all_inner_texts()
            assert "비전 검사" in [t.removesuffix("✓").strip() for t in techniques]
        for matched in card.locator("blockquote .matched").all_inner_texts():
            quoted = matched.split("“", 1)[1].rstrip("”").removesuffix("...")
            assert quoted[:40] in INSPECTION["description"]  # the need's own sentence
    page.click("form[action='/lang'] button")
    assert page.locator("html").get_attribute("lang") == "en"
    cards = page.locator("#suggested article.match")
    assert "Vision inspection ✓" in cards.first.locator("p.reasons").inner_text()
    for card in cards.all():
        check_card_words(card, "en")
        assert "비전 검사" not in card.locator("p.reasons").inner_text()


def test_recommendations_quote_the_need_and_show_the_facts_to_triage_it(person) -> None:  # type: ignore[no-untyped-def]
    page = person(SUPPLIER)
    page.goto("/recommendations")
    cards = page.locator("article.match")
    assert cards.count() >= 1
    for card in cards.all():
        check_card_words(card, "ko")
        for fact in ("manufacturer", "deadline", "budget", "region", "bid"):
            assert card.locator(f"dd.fact-{fact}").inner_text().strip() not in ("", "—")
        assert card.locator("blockquote").count() >= 1
        assert all("수요" in c for c in card.locator("blockquote cite").all_inner_texts())
    items = page.request.get("/api/recommendations?limit=20").json()
    assert [f"match-{i['id']}" for i in items] == [c.get_attribute("id") for c in cards.all()]
    for item in items:
        need = page.request.get(f"/api/needs/{item['id']}").json()
        assert item["level"] in ("high", "medium", "low") and item["facts"]["manufacturer"]
        assert item["evidence"] and {e["source"] for e in item["evidence"]} == {"need"}
        for quote in item["evidence"]:
            assert quote["sentence"] in f"{need['title']} {need['description']}"


def publish(page, title: str, description: str) -> int:  # type: ignore[no-untyped-def]
    page.goto("/needs/new")
    page.fill("#f-title", title)
    page.fill("#f-description", description)
    page.select_option("#f-process", "press")
    page.check("input[name=ai_techniques][value=vision_inspection]")
    deadline = datetime.now(ZoneInfo("Asia/Seoul")) + timedelta(days=14)
    fill_goal(page)
    page.fill("#f-deadline_at", deadline.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.click("#save-need")
    with page.expect_navigation():
        page.click("#publish-form button[type=submit]")
    return int(re.search(r"/needs/(\d+)", page.url).group(1))  # type: ignore[union-attr]


def test_a_saved_search_fires_for_a_near_identical_need_at_its_default_level(person) -> None:  # type: ignore[no-untyped-def]
    supplier = person(SUPPLIER)
    supplier.goto("/saved-searches")
    default = supplier.locator("#f-level option:checked").inner_text()
    supplier.fill("#f-name", "브래킷 외관 검사")
    supplier.fill("#f-query", INSPECTION["description"][:400])
    with supplier.expect_navigation():
        supplier.click("#new-search button")  # the level left as it comes
    row = supplier.locator("#saved-searches tr", has_text="브래킷 외관 검사")
    assert row.locator("td.level").inner_text() in default
    manufacturer = person(MANUFACTURER)
    title = "브래킷 출하 전 외관 선별 자동화 (2공장)"
    need_id = publish(manufacturer, title, INSPECTION["description"].replace("3개", "2개"))
    supplier.goto("/notifications")
    notice = supplier.locator("li.notification", has_text=title)
    assert "브래킷 외관 검사" in notice.inner_text()
    supplier.goto("/saved-searches")
    row = supplier.locator("#saved-searches tr", has_text="브래킷 외관 검사")
    with supplier.expect_navigation():
        row.locator("a.preview-link").click()
    preview = supplier.locator(f"#preview-{need_id}")
    assert preview.locator(".badge.fit").inner_text() in LEVELS["ko"]
    assert preview.locator("details.score-details").get_attribute("open") is None


def test_a_round_shortlists_and_invites_only_suppliers_that_fit(person) -> None:  # type: ignore[no-untyped-def]
    page = person(COORDINATOR)
    page.goto("/coordinator/rounds/new")
    assert not page.locator("#f-fill_empty").is_checked()  # off by default
    page.fill("#f-name", "적합도 라운드")
    page.fill("#f-shortlist_size", "10")
    page.fill("#f-alternates", "0")
    with page.expect_navigation():
        page.click("#propose")
    round_id = int(re.search(r"/coordinator/rounds/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    pairs = page.locator("table.shortlist tr.pair")
    assert pairs.count() >= 1
    assert page.locator("table.shortlist tr.pair .badge.fit-none").count() == 0
    short = page.locator("section.round-need", has=page.locator("p.shortfall"))
    assert short.count() >= 1  # some needs have fewer than ten suppliers that fit
    first = short.first
    assert first.locator("table.shortlist tr.pair").count() < 10
    assert re.search(r"\d", first.locator("p.shortfall").inner_text())
    with page.expect_navigation():
        page.click("#release")
    with page.expect_navigation():
        page.click("#confirm-button")
    assert "done=released" in page.url
    detail = page.request.get(f"/api/rounds/{round_id}").json()
    invited = {
        (n["need_id"], p["supplier_org_id"]): p["level"]
        for n in detail["needs"]
        for p in n["shortlist"]
    }
    assert invited and all(invited.values())  # every invited supplier has a fit level
