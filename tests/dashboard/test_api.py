"""The dashboard's JSON routes: the same figures, the same filters, the same restrictions."""

import pytest

from tests.dashboard.helpers import SECRET, arrange


@pytest.fixture
def p(session):
    return arrange(session)


def test_coordinator_api_with_filters(browser, p) -> None:
    browser.login(p.coordinator)
    body = browser.api("GET", "/api/dashboard").json()
    assert [s["count"] for s in body["funnel"]] == [8, 6, 5, 4, 4, 3, 2, 2, 1]
    assert body["concentration"]["hhi"] == pytest.approx(3750)
    assert body["progress"] == {
        "suppliers": 3,
        "supplier_goal": 500,
        "adopting_manufacturers": 1,
        "adopting_overridden": 1,
        "manufacturer_goal": 12000,
    }
    filtered = browser.api("GET", "/api/dashboard?industry=29&from=2000-01-01&to=2100-01-01").json()
    assert filtered["filters"] == {"industry": "29", "from": "2000-01-01", "to": "2100-01-01"}
    assert filtered["summary"]["needs_posted"] == 3
    assert browser.api("GET", "/api/dashboard?from=2026-02-01&to=2026-01-01").status_code == 422
    assert browser.api("GET", "/api/dashboard?industry=99").status_code == 422
    assert browser.api("GET", "/api/dashboard?cohort=999999").status_code == 404


def test_public_api_needs_no_login_and_names_no_one(browser, p) -> None:
    response = browser.api("GET", "/api/dashboard/public")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "summary",
        "funnel",
        "progress",
        "outcomes_by_metric",
        "accident_reduction_pct",
        "accident_kpis",
        "accident_goal_pct",
    }
    for private in ("창원정밀공업", "비전원", SECRET, "98765"):
        assert private not in response.text


def test_sponsor_api_is_restricted_to_its_cohorts(browser, p) -> None:
    browser.login(p.sponsor)
    body = browser.api("GET", "/api/sponsor/dashboard").json()
    assert [c["name"] for c in body["cohorts"]] == ["터빈 협력사"]
    assert body["summary"]["needs_posted"] == 3
    assert "concentration" not in body and "by_sector" not in body
    other = f"/api/sponsor/dashboard?cohort={p.other_cohort.id}"
    assert browser.api("GET", other).status_code == 404
    assert browser.api("GET", "/api/dashboard").status_code == 403
    browser.login(p.coordinator)
    assert browser.api("GET", "/api/sponsor/dashboard").status_code == 403
