"""The side-by-side comparison (issue 14 item 6): price against the budget, duration against
the wanted timeline, fit, track record and reviews; sorting; the shortlisted bid preselected;
sealed until the deadline."""

from datetime import timedelta

import pytest

from app.bids.comparison import Against, duration_against, price_against
from app.models import REVIEW_WINDOW, Need, Review, Stage, utcnow
from tests.bids.conftest import future, make_bid, pass_deadline
from tests.builders import (
    make_case_study,
    make_engagement,
    make_manufacturer,
    make_need,
    make_supplier,
    parse,
)

SLOW = [{"stage": "consulting", "weeks": 10}, {"stage": "demonstration", "weeks": 10}]


def test_price_against_budget_in_won() -> None:
    need = Need(budget_min=3000, budget_max=8000)
    assert price_against(need, 5000) == Against("within")
    assert price_against(need, 9000) == Against("over", 10_000_000)
    assert price_against(need, 2000) == Against("under", 10_000_000)
    assert price_against(Need(), 9000) == Against("unknown")
    assert price_against(Need(budget_max=8000), 100) == Against("within")


def test_duration_against_wanted_timeline() -> None:
    need = Need(timeline_months=3)  # 13 weeks
    assert duration_against(need, 12) == Against("within")
    assert duration_against(need, 20) == Against("over", 7)
    assert duration_against(need, None) == Against("unknown")
    assert duration_against(Need(), 20) == Against("unknown")


@pytest.fixture
def bids(session):
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future(), timeline_months=3)
    alpha, beta, gamma = (make_supplier(session, n) for n in ("알파AI", "베타AI", "감마AI"))
    make_bid(session, alpha, need)  # 5,000만, 12 weeks
    make_bid(session, beta, need, price_total=9000, price_subsidy=6750, price_copay=2250,
             timeline=SLOW)  # fmt: skip
    make_bid(session, gamma, need, price_total=2000, price_subsidy=1500, price_copay=500,
             timeline=[])  # fmt: skip
    done = make_engagement(session, make_manufacturer(session, "예전고객"), alpha)
    done.stage, done.closed_at = Stage.closed, utcnow() - REVIEW_WINDOW - timedelta(days=1)
    session.add(
        Review(engagement_id=done.id, author_org_id=done.manufacturer_org_id,
               subject_org_id=alpha.organization_id, rating=4)
    )  # fmt: skip
    make_case_study(session, alpha)
    session.commit()
    return owner, need, {"alpha": alpha, "beta": beta, "gamma": gamma}


def names(body) -> list[str]:
    return [row["bid"]["supplier_name"] for row in body["bids"]]


def test_sealed_until_the_deadline(browser, bids) -> None:
    owner, need, _ = bids
    browser.login(owner)
    body = browser.api("GET", f"/api/needs/{need.id}/bids?sort=fit").json()
    assert body["sealed"] and body["bids"] == [] and body["preselected_supplier_org_id"] is None
    page = parse(browser.get(f"/needs/{need.id}/bids?sort=fit").text)
    assert "sealed" in page.texts and "comparison" not in page.texts and "sort" not in page.texts


def test_api_computes_what_the_comparison_shows(browser, session, bids) -> None:
    owner, need, people = bids
    pass_deadline(session, need)
    browser.login(owner)
    body = browser.api("GET", f"/api/needs/{need.id}/bids").json()
    assert body["sort"] == "price" and names(body) == ["감마AI", "알파AI", "베타AI"]
    gamma, alpha, beta = body["bids"]
    assert beta["price_vs_budget"] == {"status": "over", "difference": 10_000_000}
    assert gamma["price_vs_budget"] == {"status": "under", "difference": 10_000_000}
    assert alpha["price_vs_budget"]["status"] == "within"
    assert beta["duration_vs_timeline"] == {
        "status": "over", "difference": 7, "weeks": 20, "wanted_weeks": 13
    }  # fmt: skip
    assert gamma["duration_vs_timeline"]["status"] == "unknown"
    assert alpha["supplier_record"] == {
        "completed_engagements": 1, "case_studies": 1, "review_average": 4.0, "review_count": 1
    }  # fmt: skip
    assert beta["supplier_record"]["review_count"] == 0
    assert all(row["level_label"] for row in body["bids"] if row["level"])
    by_duration = browser.api("GET", f"/api/needs/{need.id}/bids?sort=duration").json()
    assert names(by_duration) == ["알파AI", "베타AI", "감마AI"]
    by_fit = browser.api("GET", f"/api/needs/{need.id}/bids?sort=fit").json()
    scores = [row["score"] if row["score"] is not None else -1 for row in by_fit["bids"]]
    assert scores == sorted(scores, reverse=True)
    assert browser.api("GET", f"/api/needs/{need.id}/bids?sort=name").status_code == 422


def test_page_side_by_side_sorted_and_preselected(browser, session, bids) -> None:
    owner, need, people = bids
    pass_deadline(session, need)
    beta = people["beta"].organization_id
    browser.login(owner)
    page = parse(browser.get(f"/needs/{need.id}/bids?sort=duration").text)
    columns = [i for i in page.texts if i.startswith("bid-") and i[4:].isdigit()]
    order = [people[n].organization_id for n in ("alpha", "beta", "gamma")]
    assert columns == [f"bid-{o}" for o in order]
    assert {"?sort=price", "?sort=fit", "?sort=duration"} <= page.hrefs
    assert "초과" in page.texts[f"budget-{beta}"] and "1,000만 원" in page.texts[f"budget-{beta}"]
    assert "7주" in page.texts[f"duration-{beta}"]
    alpha = people["alpha"].organization_id
    assert "완료한 과제 1건" in page.texts[f"record-{alpha}"]
    assert "4.0 / 5 (n = 1)" in page.texts[f"reviews-{alpha}"]
    assert page.selected["f-supplier_org_id"] == ""  # nothing shortlisted: no preselection
    shortlisted = browser.post(f"/needs/{need.id}/bids/{beta}/shortlist?sort=duration")
    assert shortlisted.headers["location"] == f"/needs/{need.id}/bids?sort=duration"
    page = parse(browser.get(f"/needs/{need.id}/bids").text)
    assert page.selected["f-supplier_org_id"] == str(beta)
    browser.post("/lang", {"locale": "en"})
    page = parse(browser.get(f"/needs/{need.id}/bids").text)
    assert "Over the budget by KRW 10,000,000" in page.texts[f"budget-{beta}"]
