from app.agreements import payments
from app.dashboard.budget import budget
from app.dashboard.schemas import Filters
from app.dashboard.service import Scope
from app.models import Stage
from tests.agreements.helpers import SUBSIDY, priced, tranche
from tests.builders import make_engagement, make_manufacturer, make_supplier


def test_committed_disbursed_and_remaining_per_programme_and_sector(browser, session) -> None:
    c = priced(session, agreed=True)
    c.engagement.agreements[0].programme = "AI 바우처 2026"
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 40_000_000))
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 5_000, "copay"))
    other = make_engagement(session, make_manufacturer(session, "김해공장"), make_supplier(session))
    other.agreements[0].price_subsidy = 30_000_000  # no programme named, sector 29
    other.need.industry = "29"
    session.flush()
    found = budget(session, Scope(Filters()))
    assert found.total.committed.won == SUBSIDY + 30_000_000
    assert found.total.disbursed.won == 40_000_000
    assert found.total.copay_received.won == 5_000
    programmes = {r.key: r for r in found.by_programme}
    assert programmes["AI 바우처 2026"].remaining.ko == "4,625만 원"
    assert programmes[None].committed.won == 30_000_000
    sectors = {r.key: r.committed.won for r in found.by_sector}
    assert sectors == {"30": SUBSIDY, "29": 30_000_000}
    browser.login(c.coordinator)
    body = browser.api("GET", "/api/dashboard?industry=30").json()["budget"]
    assert body["total"]["disbursed"]["en"] == "KRW 40,000,000"
    assert browser.api("GET", "/api/dashboard/public").json().get("budget") is None


def test_a_cancelled_engagement_commits_only_what_it_was_paid(session) -> None:
    c = priced(session, agreed=True)
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 10_000_000))
    c.engagement.stage = Stage.cancelled
    session.flush()
    total = budget(session, Scope(Filters())).total
    assert (total.committed.won, total.remaining.won) == (10_000_000, 0)


def test_the_dashboard_page_shows_the_budget_in_won(browser, session) -> None:
    from tests.builders import parse

    c = priced(session, agreed=True)
    browser.login(c.coordinator)
    page = parse(browser.get("/coordinator/dashboard").text)
    assert "8,625만 원" in page.texts["budget-total"]
