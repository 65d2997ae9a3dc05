"""The dashboard pages, their CSV files and who may see what."""

import base64
import csv
import io
import re

import pytest

from tests.builders import make_manufacturer
from tests.dashboard.helpers import SECRET, Page, arrange


@pytest.fixture
def p(session):
    return arrange(session)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_coordinator_dashboard_shows_the_figures_and_charts(browser, p) -> None:
    browser.login(p.coordinator)
    response = browser.get("/coordinator/dashboard")
    assert response.status_code == 200
    page = Page(response.text)
    assert page.column("funnel-table", "공고된 수요") == "8"
    assert page.column("funnel-table", "종료") == "1"
    assert page.column("funnel-table", "후보 선정", 2) == "75%"
    assert page.column("stages-table", "현장 맞춤형 설계", 3) == "13"
    assert page.column("outcomes-table", "불량률", 5) == "+50%"  # the median firm
    assert page.column("outcomes-table", "불량률", 6) == "+50% (n=2)"  # the mean, with its n
    assert page.column("stages-table", "현장 맞춤형 설계", 4).endswith(")")  # mean (n=…)
    assert page.column("accidents-table", "건/년", 4) == "32.5%"
    assert "conc-hhi" in page.ids and "summary" in page.ids
    assert len(page.charts) == 9
    for src in page.charts:
        assert src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        assert svg.startswith("<svg") and "<script" not in svg
        assert re.findall(r"https?://[^\s\"']+", svg) == ["http://www.w3.org/2000/svg"]
    funnel_svg = base64.b64decode(page.charts[2].split(",", 1)[1]).decode("utf-8")
    assert "공고된 수요" in funnel_svg and "현장 맞춤형 설계" in funnel_svg


def test_filters_apply_to_the_page_and_are_kept_in_the_csv_links(browser, p) -> None:
    browser.login(p.coordinator)
    page = Page(browser.get(f"/coordinator/dashboard?industry=29&cohort={p.cohort.id}").text)
    assert page.column("funnel-table", "공고된 수요") == "3"
    assert any("터빈 협력사" in t for t in page.text)
    bad = browser.get("/coordinator/dashboard?from=2026-05-01&to=2026-01-01")
    assert bad.status_code == 200
    assert "기간의 끝은 시작보다 앞설 수 없습니다." in bad.text
    assert Page(bad.text).column("funnel-table", "공고된 수요") == "8"
    assert browser.get("/coordinator/dashboard?cohort=999999").status_code == 404


def test_every_table_downloads_as_csv_with_a_bom(browser, p) -> None:
    browser.login(p.coordinator)
    tables = ("funnel", "sector", "region", "sf_level", "stages", "concentration", "suppliers")
    for table in (*tables, "outcomes", "accidents"):
        response = browser.get(f"/coordinator/dashboard.csv?table={table}")
        assert response.status_code == 200, table
        assert response.content.startswith(b"\xef\xbb\xbf")
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
    funnel = rows_of(browser.get("/coordinator/dashboard.csv?table=funnel&industry=29"))
    assert funnel[0] == ["단계", "수요", "이전 단계 대비 전환율 (%)", "공고 수요 대비 비율 (%)"]
    assert funnel[1] == ["공고된 수요", "3", "", "100"]
    suppliers = rows_of(browser.get("/coordinator/dashboard.csv?table=suppliers"))
    assert suppliers[1] == ["1", "비전원", "2", "50"]
    outcomes = rows_of(browser.get("/coordinator/dashboard.csv?table=outcomes"))
    assert ["에너지 사용량", "kWh", "1", "1", "1000", "900", "10", "10"] in outcomes
    assert browser.get("/coordinator/dashboard.csv?table=bids").status_code == 422


def test_csv_headers_follow_the_readers_language(browser, session, p) -> None:
    p.coordinator.locale = "en"
    session.flush()
    browser.login(p.coordinator)
    stages = rows_of(browser.get("/coordinator/dashboard.csv?table=stages"))
    assert stages[0] == ["Stage", "Completed", "In progress", "Median days", "Mean days"]
    assert stages[2] == ["On-site design", "2", "0", "13", "13"]


def test_public_page_shows_aggregates_and_nothing_private(browser, p) -> None:
    response = browser.get("/programme")
    assert response.status_code == 200
    page = Page(response.text)
    assert page.column("funnel-table", "공고된 수요") == "8"
    assert page.column("outcomes-metric-table", "에너지 사용량", 2) == "+10%"
    for private in ("창원정밀공업", "김해기계", "비전원", SECRET, "98765", "터빈 협력사"):
        assert private not in response.text
    outcomes = browser.get("/programme.csv?table=outcomes")
    assert outcomes.content.startswith(b"\xef\xbb\xbf")
    assert rows_of(outcomes)[0][0] == "KPI"
    assert "programme-link" in Page(browser.get("/").text).ids


def test_sponsor_page_shows_its_own_cohort_only(browser, p) -> None:
    browser.login(p.sponsor)
    response = browser.get("/sponsor")
    assert response.status_code == 200
    page = Page(response.text)
    assert page.column("funnel-table", "공고된 수요") == "3"
    assert "터빈 협력사" in response.text and "남의 코호트" not in response.text
    for private in ("김해기계", "스마트투", SECRET, "conc-hhi"):
        assert private not in response.text
    assert browser.get(f"/sponsor?cohort={p.other_cohort.id}").status_code == 404
    csv_rows = rows_of(browser.get("/sponsor.csv?table=funnel"))
    assert csv_rows[1] == ["공고된 수요", "3", "", "100"]
    assert browser.get(f"/sponsor.csv?table=funnel&cohort={p.other_cohort.id}").status_code == 404


def test_who_may_open_which_dashboard(browser, session, p) -> None:
    for user, allowed in (
        (p.coordinator, {"/coordinator/dashboard", "/coordinator/dashboard.csv"}),
        (p.sponsor, {"/sponsor", "/sponsor.csv"}),
        (make_manufacturer(session, "제3공장"), set()),
    ):
        browser.login(user)
        for url in (
            "/coordinator/dashboard",
            "/coordinator/dashboard.csv",
            "/sponsor",
            "/sponsor.csv",
        ):
            assert (browser.get(url).status_code == 200) == (url in allowed), (user.role, url)
        assert browser.get("/programme").status_code == 200


def test_a_sponsor_without_a_cohort_is_told_so(browser, session) -> None:
    from app.models import Organization, OrgKind, Role
    from tests.builders import make_user

    browser.login(
        make_user(session, Organization(kind=OrgKind.sponsor, name="새후원"), Role.sponsor)
    )
    page = Page(browser.get("/sponsor").text)
    assert "no-cohort" in page.ids and "funnel-table" not in page.tables


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(browser, session, p) -> None:
    from sqlalchemy import select

    from app.models import Organization

    hostile = ['=HYPERLINK("http://x.example","y")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)"]
    hostile += ["-2+3", "\t=1+1", "\r=1+1"]
    browser.login(p.coordinator)
    names = [row[1] for row in rows_of(browser.get("/coordinator/dashboard.csv?table=suppliers"))]
    orgs = [session.scalar(select(Organization).where(Organization.name == n)) for n in names[1:]]
    for org, name in zip(orgs, hostile, strict=False):
        org.name = name
    session.commit()
    cells = [row[1] for row in rows_of(browser.get("/coordinator/dashboard.csv?table=suppliers"))]
    written = hostile[: len(orgs)]
    assert sorted(cells[1:]) == sorted("'" + name for name in written)
    outcomes = rows_of(browser.get("/coordinator/dashboard.csv?table=outcomes"))
    assert ["에너지 사용량", "kWh", "1", "1", "1000", "900", "10", "10"] in outcomes  # numbers stay


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_quoted_and_plain_numbers_are_not(start) -> None:
    from app.web import csv_cell

    assert csv_cell(f"{start}1+cmd") == f"'{start}1+cmd"
    assert [csv_cell(n) for n in ("-100", "-2.5", "12", "")] == ["-100", "-2.5", "12", ""]
