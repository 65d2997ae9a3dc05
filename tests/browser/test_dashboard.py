"""The programme dashboard in Chromium over the demo data: a coordinator reads the charts,
filters by sector, downloads a table as CSV; then, logged out, the public summary, which
names no company."""

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
CHARTS_DRAWN = (
    "[...document.querySelectorAll('img.chart')]"
    ".every(img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0)"
)


def posted(page) -> int:  # type: ignore[no-untyped-def]
    first = page.locator("#funnel-table tbody tr").first
    assert first.get_attribute("data-step") == "posted"
    return int(first.locator("td").nth(1).inner_text().replace(",", ""))


def test_coordinator_reads_filters_exports_and_the_public_sees_the_summary(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "coordinator@gn-ai.example.kr")
    page.click("nav.mainnav a[href='/coordinator/dashboard']")
    assert page.locator("img.chart").count() == 9
    page.wait_for_function(CHARTS_DRAWN)
    everything = posted(page)
    deployed = page.locator("#funnel-table tr[data-step='deployment'] td").nth(1).inner_text()
    assert everything > 0 and int(deployed) > 0  # the demo engagements reached deployment
    assert page.locator("#stages-table tr[data-stage='design'] td").nth(3).inner_text() != "—"
    shot(page, "dashboard-1-overview")

    page.select_option("#f-industry", "31")  # ships, aerospace, rail: demo engagements there
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r"industry=31"))
    page.wait_for_function(CHARTS_DRAWN)
    filtered = posted(page)
    assert 0 < filtered < everything
    assert "기타 운송장비" in page.locator("#scope").inner_text()
    shot(page, "dashboard-2-filtered")

    link = page.locator("#funnel a.csv-link")
    assert "industry=31" in (link.get_attribute("href") or "")
    with page.expect_download() as download:
        link.click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("단계,수요")
    assert lines[1].startswith(f"공고된 수요,{filtered},")

    page.click("#logout")  # the public summary, from the footer of any page
    page.click("#programme-link")
    page.wait_for_url(re.compile(r"/programme$"))
    page.wait_for_function(CHARTS_DRAWN)
    assert posted(page) > 0
    text = page.locator("body").inner_text()
    rows = (ROOT / "seed" / "data" / "manufacturers.jsonl").read_text(encoding="utf-8")
    names = [json.loads(line)["name"] for line in rows.splitlines() if line.strip()]
    assert not [name for name in names if name in text]
    assert "선정 완료" not in text  # the demo needs' confidential notes
    shot(page, "programme-public")
